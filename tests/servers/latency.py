"""A loopback TCP relay that adds a fixed one-way delay, to make a local server feel like a distant one."""

from __future__ import annotations

import contextlib
import heapq
import socket
import threading
import time


class DelayRelay:
    def __init__(self, target_port: int, one_way_delay: float) -> None:
        self.target_port = target_port
        self.delay = one_way_delay
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=32)
        self.port: int = self.listener.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            time.sleep(self.delay * 2)  # the TCP handshake's round trip
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        queue: list[tuple[float, int, bytes]] = []
        lock = threading.Condition()
        seq = 0
        done = False

        def sender() -> None:
            while True:
                with lock:
                    while not queue and not done:
                        lock.wait(0.1)
                    if not queue and done:
                        break
                    due, _, data = queue[0]
                    wait = due - time.monotonic()
                    if wait > 0:
                        lock.wait(wait)
                        continue
                    heapq.heappop(queue)
                try:
                    dst.sendall(data) if data else dst.shutdown(socket.SHUT_WR)
                except OSError:
                    return

        thread = threading.Thread(target=sender, daemon=True)
        thread.start()
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            with lock:
                seq += 1
                heapq.heappush(queue, (time.monotonic() + self.delay, seq, data))
                lock.notify()
                if not data:
                    done = True
                    break
        thread.join(timeout=30)

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.listener.close()

"""A real network for loopback tests and benchmarks: round-trip time, dropped SYNs, a lost first SYN.

A user-space relay (tests/servers/latency.py) cannot delay the TCP handshake, since the kernel answers the
SYN itself, and cannot drop a SYN either. This module puts a TUN device in a private network namespace
and reflects every packet sent to REMOTE back to LOCAL after a delay (source and destination swapped, so
the checksums stay valid): the client's SYN, the server's SYN-ACK and everything after cross it, each
direction once. Per port it can also drop every SYN (a firewall that silently drops the port) or only the
first one (a lost SYN, which the client's kernel sends again after its initial retransmission timeout).

It needs root, /dev/net/tun, `unshare` (util-linux) and `ip` (iproute2); `missing_reason()` says what is
missing. Use it from a process started with `private_network_command()`, then call `enter()` once.
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

LOCAL = "10.99.0.1"  # this machine's address on the emulated link; servers listen here
REMOTE = "10.99.0.2"  # the far end: connecting here goes through the emulator
_DEVICE = "sa-netem"
_TUNSETIFF = 0x400454CA
_IFF_TUN = 0x0001
_IFF_NO_PI = 0x1000
_ENV = "SA_PRIVATE_NETWORK"


def missing_reason() -> str | None:
    """Why this machine cannot emulate a network, or None when it can."""
    if os.geteuid() != 0:
        return "emulating a network needs root (a network namespace and a TUN device)"
    if not Path("/dev/net/tun").exists():
        return "no /dev/net/tun on this machine"
    for tool, package in (("unshare", "util-linux"), ("ip", "iproute2"), ("mount", "mount")):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (Debian package {package})"
    return None


def private_network_command(argv: list[str]) -> list[str]:
    """`argv` run in a new network and mount namespace (nothing it does is seen by the rest of the machine)."""
    return ["unshare", "--net", "--mount", "--", "env", f"{_ENV}=1", *argv]


def inside() -> bool:
    return os.environ.get(_ENV) == "1"


def enter(hosts: dict[str, str]) -> None:
    """In the private namespace: loopback up, and `hosts` (name -> address) in a private /etc/hosts."""
    if not inside():
        raise RuntimeError("not in a private network namespace; start with private_network_command()")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    fd, name = tempfile.mkstemp(prefix="sa-hosts-")
    lines = ["127.0.0.1 localhost", *(f"{address} {host}" for host, address in hosts.items())]
    os.write(fd, ("\n".join(lines) + "\n").encode())
    os.close(fd)
    os.chmod(name, 0o644)
    subprocess.run(["mount", "--bind", name, "/etc/hosts"], check=True)


class Netem:
    """The emulated link: `rtt` seconds round trip to REMOTE, and per-port SYN drops."""

    def __init__(self, rtt: float = 0.0) -> None:
        self.one_way = rtt / 2
        self.blackholed: set[int] = set()  # every SYN to these ports is dropped
        self.lose_first_syn: set[int] = set()  # the next SYN to these ports is dropped, once
        self.dropped: list[tuple[float, int]] = []  # (when, port) of every SYN dropped
        self._lock = threading.Condition()
        self._queue: list[tuple[float, int, bytes]] = []
        self._seq = 0
        self._closed = False
        self._fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self._fd, _TUNSETIFF, struct.pack("16sH", _DEVICE.encode(), _IFF_TUN | _IFF_NO_PI))
        for command in (
            ["ip", "addr", "add", f"{LOCAL}/24", "dev", _DEVICE],
            ["ip", "link", "set", _DEVICE, "up"],
        ):
            subprocess.run(command, check=True)
        for name in ("all", _DEVICE):
            with contextlib.suppress(OSError):
                Path(f"/proc/sys/net/ipv4/conf/{name}/rp_filter").write_text("0")
        threading.Thread(target=self._read, name="netem-read", daemon=True).start()
        threading.Thread(target=self._write, name="netem-write", daemon=True).start()

    def set_rtt(self, rtt: float) -> None:
        self.one_way = rtt / 2

    def _read(self) -> None:
        while True:
            try:
                packet = os.read(self._fd, 65536)
            except OSError:
                return
            if len(packet) < 20 or packet[0] >> 4 != 4:
                continue  # IPv4 only; anything else (router solicitations) goes nowhere
            header = (packet[0] & 0x0F) * 4
            if packet[9] == socket.IPPROTO_TCP and len(packet) >= header + 14:
                dport = struct.unpack("!H", packet[header + 2 : header + 4])[0]
                flags = packet[header + 13]
                if flags & 0x12 == 0x02 and self._drop_syn(dport):
                    continue
            reflected = packet[:12] + packet[16:20] + packet[12:16] + packet[20:]
            with self._lock:
                self._seq += 1
                heapq.heappush(self._queue, (time.monotonic() + self.one_way, self._seq, reflected))
                self._lock.notify()

    def _drop_syn(self, port: int) -> bool:
        with self._lock:
            if port in self.lose_first_syn:
                self.lose_first_syn.discard(port)
            elif port not in self.blackholed:
                return False
            self.dropped.append((time.monotonic(), port))
            return True

    def _write(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                due, _seq, packet = self._queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                heapq.heappop(self._queue)
            with contextlib.suppress(OSError):
                os.write(self._fd, packet)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()
        with contextlib.suppress(OSError):
            os.close(self._fd)


class Forwarder:
    """Listens on LOCAL:`port` and passes each connection on to 127.0.0.1:`target` (a server bound to loopback).

    With `silent_for`, each connection is accepted at once but the server is reached (and so greets) only
    that many seconds later: a slow server, not a blocked port."""

    def __init__(self, target: int, port: int = 0, silent_for: float = 0.0) -> None:
        self.target = target
        self.silent_for = silent_for
        self.listener = socket.create_server((LOCAL, port), backlog=64)
        self.port: int = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        if self.silent_for:
            time.sleep(self.silent_for)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pump, args=(a, b), daemon=True).start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.close()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        with contextlib.suppress(OSError):
            dst.close()


def free_remote_port() -> int:
    """A port number that nothing on LOCAL listens on (to be blackholed)."""
    with socket.socket() as sock:
        sock.bind((LOCAL, 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":  # pragma: no cover - a quick self-check: python -m tests.servers.netem
    if not inside():
        sys.exit(subprocess.call(private_network_command([sys.executable, "-m", "tests.servers.netem"])))
    enter({})
    net = Netem(rtt=0.1)
    echo = socket.create_server(("127.0.0.1", 0))
    fwd = Forwarder(echo.getsockname()[1])
    for lose in (False, True):
        if lose:
            net.lose_first_syn.add(fwd.port)
        t = time.monotonic()
        with socket.create_connection((REMOTE, fwd.port), timeout=5):
            print(f"connect (first SYN lost: {lose}): {(time.monotonic() - t) * 1000:.1f} ms")

"""A cancellable, deadline-bound line connection: the one place the engine touches sockets.

Every wait is sliced into short selects so that a cancel event or a tightened deadline (the
fallback grace) takes effect within a tenth of a second, from any thread.
"""

from __future__ import annotations

import contextlib
import errno
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable

from setup_assistant.core.i18n import Message

SLICE = 0.1
MAX_LINE = 8192


class Cancelled(Exception):
    """The user (or a caller) cancelled the work."""


class NetError(Exception):
    """A network step failed; `kind` is one of the endpoint statuses (timeout, refused, reset, dns-error, ...)."""

    def __init__(self, kind: str, message: Message, *, server_spoke: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        # For a timeout: the server accepted or talked, then went quiet; not a blocked port, so not "a firewall".
        self.server_spoke = server_spoke


class Deadline:
    """An absolute deadline that another thread may bring forward (never push back)."""

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        with self._lock:
            return self._at - time.monotonic()

    def tighten(self, seconds_from_now: float) -> None:
        with self._lock:
            self._at = min(self._at, time.monotonic() + seconds_from_now)

    def child(self, seconds: float) -> Deadline:
        """A shorter deadline that still honours this one (e.g. one address of several)."""
        return _ChildDeadline(self, seconds)

    def extend(self, seconds_from_now: float) -> None:
        """Allows a known slow step (a delayed login reply) more time."""
        with self._lock:
            self._at = max(self._at, time.monotonic() + seconds_from_now)


class ConnectWatch:
    """One endpoint's TCP connect as the coordinator of all endpoints sees it.

    It records how long the connect took (the round trip to that server, which tells how long an answer to
    another port of the same server may take) and lets another thread limit how long an *unanswered*
    connect may wait, counted from that connect's own start: a port is never given up before its own
    connect has had the whole limit, however late it began (a slow lookup, a second address).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rtt: float | None = None
        self._limit: float | None = None
        self.why: Message | None = None  # what the limit rests on, for the message when it runs out

    @property
    def rtt(self) -> float | None:
        with self._lock:
            return self._rtt

    @property
    def limit(self) -> float | None:
        with self._lock:
            return self._limit

    def set_limit(self, seconds: float, why: Message | None = None) -> None:
        with self._lock:
            if self._limit is None or seconds < self._limit:
                self._limit, self.why = seconds, why

    def connected(self, rtt: float) -> None:
        with self._lock:
            if self._rtt is None:
                self._rtt = rtt

    def left(self, started: float, port: int) -> float:
        """Seconds this connect (begun at `started`) may still wait; raises NetError when none are left."""
        with self._lock:
            limit = self._limit
        if limit is None:
            return float("inf")
        left = started + limit - time.monotonic()
        if left <= 0:
            raise NetError(
                "timeout",
                Message(
                    "port {port} did not answer the connection within {seconds} s",
                    port=port,
                    seconds=format(limit, ".1f"),
                ),
            )
        return left


class _ChildDeadline(Deadline):
    def __init__(self, parent: Deadline, seconds: float) -> None:
        super().__init__(seconds)
        self._parent = parent

    def remaining(self) -> float:
        return min(super().remaining(), self._parent.remaining())


def _check(cancel: threading.Event | None, deadline: Deadline, what: Message) -> float:
    """`what` is the step under way, worded to follow "while" ("logging in")."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    left = deadline.remaining()
    if left <= 0:
        raise NetError("timeout", Message("no answer in time while {what}", what=what))
    return min(SLICE, left)


def resolve(
    host: str, port: int, deadline: Deadline, cancel: threading.Event | None
) -> list[tuple[int, tuple[str, int] | tuple[str, int, int, int]]]:
    """getaddrinfo on a helper thread, so a hung resolver still honours the deadline and cancel."""
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name=f"resolve {host}", daemon=True).start()
    try:
        while not done.wait(_check(cancel, deadline, Message("looking up {host}", host=host))):
            pass
    except NetError:
        # A lookup that never returns is a DNS problem, not a blocked port: say so.
        raise NetError(
            "dns-error", Message("the name {host} could not be looked up in time (no DNS server answered)", host=host)
        ) from None
    if "error" in box:
        exc = box["error"]
        assert isinstance(exc, BaseException)
        if isinstance(exc, socket.gaierror) and exc.errno in (socket.EAI_AGAIN,):
            raise NetError(
                "dns-error", Message("the name {host} could not be looked up (DNS did not answer)", host=host)
            )
        raise NetError(
            "dns-error", Message("the name {host} does not resolve ({reason})", host=host, reason=_reason(exc))
        )
    infos = box["result"]
    assert isinstance(infos, list)
    return [(family, addr) for family, _t, _p, _c, addr in infos]


# The system's words for the failures a probe meets, in the C library's English (the English stays what the
# system says on Linux) and translated where shown; any other failure keeps the system's own text.
_ERRNO_TEXTS: dict[int, Message] = {
    errno.ECONNREFUSED: Message("Connection refused"),
    errno.ENETUNREACH: Message("Network is unreachable"),
    errno.EHOSTUNREACH: Message("No route to host"),
    errno.EADDRNOTAVAIL: Message("Cannot assign requested address"),
    errno.EAFNOSUPPORT: Message("Address family not supported by protocol"),
    errno.ECONNRESET: Message("Connection reset by peer"),
    errno.ECONNABORTED: Message("Software caused connection abort"),
    errno.ETIMEDOUT: Message("Connection timed out"),
    errno.EPIPE: Message("Broken pipe"),
    errno.EACCES: Message("Permission denied"),
    errno.EPERM: Message("Operation not permitted"),
    errno.ENETDOWN: Message("Network is down"),
    errno.EHOSTDOWN: Message("Host is down"),
}
# Windows reports Winsock's own numbers.
_ERRNO_TEXTS.update(
    {
        10061: _ERRNO_TEXTS[errno.ECONNREFUSED],
        10051: _ERRNO_TEXTS[errno.ENETUNREACH],
        10065: _ERRNO_TEXTS[errno.EHOSTUNREACH],
        10049: _ERRNO_TEXTS[errno.EADDRNOTAVAIL],
        10047: _ERRNO_TEXTS[errno.EAFNOSUPPORT],
        10054: _ERRNO_TEXTS[errno.ECONNRESET],
        10053: _ERRNO_TEXTS[errno.ECONNABORTED],
        10060: _ERRNO_TEXTS[errno.ETIMEDOUT],
        10013: _ERRNO_TEXTS[errno.EACCES],
        10050: _ERRNO_TEXTS[errno.ENETDOWN],
        10064: _ERRNO_TEXTS[errno.EHOSTDOWN],
    }
)
_LOOKUP_TEXTS: dict[int, Message] = {
    code: text
    for name, text in (
        ("EAI_NONAME", Message("Name or service not known")),
        ("EAI_NODATA", Message("No address associated with hostname")),
        ("EAI_FAIL", Message("Non-recoverable failure in name resolution")),
        ("EAI_AGAIN", Message("Temporary failure in name resolution")),
    )
    if (code := getattr(socket, name, None)) is not None
}
_LOOKUP_TEXTS.update({11001: _LOOKUP_TEXTS[socket.EAI_NONAME], 11004: Message("No address associated with hostname")})


def _reason(exc: BaseException) -> str:
    """Why a system call failed: a Message for the failures a probe meets, else the system's own text."""
    if isinstance(exc, socket.gaierror) and exc.errno in _LOOKUP_TEXTS:
        return _LOOKUP_TEXTS[exc.errno]
    if isinstance(exc, OSError) and not isinstance(exc, socket.gaierror) and exc.errno in _ERRNO_TEXTS:
        return _ERRNO_TEXTS[exc.errno]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _connect_one(
    family: int,
    addr: tuple[str, int] | tuple[str, int, int, int],
    deadline: Deadline,
    cancel: threading.Event | None,
    source: str | None,
    watch: ConnectWatch | None = None,
) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if source and family == socket.AF_INET:
            sock.bind((source, 0))
        sock.setblocking(False)
        started = time.monotonic()
        err = sock.connect_ex(addr)
        if err not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, 10035):
            raise OSError(err, _strerror(err))
        while True:
            wait = _check(cancel, deadline, Message("connecting to port {port}", port=addr[1]))
            if watch is not None:
                wait = min(wait, watch.left(started, addr[1]))
            _r, w, x = select.select([], [sock], [sock], wait)
            if w or x:
                err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    raise OSError(err, _strerror(err))
                if watch is not None:
                    watch.connected(time.monotonic() - started)
                return sock
    except BaseException:
        sock.close()
        raise


def _strerror(err: int) -> str:
    try:
        import os

        return os.strerror(err)
    except ValueError:
        return f"error {err}"


def open_connection(
    host: str,
    port: int,
    deadline: Deadline,
    cancel: threading.Event | None,
    source: str | None = None,
    watch: ConnectWatch | None = None,
) -> socket.socket:
    """Resolves and connects, trying each address in turn; raises NetError with a status kind."""
    addresses = resolve(host, port, deadline, cancel)
    if source:
        addresses = [a for a in addresses if a[0] == socket.AF_INET] or addresses
    last: NetError | None = None
    for index, (family, addr) in enumerate(addresses):
        left = len(addresses) - index
        # A blackholed first address (often IPv6) must not use up the time of the others.
        budget = deadline if left == 1 else deadline.child(max(1.0, deadline.remaining() / left))
        try:
            return _connect_one(family, addr, budget, cancel, source, watch)
        except NetError as exc:
            if left == 1 or deadline.remaining() <= 0:
                raise
            last = exc  # this address timed out; the next one gets the rest of the time
        except OSError as exc:
            if exc.errno in (errno.ECONNREFUSED, 10061):
                last = NetError("refused", Message("the server refused the connection on port {port}", port=port))
            elif exc.errno in (
                errno.ENETUNREACH,
                errno.EHOSTUNREACH,
                errno.EADDRNOTAVAIL,
                errno.EAFNOSUPPORT,
            ):
                last = NetError(
                    "refused", Message("port {port} cannot be reached ({reason})", port=port, reason=_reason(exc))
                )
            elif exc.errno in (errno.ECONNRESET, 10054):
                last = NetError("reset", Message("the connection to port {port} was reset", port=port))
            else:
                last = NetError(
                    "refused", Message("cannot connect to port {port} ({reason})", port=port, reason=_reason(exc))
                )
    assert last is not None or not addresses
    raise last or NetError("dns-error", Message("the name {host} has no usable address", host=host))


class LineConnection:
    """Line-oriented dialog over a plain or TLS socket, with every wait bounded and cancellable."""

    def __init__(
        self,
        sock: socket.socket,
        deadline: Deadline,
        cancel: threading.Event | None,
        on_send: Callable[[bytes, bool], None] | None = None,
    ) -> None:
        self.sock: socket.socket = sock
        self.deadline = deadline
        self.cancel = cancel
        self._buffer = b""
        self.received = 0
        self.tls: ssl.SSLSocket | None = None
        self._on_send = on_send

    @property
    def encrypted(self) -> bool:
        return self.tls is not None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()

    def _recv_some(self, what: Message) -> bytes:
        while True:
            if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
                pass
            else:
                try:
                    wait = _check(self.cancel, self.deadline, what)
                except NetError as exc:
                    if self.received:
                        raise NetError(
                            "timeout",
                            Message("the server stopped answering while {what}", what=what),
                            server_spoke=True,
                        ) from None
                    raise exc
                r, _w, _x = select.select([self.sock], [], [], wait)
                if not r:
                    continue
            try:
                data = self.sock.recv(4096)
            except (ssl.SSLWantReadError, BlockingIOError):
                continue
            except ssl.SSLError as exc:
                raise NetError(
                    "tls-error", Message("TLS failed while {what} ({reason})", what=what, reason=exc.reason or str(exc))
                ) from None
            except (ConnectionResetError, ConnectionAbortedError):
                raise NetError("reset", Message("the server reset the connection while {what}", what=what)) from None
            except OSError as exc:
                raise NetError(
                    "reset", Message("the connection failed while {what} ({reason})", what=what, reason=_reason(exc))
                ) from None
            if not data:
                raise NetError("reset", Message("the server closed the connection while {what}", what=what))
            self.received += len(data)
            return data

    def read_line(self, what: Message) -> str:
        """The next line the server sends; `what` is the step under way, worded to follow "while"."""
        while b"\n" not in self._buffer:
            if len(self._buffer) > MAX_LINE:
                raise NetError("bad-greeting", Message("the server sent an overlong line while {what}", what=what))
            self._buffer += self._recv_some(what)
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def send_line(self, line: str, *, secret: bool = False) -> None:
        self.send(line.encode("utf-8") + b"\r\n", secret=secret)

    def send(self, data: bytes, *, secret: bool = False) -> None:
        if secret and not self.encrypted:
            # The rule the whole product rests on: a credential never crosses a plain connection.
            raise RuntimeError("refusing to send a credential over an unencrypted connection")
        if self._on_send is not None:
            self._on_send(data, self.encrypted)
        view = memoryview(data)
        while view:
            wait = _check(self.cancel, self.deadline, Message("sending"))
            _r, w, _x = select.select([], [self.sock], [], wait)
            if not w:
                continue
            try:
                sent = self.sock.send(view)
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                continue
            except OSError as exc:
                raise NetError(
                    "reset", Message("the connection failed while sending ({reason})", reason=_reason(exc))
                ) from None
            view = view[sent:]

    def start_tls(self, context: ssl.SSLContext, server_hostname: str) -> ssl.SSLSocket:
        """Wraps the socket and completes the handshake within the deadline."""
        if self._buffer:
            # Bytes after the STARTTLS reply but before the handshake: a STARTTLS injection attempt.
            raise NetError("tls-error", Message("the server sent data before the TLS handshake began"))
        tls = context.wrap_socket(self.sock, server_hostname=server_hostname, do_handshake_on_connect=False)
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                select.select([tls], [], [], self._handshake_wait())
            except ssl.SSLWantWriteError:
                select.select([], [tls], [], self._handshake_wait())
            except ssl.SSLError as exc:
                raise NetError(
                    "tls-error", Message("the TLS handshake failed ({reason})", reason=exc.reason or str(exc))
                ) from None
            except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
                raise NetError(
                    "tls-error", Message("the server dropped the connection during the TLS handshake")
                ) from None
            except OSError as exc:
                if exc.errno == 0 or isinstance(exc, ssl.SSLEOFError):
                    raise NetError(
                        "tls-error", Message("the server closed the connection during the TLS handshake")
                    ) from None
                raise NetError(
                    "tls-error", Message("the TLS handshake failed ({reason})", reason=_reason(exc))
                ) from None
        self.sock = tls
        self.tls = tls
        return tls

    def _handshake_wait(self) -> float:
        try:
            return _check(self.cancel, self.deadline, Message("setting up TLS"))
        except NetError:
            # The connection is up and our hello went out: whatever stalls, it is not a port the network blocks.
            # Starts with model.HANDSHAKE_STALLED, which the wizard recognises.
            raise NetError(
                "timeout",
                Message(
                    "the server accepted the connection but did not complete the encryption handshake (TLS) in time"
                ),
                server_spoke=True,
            ) from None

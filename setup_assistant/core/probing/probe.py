"""Parallel probing of every endpoint, the recommendation, and the login checks.

All six endpoints are probed at once, so a full probe takes about as long as the slowest one; once
the fallback (SSL) works, a silent preferred port only gets a short grace instead of the full timeout, and a
preferred port whose connect is not even answered gets less still: a limit fitted to the round trip that
the fallback's connect has just measured (see `connect_grace`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from setup_assistant.core import i18n
from setup_assistant.core.i18n import Listing, Message, PluralMessage
from setup_assistant.core.model import DEFAULT_GRACE as DEFAULT_GRACE  # defaults of every probe, re-exported
from setup_assistant.core.model import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
from setup_assistant.core.model import (
    CertificateFacts,
    Endpoint,
    EndpointResult,
    EndpointStatus,
    LoginResult,
    LoginStatus,
    MailProtocol,
    Recommendation,
    Security,
)
from setup_assistant.core.probing.certificates import peer_chain, tls_client_context, verify_chain
from setup_assistant.core.probing.connection import (
    Cancelled,
    ConnectWatch,
    Deadline,
    LineConnection,
    NetError,
    open_connection,
)
from setup_assistant.core.probing.dialogs import DIALOGS, Dialog
from setup_assistant.core.provider import PinnedRoot, Provider

if TYPE_CHECKING:
    import gettext

ProgressCallback = Callable[[EndpointResult], None]
LoginProgressCallback = Callable[[LoginResult], None]
SendObserver = Callable[[bytes, bool], None]

# How long an unanswered connect may wait once another port of the same server has answered its connect in
# `rtt`: SYN_LOSS_FLOOR + RTT_FACTOR * rtt, never more than the grace. A lost SYN is sent again after the
# initial retransmission timeout, 1 s on Linux and macOS (RFC 6298), and its answer arrives a round trip
# later, so a working port whose first SYN was lost connects after 1 s + rtt (measured on an emulated link:
# 1.02-1.05 s + rtt, `benchmarks/probe.py`). The floor is that second plus a fifth for timer slack and a
# busy machine (four times the worst lateness measured); the factor two gives the retransmitted SYN its
# round trip and as much again for jitter. Anything shorter
# cannot tell a lost SYN from a dropped one; waiting longer tells nothing more. (A Windows with the old 3 s
# initial timeout would see such a port as blocked and be given the fallback, which works.)
SYN_LOSS_FLOOR = 1.2
RTT_FACTOR = 2.0


def connect_grace(rtt: float | None, grace: float) -> float:
    """How long the preferred port's unanswered connect may wait, from its own start, once the fallback worked."""
    if rtt is None:
        return grace
    return min(grace, SYN_LOSS_FLOOR + RTT_FACTOR * rtt)


class _Refused(Exception):
    """Verification failed: the session ends before anything else is sent."""

    def __init__(self, status: EndpointStatus, detail: str, facts: CertificateFacts | None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.facts = status, detail, facts


@dataclass
class _Session:
    conn: LineConnection
    dialog: Dialog
    facts: CertificateFacts


def _establish(
    endpoint: Endpoint,
    pinned: PinnedRoot | None,
    deadline: Deadline,
    cancel: threading.Event | None,
    on_send: SendObserver | None = None,
    watch: ConnectWatch | None = None,
) -> _Session:
    """Connects and brings TLS up the endpoint's way, verifying the certificate before any command."""
    sock = open_connection(endpoint.host, endpoint.port, deadline, cancel, watch=watch)
    conn = LineConnection(sock, deadline, cancel, on_send=on_send)
    try:
        dialog = DIALOGS[endpoint.protocol](conn)
        if endpoint.security is Security.STARTTLS:
            dialog.greet()
            dialog.fetch_capabilities()
            if not dialog.offers_starttls():
                raise NetError(
                    "no-starttls",
                    Message(
                        "the server on port {port} does not offer STARTTLS, so it cannot be used securely",
                        port=endpoint.port,
                    ),
                )
            dialog.starttls()
            tls = conn.start_tls(tls_client_context(), endpoint.host)
            facts = _verify(tls, endpoint, pinned)
            dialog.fetch_capabilities()  # what was said before TLS cannot be trusted
        else:
            tls = conn.start_tls(tls_client_context(), endpoint.host)
            facts = _verify(tls, endpoint, pinned)
            dialog.greet()
            dialog.fetch_capabilities()
        return _Session(conn, dialog, facts)
    except BaseException:
        conn.close()
        raise


def _verify(tls: object, endpoint: Endpoint, pinned: PinnedRoot | None) -> CertificateFacts:
    import ssl

    assert isinstance(tls, ssl.SSLSocket)
    verdict = verify_chain(peer_chain(tls), endpoint.host, tls.version() or "unknown", pinned)
    if verdict.status is not EndpointStatus.OK or verdict.facts is None:
        raise _Refused(verdict.status, verdict.detail, verdict.facts)
    return verdict.facts


def _describe_timeout(endpoint: Endpoint, graced: bool, timeout: float) -> Message:
    if graced:
        return Message(
            "port {port} did not answer within the grace period after the other port worked; "
            "a firewall on this network probably blocks it",
            port=endpoint.port,
        )
    return Message(
        "port {port} did not answer within {seconds} s; a firewall may block it",
        port=endpoint.port,
        seconds=format(timeout, "g"),
    )


def probe_endpoint(
    endpoint: Endpoint,
    pinned: PinnedRoot | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    deadline: Deadline | None = None,
    graced: threading.Event | None = None,
    on_send: SendObserver | None = None,
    watch: ConnectWatch | None = None,
) -> EndpointResult:
    """Probes one endpoint; never raises except when cancelled."""
    started = time.monotonic()
    deadline = deadline or Deadline(timeout)
    facts: CertificateFacts | None = None
    caps: tuple[str, ...] = ()
    detail: str
    try:
        session = _establish(endpoint, pinned, deadline, cancel, on_send, watch)
        facts, caps = session.facts, tuple(session.dialog.capabilities)
        session.dialog.quit()
        session.conn.close()
        status = EndpointStatus.OK
        if facts.trusted_by.mozilla or facts.trusted_by.os:
            detail = Message("{security} works; the certificate is valid", security=endpoint.security.label)
        else:
            detail = Message(
                "{security} works; the certificate is valid (only with the provider's root certificate installed)",
                security=endpoint.security.label,
            )
    except Cancelled:
        status, detail = EndpointStatus.CANCELLED, Message("cancelled")
    except _Refused as exc:
        status, detail, facts = exc.status, exc.detail, exc.facts
    except NetError as exc:
        status = EndpointStatus(exc.kind)
        detail = exc.message
        if status is EndpointStatus.TIMEOUT and not exc.server_spoke:
            if watch is not None and watch.rtt is None and watch.why:
                detail = Message(
                    "{problem}, {why}; a firewall on this network probably blocks it",
                    problem=exc.message,
                    why=watch.why,
                )
            else:
                detail = _describe_timeout(endpoint, graced is not None and graced.is_set(), timeout)
    except Exception as exc:  # a hostile server must never crash the probe
        status = EndpointStatus.TLS_ERROR
        detail = Message("unexpected failure: {kind}: {error}", kind=type(exc).__name__, error=str(exc))
    elapsed = int((time.monotonic() - started) * 1000)
    return EndpointResult(endpoint, status, detail, elapsed, facts, caps)


def recommend(results: Iterable[EndpointResult], prefer: Security) -> Recommendation:
    """Per protocol, the preferred security if it works, else the other; never anything without TLS."""
    return _pick(results, (prefer, Security.SSL if prefer is Security.STARTTLS else Security.STARTTLS))


def recommend_outlook(results: Iterable[EndpointResult]) -> Recommendation:
    """Outlook: SSL ports where SSL works (the guide: Outlook "seems to only do SSL")."""
    return _pick(results, (Security.SSL, Security.STARTTLS))


def _pick(results: Iterable[EndpointResult], order: tuple[Security, Security]) -> Recommendation:
    ok = {(r.endpoint.protocol, r.endpoint.security): r.endpoint for r in results if r.ok}
    chosen: dict[MailProtocol, Endpoint | None] = {}
    for protocol in MailProtocol:
        chosen[protocol] = next((ok[(protocol, s)] for s in order if (protocol, s) in ok), None)
    return Recommendation(chosen[MailProtocol.IMAP], chosen[MailProtocol.POP3], chosen[MailProtocol.SMTP])


@dataclass(frozen=True)
class ProbeResult:
    endpoints: tuple[EndpointResult, ...]
    recommended: Recommendation
    outlook: Recommendation
    elapsed_ms: int
    cancelled: bool = False

    def result_for(self, endpoint: Endpoint) -> EndpointResult | None:
        return next((r for r in self.endpoints if r.endpoint == endpoint), None)

    @property
    def secure_setup_exists(self) -> bool:
        rec = self.recommended
        return (rec.imap is not None or rec.pop3 is not None) and rec.smtp is not None


def probe_provider(
    provider: Provider,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    grace: float = DEFAULT_GRACE,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    on_send: SendObserver | None = None,
) -> ProbeResult:
    """Probes all endpoints in parallel and reports each through `progress` as it finishes."""
    started = time.monotonic()
    caller_cancel = cancel
    cancel = cancel or threading.Event()  # our own, so an interrupt (Ctrl-C) can stop the workers
    endpoints = provider.endpoints()
    deadlines = {e: Deadline(timeout) for e in endpoints}
    graced = {e: threading.Event() for e in endpoints}
    watches = {e: ConnectWatch() for e in endpoints}
    results: dict[Endpoint, EndpointResult] = {}
    with ThreadPoolExecutor(max_workers=len(endpoints), thread_name_prefix="probe") as pool:
        futures: dict[Future[EndpointResult], Endpoint] = {
            pool.submit(
                probe_endpoint,
                e,
                provider.root,
                timeout=timeout,
                cancel=cancel,
                deadline=deadlines[e],
                graced=graced[e],
                on_send=on_send,
                watch=watches[e],
            ): e
            for e in endpoints
        }
        pending = set(futures)
        while pending:
            try:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
            except BaseException:
                cancel.set()  # KeyboardInterrupt and the like: stop every worker within a tenth of a second
                raise
            for future in done:
                result = future.result()
                results[result.endpoint] = result
                if result.ok and result.endpoint.security is provider.fallback:
                    preferred = provider.preferred(result.endpoint.protocol)
                    if preferred not in results:
                        graced[preferred].set()
                        # A server that accepted the connection and went quiet may be slow: the grace.
                        deadlines[preferred].tighten(grace)
                        # A connect nobody answers, while the same server's other port answered in rtt: less.
                        rtt = watches[result.endpoint].rtt
                        if rtt is not None:
                            why = Message(
                                "while port {port} of the same server answered in {ms} ms",
                                port=result.endpoint.port,
                                ms=format(rtt * 1000, ".0f"),
                            )
                            watches[preferred].set_limit(connect_grace(rtt, grace), why)
                if progress is not None:
                    progress(result)
    ordered = tuple(results[e] for e in endpoints)
    return ProbeResult(
        endpoints=ordered,
        recommended=recommend(ordered, provider.prefer),
        outlook=recommend_outlook(ordered),
        elapsed_ms=int((time.monotonic() - started) * 1000),
        cancelled=caller_cancel is not None and caller_cancel.is_set(),
    )


def check_login(
    endpoint: Endpoint,
    username: str,
    password: str,
    pinned: PinnedRoot | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    on_send: SendObserver | None = None,
) -> LoginResult:
    """Logs in over TLS only (the certificate verified first) and logs out again."""
    started = time.monotonic()
    deadline = Deadline(timeout)

    def done(status: LoginStatus, detail: Message) -> LoginResult:
        return LoginResult(
            endpoint, status, scrub(detail, username, password), int((time.monotonic() - started) * 1000)
        )

    try:
        session = _establish(endpoint, pinned, deadline, cancel, on_send)
    except Cancelled:
        return done(LoginStatus.ERROR, Message("cancelled"))
    except _Refused as exc:
        return done(LoginStatus.ERROR, Message("not attempted: {problem}", problem=exc.detail))
    except NetError as exc:
        return done(LoginStatus.ERROR, Message("could not connect: {problem}", problem=exc.message))
    except Exception as exc:
        return done(LoginStatus.ERROR, Message("unexpected failure: {kind}", kind=type(exc).__name__))
    try:
        assert session.conn.encrypted
        outcome = session.dialog.login(username, password)
        if outcome.status is LoginStatus.OK:
            session.dialog.quit()
        detail = outcome.detail
        if outcome.status is LoginStatus.REJECTED:
            detail = Message(
                "{outcome}; check the address and password; your postmaster can reset a forgotten password",
                outcome=outcome.detail,
            )
        return done(outcome.status, detail)
    except Cancelled:
        return done(LoginStatus.ERROR, Message("cancelled"))
    except NetError as exc:
        return done(LoginStatus.ERROR, Message("the login did not complete: {problem}", problem=exc.message))
    except Exception as exc:
        return done(LoginStatus.ERROR, Message("unexpected failure: {kind}", kind=type(exc).__name__))
    finally:
        session.conn.close()


def _secret_forms(username: str, password: str) -> list[str]:
    """Every form in which the password went to the server and so could come back in its reply."""
    import base64

    forms = {
        password,
        base64.b64encode(password.encode()).decode(),
        base64.b64encode(f"\0{username}\0{password}".encode()).decode(),
        password.replace("\\", "\\\\").replace('"', '\\"'),
    }
    return sorted((f for f in forms if f), key=len, reverse=True)


def scrub(text: str, username: str, password: str) -> str:
    """Removes the password (and its encodings) from server text before it is shown, printed or saved.

    A Message stays a Message, its server text (the params) scrubbed, as long as no form of the password is left
    in it in any language (its English, or its wording in any language the app speaks); otherwise, and for plain
    text, the English text with every form replaced.
    """
    forms = _secret_forms(username, password)
    if not forms:
        return text
    if isinstance(text, Message):
        kept = _scrubbed_message(text, forms)
        if kept is not None and not any(form in shown for shown in _renderings(kept) for form in forms):
            return kept
    plain = str(text)
    for form in forms:
        plain = plain.replace(form, "********")
    return plain


def _scrubbed_message(message: Message, forms: list[str]) -> Message | None:
    """The same message with every form of the password replaced in its params; None if it cannot be rebuilt."""

    def clean(value: object) -> object | None:
        if isinstance(value, Message):
            return _scrubbed_message(value, forms)
        text = str(value)
        if not any(form in text for form in forms):
            return value
        for form in forms:
            text = text.replace(form, "********")
        return text

    if not any(form in shown for shown in _renderings(message) for form in forms):
        return message
    kind = type(message)
    if kind is Listing:
        assert isinstance(message, Listing)
        parts = [clean(p) for p in message.parts]
        if any(p is None for p in parts):
            return None
        return Listing([p if isinstance(p, str) else str(p) for p in parts], message.separator)
    params = {key: clean(value) for key, value in message.params.items()}
    if any(value is None for value in params.values()):
        return None
    if kind is PluralMessage:
        assert isinstance(message, PluralMessage)
        return PluralMessage(message.template, message.plural, message.quantity, **params)
    if kind is Message:
        return Message(message.template, **params)
    return None


@lru_cache(maxsize=len(i18n.SUPPORTED))
def _translations(code: str) -> gettext.NullTranslations:
    import gettext

    return gettext.translation(i18n.DOMAIN, localedir=str(i18n.catalog_dir()), languages=[code], fallback=True)


def _renderings(message: Message) -> list[str]:
    """The message as data (English) and as a person reads it in each language the app speaks."""
    return [str(message), message.human(), *(_rendered(message, _translations(code)) for code in i18n.SUPPORTED)]


def _rendered(value: object, catalog: gettext.NullTranslations) -> str:
    if isinstance(value, Listing):
        return value.separator.join(_rendered(p, catalog) for p in value.parts)
    if isinstance(value, PluralMessage):
        text = catalog.ngettext(value.template, value.plural, value.quantity)
    elif isinstance(value, Message):
        text = catalog.gettext(value.template)
    else:
        return str(value)
    params = {key: _rendered(v, catalog) for key, v in value.params.items()}
    return text.format_map(params) if params else text


def login_endpoints(recommended: Recommendation) -> list[Endpoint]:
    return [e for p in MailProtocol if (e := recommended.get(p)) is not None]


def check_logins(
    endpoints: list[Endpoint],
    username: str,
    password: str,
    pinned: PinnedRoot | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    progress: LoginProgressCallback | None = None,
    on_send: SendObserver | None = None,
) -> tuple[LoginResult, ...]:
    """Logs in on each endpoint in parallel; order of the result follows `endpoints`."""
    if not endpoints:
        return ()
    results: dict[Endpoint, LoginResult] = {}
    cancel = cancel or threading.Event()
    with ThreadPoolExecutor(max_workers=len(endpoints), thread_name_prefix="login") as pool:
        futures = {
            pool.submit(check_login, e, username, password, pinned, timeout=timeout, cancel=cancel, on_send=on_send): e
            for e in endpoints
        }
        try:
            for future in _as_completed(futures):
                result = future.result()
                results[result.endpoint] = result
                if progress is not None:
                    progress(result)
        except BaseException:
            cancel.set()
            raise
    return tuple(results[e] for e in endpoints)


def _as_completed(futures: dict[Future[LoginResult], Endpoint]) -> Iterable[Future[LoginResult]]:
    from concurrent.futures import as_completed

    return as_completed(futures)

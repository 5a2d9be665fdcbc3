"""DNS checks for an address's domain, for the help desk: is the domain's mail delivered to the provider, does
the webmail host resolve, do RFC 6186 SRV records agree with the provider file, and do the provider's server
names resolve at all.

A volunteer must tell "this is not an NPOMail domain" from "this computer's DNS is broken" from "the network is
down", so each check keeps DNS's own answer (NXDOMAIN, SERVFAIL, no answer, timeout) instead of one "failed".
The lookups run in parallel, each bounded by `timeout`, and stop within about a second of `cancel` being set.

Which MX hosts count as the provider's: its server host names, plus the optional `[provider]` keys
`mx_hosts = [...]` (exact names) and `mx_suffixes = [...]` (a name or anything under it). A provider file without
either key also accepts MX hosts in the parent domain of its server names (npomail.electricembers.net ->
anything under electricembers.net), since providers usually keep their mail hosts in one domain.

Labels, details, warnings and the verdict are `i18n.Message`s: English as a str (so `--json` and the report never
change with the language), the person's language through `human()` in the table.
"""

from __future__ import annotations

import enum
import ipaddress
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

import dns.exception
import dns.name
import dns.nameserver
import dns.rdata
import dns.resolver
import idna
from dns.rdtypes.ANY.MX import MX
from dns.rdtypes.IN.SRV import SRV

from setup_assistant.core.address import EmailAddress
from setup_assistant.core.i18n import Message, PluralMessage
from setup_assistant.core.model import MailProtocol, Security
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.provider import Provider, ProviderError

DEFAULT_DNS_TIMEOUT = 5.0
# Longest single wait inside one lookup: a cancelled check stops within this, and a lost UDP packet is re-sent.
_SLICE_SECONDS = 1.0


class DnsStatus(enum.StrEnum):
    OK = "ok"
    NXDOMAIN = "nxdomain"  # the name does not exist
    NO_ANSWER = "no-answer"  # the name exists but has no records of the asked type
    SERVFAIL = "servfail"  # the DNS server failed to find out
    TIMEOUT = "timeout"  # no DNS server answered in time
    MISMATCH = "mismatch"  # DNS answered, but not what the provider file says
    ABSENT = "absent"  # optional records (SRV) that the domain does not publish
    ERROR = "error"  # DNS could not be asked at all (no configuration, server unreachable or refusing)
    CANCELLED = "cancelled"


class DnsCheckKind(enum.StrEnum):
    MAIL_DELIVERY = "mx"
    WEBMAIL = "webmail"
    PROVIDER_HOST = "provider-host"
    SRV = "srv"


@dataclass(frozen=True)
class DnsCheck:
    kind: DnsCheckKind
    label: str  # what was checked, for a table row (a Message, or a technical name like "SRV IMAP SSL/TLS")
    name: str  # the name looked up, in ASCII (IDNA) form
    rdtype: str  # "MX", "A/AAAA" or "SRV"
    status: DnsStatus
    records: tuple[str, ...]  # the answer, as DNS presents it (no final dots)
    detail: str  # one sentence for a person: a Message (English as a str, `human()` when shown)

    @property
    def ok(self) -> bool:
        return self.status in (DnsStatus.OK, DnsStatus.ABSENT)

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.kind.value,
            "label": self.label,
            "name": self.name,
            "type": self.rdtype,
            "status": self.status.value,
            "records": list(self.records),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class SrvService:
    """One RFC 6186 / RFC 8314 service label and the provider setting it must agree with."""

    label: str
    protocol: MailProtocol
    security: Security

    def describe(self) -> Message:
        return Message("{protocol} with {security}", protocol=self.protocol.label, security=self.security.label)


SRV_SERVICES: tuple[SrvService, ...] = (
    SrvService("_imaps._tcp", MailProtocol.IMAP, Security.SSL),
    SrvService("_imap._tcp", MailProtocol.IMAP, Security.STARTTLS),
    SrvService("_pop3s._tcp", MailProtocol.POP3, Security.SSL),
    SrvService("_pop3._tcp", MailProtocol.POP3, Security.STARTTLS),
    SrvService("_submissions._tcp", MailProtocol.SMTP, Security.SSL),
    SrvService("_submission._tcp", MailProtocol.SMTP, Security.STARTTLS),
)


@dataclass(frozen=True)
class ProviderMailHosts:
    """The MX host names that mean "mail is delivered to this provider"."""

    server_hosts: frozenset[str]
    listed_hosts: frozenset[str]  # [provider] mx_hosts
    suffixes: tuple[str, ...]  # [provider] mx_suffixes, or the server names' parent domains
    suffixes_derived: bool

    def reason(self, target: str) -> Message | None:
        """Why `target` (ASCII, no final dot) is the provider's, or None when it is not."""
        target = target.lower().rstrip(".")
        if target in self.server_hosts:
            return Message("the provider's server")
        if target in self.listed_hosts:
            return Message("listed in the provider file (mx_hosts)")
        for suffix in self.suffixes:
            if target == suffix or target.endswith("." + suffix):
                if self.suffixes_derived:
                    return Message("in {suffix}, the domain of the provider's servers", suffix=suffix)
                return Message("under {suffix} (mx_suffixes in the provider file)", suffix=suffix)
        return None


def provider_mail_hosts(provider: Provider) -> ProviderMailHosts:
    """Reads `mx_hosts` / `mx_suffixes` from the provider file; raises ProviderError naming a bad key."""
    listed = _host_list(provider, "mx_hosts")
    suffixes = _host_list(provider, "mx_suffixes")
    servers = frozenset(h for h in (_ascii_host(s.host) for s in provider.servers.values()) if h)
    derived = not listed and not suffixes
    if derived:
        suffixes = sorted({h.split(".", 1)[1] for h in servers if h.count(".") >= 2 and not _is_ip(h)})
    return ProviderMailHosts(servers, frozenset(listed), tuple(suffixes), derived)


def _host_list(provider: Provider, key: str) -> list[str]:
    value = provider.extra.get(key, [])
    name = f"provider.{key}"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProviderError(
            Message(
                "{source}: key '{key}' must be a list of host names, like {example}",
                source=provider.source,
                key=name,
                example='["mx.example.net"]',
            )
        )
    hosts = []
    for raw in value:
        host = _ascii_host(raw.strip().lstrip("*").lstrip("."))
        if host is None:
            raise ProviderError(
                Message(
                    "{source}: key '{key}': {value} is not a host name",
                    source=provider.source,
                    key=name,
                    value=repr(raw),
                )
            )
        hosts.append(host)
    return hosts


def _ascii_host(host: str) -> str | None:
    """The IDNA (ASCII) form of a host name, lower case without a final dot; None if it is not a host name."""
    host = host.strip().rstrip(".").lower()
    if _is_ip(host):
        return host
    if not host or any(c.isspace() or c in "/@:[]" for c in host):
        return None
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class DnsReport:
    address: EmailAddress
    provider: Provider
    mail_delivery: DnsCheck
    webmail: DnsCheck
    provider_hosts: tuple[DnsCheck, ...]
    srv: tuple[DnsCheck, ...]
    warnings: tuple[str, ...]  # Messages (English as a str, `human()` when shown), most important first
    nameservers: tuple[str, ...]  # who was asked, e.g. ("127.0.0.1:5353",); empty when DNS is not configured
    timeout: float
    cancelled: bool

    @property
    def checks(self) -> tuple[DnsCheck, ...]:
        return (self.mail_delivery, *self.provider_hosts, self.webmail, *self.srv)

    @property
    def provider_hosts_resolve(self) -> bool:
        return all(c.status is DnsStatus.OK for c in self.provider_hosts)

    @property
    def delivered_to_provider(self) -> bool:
        return self.mail_delivery.status is DnsStatus.OK

    @property
    def ok(self) -> bool:
        """The provider's servers can be found and the domain's mail goes to them; the rest is advice."""
        return not self.cancelled and self.provider_hosts_resolve and self.delivered_to_provider

    def verdict(self) -> str:
        """One line (English as a str; `.human()` in the person's language)."""
        name = self.provider.name
        domain = self.address.domain
        if self.cancelled:
            return Message("Cancelled before the DNS checks finished.")
        if not self.provider_hosts_resolve:
            return Message(
                "This computer cannot look up {provider}'s server names, so no mail program can connect: fix DNS "
                "first.",
                provider=name,
            )
        if self.mail_delivery.status in (DnsStatus.TIMEOUT, DnsStatus.SERVFAIL, DnsStatus.ERROR):
            return Message("Where mail for {domain} goes could not be checked; see the warnings.", domain=domain)
        if not self.delivered_to_provider:
            return Message(
                "Mail for {domain} does not seem to be delivered to {provider}; see the warnings.",
                domain=domain,
                provider=name,
            )
        if self.warnings:
            return Message(
                "DNS is fine: mail for {domain} goes to {provider} and its server names resolve; see the notes above.",
                domain=domain,
                provider=name,
            )
        return Message(
            "DNS is fine: mail for {domain} goes to {provider} and its server names resolve.",
            domain=domain,
            provider=name,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.address.address,
            "domain": self.address.domain,
            "ascii_domain": self.address.ascii_domain,
            "provider": {"id": self.provider.id, "name": self.provider.name, "file": str(self.provider.source)},
            "nameservers": list(self.nameservers),
            "timeout_seconds": self.timeout,
            "ok": self.ok,
            "cancelled": self.cancelled,
            "verdict": self.verdict(),
            "warnings": list(self.warnings),
            "checks": [c.to_json() for c in self.checks],
        }


@dataclass(frozen=True)
class _Lookup:
    """One DNS question's outcome, before it is judged against the provider file."""

    status: DnsStatus  # OK, NXDOMAIN, NO_ANSWER, SERVFAIL, TIMEOUT, ERROR or CANCELLED
    rdata: tuple[dns.rdata.Rdata, ...] = ()
    canonical: str = ""  # where a CNAME chain led, when it did
    detail: str = ""  # why, for SERVFAIL and ERROR (a Message)


_Question = tuple[str, str]  # (ASCII name without final dot, record type)


def check_dns(
    address: EmailAddress,
    provider: Provider,
    *,
    resolver: dns.resolver.Resolver | None = None,
    timeout: float = DEFAULT_DNS_TIMEOUT,
    cancel: threading.Event | None = None,
) -> DnsReport:
    """Runs every DNS check for the address's domain. `timeout` bounds each lookup; they run in parallel.

    Uses this computer's DNS configuration unless a resolver is given. Raises ProviderError for a bad
    mx_hosts / mx_suffixes key; DNS failures are results, never exceptions.
    """
    if not timeout > 0:
        raise ValueError("timeout must be a positive number of seconds")
    mail_hosts = provider_mail_hosts(provider)
    domain = address.ascii_domain
    webmail_host = _webmail_host(provider, domain)
    hosts = _distinct_hosts(provider)

    questions: list[_Question] = [(domain, "MX")]
    for host in [webmail_host, *(h for h in hosts.values() if h)]:
        if host and not _needs_no_lookup(host):
            questions += [(host, "A"), (host, "AAAA")]
    questions += [(f"{s.label}.{domain}", "SRV") for s in SRV_SERVICES]

    setup_error = ""
    if resolver is None:
        resolver, setup_error = _system_resolver()
    if resolver is None:
        lookups = {q: _Lookup(DnsStatus.ERROR, detail=setup_error) for q in questions}
        nameservers: tuple[str, ...] = ()
    else:
        lookups = _run_lookups(resolver, dict.fromkeys(questions), timeout, cancel)
        nameservers = _describe_nameservers(resolver)
    cancelled = cancel is not None and cancel.is_set()

    mail_delivery = _judge_mail_delivery(address, provider, mail_hosts, lookups[(domain, "MX")], timeout)
    webmail = _judge_webmail(address, provider, webmail_host, lookups, timeout)
    provider_checks = tuple(_judge_provider_host(shown, host, lookups, timeout) for shown, host in hosts.items())
    srv = tuple(
        _judge_srv(provider, service, lookups[(f"{service.label}.{domain}", "SRV")], domain, timeout)
        for service in SRV_SERVICES
    )
    if cancelled:
        warnings: tuple[str, ...] = ()
    elif single := _single_cause(lookups, timeout):
        warnings = (single,)
    else:
        warnings = _warnings(address, provider, mail_delivery, webmail, provider_checks, srv, timeout)
    return DnsReport(
        address, provider, mail_delivery, webmail, provider_checks, srv, warnings, nameservers, timeout, cancelled
    )


def _system_resolver() -> tuple[dns.resolver.Resolver | None, str]:
    try:
        return dns.resolver.Resolver(), ""
    except dns.resolver.NoResolverConfiguration:
        return None, Message("this computer has no DNS server configured")
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return None, Message("this computer's DNS configuration cannot be read ({reason})", reason=exc)


def _describe_nameservers(resolver: dns.resolver.Resolver) -> tuple[str, ...]:
    described = []
    for ns in resolver.nameservers:
        if isinstance(ns, dns.nameserver.AddressAndPortNameserver):
            address, port = ns.address, ns.port
        elif isinstance(ns, str):
            address, port = ns, resolver.nameserver_ports.get(ns, resolver.port)
        else:
            described.append(str(ns))
            continue
        shown = f"[{address}]" if ":" in address and port != 53 else address
        described.append(shown if port == 53 else f"{shown}:{port}")
    return tuple(described)


def _webmail_host(provider: Provider, ascii_domain: str) -> str | None:
    try:
        host = urlsplit(provider.webmail_url(ascii_domain)).hostname
    except ValueError:
        return None
    return _ascii_host(host) if host else None


def _distinct_hosts(provider: Provider) -> dict[str, str | None]:
    """The provider's server names as written (in protocol order) -> their ASCII form (None if unusable)."""
    return {s.host: _ascii_host(s.host) for s in provider.servers.values()}


def _needs_no_lookup(host: str) -> bool:
    """IP addresses, and `localhost` (RFC 6761: resolvers answer it themselves, never asking DNS)."""
    return _is_ip(host) or host == "localhost" or host.endswith(".localhost")


def _run_lookups(
    resolver: dns.resolver.Resolver,
    questions: dict[_Question, None],
    timeout: float,
    cancel: threading.Event | None,
) -> dict[_Question, _Lookup]:
    stop = threading.Event()

    def stopped() -> bool:
        return stop.is_set() or (cancel is not None and cancel.is_set())

    with ThreadPoolExecutor(max_workers=min(16, len(questions)), thread_name_prefix="dns-check") as pool:
        futures = {q: pool.submit(_lookup, resolver, q[0], q[1], timeout, stopped) for q in questions}
        try:
            return {q: f.result() for q, f in futures.items()}
        except BaseException:  # KeyboardInterrupt while waiting: let the workers stop early
            stop.set()
            raise


def _lookup(
    resolver: dns.resolver.Resolver, name: str, rdtype: str, timeout: float, stopped: Callable[[], bool]
) -> _Lookup:
    """One question, re-asked in short slices so that a cancel is noticed; never raises for DNS trouble."""
    deadline = time.monotonic() + timeout
    try:
        qname = dns.name.from_text(name)
    except dns.exception.DNSException:
        return _Lookup(DnsStatus.ERROR, detail=Message("{name} is not a valid DNS name", name=name))
    while True:
        if stopped():
            return _Lookup(DnsStatus.CANCELLED)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return _Lookup(DnsStatus.TIMEOUT)
        try:
            answer = resolver.resolve(qname, rdtype, lifetime=min(_SLICE_SECONDS, remaining), search=False)
        except dns.resolver.NXDOMAIN:
            return _Lookup(DnsStatus.NXDOMAIN)
        except dns.resolver.NoAnswer:
            return _Lookup(DnsStatus.NO_ANSWER)
        except dns.resolver.NoNameservers as exc:
            return _failed_servers(exc)
        except dns.exception.Timeout:
            continue
        except dns.resolver.YXDOMAIN:
            return _Lookup(DnsStatus.ERROR, detail=Message("the name is too long once its CNAME is followed"))
        except dns.exception.DNSException as exc:
            return _Lookup(DnsStatus.ERROR, detail=Message("the DNS query failed ({reason})", reason=exc))
        except (OSError, ValueError) as exc:
            return _Lookup(DnsStatus.ERROR, detail=Message("the DNS query failed ({reason})", reason=exc))
        canonical = answer.canonical_name.to_text(omit_final_dot=True).lower()
        return _Lookup(DnsStatus.OK, tuple(answer), canonical if canonical != name else "")


def _failed_servers(exc: dns.resolver.NoNameservers) -> _Lookup:
    """Every DNS server failed: SERVFAIL when one said so, otherwise why they could not be asked."""
    errors: Sequence[Any] = exc.kwargs.get("errors") or ()
    reasons = [e[3] for e in errors if isinstance(e, tuple) and len(e) >= 4]
    if any(r == "SERVFAIL" for r in reasons):
        return _Lookup(DnsStatus.SERVFAIL, detail=Message("the DNS server reported a failure (SERVFAIL)"))
    if not errors:
        return _Lookup(DnsStatus.ERROR, detail=Message("no DNS server is configured"))
    server, _tcp, port = errors[0][0], errors[0][1], errors[0][2]
    where = (
        Message("the DNS server {server} port {port}", server=server.split(":", 1)[-1].split("@")[0], port=port)
        if isinstance(server, str)
        else Message("the DNS server")
    )
    reason = reasons[0] if reasons else None
    if isinstance(reason, str):
        return _Lookup(DnsStatus.ERROR, detail=Message("{server} answered {answer}", server=where, answer=reason))
    if isinstance(reason, OSError):
        return _Lookup(
            DnsStatus.ERROR,
            detail=Message("{server} cannot be reached ({reason})", server=where, reason=os_reason(reason)),
        )
    return _Lookup(
        DnsStatus.ERROR, detail=Message("{server} sent an unusable answer ({reason})", server=where, reason=reason)
    )


def _combine(lookups: Iterable[_Lookup]) -> _Lookup:
    """A and AAAA as one "does it resolve": any address wins; otherwise the most telling failure."""
    found = list(lookups)
    addresses = tuple(r for lk in found if lk.status is DnsStatus.OK for r in lk.rdata)
    if addresses:
        canonical = next((lk.canonical for lk in found if lk.canonical), "")
        return _Lookup(DnsStatus.OK, addresses, canonical)
    for status in (
        DnsStatus.NXDOMAIN,
        DnsStatus.CANCELLED,
        DnsStatus.TIMEOUT,
        DnsStatus.SERVFAIL,
        DnsStatus.ERROR,
    ):
        for lk in found:
            if lk.status is status:
                return lk
    return _Lookup(DnsStatus.NO_ANSWER)


def _text(rdata: dns.rdata.Rdata) -> str:
    return str(rdata.to_text())


def _name_text(name: dns.name.Name) -> str:
    return name.to_text(omit_final_dot=True).lower() if name != dns.name.root else "."


def _shown_domain(address: EmailAddress) -> str:
    if address.domain == address.ascii_domain:
        return address.domain
    return f"{address.domain} ({address.ascii_domain})"


def _failure_detail(lookup: _Lookup, what: str, timeout: float, *, domain: bool = False) -> Message:
    """Why a lookup of `what` (a host name, or with domain=True a mail domain) failed, as one sentence."""
    status = lookup.status
    if status is DnsStatus.CANCELLED:
        return Message("Cancelled before the lookup finished.")
    if domain:
        if status is DnsStatus.NXDOMAIN:
            return Message("The domain {domain} does not exist in DNS (NXDOMAIN).", domain=what)
        if status is DnsStatus.NO_ANSWER:
            return Message("The domain {domain} exists in DNS but has no records of this type.", domain=what)
        if status is DnsStatus.SERVFAIL:
            return Message("The DNS server failed to look up the domain {domain} (SERVFAIL).", domain=what)
        if status is DnsStatus.TIMEOUT:
            return Message(
                "No DNS server answered for the domain {domain} within {seconds}.",
                domain=what,
                seconds=_seconds(timeout),
            )
        return Message("The domain {domain} could not be looked up: {reason}.", domain=what, reason=lookup.detail)
    if status is DnsStatus.NXDOMAIN:
        return Message("{name} does not exist in DNS (NXDOMAIN).", name=what)
    if status is DnsStatus.NO_ANSWER:
        return Message("{name} exists in DNS but has no records of this type.", name=what)
    if status is DnsStatus.SERVFAIL:
        return Message("The DNS server failed to look up {name} (SERVFAIL).", name=what)
    if status is DnsStatus.TIMEOUT:
        return Message("No DNS server answered for {name} within {seconds}.", name=what, seconds=_seconds(timeout))
    return Message("{name} could not be looked up: {reason}.", name=what, reason=lookup.detail)


def _seconds(value: float) -> Message:
    return PluralMessage("{n} second", "{n} seconds", 1 if value == 1 else 2, n=format(value, "g"))


def _not_this_provider(name: str) -> Message:
    """The article follows how the name is said: "an NPOMail address" (spelled out), "a Fastmail address"."""
    spelled = len(name) > 1 and name[:2].isupper()
    vowel_sound = name[:1].upper() in ("AEFHILMNORSX" if spelled else "AEIOU")
    if vowel_sound:
        return Message("this may not be an {provider} address", provider=name)
    return Message("this may not be a {provider} address", provider=name)


class _Clause(Message):
    """A sentence used inside another: first letter in lower case and one final full stop, in English (its str)
    and in the person's language (`human()`) alike."""

    inner: Message

    def __new__(cls, inner: str) -> Self:
        message = inner if isinstance(inner, Message) else Message("{text}", text=inner)
        made = str.__new__(cls, _lower_first(str(message)))
        made.template, made.params, made.inner = "{text}", {"text": message}, message
        return made

    def human(self) -> str:
        return _lower_first(self.inner.human())


def _judge_mail_delivery(
    address: EmailAddress, provider: Provider, mail_hosts: ProviderMailHosts, lookup: _Lookup, timeout: float
) -> DnsCheck:
    domain = _shown_domain(address)
    name = provider.name

    def check(status: DnsStatus, detail: Message, records: tuple[str, ...] = ()) -> DnsCheck:
        label = Message("Mail delivery (MX)")
        return DnsCheck(DnsCheckKind.MAIL_DELIVERY, label, address.ascii_domain, "MX", status, records, detail)

    if lookup.status is DnsStatus.NO_ANSWER:
        return check(
            DnsStatus.NO_ANSWER,
            Message(
                "{domain} has no MX records, so its mail is not delivered to {provider}'s servers.",
                domain=domain,
                provider=name,
            ),
        )
    if lookup.status is not DnsStatus.OK:
        return check(lookup.status, _failure_detail(lookup, domain, timeout, domain=True))
    mx = sorted(
        ((int(r.preference), _name_text(r.exchange)) for r in lookup.rdata if isinstance(r, MX)),
    )
    records = tuple(f"{pref} {target}" for pref, target in mx)
    if not mx:
        return check(DnsStatus.NO_ANSWER, Message("{domain} has no MX records.", domain=domain), records)
    if len(mx) == 1 and mx[0][1] == ".":
        return check(
            DnsStatus.MISMATCH,
            Message("{domain} says it accepts no email at all (a null MX record).", domain=domain),
            records,
        )
    best = min(p for p, _ in mx)
    primary = [t for p, t in mx if p == best]
    backups = [t for p, t in mx if p != best]
    foreign = [t for t in primary if mail_hosts.reason(t) is None]
    if foreign:
        ours = [t for t in primary if t not in foreign]
        if ours:
            detail: Message = PluralMessage(
                "Some mail for {domain} goes to {hosts}, which is not {provider}'s.",
                "Some mail for {domain} goes to {hosts}, which are not {provider}'s.",
                len(foreign),
                domain=domain,
                hosts=_join(foreign),
                provider=name,
            )
        else:
            detail = Message(
                "Mail for {domain} goes to {hosts}, not to {provider}'s servers.",
                domain=domain,
                hosts=_join(foreign),
                provider=name,
            )
        return check(DnsStatus.MISMATCH, detail, records)
    reason = mail_hosts.reason(primary[0]) or ""
    foreign_backups = [t for t in backups if mail_hosts.reason(t) is None]
    if foreign_backups:
        detail = PluralMessage(
            "Mail for {domain} is delivered to {provider}: {hosts} ({reason}). Backup MX {backups} is not "
            "{provider}'s (used only when those are down).",
            "Mail for {domain} is delivered to {provider}: {hosts} ({reason}). Backup MX {backups} are not "
            "{provider}'s (used only when those are down).",
            len(foreign_backups),
            domain=domain,
            provider=name,
            hosts=_join(primary),
            reason=reason,
            backups=_join(foreign_backups),
        )
    else:
        detail = Message(
            "Mail for {domain} is delivered to {provider}: {hosts} ({reason}).",
            domain=domain,
            provider=name,
            hosts=_join(primary),
            reason=reason,
        )
    return check(DnsStatus.OK, detail, records)


def _join(items: Sequence[str]) -> str:
    """Host names as a list: "a", "a and b", "a, b and c" (the "and" in the person's language when shown)."""
    if len(items) == 1:
        return items[0]
    return Message("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def _addresses_detail(host: str, lookup: _Lookup) -> Message:
    shown = [_text(r) for r in lookup.rdata]
    addresses: str = ", ".join(shown[:4])
    if len(shown) > 4:
        addresses = Message("{addresses} and {n} more", addresses=addresses, n=len(shown) - 4)
    if lookup.canonical:
        return Message(
            "{host} (via {canonical}) resolves to {addresses}.",
            host=host,
            canonical=lookup.canonical,
            addresses=addresses,
        )
    return Message("{host} resolves to {addresses}.", host=host, addresses=addresses)


def _resolved(host: str, lookups: dict[_Question, _Lookup]) -> _Lookup:
    return _combine([lookups[(host, "A")], lookups[(host, "AAAA")]])


def _judge_webmail(
    address: EmailAddress,
    provider: Provider,
    host: str | None,
    lookups: dict[_Question, _Lookup],
    timeout: float,
) -> DnsCheck:
    url = provider.webmail_url(address.domain)

    def check(status: DnsStatus, detail: Message, records: tuple[str, ...] = ()) -> DnsCheck:
        return DnsCheck(DnsCheckKind.WEBMAIL, Message("Webmail host"), host or "", "A/AAAA", status, records, detail)

    if host is None:
        return check(
            DnsStatus.ERROR, Message("The provider file's webmail address {url} has no usable host name.", url=url)
        )
    if _needs_no_lookup(host):
        return check(DnsStatus.OK, Message("{host} needs no DNS lookup.", host=host))
    lookup = _resolved(host, lookups)
    if lookup.status is DnsStatus.OK:
        records = tuple(_text(r) for r in lookup.rdata)
        return check(
            DnsStatus.OK,
            Message("{resolved} Webmail: {url}", resolved=_addresses_detail(host, lookup), url=url),
            records,
        )
    if lookup.status is DnsStatus.NO_ANSWER:
        return check(
            DnsStatus.NO_ANSWER,
            Message("{host} exists in DNS but has no address, so {url} cannot be opened.", host=host, url=url),
        )
    if lookup.status is DnsStatus.NXDOMAIN:
        return check(
            DnsStatus.NXDOMAIN,
            Message("{host} does not exist in DNS (NXDOMAIN), so {url} cannot be opened.", host=host, url=url),
        )
    return check(lookup.status, _failure_detail(lookup, host, timeout))


def _judge_provider_host(shown: str, host: str | None, lookups: dict[_Question, _Lookup], timeout: float) -> DnsCheck:
    def check(status: DnsStatus, detail: Message, records: tuple[str, ...] = ()) -> DnsCheck:
        label = Message("Server name")
        return DnsCheck(DnsCheckKind.PROVIDER_HOST, label, host or shown, "A/AAAA", status, records, detail)

    if host is None:
        return check(
            DnsStatus.ERROR, Message("{name} in the provider file is not a valid host name.", name=repr(shown))
        )
    if _needs_no_lookup(host):
        if _is_ip(host):
            return check(DnsStatus.OK, Message("{host} is an IP address; no DNS lookup is needed.", host=host))
        return check(DnsStatus.OK, Message("{host} is this computer; no DNS lookup is needed.", host=host))
    lookup = _resolved(host, lookups)
    if lookup.status is DnsStatus.OK:
        return check(DnsStatus.OK, _addresses_detail(host, lookup), tuple(_text(r) for r in lookup.rdata))
    if lookup.status is DnsStatus.NO_ANSWER:
        return check(
            DnsStatus.NO_ANSWER, Message("{host} exists in DNS but has no address (no A or AAAA record).", host=host)
        )
    return check(lookup.status, _failure_detail(lookup, host, timeout))


def _judge_srv(provider: Provider, service: SrvService, lookup: _Lookup, domain: str, timeout: float) -> DnsCheck:
    name = f"{service.label}.{domain}"
    server = provider.servers[service.protocol]
    expected_host = _ascii_host(server.host) or server.host
    expected_port = server.endpoint(service.security).port
    expected = f"{expected_host}:{expected_port}"

    def check(status: DnsStatus, detail: Message, records: tuple[str, ...] = ()) -> DnsCheck:
        label = f"SRV {service.protocol.label} {service.security.label}"
        return DnsCheck(DnsCheckKind.SRV, label, name, "SRV", status, records, detail)

    absent = Message("No SRV record for {service} (optional, RFC 6186).", service=service.describe())
    if lookup.status in (DnsStatus.NXDOMAIN, DnsStatus.NO_ANSWER):
        return check(DnsStatus.ABSENT, absent)
    if lookup.status is not DnsStatus.OK:
        return check(lookup.status, _failure_detail(lookup, name, timeout))
    targets = sorted(
        (int(r.priority), -int(r.weight), _name_text(r.target), int(r.port)) for r in lookup.rdata if isinstance(r, SRV)
    )
    records = tuple(f"{p} {-w} {port} {t}" for p, w, t, port in targets)
    if not targets:
        return check(DnsStatus.ABSENT, absent)
    if all(t == "." for _, _, t, _ in targets):
        return check(
            DnsStatus.MISMATCH,
            Message(
                'The domain says {service} is not offered (target "."), but {provider} offers it at {expected}.',
                service=service.describe(),
                provider=provider.name,
                expected=expected,
            ),
            records,
        )
    given = [f"{t}:{port}" for _, _, t, port in targets if t != "."]
    wrong = [g for g in given if g != expected]
    if wrong:
        return check(
            DnsStatus.MISMATCH,
            Message(
                "Points mail programs to {given}; the provider file says {expected}.",
                given=_join(wrong),
                expected=expected,
            ),
            records,
        )
    return check(DnsStatus.OK, Message("Points to {expected}, as the provider file says.", expected=expected), records)


def _single_cause(lookups: dict[_Question, _Lookup], timeout: float) -> Message | None:
    """When every lookup failed the same way the cause is this computer's DNS, not the domain: say it once."""
    statuses = {lk.status for lk in lookups.values()}
    if statuses == {DnsStatus.TIMEOUT}:
        return Message(
            "No DNS server answered within {seconds}: this computer may be offline, or its DNS server is not "
            "responding. Check the network connection and try again.",
            seconds=_seconds(timeout),
        )
    causes = {lk.detail for lk in lookups.values()}
    if statuses == {DnsStatus.ERROR} and len(causes) == 1:
        return Message("DNS does not work on this computer: {cause}", cause=_Clause(causes.pop()))
    return None


def _warnings(
    address: EmailAddress,
    provider: Provider,
    mail_delivery: DnsCheck,
    webmail: DnsCheck,
    provider_hosts: tuple[DnsCheck, ...],
    srv: tuple[DnsCheck, ...],
    timeout: float,
) -> tuple[str, ...]:
    """Plain sentences for a volunteer, what matters first; one cause is told once, not per lookup."""
    name = provider.name
    domain = _shown_domain(address)
    out: list[Message] = []
    for host_check in provider_hosts:
        host = host_check.name
        status = host_check.status
        if status is DnsStatus.NXDOMAIN:
            out.append(
                Message(
                    "{provider}'s server name {host} does not exist according to this computer's DNS. If the "
                    "provider file is right, this network's DNS is giving wrong answers (a filter or a sign-in "
                    "page?), and no mail program can connect until it is fixed.",
                    provider=name,
                    host=host,
                )
            )
        elif status is DnsStatus.SERVFAIL:
            out.append(
                Message(
                    "This computer's DNS server failed (SERVFAIL) to look up {provider}'s server name {host}; no "
                    "mail program can connect until it does. Try again later or on another network.",
                    provider=name,
                    host=host,
                )
            )
        elif status is DnsStatus.TIMEOUT:
            out.append(
                Message(
                    "No DNS server answered for {provider}'s server name {host} within {seconds}: this computer "
                    "may be offline or its DNS server unreachable.",
                    provider=name,
                    host=host,
                    seconds=_seconds(timeout),
                )
            )
        elif status is DnsStatus.NO_ANSWER:
            out.append(
                Message(
                    "{provider}'s server name {host} has no address in DNS, so no mail program can connect to it.",
                    provider=name,
                    host=host,
                )
            )
        elif status is not DnsStatus.OK:
            out.append(
                Message(
                    "{provider}'s server name {host} cannot be checked: {reason}",
                    provider=name,
                    host=host,
                    reason=_Clause(host_check.detail),
                )
            )

    status = mail_delivery.status
    not_ours = _not_this_provider(name)
    if status is DnsStatus.MISMATCH:
        out.append(
            Message(
                "{detail} So {not_ours}, or the domain's mail passes through another service first. Check with the "
                "organization's postmaster before setting it up.",
                detail=mail_delivery.detail,
                not_ours=not_ours,
            )
        )
    elif status is DnsStatus.NO_ANSWER:
        out.append(
            Message(
                "{domain} has no MX records, so its mail is not delivered to {provider}: {not_ours}.",
                domain=domain,
                provider=name,
                not_ours=not_ours,
            )
        )
    elif status is DnsStatus.NXDOMAIN:
        out.append(
            Message("The domain {domain} does not exist in DNS. Check the spelling of the address.", domain=domain)
        )
    elif status is DnsStatus.SERVFAIL:
        out.append(
            Message(
                "The DNS lookup of {domain} failed (SERVFAIL). Often the domain's own DNS is broken (its name "
                "servers are down or its DNSSEC signatures are wrong); mail to this address may not arrive.",
                domain=domain,
            )
        )
    elif status is DnsStatus.TIMEOUT:
        out.append(
            Message(
                "No DNS server answered for {domain} within {seconds}, so where its mail goes is unknown.",
                domain=domain,
                seconds=_seconds(timeout),
            )
        )
    elif status is not DnsStatus.OK:
        out.append(
            Message(
                "Where mail for {domain} goes cannot be checked: {reason}",
                domain=domain,
                reason=_Clause(mail_delivery.detail),
            )
        )

    if webmail.status in (DnsStatus.NXDOMAIN, DnsStatus.NO_ANSWER) and mail_delivery.status is not DnsStatus.NXDOMAIN:
        url = provider.webmail_url(address.domain)
        out.append(
            Message(
                "The webmail address {url} does not work yet: {host} has no address in DNS. The domain's "
                "postmaster can add one.",
                url=url,
                host=webmail.name,
            )
        )

    for srv_check in srv:
        if srv_check.status is DnsStatus.MISMATCH:
            out.append(
                Message(
                    "The domain's SRV record {name} disagrees with {provider}'s settings: {detail} Mail programs "
                    "that read SRV records may choose wrong; the postmaster can correct or remove it.",
                    name=srv_check.name,
                    provider=name,
                    detail=_Clause(srv_check.detail),
                )
            )
    return tuple(out)


def _lower_first(text: str) -> str:
    text = text.strip()
    if not text.endswith("."):
        text += "."
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text

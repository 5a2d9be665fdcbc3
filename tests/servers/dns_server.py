"""A small authoritative DNS server on 127.0.0.1 (UDP and TCP on one port) built on dnspython's message API.

The DNS checks must be tested against real DNS traffic, including the failures a help desk meets: a domain that
does not exist (NXDOMAIN), a broken one (SERVFAIL), a name with no records of the asked type (NOERROR, no
answer) and a server that never replies. `TestZone` holds the records and names which of those each name gets;
`example_zone()` is the zone the tests use. Oversized UDP answers are truncated (TC) so clients retry over TCP.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.rrset

TTL = 60

# Names the example zone serves; tests refer to them by these constants.
PROVIDER_HOST = "npomail.provider.example"
PROVIDER_ADDRESSES = ("127.0.0.1", "::1")
GOOD_DOMAIN = "good.example"  # MX to the provider, webmail by CNAME, SRV records that agree with the provider
ELSEWHERE_DOMAIN = "elsewhere.example"  # MX to another mail service, no webmail host
SRV_WRONG_DOMAIN = "srv-wrong.example"  # MX to the provider, SRV records that disagree
BACKUP_MX_DOMAIN = "backup-mx.example"  # MX to the provider first, a backup MX elsewhere
SPLIT_MX_DOMAIN = "split-mx.example"  # two equal MX hosts, only one of them the provider's
FILTERED_DOMAIN = "filtered.example"  # MX to a spam filter a provider file can list in mx_hosts
NULL_MX_DOMAIN = "nullmx.example"  # RFC 7505 null MX: accepts no mail
NO_MX_DOMAIN = "no-mx.example"  # exists, but NOERROR with no MX answer
EMPTY_DOMAIN = "empty.example"  # exists with no records at all
MISSING_DOMAIN = "missing.example"  # NXDOMAIN
SERVFAIL_DOMAIN = "servfail.example"  # SERVFAIL for it and everything under it
SILENT_DOMAIN = "silent.example"  # never answered, so every lookup times out
IDN_DOMAIN = "bücher.example"
IDN_ASCII_DOMAIN = "xn--bcher-kva.example"
BIG_HOST = "big.provider.example"  # so many addresses that the UDP answer is truncated and TCP is needed
GONE_HOST = "gone.provider.example"  # a provider server name that does not exist
BROKEN_HOST = "broken.provider.example"  # a provider server name whose lookup fails (SERVFAIL)
SILENT_HOST = "npomail.silent.example"  # a provider server name that never gets an answer
NO_ADDRESS_HOST = "noaddr.provider.example"  # a provider server name with no A or AAAA record
FAKE_NPOMAIL_HOST = "npomail.electricembers.net"  # lets the shipped NPOMail provider file run against this zone
FAKE_NPOMAIL_ADDRESS = "192.0.2.25"  # TEST-NET-1, documentation only
NPOMAIL_DOMAIN = "npo-customer.example"  # MX into electricembers.net, as an NPOMail customer's would be


def _key(name: str) -> str:
    return dns.name.from_text(name).to_text().lower()


@dataclass
class TestZone:
    """Records as (name, type) -> rdata texts, plus the names that get a failure instead of an answer.

    `servfail` and `silent` cover a name and every name under it. Names in `empty` exist with no records.
    Names under no origin get REFUSED, as from a real authoritative server.
    """

    __test__ = False  # not a pytest test class

    origins: tuple[str, ...]
    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    servfail: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    empty: set[str] = field(default_factory=set)

    def add(self, name: str, rdtype: str, *rdata: str) -> None:
        self.records.setdefault((_key(name), rdtype.upper()), []).extend(rdata)

    def origin_of(self, qname: str) -> str | None:
        matches = [o for o in map(_key, self.origins) if _under(qname, o)]
        return max(matches, key=len) if matches else None

    def exists(self, qname: str) -> bool:
        """A name exists if it has records, is listed as empty, or has a name below it (an empty non-terminal)."""
        names = {n for n, _ in self.records} | {_key(n) for n in self.empty} | {_key(o) for o in self.origins}
        return any(_under(n, qname) for n in names)

    def rdata(self, qname: str, rdtype: str) -> list[str]:
        return self.records.get((qname, rdtype), [])

    def is_servfail(self, qname: str) -> bool:
        return any(_under(qname, _key(n)) for n in self.servfail)

    def is_silent(self, qname: str) -> bool:
        return any(_under(qname, _key(n)) for n in self.silent)


def _under(name: str, ancestor: str) -> bool:
    return name == ancestor or name.endswith("." + ancestor) or ancestor == "."


def example_zone() -> TestZone:
    zone = TestZone(origins=("example.", "electricembers.net."))
    for origin in zone.origins:
        zone.add(origin, "SOA", f"ns.{origin} hostmaster.{origin} 1 3600 600 86400 {TTL}")
        zone.add(origin, "NS", f"ns.{origin}")

    zone.add(PROVIDER_HOST, "A", PROVIDER_ADDRESSES[0])
    zone.add(PROVIDER_HOST, "AAAA", PROVIDER_ADDRESSES[1])
    zone.add("webmail.provider.example", "A", "192.0.2.80")
    zone.add("mx1.provider.example", "A", "192.0.2.11")
    zone.add("mx2.provider.example", "A", "192.0.2.12")
    zone.add(NO_ADDRESS_HOST, "TXT", '"this name exists but has no address"')
    zone.add(BIG_HOST, "A", *(f"198.51.100.{i}" for i in range(1, 61)))
    zone.servfail.add(BROKEN_HOST)

    zone.add(GOOD_DOMAIN, "MX", "10 mx1.provider.example.", "20 mx2.provider.example.")
    zone.add(f"mail.{GOOD_DOMAIN}", "CNAME", "webmail.provider.example.")
    for service, port in (
        ("_imaps._tcp", 993),
        ("_imap._tcp", 143),
        ("_pop3s._tcp", 995),
        ("_pop3._tcp", 110),
        ("_submissions._tcp", 465),
        ("_submission._tcp", 587),
    ):
        zone.add(f"{service}.{GOOD_DOMAIN}", "SRV", f"0 1 {port} {PROVIDER_HOST}.")

    zone.add(ELSEWHERE_DOMAIN, "MX", "1 aspmx.other-mail.example.", "5 alt1.other-mail.example.")
    zone.add(ELSEWHERE_DOMAIN, "A", "192.0.2.99")

    zone.add(SRV_WRONG_DOMAIN, "MX", "10 mx1.provider.example.")
    zone.add(f"mail.{SRV_WRONG_DOMAIN}", "A", "192.0.2.81")
    zone.add(f"_imaps._tcp.{SRV_WRONG_DOMAIN}", "SRV", "0 1 993 imap.other-mail.example.")
    zone.add(f"_submission._tcp.{SRV_WRONG_DOMAIN}", "SRV", "0 1 25 npomail.provider.example.")
    zone.add(f"_pop3._tcp.{SRV_WRONG_DOMAIN}", "SRV", "0 0 0 .")  # RFC 2782: decidedly not available
    zone.add(f"_imap._tcp.{SRV_WRONG_DOMAIN}", "SRV", f"0 1 143 {PROVIDER_HOST}.")

    zone.add(BACKUP_MX_DOMAIN, "MX", "10 mx1.provider.example.", "50 backup.other-mail.example.")
    zone.add(SPLIT_MX_DOMAIN, "MX", "10 mx1.provider.example.", "10 aspmx.other-mail.example.")

    zone.add(FILTERED_DOMAIN, "MX", "10 inbound.filter.example.")
    zone.add(f"mail.{FILTERED_DOMAIN}", "A", "192.0.2.82")

    zone.add(NULL_MX_DOMAIN, "MX", "0 .")
    zone.add(NO_MX_DOMAIN, "A", "192.0.2.98")
    zone.add(f"mail.{NO_MX_DOMAIN}", "A", "192.0.2.83")
    zone.empty.add(EMPTY_DOMAIN)
    zone.servfail.add(SERVFAIL_DOMAIN)
    zone.silent.add(SILENT_DOMAIN)

    zone.add(IDN_ASCII_DOMAIN, "MX", "10 mx1.provider.example.")
    zone.add(f"mail.{IDN_ASCII_DOMAIN}", "A", "192.0.2.84")

    zone.add(FAKE_NPOMAIL_HOST, "A", FAKE_NPOMAIL_ADDRESS)
    zone.add("mx1.electricembers.net", "A", "192.0.2.26")
    zone.add(NPOMAIL_DOMAIN, "MX", "10 mx1.electricembers.net.")
    zone.add(f"mail.{NPOMAIL_DOMAIN}", "CNAME", f"{FAKE_NPOMAIL_HOST}.")
    return zone


@dataclass(frozen=True)
class LoggedQuery:
    name: str  # lower-case, with the final dot, exactly as asked on the wire
    rdtype: str
    transport: str  # "udp" or "tcp"


class DnsServer:
    """Answers from a TestZone on 127.0.0.1; `.port` serves UDP and TCP alike. Records every query it gets."""

    def __init__(self, zone: TestZone) -> None:
        self.zone = zone
        self.queries: list[LoggedQuery] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.port = 0

    def start(self) -> DnsServer:
        self._udp, self._tcp = _bind_pair()
        self.port = self._udp.getsockname()[1]
        for target in (self._serve_udp, self._serve_tcp):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self._udp.close()
        self._tcp.close()

    def __enter__(self) -> DnsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def resolver(self) -> dns.resolver.Resolver:
        """A resolver that asks only this server."""
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ["127.0.0.1"]
        resolver.port = self.port
        return resolver

    def queries_for(self, name: str) -> list[LoggedQuery]:
        with self._lock:
            return [q for q in self.queries if q.name == _key(name)]

    def answer(self, wire: bytes, transport: str) -> bytes | None:
        """The response to one query in wire format, or None to stay silent."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        if len(query.question) != 1:
            response = dns.message.make_response(query)
            response.set_rcode(dns.rcode.FORMERR)
            return response.to_wire()
        question = query.question[0]
        qname = question.name.to_text().lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        with self._lock:
            self.queries.append(LoggedQuery(qname, rdtype, transport))
        if self.zone.is_silent(qname):
            return None
        response = dns.message.make_response(query)
        self._fill(response, qname, rdtype)
        limit = 0
        if transport == "udp":
            limit = max(512, query.payload) if query.edns >= 0 else 512
        try:
            return response.to_wire(max_size=limit)
        except dns.exception.TooBig:
            truncated = dns.message.make_response(query)
            truncated.flags |= dns.flags.TC | dns.flags.AA
            return truncated.to_wire()

    def _fill(self, response: dns.message.Message, qname: str, rdtype: str) -> None:
        zone = self.zone
        origin = zone.origin_of(qname)
        if origin is None:
            response.set_rcode(dns.rcode.REFUSED)
            return
        if zone.is_servfail(qname):
            response.set_rcode(dns.rcode.SERVFAIL)
            return
        response.flags |= dns.flags.AA
        name = qname
        for _ in range(8):  # follow CNAMEs inside the zone, as an authoritative server does
            cname = zone.rdata(name, "CNAME")
            if cname and rdtype != "CNAME":
                response.answer.append(dns.rrset.from_text_list(name, TTL, "IN", "CNAME", cname))
                name = _key(cname[0])
                if zone.origin_of(name) is None:
                    return  # out of this server's zones: the client follows the chain itself
                continue
            found = zone.rdata(name, rdtype)
            if found:
                response.answer.append(dns.rrset.from_text_list(name, TTL, "IN", rdtype, found))
                return
            break
        if not zone.exists(name):
            response.set_rcode(dns.rcode.NXDOMAIN)
        soa = zone.rdata(origin, "SOA")
        response.authority.append(dns.rrset.from_text_list(origin, TTL, "IN", "SOA", soa))

    def _serve_udp(self) -> None:
        self._udp.settimeout(0.1)
        while not self._stop.is_set():
            try:
                wire, peer = self._udp.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self.answer(wire, "udp")
            if reply is not None:
                with contextlib.suppress(OSError):
                    self._udp.sendto(reply, peer)

    def _serve_tcp(self) -> None:
        self._tcp.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._tcp.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._tcp_session, args=(conn,), daemon=True)
            thread.start()

    def _tcp_session(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        with conn:
            while not self._stop.is_set():
                try:
                    header = _read_exact(conn, 2, self._stop)
                    if header is None:
                        return
                    wire = _read_exact(conn, struct.unpack("!H", header)[0], self._stop)
                    if wire is None:
                        return
                    reply = self.answer(wire, "tcp")
                    if reply is not None:
                        conn.sendall(struct.pack("!H", len(reply)) + reply)
                except OSError:
                    return


def _read_exact(conn: socket.socket, size: int, stop: threading.Event) -> bytes | None:
    data = b""
    while len(data) < size:
        if stop.is_set():
            return None
        try:
            chunk = conn.recv(size - len(data))
        except TimeoutError:
            continue
        if not chunk:
            return None
        data += chunk
    return data


def _bind_pair() -> tuple[socket.socket, socket.socket]:
    """A UDP and a TCP socket on the same free loopback port (a resolver uses one port for both)."""
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", udp.getsockname()[1]))
        except OSError:
            udp.close()
            tcp.close()
            continue
        tcp.listen(16)
        return udp, tcp
    raise RuntimeError("no free loopback port for the test DNS server")

"""DNS checks against a real DNS server on loopback (tests/servers/dns_server.py), never the real internet."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import dns.resolver
import pytest

from setup_assistant.cli import main
from setup_assistant.commands.dns import parse_nameserver
from setup_assistant.core.address import parse_address
from setup_assistant.core.helpdesk.dns_checks import DnsCheckKind, DnsStatus, check_dns, provider_mail_hosts
from setup_assistant.core.provider import Provider, ProviderError, load_provider
from tests.servers.dns_server import (
    BACKUP_MX_DOMAIN,
    BIG_HOST,
    BROKEN_HOST,
    ELSEWHERE_DOMAIN,
    EMPTY_DOMAIN,
    FAKE_NPOMAIL_ADDRESS,
    FILTERED_DOMAIN,
    GONE_HOST,
    GOOD_DOMAIN,
    IDN_ASCII_DOMAIN,
    IDN_DOMAIN,
    MISSING_DOMAIN,
    NO_ADDRESS_HOST,
    NO_MX_DOMAIN,
    NPOMAIL_DOMAIN,
    NULL_MX_DOMAIN,
    PROVIDER_ADDRESSES,
    PROVIDER_HOST,
    SERVFAIL_DOMAIN,
    SILENT_DOMAIN,
    SILENT_HOST,
    SPLIT_MX_DOMAIN,
    SRV_WRONG_DOMAIN,
    DnsServer,
    example_zone,
)

SHORT = 0.6  # seconds per lookup in the tests that wait for a timeout


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    with DnsServer(example_zone()) as server:
        yield server


@pytest.fixture
def resolver(dns_server: DnsServer) -> dns.resolver.Resolver:
    return dns_server.resolver()


def make_provider(
    tmp_path: Path, host: str = PROVIDER_HOST, provider_lines: str = "", name: str = "NPOMail"
) -> Provider:
    servers = "".join(
        f'[servers.{proto}]\nhost = "{host}"\nstarttls_port = {tls}\nssl_port = {ssl}\n'
        for proto, tls, ssl in (("imap", 143, 993), ("pop3", 110, 995), ("smtp", 587, 465))
    )
    text = f'[provider]\nid = "test"\nname = "{name}"\nwebmail = "http://mail.{{domain}}"\n{provider_lines}\n{servers}'
    path = tmp_path / f"provider-{abs(hash(text))}.toml"
    path.write_text(text, encoding="utf-8")
    return load_provider(path)


@pytest.fixture
def provider(tmp_path: Path) -> Provider:
    return make_provider(tmp_path)


def srv_status(report: object, label: str) -> DnsStatus:
    return next(c.status for c in report.srv if c.name.startswith(label + "."))  # type: ignore[attr-defined]


# --- the test server itself ------------------------------------------------------------------------------------


def test_server_answers_over_udp_and_tcp_and_refuses_other_zones(dns_server: DnsServer) -> None:
    query = dns.message.make_query(GOOD_DOMAIN, "MX")
    udp = dns.query.udp(query, "127.0.0.1", port=dns_server.port, timeout=2)
    tcp = dns.query.tcp(query, "127.0.0.1", port=dns_server.port, timeout=2)
    assert udp.answer == tcp.answer and len(udp.answer[0]) == 2
    outside = dns.query.udp(dns.message.make_query("example.com", "A"), "127.0.0.1", port=dns_server.port, timeout=2)
    assert outside.rcode() == dns.rcode.REFUSED
    missing = dns.query.udp(dns.message.make_query(MISSING_DOMAIN, "MX"), "127.0.0.1", port=dns_server.port, timeout=2)
    assert missing.rcode() == dns.rcode.NXDOMAIN and missing.authority  # with the SOA, as a real server sends


# --- mail delivery (MX) ------------------------------------------------------------------------------------------


def test_mail_delivered_to_provider(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, resolver=resolver)
    assert report.ok and report.warnings == ()
    assert report.mail_delivery.status is DnsStatus.OK
    assert report.mail_delivery.records == ("10 mx1.provider.example", "20 mx2.provider.example")
    assert "delivered to NPOMail" in report.mail_delivery.detail
    assert [c.status for c in report.provider_hosts] == [DnsStatus.OK]
    assert set(report.provider_hosts[0].records) == set(PROVIDER_ADDRESSES)
    assert report.webmail.status is DnsStatus.OK and "via webmail.provider.example" in report.webmail.detail
    assert report.verdict().startswith("DNS is fine")


def test_mail_elsewhere_warns_that_it_may_not_be_a_provider_address(
    resolver: dns.resolver.Resolver, provider: Provider
) -> None:
    report = check_dns(parse_address(f"jane@{ELSEWHERE_DOMAIN}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.MISMATCH
    assert not report.ok and report.provider_hosts_resolve
    assert "aspmx.other-mail.example" in report.warnings[0]
    assert "this may not be an NPOMail address" in report.warnings[0]
    assert "does not seem to be delivered to NPOMail" in report.verdict()


def test_shipped_npomail_file_accepts_mx_in_its_domain_and_warns_otherwise(resolver: dns.resolver.Resolver) -> None:
    npomail = load_provider()
    good = check_dns(parse_address(f"jane@{NPOMAIL_DOMAIN}"), npomail, resolver=resolver)
    assert good.ok, good.warnings
    assert good.provider_hosts[0].records == (FAKE_NPOMAIL_ADDRESS,)
    assert "electricembers.net" in good.mail_delivery.detail
    other = check_dns(parse_address(f"jane@{ELSEWHERE_DOMAIN}"), npomail, resolver=resolver)
    assert not other.ok and any("may not be an NPOMail address" in w for w in other.warnings)


def test_mx_hosts_and_mx_suffixes_from_the_provider_file(resolver: dns.resolver.Resolver, tmp_path: Path) -> None:
    address = parse_address(f"jane@{FILTERED_DOMAIN}")
    listed = make_provider(tmp_path, provider_lines='mx_hosts = ["Inbound.Filter.example."]')
    assert check_dns(address, listed, resolver=resolver).mail_delivery.status is DnsStatus.OK
    suffix = make_provider(tmp_path, provider_lines='mx_suffixes = ["filter.example"]')
    report = check_dns(address, suffix, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.OK and "mx_suffixes" in report.mail_delivery.detail
    # Explicit keys replace the guess from the server names: mx1.provider.example is no longer accepted.
    assert check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), suffix, resolver=resolver).mail_delivery.status is (
        DnsStatus.MISMATCH
    )


def test_bad_mx_key_names_the_file_and_key(tmp_path: Path) -> None:
    bad = make_provider(tmp_path, provider_lines='mx_suffixes = "electricembers.net"')
    with pytest.raises(ProviderError, match=r"provider\.mx_suffixes.*list"):
        provider_mail_hosts(bad)


def test_backup_mx_elsewhere_is_noted_but_fine(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{BACKUP_MX_DOMAIN}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.OK and report.ok
    assert "Backup MX backup.other-mail.example is not NPOMail's" in report.mail_delivery.detail


def test_equal_mx_hosts_that_are_partly_elsewhere(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{SPLIT_MX_DOMAIN}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.MISMATCH and not report.ok
    assert report.mail_delivery.detail.startswith("Some mail for split-mx.example goes to aspmx.other-mail.example")


def test_null_mx_means_no_mail(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{NULL_MX_DOMAIN}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.MISMATCH and "accepts no email" in report.mail_delivery.detail
    assert not report.ok


# --- what DNS itself says -----------------------------------------------------------------------------------------


def test_nxdomain_domain(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{MISSING_DOMAIN}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.NXDOMAIN
    assert {c.status for c in report.srv} == {DnsStatus.ABSENT}
    assert report.webmail.status is DnsStatus.NXDOMAIN
    # One cause, told once: no separate webmail warning for a domain that does not exist.
    assert report.warnings == (
        f"The domain {MISSING_DOMAIN} does not exist in DNS. Check the spelling of the address.",
    )
    assert not report.ok


def test_servfail_domain(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{SERVFAIL_DOMAIN}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.SERVFAIL
    assert report.webmail.status is DnsStatus.SERVFAIL
    assert {c.status for c in report.srv} == {DnsStatus.SERVFAIL}
    assert len(report.warnings) == 1 and "SERVFAIL" in report.warnings[0]
    assert not report.ok and "could not be checked" in report.verdict()


@pytest.mark.parametrize("domain", [NO_MX_DOMAIN, EMPTY_DOMAIN])
def test_domain_without_mx_records(resolver: dns.resolver.Resolver, provider: Provider, domain: str) -> None:
    report = check_dns(parse_address(f"jane@{domain}"), provider, resolver=resolver)
    assert report.mail_delivery.status is DnsStatus.NO_ANSWER
    assert "has no MX records" in report.warnings[0] and "may not be an NPOMail address" in report.warnings[0]
    assert not report.ok


def test_timeout_is_bounded_and_named(dns_server: DnsServer, provider: Provider) -> None:
    start = time.monotonic()
    report = check_dns(parse_address(f"jane@{SILENT_DOMAIN}"), provider, resolver=dns_server.resolver(), timeout=SHORT)
    elapsed = time.monotonic() - start
    assert elapsed < 3, f"took {elapsed:.1f}s"
    assert report.mail_delivery.status is DnsStatus.TIMEOUT
    assert {c.status for c in report.srv} == {DnsStatus.TIMEOUT}
    assert report.provider_hosts[0].status is DnsStatus.OK  # only the silent names time out
    assert dns_server.queries_for(SILENT_DOMAIN), "the question must really have been sent"
    assert any("No DNS server answered" in w for w in report.warnings)
    assert not report.ok


def test_everything_silent_is_one_diagnosis(dns_server: DnsServer, tmp_path: Path) -> None:
    provider = make_provider(tmp_path, host=SILENT_HOST)
    report = check_dns(parse_address(f"jane@{SILENT_DOMAIN}"), provider, resolver=dns_server.resolver(), timeout=SHORT)
    assert report.warnings == (
        f"No DNS server answered within {SHORT:g} seconds: this computer may be offline, or its DNS server is not "
        "responding. Check the network connection and try again.",
    )
    assert "cannot look up NPOMail's server names" in report.verdict()


def test_cancel_stops_a_waiting_check_early(dns_server: DnsServer, provider: Provider) -> None:
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    start = time.monotonic()
    report = check_dns(
        parse_address(f"jane@{SILENT_DOMAIN}"), provider, resolver=dns_server.resolver(), timeout=30, cancel=cancel
    )
    timer.cancel()
    assert time.monotonic() - start < 3
    assert report.cancelled and not report.ok and report.warnings == ()
    assert report.mail_delivery.status is DnsStatus.CANCELLED
    assert report.provider_hosts[0].status is DnsStatus.OK  # answered before the cancel
    assert report.verdict().startswith("Cancelled")


def test_cancelled_before_start_asks_nothing(provider: Provider) -> None:
    cancel = threading.Event()
    cancel.set()
    server = DnsServer(example_zone()).start()
    try:
        report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, resolver=server.resolver(), cancel=cancel)
        assert server.queries == []
    finally:
        server.stop()
    assert report.cancelled and {c.status for c in report.checks} == {DnsStatus.CANCELLED}


def test_no_dns_configuration_on_this_computer(monkeypatch: pytest.MonkeyPatch, provider: Provider) -> None:
    def unconfigured() -> None:
        raise dns.resolver.NoResolverConfiguration("no nameservers")

    monkeypatch.setattr(dns.resolver, "Resolver", unconfigured)
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider)
    assert {c.status for c in report.checks} == {DnsStatus.ERROR}
    assert report.warnings == ("DNS does not work on this computer: this computer has no DNS server configured.",)
    assert report.nameservers == () and not report.ok


# --- SRV (RFC 6186 / RFC 8314) -----------------------------------------------------------------------------------


def test_srv_records_that_agree(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, resolver=resolver)
    assert [c.name.split(".")[0] for c in report.srv] == [
        "_imaps",
        "_imap",
        "_pop3s",
        "_pop3",
        "_submissions",
        "_submission",
    ]
    assert {c.status for c in report.srv} == {DnsStatus.OK}
    assert report.srv[0].records == (f"0 1 993 {PROVIDER_HOST}",)


def test_srv_records_that_disagree(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{SRV_WRONG_DOMAIN}"), provider, resolver=resolver)
    assert srv_status(report, "_imaps._tcp") is DnsStatus.MISMATCH  # another host
    assert srv_status(report, "_submission._tcp") is DnsStatus.MISMATCH  # port 25, not 587
    assert srv_status(report, "_pop3._tcp") is DnsStatus.MISMATCH  # "." says POP3 is not offered
    assert srv_status(report, "_imap._tcp") is DnsStatus.OK
    assert srv_status(report, "_pop3s._tcp") is DnsStatus.ABSENT
    srv_warnings = [w for w in report.warnings if "SRV record" in w]
    assert len(srv_warnings) == 3
    assert any("imap.other-mail.example:993" in w and f"{PROVIDER_HOST}:993" in w for w in srv_warnings)
    assert any(f"{PROVIDER_HOST}:25" in w and f"{PROVIDER_HOST}:587" in w for w in srv_warnings)
    assert report.ok  # SRV records are advice; mail still reaches the provider


# --- webmail and the provider's server names ---------------------------------------------------------------------


def test_webmail_host_missing(resolver: dns.resolver.Resolver, provider: Provider) -> None:
    report = check_dns(parse_address(f"jane@{ELSEWHERE_DOMAIN}"), provider, resolver=resolver)
    assert report.webmail.name == f"mail.{ELSEWHERE_DOMAIN}"
    assert report.webmail.status is DnsStatus.NXDOMAIN
    assert any(f"http://mail.{ELSEWHERE_DOMAIN} does not work yet" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("host", "status", "words"),
    [
        (GONE_HOST, DnsStatus.NXDOMAIN, "does not exist according to this computer's DNS"),
        (BROKEN_HOST, DnsStatus.SERVFAIL, "failed (SERVFAIL)"),
        (NO_ADDRESS_HOST, DnsStatus.NO_ANSWER, "has no address in DNS"),
        (SILENT_HOST, DnsStatus.TIMEOUT, "No DNS server answered"),
        ("npomail.not-served.org", DnsStatus.ERROR, "answered REFUSED"),
    ],
)
def test_provider_host_not_resolving_is_its_own_diagnosis(
    dns_server: DnsServer, tmp_path: Path, host: str, status: DnsStatus, words: str
) -> None:
    provider = make_provider(tmp_path, host=host)
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, resolver=dns_server.resolver(), timeout=SHORT)
    check = report.provider_hosts[0]
    assert (check.kind, check.name, check.status) == (DnsCheckKind.PROVIDER_HOST, host, status)
    assert report.mail_delivery.status is not DnsStatus.TIMEOUT
    assert not report.ok and "cannot look up NPOMail's server names" in report.verdict()
    assert words in report.warnings[0] and host in report.warnings[0]


def test_large_answer_falls_back_to_tcp(dns_server: DnsServer, tmp_path: Path) -> None:
    provider = make_provider(tmp_path, host=BIG_HOST)
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, resolver=dns_server.resolver())
    assert report.provider_hosts[0].status is DnsStatus.OK
    assert len(report.provider_hosts[0].records) == 60
    assert "and 56 more" in report.provider_hosts[0].detail
    assert {q.transport for q in dns_server.queries_for(BIG_HOST) if q.rdtype == "A"} == {"udp", "tcp"}


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_ip_address_and_localhost_need_no_lookup(dns_server: DnsServer, tmp_path: Path, host: str) -> None:
    provider = make_provider(tmp_path, host=host)
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, resolver=dns_server.resolver())
    assert report.provider_hosts[0].status is DnsStatus.OK
    assert "no DNS lookup is needed" in report.provider_hosts[0].detail
    assert not dns_server.queries_for(host)


def test_idn_domain_is_asked_in_ascii(dns_server: DnsServer, provider: Provider) -> None:
    address = parse_address(f"jane@{IDN_DOMAIN}")
    report = check_dns(address, provider, resolver=dns_server.resolver())
    assert report.ok
    assert report.mail_delivery.name == IDN_ASCII_DOMAIN
    assert f"{IDN_DOMAIN} ({IDN_ASCII_DOMAIN})" in report.mail_delivery.detail
    assert report.webmail.name == f"mail.{IDN_ASCII_DOMAIN}" and report.webmail.status is DnsStatus.OK
    assert {q.rdtype for q in dns_server.queries_for(IDN_ASCII_DOMAIN)} == {"MX"}
    assert all(q.name.isascii() for q in dns_server.queries)


def test_report_json(resolver: dns.resolver.Resolver, provider: Provider, dns_server: DnsServer) -> None:
    report = check_dns(parse_address(f"jane@{SRV_WRONG_DOMAIN}"), provider, resolver=resolver)
    data = json.loads(json.dumps(report.to_json()))
    assert data["email"] == f"jane@{SRV_WRONG_DOMAIN}" and data["ok"] is True
    assert data["nameservers"] == [f"127.0.0.1:{dns_server.port}"]
    assert [c["check"] for c in data["checks"]] == ["mx", "provider-host", "webmail"] + ["srv"] * 6
    assert {c["status"] for c in data["checks"]} == {"ok", "mismatch", "absent"}
    assert data["warnings"] == list(report.warnings)


def test_bad_timeout_is_refused(provider: Provider) -> None:
    with pytest.raises(ValueError):
        check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), provider, timeout=0)


# --- the `dns` command --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9.9.9.9", ("9.9.9.9", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
        (" 2620:fe::fe ", ("2620:fe::fe", 53)),
    ],
)
def test_parse_nameserver(text: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["dns.google", "1.2.3.4:0", "1.2.3.4:99999", "1.2.3.4:", "[::1", "[::1]x", ""])
def test_parse_nameserver_rejects(text: str) -> None:
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        parse_nameserver(text)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["dns", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_exit_0_when_mail_goes_to_provider(
    capsys: pytest.CaptureFixture[str], dns_server: DnsServer, provider: Provider
) -> None:
    ns = f"127.0.0.1:{dns_server.port}"
    code, out, _ = run_cli(
        capsys, f"jane@{GOOD_DOMAIN}", "--provider", str(provider.source), "--nameserver", ns, "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["checks"][0]["records"] == ["10 mx1.provider.example", "20 mx2.provider.example"]


def test_cli_table_exit_1_with_warning(capsys: pytest.CaptureFixture[str], dns_server: DnsServer) -> None:
    code, out, _ = run_cli(capsys, f"jane@{ELSEWHERE_DOMAIN}", "--nameserver", f"127.0.0.1:{dns_server.port}")
    assert code == 1
    assert "Mail delivery (MX)" in out and "mismatch" in out
    assert "Warnings:" in out and "may not be an NPOMail address" in out
    assert out.rstrip().endswith("see the warnings.")


def test_cli_exit_1_when_dns_times_out(capsys: pytest.CaptureFixture[str], dns_server: DnsServer) -> None:
    args = (f"jane@{SILENT_DOMAIN}", "--nameserver", f"127.0.0.1:{dns_server.port}", "--timeout", str(SHORT), "--json")
    code, out, _ = run_cli(capsys, *args)
    assert code == 1 and json.loads(out)["checks"][0]["status"] == "timeout"


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "not-an-address", "--nameserver", "127.0.0.1")
    assert code == 2 and "no @" in err
    bad = make_provider(tmp_path, provider_lines="mx_hosts = [1, 2]")
    code, _, err = run_cli(capsys, f"jane@{GOOD_DOMAIN}", "--provider", str(bad.source), "--nameserver", "127.0.0.1")
    assert code == 2 and "provider.mx_hosts" in err
    with pytest.raises(SystemExit) as exc:
        main(["dns", f"jane@{GOOD_DOMAIN}", "--nameserver", "dns.google"])
    assert exc.value.code == 2
    assert "not a DNS server address" in capsys.readouterr().err

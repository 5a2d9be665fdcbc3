"""`setup-assistant dns EMAIL`: where the domain's mail goes and whether the provider's names resolve.

Exit 0 when the provider's server names resolve and the domain's mail is delivered to the provider, 1 when a
warning that matters remains (or the check was cancelled), 2 for bad input. `--nameserver` asks one DNS server
instead of this computer's, which tells a broken local DNS from a broken domain.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import threading
from typing import Any

from setup_assistant.cli import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    _positive_seconds,
    add_provider_option,
    load_provider_or_usage,
    parse_address_or_usage,
)
from setup_assistant.core.i18n import N_, _, human

# What the status column says to a person; `--json` keeps the codes ("no-answer", "mismatch"...).
STATUS_TEXT = {
    "ok": N_("ok"),
    "nxdomain": N_("nxdomain"),
    "no-answer": N_("no-answer"),
    "servfail": N_("servfail"),
    "timeout": N_("timeout"),
    "mismatch": N_("mismatch"),
    "absent": N_("absent"),
    "error": N_("error"),
    "cancelled": N_("cancelled"),
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dns",
        help=_("check the DNS of an address's domain (MX, webmail, SRV) and the provider's server names"),
        description=(
            _(
                "Check where mail for the address's domain is delivered, whether its webmail host and "
                "the provider's server names resolve, and whether RFC 6186 SRV records agree with the "
                "provider file."
            )
        ),
    )
    parser.add_argument("email", help=_("the full email address"))
    add_provider_option(parser)
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of a table"))
    parser.add_argument(
        "--timeout", type=_positive_seconds, default=5.0, help=_("seconds each DNS lookup may take (default 5)")
    )
    parser.add_argument(
        "--nameserver",
        metavar="HOST[:PORT]",
        action="append",
        type=parse_nameserver,
        help=_(
            "ask this DNS server (an IP address, e.g. 9.9.9.9 or [2620:fe::fe]:53) instead of this "
            "computer's; may be given more than once"
        ),
    )
    parser.set_defaults(func=cmd_dns)


def parse_nameserver(text: str) -> tuple[str, int]:
    """'9.9.9.9', '127.0.0.1:5353', '::1' or '[::1]:5353' -> (address, port)."""
    value = text.strip()
    host, port_text = value, ""
    if value.startswith("["):
        host, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise argparse.ArgumentTypeError(
                _("not a DNS server address: {text} (use [IPv6]:PORT)").format(text=repr(text))
            )
        port_text = rest[1:]
    elif value.count(":") == 1:
        host, _colon, port_text = value.partition(":")
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a DNS server address: {text} (give an IP address, like 9.9.9.9 or 127.0.0.1:5353)").format(
                text=repr(text)
            )
        ) from None
    port = 53
    if port_text or value.endswith(":"):
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise argparse.ArgumentTypeError(_("not a port from 1 to 65535 in {text}").format(text=repr(text)))
        port = int(port_text)
    return address, port


def _resolver(servers: list[tuple[str, int]] | None) -> Any:
    if not servers:
        return None
    import dns.nameserver
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [dns.nameserver.Do53Nameserver(address, port) for address, port in servers]
    return resolver


def _table(report: Any) -> str:
    asked = ", ".join(report.nameservers) if report.nameservers else _("nobody (no DNS server)")
    out = [
        _("DNS for {address} ({provider}), asking {servers}:").format(
            address=report.address.address, provider=report.provider.name, servers=asked
        )
    ]
    rows = [(_("check"), _("looked up"), _("status"), _("detail"))]
    rows += [(human(c.label), c.name, _(STATUS_TEXT[c.status.value]), human(c.detail)) for c in report.checks]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        out.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3])
    if report.warnings:
        out.append(_("Warnings:"))
        out += [f"  - {human(w)}" for w in report.warnings]
    out.append(human(report.verdict()))
    return "\n".join(out)


def cmd_dns(args: argparse.Namespace) -> int:
    from setup_assistant.core.helpdesk.dns_checks import check_dns
    from setup_assistant.core.provider import ProviderError

    provider = load_provider_or_usage(args.provider)
    address = parse_address_or_usage(args.email)
    cancel = threading.Event()
    try:
        report = check_dns(address, provider, resolver=_resolver(args.nameserver), timeout=args.timeout, cancel=cancel)
    except ProviderError as exc:
        raise UsageError(human(exc)) from None
    except KeyboardInterrupt:
        cancel.set()
        print(_("Cancelled."), file=sys.stderr)
        return EXIT_PROBLEM
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(_table(report))
    return EXIT_OK if report.ok else EXIT_PROBLEM

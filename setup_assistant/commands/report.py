"""`setup-assistant report EMAIL --out report.html`: the diagnostic report to attach to a help-desk ticket.

Writes report.html and report.json beside it in every case but a usage error (a cancelled or failing check
is exactly what a ticket needs). Exit codes as `probe`: 0 a secure setup works (and the logins, with a
password), 1 it does not, 2 bad input. The password is never written; `--redact` masks the address.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from typing import Any

from setup_assistant.cli import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    _positive_seconds,
    add_password_option,
    add_provider_option,
    load_provider_or_usage,
    parse_address_or_usage,
    progress_line,
    read_password,
)
from setup_assistant.commands.dns import _resolver, parse_nameserver
from setup_assistant.core.i18n import _, human
from setup_assistant.core.os_errors import os_reason


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help=_("write a diagnostic report (HTML and JSON) to attach to a help-desk ticket"),
        description=(
            _(
                "Check DNS, every server port, the certificates, the logins (with --password-stdin) and "
                "the provider's root certificate on this computer, and write it all to one HTML file "
                "plus the same data as JSON beside it. The password is never written."
            )
        ),
    )
    parser.add_argument("email", help=_("the full email address (it is also the username)"))
    parser.add_argument(
        "--out", metavar="FILE", required=True, help=_("the HTML file to write, e.g. report.html (report.json too)")
    )
    add_provider_option(parser)
    add_password_option(parser)
    parser.add_argument("--redact", action="store_true", help=_("mask the address (j***@example.org) in both files"))
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=10.0,
        help=_("seconds per network step (default 10; DNS lookups take at most 5)"),
    )
    parser.add_argument(
        "--nameserver",
        metavar="HOST[:PORT]",
        action="append",
        type=parse_nameserver,
        help=_("ask this DNS server (an IP address) instead of this computer's; may be given more than once"),
    )
    parser.set_defaults(func=cmd_report)


def _output(text: str) -> Path:
    from setup_assistant.core.helpdesk.report import report_paths

    path = Path(text).expanduser()
    try:
        html_path, json_path = report_paths(path)
    except ValueError as exc:
        raise UsageError(human(exc)) from None
    for target in (html_path, json_path):
        if target.is_dir():
            raise UsageError(_("{target}: is a folder; give a file name like report.html").format(target=target))
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            _("{parent}: cannot create the folder ({reason})").format(
                parent=html_path.parent, reason=human(os_reason(exc))
            )
        ) from None
    if not os.access(html_path.parent, os.W_OK):
        raise UsageError(_("{parent}: no permission to write there").format(parent=html_path.parent))
    return html_path


def cmd_report(args: argparse.Namespace) -> int:
    from setup_assistant.core.helpdesk.dns_checks import DEFAULT_DNS_TIMEOUT, provider_mail_hosts
    from setup_assistant.core.helpdesk.report import DiagnosticReport, build_report, write_report
    from setup_assistant.core.provider import ProviderError

    provider = load_provider_or_usage(args.provider)
    address = parse_address_or_usage(args.email)
    try:
        provider_mail_hosts(provider)
    except ProviderError as exc:
        raise UsageError(human(exc)) from None
    out = _output(args.out)
    password = read_password(args)
    resolver = _resolver(args.nameserver)
    cancel = threading.Event()
    built: list[DiagnosticReport] = []

    def run() -> None:
        built.append(
            build_report(
                provider,
                address,
                password,
                timeout=args.timeout,
                dns_timeout=min(args.timeout, DEFAULT_DNS_TIMEOUT),
                resolver=resolver,
                cancel=cancel,
                progress=_progress,
            )
        )

    print(
        _("Checking {address} with {name} …").format(address=address.address, name=provider.name),
        file=sys.stderr,
        flush=True,
    )
    worker = threading.Thread(target=run, name="report", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:  # stop the checks, but still write what was found: that is the report
        cancel.set()
        print(_("Cancelling; writing what was found so far …"), file=sys.stderr, flush=True)
        worker.join()
    if not built:
        print(_("setup-assistant: the checks stopped unexpectedly; no report was written"), file=sys.stderr)
        return EXIT_PROBLEM
    report = built[0]
    try:
        html_path, json_path = write_report(report, out, redact=args.redact)
    except OSError as exc:
        raise UsageError(
            _("{out}: cannot write the report ({reason})").format(out=out, reason=human(os_reason(exc)))
        ) from None
    print(human(report.verdict))
    if args.redact:
        print(_("Wrote {html} and {json} (address masked).").format(html=html_path, json=json_path))
    else:
        print(_("Wrote {html} and {json}.").format(html=html_path, json=json_path))
    return EXIT_OK if report.ok else EXIT_PROBLEM


def _progress(result: Any) -> None:
    print(progress_line(result), file=sys.stderr, flush=True)

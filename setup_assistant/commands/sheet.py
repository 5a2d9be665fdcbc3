"""`setup-assistant sheet EMAIL --out FILE`: the printable settings sheet for one person, HTML or, when FILE
ends in .pdf, a PDF rendered by Qt's text renderer exactly as the wizard prints it (the core stays Qt-free;
this command loads Qt only for a PDF).

Exit 0 when the sheet was written, 1 when the servers did not offer a secure connection to put on it (nothing
is written then), 2 bad input.
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
    add_provider_option,
    load_provider_or_usage,
    no_probe_hint,
    parse_address_or_usage,
)
from setup_assistant.core.i18n import _, human
from setup_assistant.core.os_errors import os_reason


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sheet",
        help=_("write a printable settings sheet for one person"),
        description=(
            _(
                "Write one printable page with the person's own settings, as the provider's guide shows "
                "them, plus webmail and the next steps. The password is shown as ********."
            )
        ),
    )
    parser.add_argument("email", help=_("the full email address (it is also the username)"))
    parser.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help=_("the file to write: .html, or .pdf for a PDF (or a folder for settings-sheet.html)"),
    )
    parser.add_argument("--name", metavar='"Full Name"', help=_("the person's name, printed at the top"))
    parser.add_argument("--protocol", choices=["imap", "pop3"], default="imap", help=_("incoming mail (default imap)"))
    add_provider_option(parser)
    parser.add_argument(
        "--no-probe", action="store_true", help=_("do not test the servers; use the provider's published settings")
    )
    parser.add_argument(
        "--timeout", type=_positive_seconds, default=10.0, help=_("seconds per network step (default 10)")
    )
    parser.set_defaults(func=cmd_sheet)


def _output(text: str) -> Path:
    from setup_assistant.core.helpdesk.settings_sheet import SHEET_FILE

    path = Path(text).expanduser()
    if path.is_dir():
        path = path / SHEET_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            _("{parent}: cannot create the folder ({reason})").format(parent=path.parent, reason=human(os_reason(exc)))
        ) from None
    return path


def _write_pdf(settings: Any, out: Path) -> Path:
    """The sheet as an A4 PDF, whole or not at all, through the wizard's own Qt renderer."""
    from setup_assistant.core.helpdesk.settings_sheet import settings_sheet

    html = settings_sheet(settings).decode("utf-8")  # refuses (NoSecureEndpoint) before Qt is loaded
    try:
        application = _qt_application()
        from setup_assistant.gui.saving import save_pdf
    except ImportError as exc:
        raise UsageError(
            _(
                "{out}: a PDF needs Qt's libraries, which could not be loaded here ({exc}); write the "
                "sheet with --out FILE.html and print it to PDF from a web browser"
            ).format(out=out, exc=exc)
        ) from None
    save_pdf(html, out)
    del application
    return out


def _qt_application() -> Any:
    """Qt's fonts and PDF writer need an application object; no window is ever shown. Where no desktop is
    needed (Linux, which may have no display at all), the offscreen platform keeps Qt from aborting."""
    from PySide6.QtGui import QGuiApplication

    existing = QGuiApplication.instance()
    if existing is not None:
        return existing
    if sys.platform not in ("win32", "darwin") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QGuiApplication(["setup-assistant"])


def cmd_sheet(args: argparse.Namespace) -> int:
    from setup_assistant.core import history
    from setup_assistant.core.account import NoSecureEndpoint, settings_from_probe, settings_without_probe
    from setup_assistant.core.helpdesk.settings_sheet import write_settings_sheet
    from setup_assistant.core.model import MailProtocol
    from setup_assistant.core.probing.account_check import check_account
    from setup_assistant.core.profile_files import ProfileInputError, check_profile_text

    provider = load_provider_or_usage(args.provider)
    address = parse_address_or_usage(args.email)
    protocol = MailProtocol(args.protocol)
    settings = settings_without_probe(provider, address, display_name=args.name, protocol=protocol)
    try:
        check_profile_text(settings)
    except ProfileInputError as exc:
        raise UsageError(human(exc)) from None
    out = _output(args.out)
    if not args.no_probe:
        cancel = threading.Event()
        try:
            check = check_account(provider, address, None, timeout=args.timeout, cancel=cancel)
        except KeyboardInterrupt:
            cancel.set()
            print(_("Cancelled; no sheet was written."), file=sys.stderr)
            return EXIT_PROBLEM
        print(human(check.verdict()), file=sys.stderr)
        hint = no_probe_hint(check.probe, "sheet")
        if hint:
            print(hint, file=sys.stderr)
        settings = settings_from_probe(
            provider, address, check.probe.endpoints, display_name=args.name, protocol=protocol
        )
    try:
        path = _write_pdf(settings, out) if out.suffix.lower() == ".pdf" else write_settings_sheet(settings, out)
    except NoSecureEndpoint as exc:
        print(_("setup-assistant: no sheet was written: {exc}").format(exc=human(exc)), file=sys.stderr)
        return EXIT_PROBLEM
    except OSError as exc:
        raise UsageError(
            _("{out}: cannot write the sheet ({reason})").format(out=out, reason=human(os_reason(exc)))
        ) from None
    history.record_written(address.address, "settings-sheet", path)
    print(_("Wrote {path}").format(path=path))
    return EXIT_OK

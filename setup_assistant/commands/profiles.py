"""`setup-assistant profiles`: probe, then write ready-made files for Thunderbird, Outlook and Apple Mail.

Exit codes as for `probe`: 0 ok, 1 when the check failed, a login was rejected or a client's files could
not be written (the other files are still written; they hold no password), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
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
    no_probe_hint,
    output_folder,
    parse_address_or_usage,
    progress_line,
    read_password,
)
from setup_assistant.core.i18n import _, human


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a whole number of days: {text}").format(text=repr(text))) from None
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError(_("give a number of days from 1 to 3650"))
    return value


def register(subparsers: Any) -> None:
    from setup_assistant.core.clients import Client

    parser = subparsers.add_parser(
        "profiles",
        help=_("write ready-made profiles for Thunderbird, Outlook and Apple Mail"),
        description=(
            _(
                "Probe the servers, then write each mail program's files (with an instructions page "
                "beside them) into DIR. Nothing on this computer changes unless --install or "
                "--thunderbird-profile is given."
            )
        ),
    )
    parser.add_argument("email", help=_("the full email address (it is also the username)"))
    parser.add_argument("--out", metavar="DIR", required=True, help=_("folder to write the files into"))
    parser.add_argument(
        "--client",
        action="append",
        choices=[c.value for c in Client],
        help=_("a mail program to write files for (repeat for several; default: all three)"),
    )
    parser.add_argument("--protocol", choices=["imap", "pop3"], default="imap", help=_("incoming mail (default imap)"))
    parser.add_argument("--name", metavar='"Full Name"', help=_("the name shown on sent mail"))
    add_provider_option(parser)
    add_password_option(parser)
    parser.add_argument(
        "--include-password",
        action="store_true",
        help=_("also write the password from --password-stdin into the files that can hold it (with a warning)"),
    )
    parser.add_argument(
        "--no-probe", action="store_true", help=_("do not test the servers; use the provider's published settings")
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help=_(
            "also apply on this computer: the default Thunderbird profile, Outlook's registry "
            "(Windows), opening the Apple Mail profile (macOS)"
        ),
    )
    parser.add_argument(
        "--thunderbird-profile", metavar="DIR", help=_("add the account to this Thunderbird profile folder")
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help=_("when the address already has an account here with wrong settings, repair it without asking"),
    )
    parser.add_argument(
        "--save-password",
        action="store_true",
        help=_(
            "with --password-stdin and --install or --thunderbird-profile: also keep the password in "
            "that Thunderbird profile's password manager (only when the server accepted it), so "
            "Thunderbird does not ask"
        ),
    )
    parser.add_argument(
        "--pop-delete-after-days",
        type=_days,
        metavar="N",
        help=_("with POP: remove mail from the server N days after download (default: never)"),
    )
    parser.add_argument(
        "--timeout", type=_positive_seconds, default=10.0, metavar="S", help=_("seconds per network step (default 10)")
    )
    parser.add_argument("--sign-cert", metavar="FILE", help=_("PEM certificate (and chain) to sign the Apple profile"))
    parser.add_argument("--sign-key", metavar="FILE", help=_("its unencrypted PEM private key"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))
    parser.set_defaults(func=cmd_profiles)


def cmd_profiles(args: argparse.Namespace) -> int:
    from setup_assistant.core.account import settings_from_probe, settings_without_probe
    from setup_assistant.core.clients.apple_mail import SigningError, load_signer
    from setup_assistant.core.clients.profiles import ALL_CLIENTS, Client, write_profiles
    from setup_assistant.core.model import MailProtocol
    from setup_assistant.core.probing.account_check import AccountCheck, check_account
    from setup_assistant.core.profile_files import ProfileInputError, check_profile_text

    provider = load_provider_or_usage(args.provider)
    address = parse_address_or_usage(args.email)
    protocol = MailProtocol(args.protocol)
    clients = [Client(c) for c in args.client] if args.client else list(ALL_CLIENTS)
    if args.pop_delete_after_days is not None and protocol is not MailProtocol.POP3:
        raise UsageError(_("--pop-delete-after-days only applies with --protocol pop3"))
    if args.include_password and not args.password_stdin:
        raise UsageError(_("--include-password needs the password on standard input (--password-stdin)"))
    thunderbird_profile = _thunderbird_profile(args.thunderbird_profile, clients)
    _check_save_password(args, clients)
    signer = None
    if bool(args.sign_cert) != bool(args.sign_key):
        raise UsageError(_("give both --sign-cert and --sign-key to sign the Apple Mail profile"))
    if args.sign_cert:
        try:
            signer = load_signer(Path(args.sign_cert), Path(args.sign_key))
        except SigningError as exc:
            raise UsageError(_("cannot sign the Apple Mail profile: {exc}").format(exc=human(exc))) from None
    options: dict[str, Any] = {
        "display_name": args.name,
        "protocol": protocol,
        "pop_delete_after_days": args.pop_delete_after_days,
    }
    try:  # refuse an unusable name before creating anything or spending time on the network
        check_profile_text(settings_without_probe(provider, address, **options))
    except ProfileInputError as exc:
        raise UsageError(human(exc)) from None
    out_dir = output_folder(args.out)
    password = read_password(args)
    if args.include_password:
        options["password"] = password

    check: AccountCheck | None = None
    if args.no_probe:
        settings = settings_without_probe(provider, address, **options)
    else:
        cancel = threading.Event()
        try:
            check = check_account(
                provider, address, password, timeout=args.timeout, cancel=cancel, progress=_progress(args)
            )
        except KeyboardInterrupt:
            cancel.set()
            print(_("Cancelled; no files were written."), file=sys.stderr)
            return EXIT_PROBLEM
        settings = settings_from_probe(provider, address, check.probe.endpoints, **options)

    keep_password = None
    if args.save_password and check is not None and check.logins_ok:
        keep_password = password  # only a password the server has just accepted
    try:
        outcome = write_profiles(
            settings,
            out_dir,
            clients,
            install=args.install,
            thunderbird_profile=thunderbird_profile,
            apple_signer=signer,
            repair_consent=_consent(args),
            thunderbird_password=keep_password,
        )
    except ProfileInputError as exc:
        raise UsageError(human(exc)) from None

    password_missed = _password_not_kept(args, check, outcome)
    if args.json:
        data = {"check": check.to_json() if check else None, "profiles": outcome.to_json()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(_report(check, outcome))
        if password_missed:
            print(
                _("Thunderbird: password not saved: {password_missed}").format(password_missed=human(password_missed))
            )
    for warning in outcome.warnings:
        print(_("Warning: {warning}").format(warning=human(warning)), file=sys.stderr)
    ok = outcome.ok and (check is None or check.ok) and not password_missed
    return EXIT_OK if ok else EXIT_PROBLEM


def _check_save_password(args: argparse.Namespace, clients: list[Any]) -> None:
    """--save-password is an explicit request with three conditions; each missing one is a usage error."""
    if not args.save_password:
        return
    if not args.password_stdin:
        raise UsageError(_("--save-password needs the password on standard input (--password-stdin)"))
    if "thunderbird" not in clients or not (args.install or args.thunderbird_profile):
        raise UsageError(
            _(
                "--save-password keeps the password in the Thunderbird profile that --install or "
                "--thunderbird-profile sets up; give one of them (with the thunderbird client)"
            )
        )
    if args.no_probe:
        raise UsageError(_("--save-password keeps only a password the server has accepted; leave out --no-probe"))


def _password_not_kept(args: argparse.Namespace, check: Any, outcome: Any) -> str | None:
    """Why a --save-password request was not fulfilled (None when it was, or when none was made)."""
    if not args.save_password:
        return None
    if check is None or not check.logins_ok:
        return _("the server did not accept the password, so it was not kept; Thunderbird will ask for it.")
    for result in outcome.clients:
        if result.client == "thunderbird":
            if result.password is not None:
                return None if result.password.saved else human(result.password.message)
            if result.error:
                return _("the account could not be added to Thunderbird, so neither was the password.")
            return (
                human(result.skipped)
                if result.skipped
                else _("no Thunderbird profile was set up, so the password was not kept.")
            )
    return None


def _consent(args: argparse.Namespace) -> Any:
    """Repairing an account the person already has: --yes, or a yes on a terminal (shown the changes first)."""

    def consent(changes: Any) -> bool:
        if args.yes:
            return True
        from setup_assistant.commands.doctor import ask

        print(_("This address already has an account here; repairing it would change:"), file=sys.stderr)
        for change in changes:
            print(f"  {_program(change.program)} {change.account}: {human(change.describe())}", file=sys.stderr)
        return bool(ask(_("Change these settings?")))

    return consent


def _program(program: str) -> str:
    """A mail program's name as people write it ("thunderbird" in data is "Thunderbird")."""
    from setup_assistant.core.clients import Client

    try:
        return Client(program).label
    except ValueError:
        return program


def _thunderbird_profile(text: str | None, clients: list[Any]) -> Path | None:
    if text is None:
        return None
    if "thunderbird" not in clients:
        raise UsageError(_("--thunderbird-profile needs the thunderbird client"))
    path = Path(text).expanduser()
    if not path.is_dir():
        raise UsageError(_("{folder}: no such Thunderbird profile folder").format(folder=text))
    return path


def _progress(args: argparse.Namespace) -> Any:
    def show(result: Any) -> None:
        if not args.json:
            print(progress_line(result), file=sys.stderr, flush=True)

    return show


def _report(check: Any, outcome: Any) -> str:
    lines = []
    if check is not None:
        lines.append(human(check.verdict()))
        hint = no_probe_hint(check.probe, "profiles")
        if hint:
            lines.append(hint)
    else:
        lines.append(_("Servers not tested (--no-probe): the files use the provider's published settings."))
    for result in outcome.clients:
        label = result.client.label
        if result.files:
            lines.append(_("{label}: wrote").format(label=label))
            lines += [f"  {path}" for path in result.files]
        if result.installed:
            lines.append(f"{label}: {human(result.installed)}")
        if result.next_steps:
            lines.append(_("{label}: now, in this order:").format(label=label))
            lines += [f"  {n}. {human(step)}" for n, step in enumerate(result.next_steps, 1)]
        if result.password is not None and result.password.saved:
            lines.append(f"{label}: {human(result.password.message)}")
        if result.skipped:
            lines.append(_("{label}: not applied here: {skipped}").format(label=label, skipped=human(result.skipped)))
        if result.error:
            lines.append(_("{label}: FAILED: {error}").format(label=label, error=human(result.error)))
    return "\n".join(lines)

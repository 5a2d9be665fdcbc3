"""`setup-assistant doctor` and `setup-assistant repair`: the accounts this computer already has for an address,
what is wrong with each in plain words, and (with consent) the fix, in place.

doctor: exit 0 when every account found is right, 1 when something is wrong or no account was found, 2 on usage.
repair: without --yes it shows the changes and asks on a terminal; with no terminal and no --yes it changes nothing
and exits 1; exit 0 when everything found is right afterwards. Advice (a duplicate, an alias sender address, POP
deletion after N days) is reported but never changed and does not make the exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from setup_assistant.cli import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    _positive_seconds,
    add_provider_option,
    load_provider_or_usage,
    parse_address_or_usage,
    progress_line,
)
from setup_assistant.core.i18n import _, human


def register(subparsers: Any) -> None:
    doctor = subparsers.add_parser(
        "doctor",
        help=_("find this address's accounts in the mail programs here and say what is wrong with them"),
        description=(
            _(
                "Find every account for the address in Thunderbird (every profile) and classic Outlook "
                "(Windows), compare each setting with what works (a probe first, unless --no-probe) and "
                "with the provider's guide, and say what is wrong in plain words. Changes nothing."
            )
        ),
    )
    _common(doctor)
    doctor.set_defaults(func=cmd_doctor)

    repair = subparsers.add_parser(
        "repair",
        help=_("fix what `doctor` finds, in place (asks first)"),
        description=(
            _(
                "Fix what `doctor` finds: only the wrong values change; each account keeps its folders, "
                "local mail, filters and identities; a backup (Thunderbird) or restore file (Outlook) is "
                "written first; duplicates are reported, never removed. Asks before changing anything "
                "unless --yes."
            )
        ),
    )
    _common(repair)
    repair.add_argument("--yes", action="store_true", help=_("change without asking"))
    repair.set_defaults(func=cmd_repair)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email", help=_("the full email address"))
    add_provider_option(parser)
    parser.add_argument("--thunderbird-profile", metavar="DIR", help=_("look only in this Thunderbird profile folder"))
    parser.add_argument(
        "--no-probe",
        action="store_true",
        help=_("do not test the servers; compare with the provider's published settings"),
    )
    parser.add_argument(
        "--timeout", type=_positive_seconds, default=10.0, metavar="S", help=_("seconds per network step (default 10)")
    )
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))


def _settings(args: argparse.Namespace) -> Any:
    from setup_assistant.core.account import settings_from_probe, settings_without_probe
    from setup_assistant.core.probing.account_check import check_account

    provider = load_provider_or_usage(args.provider)
    address = parse_address_or_usage(args.email)
    args.unchecked = None  # why the servers could not say what works, when they could not
    if args.no_probe:
        return settings_without_probe(provider, address)
    cancel = threading.Event()

    def show(result: Any) -> None:
        if not args.json:
            print(progress_line(result), file=sys.stderr, flush=True)

    try:
        check = check_account(provider, address, None, timeout=args.timeout, cancel=cancel, progress=show)
    except KeyboardInterrupt:
        cancel.set()
        raise
    if not check.probe.secure_setup_exists:
        args.unchecked = check.verdict()
    return settings_from_probe(provider, address, check.probe.endpoints)


def _profiles(args: argparse.Namespace) -> list[Path] | None:
    if args.thunderbird_profile is None:
        return None
    path = Path(args.thunderbird_profile).expanduser()
    if not path.is_dir():
        raise UsageError(_("{folder}: no such Thunderbird profile folder").format(folder=args.thunderbird_profile))
    return [path]


def _registry() -> Any:
    """None: the real registry on Windows, none elsewhere (tests replace this with a fake one)."""
    return None


def _label(program: str) -> str:
    from setup_assistant.core.clients import Client

    try:
        return Client(program).label
    except ValueError:
        return program


def _text(examination: Any, address: str) -> str:
    from setup_assistant.core.clients.diagnosis import SEVERITY_WORDS, summary

    lines: list[str] = []
    if not examination.accounts:
        lines.append(_("No mail program on this computer has an account for {address}.").format(address=address))
    for account in examination.accounts:
        lines.append(
            _("{summary}  [{account} in {profile}]").format(
                summary=human(summary(account, _label(account.program))),
                account=account.account,
                profile=account.profile,
            )
        )
        for finding in account.findings:
            lines.append(f"  {_(SEVERITY_WORDS[finding.severity]):7} {human(finding.message)}")
            lines.append(
                "          "
                + _("{setting}: found {found}; should be {expected}").format(
                    setting=finding.setting, found=human(finding.found), expected=human(finding.expected)
                )
            )
    for error in examination.errors:
        lines.append(_("Could not check: {error}").format(error=human(error)))
    if examination.apple_mail:
        lines.append(_("Apple Mail's accounts cannot be read without extra permissions; compare these in Mail:"))
        for setting, value, where in examination.apple_mail:
            lines.append(f"  {human(setting)}: {human(value)}  ({human(where)})")
    return "\n".join(lines)


def _examine(args: argparse.Namespace) -> tuple[Any, Any, list[Path] | None]:
    from setup_assistant.core.clients import doctor

    profiles = _profiles(args)
    settings = _settings(args)
    return settings, doctor.examine(settings, thunderbird_profiles=profiles, registry=_registry()), profiles


def _unchecked(args: argparse.Namespace) -> bool:
    """Without a working secure connection the servers could not confirm anything: say so, and never exit 0."""
    why = getattr(args, "unchecked", None)
    if why:
        print(_("The settings could not be checked against the servers: {why}").format(why=human(why)), file=sys.stderr)
    return bool(why)


def cmd_doctor(args: argparse.Namespace) -> int:
    _, examination, _ = _examine(args)
    if args.json:
        print(json.dumps({"email": args.email, **examination.to_json()}, indent=2, ensure_ascii=False))
    else:
        print(_text(examination, args.email))
    unchecked = _unchecked(args)
    return EXIT_OK if examination.ok and not unchecked else EXIT_PROBLEM


def ask(question: str, stdin: TextIO | None = None) -> bool | None:
    """A yes/no on a terminal; None when there is no terminal to ask on."""
    stream = stdin or sys.stdin
    if stream is None or not stream.isatty():
        return None
    # TRANSLATORS: the letters a person types for yes and no; the capital one is the answer when Enter is pressed.
    choices = _("[y/N]")
    print(f"{question} {choices} ", end="", file=sys.stderr, flush=True)
    try:
        answer = stream.readline()
    except (OSError, UnicodeDecodeError):
        return False
    # English words always count, so a volunteer's habit works in either language.
    # TRANSLATORS: the one-letter "yes" a person types at the [y/N] question.
    return answer.strip().lower() in ("y", "yes", _("y"), _("yes"))


def cmd_repair(args: argparse.Namespace) -> int:
    from setup_assistant.core.clients import doctor
    from setup_assistant.core.clients.profiles import app_data_dir

    settings, examination, profiles = _examine(args)
    planned = examination.planned
    if not planned:
        if args.json:
            print(json.dumps({"email": args.email, **examination.to_json(), "changed": []}, indent=2))
        else:
            print(_text(examination, args.email))
            print(_("Nothing to change.") if examination.accounts else _("Nothing to repair."))
        return EXIT_OK if examination.ok and not _unchecked(args) else EXIT_PROBLEM
    if not args.yes:
        if not args.json:
            print(_text(examination, args.email))
        print(_("The repair would change:"), file=sys.stderr)
        for change in planned:
            print(f"  {_label(change.program)} {change.account}: {human(change.describe())}", file=sys.stderr)
        consent = ask(_("Change these settings?"))
        if not consent:
            if consent is None:
                print(_("Nothing was changed (no terminal to ask on; add --yes)."), file=sys.stderr)
            else:
                print(_("Nothing was changed (not confirmed)."), file=sys.stderr)
            if args.json:
                print(json.dumps({"email": args.email, **examination.to_json(), "changed": []}, indent=2))
            return EXIT_PROBLEM
    result = doctor.repair(settings, app_data_dir() / "outlook", thunderbird_profiles=profiles, registry=_registry())
    if args.json:
        print(json.dumps({"email": args.email, **result.to_json()}, indent=2, ensure_ascii=False))
    else:
        for change in result.changes:
            print(
                _("Changed {program} {account}: {change}").format(
                    program=_label(change.program), account=change.account, change=human(change.describe())
                )
            )
        for path in result.backups:
            print(_("Backup: {path}").format(path=path))
        for error in result.errors:
            print(_("Not changed: {error}").format(error=human(error)))
        print(_text(result.examination, args.email))
    unchecked = _unchecked(args)
    return EXIT_OK if result.examination.ok and not result.errors and not unchecked else EXIT_PROBLEM

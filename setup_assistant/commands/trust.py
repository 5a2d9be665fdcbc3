"""`setup-assistant trust status|install|remove`: the provider's pinned root, where each mail program looks.

Exit 0 when every place that needs the root has it (after install: installed, already there or not needed;
after remove: gone everywhere), 1 when a place still lacks it, an OS dialog was cancelled, something failed or
the server's chain does not lead to the pinned root, 2 for bad usage and for a root file that does not match
its pinned SHA-256 (nothing is installed then).
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
    add_provider_option,
    load_provider_or_usage,
)
from setup_assistant.core.i18n import N_, _, human

# The result column: what happened in each place (JSON keeps the outcome's own value).
_OUTCOME_WORDS = {
    "installed": N_("installed"),
    "already-present": N_("already there"),
    "not-needed": N_("not needed"),
    "removed": N_("removed"),
    "absent": N_("not there"),
    "cancelled": N_("cancelled"),
    "failed": N_("failed"),
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "trust",
        help=_("check, install or remove the provider's root certificate"),
        description=(
            _(
                "Check where the provider's root certificate is needed and present (status), put it "
                "where each mail program looks, only where needed and only when it matches its pinned "
                "SHA-256 (install), or take out exactly what this assistant put in (remove). No "
                "administrator rights are needed."
            )
        ),
    )
    parser.add_argument("action", choices=["status", "install", "remove"], help=_("what to do"))
    add_provider_option(parser)
    parser.add_argument(
        "--thunderbird-profile",
        metavar="DIR",
        action="append",
        help=_(
            "handle this Thunderbird profile folder instead of the ones found automatically (may be "
            "given more than once); this computer's own store is handled as well"
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of a table"))
    parser.add_argument(
        "--offline",
        action="store_true",
        help=_(
            "install: when the server cannot be reached to check its certificate chain, install the "
            "pinned root anyway (it is then trusted for web sites too, by browsers that read "
            "~/.pki/nssdb or the OS store)"
        ),
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=10.0,
        help=_("seconds per network step when checking the server (default 10)"),
    )
    parser.set_defaults(func=cmd_trust)


def _profiles(values: list[str] | None) -> list[Path] | None:
    if not values:
        return None
    profiles = []
    for value in values:
        path = Path(value).expanduser()
        if not path.is_dir():
            raise UsageError(_("--thunderbird-profile {value}: no such folder").format(value=value))
        profiles.append(path)
    return profiles


def _yes_no(value: bool | None) -> str:
    return _("unknown") if value is None else (_("yes") if value else _("no"))


def _needed(report: Any) -> str:
    need = report.need
    if need is None:
        return "-"
    return {"needed": _("yes"), "not-needed": _("no"), "other-root": _("no"), "unchecked": _("assumed")}[need.value]


def _table(report: Any) -> str:
    root = report.root
    out = [
        _("{provider} root certificate: {subject}").format(provider=report.provider.name, subject=root.subject),
        f"  SHA-256 {root.fingerprint}",
    ]
    if report.server is not None:
        out.append(_("Server: {detail}.").format(detail=human(report.server.detail)))
    rows = [(_("place"), _("needed"), _("has it"), _("result"))]
    for r in report.places:
        result = _(_OUTCOME_WORDS[r.outcome.value]) if r.outcome else "-"
        rows.append((human(r.place.label), _needed(r), _yes_no(r.present), result))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        out.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if index:
            place = report.places[index - 1]
            out.append(
                "      "
                + _("used by {programs}: {message}").format(
                    programs=", ".join(human(p) for p in place.place.programs), message=human(place.message)
                )
            )
    out += [_("Note: {note}").format(note=human(note)) for note in report.notes]
    out.append(human(report.summary()))
    return "\n".join(out)


def cmd_trust(args: argparse.Namespace) -> int:
    from setup_assistant.core.trust import (
        PinMismatch,
        check_server,
        install_root,
        plan_places,
        remove_root,
        trust_status,
        verify_pin,
    )

    if args.offline and args.action != "install":
        raise UsageError(_("--offline only applies to `trust install`"))
    provider = load_provider_or_usage(args.provider)
    if provider.root is None:
        raise UsageError(
            _("{source}: the provider file has no [trust] section, so there is no root to handle").format(
                source=provider.source
            )
        )
    try:
        verify_pin(provider.root)
    except PinMismatch as exc:
        raise UsageError(human(exc)) from None
    profiles = _profiles(args.thunderbird_profile)
    plan = plan_places(provider, thunderbird_profiles=profiles)
    if args.action == "remove":
        report = remove_root(provider, plan)
    else:
        cancel = threading.Event()
        if not args.json:
            print(_("Checking {name}'s servers …").format(name=provider.name), file=sys.stderr, flush=True)
        try:
            server = check_server(provider, timeout=args.timeout, cancel=cancel)
        except KeyboardInterrupt:
            cancel.set()
            print(_("Cancelled."), file=sys.stderr)
            return EXIT_PROBLEM
        if args.action == "install":
            if args.offline and server.verdict.value == "unreachable" and not args.json:
                print(
                    _(
                        "Warning: the server could not be checked; installing {subject} anyway (--offline). It "
                        "will vouch for any web site or server it signs for, not only for mail, in every place "
                        "below (web browsers read ~/.pki/nssdb and this computer's certificate store too)."
                    ).format(subject=provider.root.subject),
                    file=sys.stderr,
                    flush=True,
                )
            report = install_root(provider, plan, server, offline=args.offline)
        else:
            report = trust_status(provider, plan, server)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(_table(report))
    return EXIT_OK if report.ok else EXIT_PROBLEM

"""Every account this computer's mail programs hold for an address, what is wrong with each, and the repair.

One place for the CLI (`doctor`, `repair`, `profiles --install`), the wizard's programs page and the help-desk
report. Thunderbird: every profile (or the one named). Outlook: classic Outlook's registry on Windows (or the
registry given, in tests). Apple Mail keeps its accounts where an app may not read without Full Disk Access
(~/Library/Mail and ~/Library/Accounts are privacy-protected since macOS 10.14), so on a Mac the values to compare
are listed beside where Mail shows each one (apple_mail_comparison).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients import Client
from setup_assistant.core.clients.diagnosis import Change, FoundAccount, planned_changes
from setup_assistant.core.clients.outlook import fixer as outlook_fixer
from setup_assistant.core.clients.outlook import registry as outlook_registry
from setup_assistant.core.clients.thunderbird import fixer as thunderbird_fixer
from setup_assistant.core.clients.thunderbird.writer import ProfileWriteError, find_profiles
from setup_assistant.core.i18n import N_, Message, reason
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.os_errors import os_failure


@dataclass(frozen=True)
class Examination:
    accounts: tuple[FoundAccount, ...]
    errors: tuple[str, ...] = ()  # a program that could not be read, in a sentence
    apple_mail: tuple[tuple[str, str, str], ...] = ()  # (setting, value, where Mail shows it), on macOS

    @property
    def ok(self) -> bool:
        """Every account found is right (advice aside), and at least one was found."""
        return bool(self.accounts) and all(a.ok for a in self.accounts) and not self.errors

    @property
    def planned(self) -> list[Change]:
        return [c for a in self.accounts for c in planned_changes(a)]

    def for_program(self, client: Client) -> list[FoundAccount]:
        return [a for a in self.accounts if a.program == client.value]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": self.ok,
            "accounts": [a.to_json() for a in self.accounts],
            "errors": list(self.errors),
        }
        if self.apple_mail:
            data["apple_mail_compare"] = [{"setting": s, "value": v, "where": w} for s, v, w in self.apple_mail]
        return data


@dataclass(frozen=True)
class Repair:
    examination: Examination  # after the repair
    changes: tuple[Change, ...]
    backups: tuple[Path, ...]  # Thunderbird files as they were, and Outlook restore files
    errors: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        data = self.examination.to_json()
        data["errors"] = [*data["errors"], *self.errors]
        data["ok"] = self.examination.ok and not self.errors
        data["changed"] = [c.to_json() for c in self.changes]
        data["backups"] = [str(p) for p in self.backups]
        return data


def _outlook_registry(registry: outlook_registry.Registry | None, platform: str) -> outlook_registry.Registry | None:
    if registry is not None:
        return registry
    if platform == "win32":
        return outlook_registry.WindowsRegistry()
    return None


def _profiles(thunderbird_profiles: list[Path] | None, home: Path | None, platform: str) -> list[Path]:
    if thunderbird_profiles is not None:
        return thunderbird_profiles
    return [p.path for p in find_profiles(home, platform)]


def examine(
    settings: AccountSettings,
    *,
    thunderbird_profiles: list[Path] | None = None,
    registry: outlook_registry.Registry | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Examination:
    """Finds and diagnoses every account for settings.address; changes nothing."""
    platform = platform or sys.platform
    accounts: list[FoundAccount] = []
    errors: list[str] = []
    for profile in _profiles(thunderbird_profiles, home, platform):
        try:
            accounts += thunderbird_fixer.diagnose_profile(profile, settings)
        except (ProfileWriteError, OSError) as exc:
            errors.append(Message("Thunderbird profile {profile}: {error}", profile=profile, error=os_failure(exc)))
    reg = _outlook_registry(registry, platform)
    if reg is not None:
        try:
            accounts += outlook_fixer.diagnose_registry(reg, settings)
        except outlook_registry.RegistryError as exc:
            errors.append(Message("Outlook: {error}", error=reason(exc)))
    comparison = tuple(apple_mail_comparison(settings)) if platform == "darwin" else ()
    return Examination(tuple(accounts), tuple(errors), comparison)


def repair(
    settings: AccountSettings,
    restore_folder: Path,
    *,
    thunderbird_profiles: list[Path] | None = None,
    registry: outlook_registry.Registry | None = None,
    platform: str | None = None,
    home: Path | None = None,
    outlook_running: Any = None,
) -> Repair:
    """Fixes every fixable finding, program by program; one program's refusal does not stop the others."""
    platform = platform or sys.platform
    changes: list[Change] = []
    backups: list[Path] = []
    errors: list[str] = []
    for profile in _profiles(thunderbird_profiles, home, platform):
        try:
            if not any(a.fixable for a in thunderbird_fixer.diagnose_profile(profile, settings)):
                continue
            result = thunderbird_fixer.repair_profile(profile, settings)
        except (ProfileWriteError, OSError) as exc:
            errors.append(Message("Thunderbird: {error}", error=os_failure(exc)))
            continue
        changes += result.changes
        backups += result.backups
    reg = _outlook_registry(registry, platform)
    if reg is not None:
        try:
            kwargs = {"is_running": outlook_running} if outlook_running is not None else {}
            outcome = outlook_fixer.repair_registry(reg, settings, restore_folder, **kwargs)
            changes += outcome.changes
            if outcome.restore_file is not None:
                backups.append(outcome.restore_file)
        except (outlook_registry.RegistryError, OSError) as exc:
            errors.append(Message("Outlook: {error}", error=os_failure(exc)))
    after = examine(
        settings, thunderbird_profiles=thunderbird_profiles, registry=registry, platform=platform, home=home
    )
    return Repair(after, tuple(changes), tuple(backups), tuple(errors))


def apple_mail_comparison(settings: AccountSettings) -> list[tuple[str, str, str]]:
    """What Apple Mail's account should say, and where Mail (Settings › Accounts) shows each value.

    Each text is a Message: English as data (`--json`), Mail's labels in the person's language where shown."""
    incoming = settings.ordered(settings.protocol, ssl_first=True)
    outgoing = settings.ordered(MailProtocol.SMTP, ssl_first=True)
    tab = Message("Mail › Settings › Accounts › (the account) › Server Settings")
    manual = Message("untick “Automatically manage connection settings” to see it")
    password = Message("Password")

    def where(box: str, field: str, *, hidden: bool = False) -> Message:
        # Mail hides the port and the authentication while it manages the connection settings itself.
        place = Message(field, box=Message(box, tab=tab))
        return Message("{place} ({manual})", place=place, manual=manual) if hidden else place

    def tls_port(port: int) -> Message:
        return Message("{port} with “Use TLS/SSL” ticked", port=port)

    rows: list[tuple[str, str, str]] = [
        (
            Message("Email address"),
            settings.address.address,
            Message("Mail › Settings › Accounts › (the account) › Account Information"),
        )
    ]
    incoming_box = N_("{tab} › Incoming Mail Server")
    outgoing_box = N_("{tab} › Outgoing Mail Server (SMTP)")
    if incoming:
        e = incoming[0]
        rows += [
            (Message("Incoming user name"), settings.username, where(incoming_box, N_("{box} › User Name"))),
            (Message("Incoming host name"), e.host, where(incoming_box, N_("{box} › Host Name"))),
            (Message("Incoming port"), tls_port(e.port), where(incoming_box, N_("{box} › Port"), hidden=True)),
            (
                Message("Incoming authentication"),
                password,
                where(incoming_box, N_("{box} › Authentication"), hidden=True),
            ),
        ]
    if outgoing:
        e = outgoing[0]
        rows += [
            (Message("Outgoing user name"), settings.username, where(outgoing_box, N_("{box} › User Name"))),
            (Message("Outgoing host name"), e.host, where(outgoing_box, N_("{box} › Host Name"))),
            (Message("Outgoing port"), tls_port(e.port), where(outgoing_box, N_("{box} › Port"), hidden=True)),
            (
                Message("Outgoing authentication"),
                password,
                where(outgoing_box, N_("{box} › Authentication"), hidden=True),
            ),
        ]
    rows.append(
        (
            Message("POP accounts only: Remove copy from server after retrieving a message"),
            Message("unticked (mail stays on the server for webmail and your other devices)"),
            Message("Mail › Settings › Accounts › (the account), on its Account Information or Advanced tab"),
        )
    )
    return rows

"""Writes every requested mail program's files, with an instruction page beside each, and applies them
on this computer only when asked.

A plain export never touches the user's mail programs. With install=True: the default Thunderbird profile
gets the account, Outlook's registry is set on Windows (after copying autodiscover.xml to this app's own
per-user folder), and on macOS the Apple Mail profile is opened for the person to approve. One client's
failure is reported beside the others' results instead of stopping them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

from setup_assistant.core import history
from setup_assistant.core.account import AccountSettings, NoSecureEndpoint
from setup_assistant.core.clients import ALL_CLIENTS as ALL_CLIENTS  # re-exported: callers name them from here
from setup_assistant.core.clients import Client as Client
from setup_assistant.core.clients import apple_mail, instructions
from setup_assistant.core.clients.diagnosis import Change, planned_changes
from setup_assistant.core.clients.outlook import detect as outlook_detect
from setup_assistant.core.clients.outlook import fixer as outlook_fixer
from setup_assistant.core.clients.outlook import registry as outlook_registry
from setup_assistant.core.clients.outlook import routes as outlook_routes
from setup_assistant.core.clients.outlook import writer as outlook
from setup_assistant.core.clients.thunderbird import fixer as thunderbird_fixer
from setup_assistant.core.clients.thunderbird import logins as thunderbird_logins
from setup_assistant.core.clients.thunderbird import writer as thunderbird
from setup_assistant.core.i18n import Message, PluralMessage, listing, reason
from setup_assistant.core.os_errors import os_failure
from setup_assistant.core.profile_files import check_profile_text, write_atomic

APP_FOLDER = history.APP_NAME
# System Settings' profiles pane (Privacy & Security › Profiles; General › Device Management on macOS 15).
MACOS_PROFILES_PANE = "x-apple.systempreferences:com.apple.preferences.configurationprofiles"
RESTORE_REG_FILE = "outlook-restore.reg"

Opener = Callable[[Sequence[str]], None]
# Asked before an account the person already has is repaired: the changes, and True to go ahead.
Consent = Callable[[Sequence[Change]], bool]


@dataclass(frozen=True)
class ClientOutcome:
    client: Client
    files: tuple[Path, ...] = ()
    installed: str | None = None  # what was applied on this computer (a Message, like skipped and error)
    skipped: str | None = None  # why installing did not apply here
    error: str | None = None
    next_steps: tuple[str, ...] = ()  # what the person still has to do, in order (numbered when shown)
    password: thunderbird_logins.PasswordSave | None = None  # Thunderbird only, when asked to keep the password

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "client": self.client.value,
            "files": [str(p) for p in self.files],
            "installed": self.installed,
            "skipped": self.skipped,
            "error": self.error,
            "next_steps": [str(step) for step in self.next_steps],  # English data (Message); human() on screen
        }
        if self.password is not None:
            data["password"] = self.password.to_json()
        return data


@dataclass(frozen=True)
class ProfilesOutcome:
    out_dir: Path
    clients: tuple[ClientOutcome, ...]
    warnings: tuple[str, ...] = ()

    @property
    def files(self) -> list[Path]:
        return [p for c in self.clients for p in c.files]

    @property
    def errors(self) -> list[str]:
        return [Message("{program}: {error}", program=c.client.label, error=c.error) for c in self.clients if c.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "ok": self.ok,
            "clients": [c.to_json() for c in self.clients],
            "warnings": list(self.warnings),
        }


@dataclass
class _Installing:
    platform: str
    registry: outlook_registry.Registry | None
    app_data: Path | None
    opener: Opener | None
    home: Path | None
    consent: Consent | None = None
    outlook_machine: outlook_detect.MachineReader | None = None
    thunderbird_password: str | None = None


def app_data_dir() -> Path:
    """This app's own per-user folder (on Windows %LOCALAPPDATA%\\NPOMail Setup Assistant)."""
    return history.data_dir()


def outlook_xml_path(settings: AccountSettings, platform: str, app_data: Path | None = None) -> PurePath:
    """Where Outlook reads autodiscover.xml: this user's app folder on Windows (where --install puts it),
    else the person's own %LOCALAPPDATA% folder that outlook-setup.cmd copies it to."""
    if platform == "win32":
        return _local_outlook_folder(settings, app_data) / outlook.AUTODISCOVER_FILE
    return PureWindowsPath(outlook.export_xml_folder(settings)) / outlook.AUTODISCOVER_FILE


def _local_outlook_folder(settings: AccountSettings, app_data: Path | None) -> Path:
    return (app_data or app_data_dir()) / "outlook" / settings.address.ascii_domain


def write_profiles(
    settings: AccountSettings,
    out_dir: Path,
    clients: Iterable[Client] = ALL_CLIENTS,
    *,
    install: bool = False,
    thunderbird_profile: Path | None = None,
    apple_signer: apple_mail.ProfileSigner | None = None,
    platform: str | None = None,
    registry: outlook_registry.Registry | None = None,
    app_data: Path | None = None,
    opener: Opener | None = None,
    home: Path | None = None,
    record: bool = True,
    repair_consent: Consent | None = None,
    outlook_machine: outlook_detect.MachineReader | None = None,
    thunderbird_password: str | None = None,
) -> ProfilesOutcome:
    """Writes out_dir/<client>/… for each client; installs only with install=True (or a Thunderbird profile).

    Raises ProfileInputError before writing anything when the name or address cannot go into a file.
    `record=False` keeps it out of this computer's history (batch exports are for other computers).
    When installing finds an account the person already has for the address, it is repaired in place (if
    `repair_consent` agrees to the changes) instead of a second one being added. With install=True the Outlook
    sheet puts the routes for the Outlook found here first (`outlook_machine` reads the registry; the real one by
    default). `thunderbird_password`, only when the person asked for the password to be kept: once the account is
    in the Thunderbird profile, the password goes into that profile's password manager (logins.py) too.
    """
    check_profile_text(settings)
    env = _Installing(
        platform or sys.platform,
        registry,
        app_data,
        opener,
        home,
        repair_consent,
        outlook_machine,
        thunderbird_password,
    )
    results = []
    for client in dict.fromkeys(clients):
        try:
            if client is Client.THUNDERBIRD:
                result = _thunderbird(settings, out_dir / client.value, install, thunderbird_profile, env)
            elif client is Client.OUTLOOK:
                result = _outlook(settings, out_dir / client.value, install, env)
            else:
                result = _apple_mail(settings, out_dir / client.value, install, apple_signer, env)
        except (NoSecureEndpoint, OSError, thunderbird.ProfileWriteError, outlook_registry.RegistryError) as exc:
            result = ClientOutcome(client, error=_message(exc))
        except _PartialFailure as failure:
            result = failure.outcome
        results.append(result)
        if record:
            _remember(settings, result)
    return ProfilesOutcome(out_dir, tuple(results), tuple(_password_warnings(settings, results)))


def _remember(settings: AccountSettings, result: ClientOutcome) -> None:
    """Notes what was written (and applied) so a help-desk report can list it later."""
    if result.files:  # one entry per client and folder keeps the record short even for a whole office
        folder = result.files[0].parent
        history.record_written(settings.address.address, result.client.value, folder, installed=bool(result.installed))


class _PartialFailure(Exception):
    """The files were written but applying them failed: report both."""

    def __init__(self, outcome: ClientOutcome) -> None:
        super().__init__(outcome.error)
        self.outcome = outcome


def _message(exc: BaseException) -> str:
    """An error's sentence: the Message it was raised with (translated where shown), else its English text."""
    if isinstance(exc, OSError) and exc.strerror:
        return os_failure(exc)
    return reason(exc) or type(exc).__name__


def _thunderbird(
    settings: AccountSettings, out: Path, install: bool, profile: Path | None, env: _Installing
) -> ClientOutcome:
    autoconfig = thunderbird.write_autoconfig(settings, out)
    sheet = instructions.write_sheet(out, instructions.thunderbird_sheet(settings, autoconfig.name))
    files = (autoconfig, sheet)
    if profile is None and not install:
        return ClientOutcome(Client.THUNDERBIRD, files)
    if profile is None:
        found = thunderbird.find_profiles(env.home, env.platform)
        if not found:
            return ClientOutcome(
                Client.THUNDERBIRD,
                files,
                skipped=Message(
                    "no Thunderbird profile found on this computer (start Thunderbird once, or name the profile folder)"
                ),
            )
        profile = found[0].path
    try:
        if thunderbird_fixer.diagnose_profile(profile, settings):  # the address is there already: repaired, not added
            installed, added = _repair_thunderbird(settings, profile, env), False
        else:
            result = thunderbird.install_account(settings, profile)
            installed, added = result.message, result.added
    except (thunderbird.ProfileWriteError, OSError) as exc:
        raise _PartialFailure(ClientOutcome(Client.THUNDERBIRD, files, error=_message(exc))) from None
    saved = None
    if env.thunderbird_password:
        saved = thunderbird_logins.save_password(settings, env.thunderbird_password, profile, platform=env.platform)
        if saved.saved and added:  # the writer's "Thunderbird will ask for the password" is no longer true
            installed = Message(
                "Added {address} to the Thunderbird profile {profile}.",
                address=settings.address.address,
                profile=profile.name,
            )
    return ClientOutcome(Client.THUNDERBIRD, files, installed=installed, password=saved)


class RepairDeclined(thunderbird.ProfileWriteError):
    """An existing account is wrong and the person did not agree to the repair; nothing was changed."""


def _agreed(changes: Sequence[Change], env: _Installing, program: str, address: str) -> None:
    if env.consent is None or not env.consent(changes):
        raise RepairDeclined(
            PluralMessage(
                "{program} already has {address}, but {n} of its settings is wrong; nothing was changed and no second "
                "account was added. Run `setup-assistant repair {address}` (or add --yes) to fix it.",
                "{program} already has {address}, but {n} of its settings are wrong; nothing was changed and no "
                "second account was added. Run `setup-assistant repair {address}` (or add --yes) to fix them.",
                len(changes),
                program=program,
                address=address,
                n=len(changes),
            )
        )


def _repair_thunderbird(settings: AccountSettings, profile: Path, env: _Installing) -> str:
    """The address already has an account here: repair it in place (with consent) instead of adding another."""
    address = settings.address.address
    existing = thunderbird_fixer.diagnose_profile(profile, settings)
    changes = [c for a in existing for c in planned_changes(a)]
    keys = ", ".join(a.account for a in existing)
    if not changes:
        if all(a.ok for a in existing):
            return _after_repair(settings, profile, existing, "")
        raise thunderbird.ProfileWriteError(
            Message(
                "Thunderbird already has {address} ({accounts}), but what is wrong cannot be fixed automatically; run "
                "`setup-assistant doctor {address}` to see it. Nothing was changed.",
                address=address,
                accounts=keys,
            )
        )
    _agreed(changes, env, "Thunderbird", address)
    result = thunderbird_fixer.repair_profile(profile, settings)
    done = listing([c.describe() for c in result.changes], "; ")
    repaired = Message(
        "Repaired {address} in the Thunderbird profile {profile} ({accounts}), in place: {changes}.",
        address=address,
        profile=profile.name,
        accounts=keys,
        changes=done,
    )
    return _after_repair(settings, profile, list(result.accounts), repaired)


def _after_repair(settings: AccountSettings, profile: Path, accounts: Sequence[Any], repaired: str) -> str:
    """The writer's own step for an account that is already there (it now matches by host and username)."""
    if any(a.incoming.protocol is settings.protocol for a in accounts):
        then = thunderbird.install_account(settings, profile).message
    else:
        then = Message(
            "{address} already has a {kinds} account in the Thunderbird profile {profile}; no second account was "
            "added.",
            address=settings.address.address,
            kinds=", ".join(sorted({a.incoming.protocol.label for a in accounts})),
            profile=profile.name,
        )
    return Message("{first} {second}", first=repaired, second=then) if repaired else then


def _outlook(settings: AccountSettings, out: Path, install: bool, env: _Installing) -> ClientOutcome:
    # Exported files may be used on another computer: their setup script copies the XML into that person's
    # own %LOCALAPPDATA%, the folder the instructions name. Only an install points at this computer's copy.
    target = outlook_xml_path(settings, env.platform if install else "export", env.app_data)
    written = outlook.write_outlook_files(settings, out, xml_target=str(target), profile_name=settings.provider.name)
    found = _detect_outlook(env) if install else None

    def sheet(applied_here: bool) -> Path:
        page = instructions.outlook_sheet(
            settings,
            xml_folder=str(target.parent),
            has_prf=written.prf is not None,
            found=found,
            applied_here=applied_here,
        )
        return instructions.write_sheet(out, page)

    if not install:
        return ClientOutcome(Client.OUTLOOK, (*written.paths, sheet(False)))
    if env.platform != "win32":
        return ClientOutcome(
            Client.OUTLOOK,
            (*written.paths, sheet(False)),
            skipped=Message("Outlook's settings can only be applied on Windows"),
        )
    try:
        installed = _install_outlook(settings, written, env)
    except (outlook_registry.RegistryError, OSError, thunderbird.ProfileWriteError) as exc:
        files = (*written.paths, sheet(False))
        raise _PartialFailure(ClientOutcome(Client.OUTLOOK, files, error=_message(exc))) from None
    files = (*written.paths, sheet(True))
    steps = outlook_routes.install_next_steps(
        settings.protocol,
        settings.pop_delete_after_days,
        prf_path=str(written.prf) if written.prf is not None else None,
        kind=found.kind if found is not None else None,
    )
    return ClientOutcome(Client.OUTLOOK, files, installed=installed, next_steps=tuple(steps))


def _detect_outlook(env: _Installing) -> outlook_detect.OutlookFound | None:
    """Which Outlook is here, for the order of the routes; a registry that cannot be read only means "unknown"."""
    try:
        return outlook_detect.detect_outlook(env.platform, env.outlook_machine)
    except (OSError, ValueError):
        return None


def _install_outlook(settings: AccountSettings, written: outlook.OutlookFiles, env: _Installing) -> str:
    """Puts autodiscover.xml in this app's folder first, then points Outlook's registry at it."""
    local = _local_outlook_folder(settings, env.app_data)
    write_atomic(local / outlook.AUTODISCOVER_FILE, written.autodiscover.read_bytes())
    xml_path = written.xml_target  # this computer's own copy, in the user's app folder
    values = outlook.registry_values(settings, xml_path)
    registry = env.registry if env.registry is not None else outlook_registry.WindowsRegistry()
    repaired = _repair_outlook(settings, registry, local, env)
    restore = local / RESTORE_REG_FILE
    planned = outlook_registry.planned_change(values, registry)
    if planned.changed and not restore.exists():  # keep the state from before the first change, not a later one
        write_atomic(restore, planned.restore_reg())  # first: a state that cannot be restored changes nothing
    change = outlook_registry.apply_registry(values, registry)
    template = (
        "Outlook's registry set: it reads {file} for {domain} (undo: {restore})"
        if change.changed
        else "Outlook's registry already set: it reads {file} for {domain} (undo: {restore})"
    )
    done = Message(template, file=xml_path, domain=settings.address.domain, restore=restore)
    return Message("{first} {second}", first=repaired, second=done) if repaired else done


def _repair_outlook(
    settings: AccountSettings, registry: outlook_registry.Registry, folder: Path, env: _Installing
) -> str:
    """An Outlook account the person already has for the address is repaired in place, with consent."""
    existing = outlook_fixer.diagnose_registry(registry, settings)
    changes = [c for a in existing for c in planned_changes(a)]
    if not changes:
        return ""
    _agreed(changes, env, "Outlook", settings.address.address)
    result = outlook_fixer.repair_registry(registry, settings, folder)
    return PluralMessage(
        "Repaired the Outlook account for {address} in place (restore: {restore}).",
        "Repaired the Outlook accounts for {address} in place (restore: {restore}).",
        len(existing),
        address=settings.address.address,
        restore=result.restore_file,
    )


def _apple_mail(
    settings: AccountSettings,
    out: Path,
    install: bool,
    signer: apple_mail.ProfileSigner | None,
    env: _Installing,
) -> ClientOutcome:
    profile = apple_mail.write_mobileconfig(settings, out, signer)
    sheet = instructions.write_sheet(
        out, instructions.apple_mail_sheet(settings, profile_name=profile.name, signed=signer is not None)
    )
    files = (profile, sheet)
    if not install:
        return ClientOutcome(Client.APPLE_MAIL, files)
    if env.platform != "darwin":
        return ClientOutcome(
            Client.APPLE_MAIL, files, skipped=Message("Apple Mail profiles can only be opened on macOS")
        )
    opener = env.opener or _open_with_macos
    try:
        opener(["open", str(profile)])
        opener(["open", MACOS_PROFILES_PANE])
    except (OSError, subprocess.SubprocessError) as exc:
        raise _PartialFailure(
            ClientOutcome(
                Client.APPLE_MAIL, files, error=Message("could not open the profile: {why}", why=_message(exc))
            )
        ) from None
    return ClientOutcome(
        Client.APPLE_MAIL,
        files,
        installed=Message(
            "opened {name}: approve it in System Settings › Privacy & Security › Profiles", name=profile.name
        ),
    )


def _open_with_macos(command: Sequence[str]) -> None:
    subprocess.run(list(command), check=True, timeout=30, capture_output=True)


# The files whose writers embed the password when the person asked for it (see thunderbird.build_autoconfig
# and apple_mail.build_payload); decided by name, not by searching bytes, since XML and plists escape < & >.
_FILES_THAT_HOLD_A_PASSWORD = (thunderbird.AUTOCONFIG_FILE, apple_mail.MOBILECONFIG_SUFFIX)


def _password_warnings(settings: AccountSettings, results: Sequence[ClientOutcome]) -> list[str]:
    """Names every written file that holds the password (only possible when the person asked for it)."""
    if settings.password is None:
        return []
    holding = [p for r in results for p in r.files if p.name.endswith(_FILES_THAT_HOLD_A_PASSWORD)]
    if not holding:
        return []
    listed = ", ".join(str(p) for p in holding)
    return [
        Message(
            "Your password is written in clear text in {files}: keep it private and delete it after use.", files=listed
        )
    ]

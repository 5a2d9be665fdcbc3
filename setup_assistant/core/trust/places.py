"""Which places on this computer a mail program reads roots from, per operating system.

Windows and macOS: the user's own OS store (Outlook, Apple Mail), which Thunderbird also reads with
security.enterprise_roots.enabled (that pref is written by the Thunderbird setup). Thunderbird profiles
get the root in their own NSS database wherever NSS certutil exists (Linux; macOS with Homebrew's nss).
Linux: also the user's NSS database, ~/.pki/nssdb.
"""

from __future__ import annotations

import enum
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from setup_assistant.core.clients.thunderbird.app_defaults import ENTERPRISE_ROOTS_PREF as ENTERPRISE_ROOTS_PREF
from setup_assistant.core.i18n import Message
from setup_assistant.core.provider import Provider
from setup_assistant.core.trust.base import Runner, TrustStore, run_command, short_name
from setup_assistant.core.trust.macos import MacLoginKeychain
from setup_assistant.core.trust.needs import Anchor
from setup_assistant.core.trust.nss import NssDatabase, find_nss_certutil
from setup_assistant.core.trust.windows import WindowsUserRootStore


class PlaceKind(enum.StrEnum):
    OS_STORE = "os-store"
    THUNDERBIRD_PROFILE = "thunderbird-profile"
    THUNDERBIRD_VIA_OS_STORE = "thunderbird-via-os-store"
    USER_NSS = "user-nss"


@dataclass(frozen=True, eq=False)
class Place:
    key: str
    kind: PlaceKind
    label: str
    programs: tuple[str, ...]
    anchors: tuple[Anchor, ...]  # what those programs trust without the root; one unmet means it is needed
    store: TrustStore | None  # None: served by the place named in `follows`
    follows: str | None = None
    path: Path | None = None
    feeds: Anchor | None = None  # the anchor this place itself provides (the OS store feeds "os")


@dataclass
class Plan:
    places: list[Place]
    notes: list[str] = field(default_factory=list)


def nickname_for(provider: Provider) -> str:
    """The name the root carries in an NSS database; `remove` looks for exactly this name.

    No colon: NSS reads "TOKEN:NAME" in a nickname as the name of a token.
    """
    assert provider.root is not None
    nickname = f"{provider.name} root ({short_name(provider.root)})"
    return nickname.replace(":", "-")


def find_thunderbird_profiles(home: Path | None, platform: str) -> tuple[list[Path], str | None]:
    """Every profile of every Thunderbird installation found; a note instead when they cannot be listed."""
    try:  # imported late: the profile finder lives with the Thunderbird setup
        thunderbird = importlib.import_module("setup_assistant.core.clients.thunderbird.writer")
    except ImportError:
        return [], Message(
            "Thunderbird profiles could not be looked up on this computer; name one with --thunderbird-profile"
        )
    try:
        profiles = thunderbird.find_profiles(home=home, platform=platform)
    except Exception as exc:  # a broken profiles.ini must not stop the other places
        return [], Message(
            "Thunderbird's profile list could not be read ({why}); name a profile with --thunderbird-profile", why=exc
        )
    return [Path(p.path) for p in profiles], None


def plan_places(
    provider: Provider,
    *,
    platform: str | None = None,
    home: Path | None = None,
    thunderbird_profiles: Sequence[Path] | None = None,
    runner: Runner = run_command,
    nss_certutil: str | Literal["auto"] | None = "auto",
) -> Plan:
    """The places to look at; `thunderbird_profiles` replaces the automatic search when given."""
    if provider.root is None:
        raise ValueError(
            Message("{source}: the provider file names no root certificate ([trust])", source=provider.source)
        )
    platform = platform or sys.platform
    home = home or Path.home()
    certutil = find_nss_certutil(platform) if nss_certutil == "auto" else nss_certutil
    nickname = nickname_for(provider)
    notes: list[str] = []
    if thunderbird_profiles is None:
        found, note = find_thunderbird_profiles(home, platform)
        if note:
            notes.append(note)
    else:
        found = list(thunderbird_profiles)
    profiles = list(dict.fromkeys(p.resolve() for p in found))

    places: list[Place] = []
    if platform in ("win32", "darwin"):
        via_os = [] if (platform == "darwin" and certutil) else profiles
        places.append(_os_store(platform, runner, home, bool(via_os)))
        leader = places[0]
        for profile in via_os:
            places.append(
                Place(
                    key=f"thunderbird-via-os:{profile}",
                    kind=PlaceKind.THUNDERBIRD_VIA_OS_STORE,
                    label=Message("Thunderbird profile {name} (through the OS store)", name=profile.name),
                    programs=("Thunderbird",),
                    anchors=(Anchor.MOZILLA,),
                    store=None,
                    follows=leader.key,
                    path=profile,
                )
            )
        nss_profiles = [] if via_os else profiles
    else:
        nss_profiles = profiles
    for profile in nss_profiles:
        places.append(
            Place(
                key=f"thunderbird:{profile}",
                kind=PlaceKind.THUNDERBIRD_PROFILE,
                label=Message("Thunderbird profile {name}", name=profile.name),
                programs=("Thunderbird",),
                anchors=(Anchor.MOZILLA,),
                store=NssDatabase(
                    profile, nickname, thunderbird_profile=True, certutil=certutil, runner=runner, platform=platform
                ),
                path=profile,
            )
        )
    if platform not in ("win32", "darwin"):
        nssdb = home / ".pki" / "nssdb"
        places.append(
            Place(
                key="user-nss",
                kind=PlaceKind.USER_NSS,
                label=Message("Your NSS certificate database (~/.pki/nssdb)"),
                programs=(Message("Chromium and other NSS programs"),),
                anchors=(Anchor.MOZILLA,),
                store=NssDatabase(
                    nssdb, nickname, thunderbird_profile=False, certutil=certutil, runner=runner, platform=platform
                ),
                path=nssdb,
            )
        )
    return Plan(places, notes)


def _os_store(platform: str, runner: Runner, home: Path, thunderbird_too: bool) -> Place:
    extra = (Message("Thunderbird (with enterprise roots)"),) if thunderbird_too else ()
    anchors = (Anchor.OS, Anchor.MOZILLA) if thunderbird_too else (Anchor.OS,)
    if platform == "win32":
        return Place(
            key="windows-user-root",
            kind=PlaceKind.OS_STORE,
            label=WindowsUserRootStore.label,
            programs=("Outlook", *extra),
            anchors=anchors,
            store=WindowsUserRootStore(runner=runner),
            feeds=Anchor.OS,
        )
    return Place(
        key="macos-login-keychain",
        kind=PlaceKind.OS_STORE,
        label=MacLoginKeychain.label,
        programs=("Apple Mail", "Outlook", *extra),
        anchors=anchors,
        store=MacLoginKeychain(runner=runner, home=home),
        feeds=Anchor.OS,
    )

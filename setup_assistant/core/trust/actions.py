"""status, install and remove over every place, with one report a volunteer can read or a script can parse.

`install` touches a place only when the probe showed that the server's chain leads to the pinned root and the
programs reading that place do not already trust it; never when the chain leads to another root. The places
also serve web browsers (~/.pki/nssdb, the OS store), so when the server cannot be reached nothing is
installed unless the person says so explicitly (`offline=True`, the CLI's --offline), and then the report
warns what the root is now trusted for.
"""

from __future__ import annotations

import enum
import logging
import threading
from dataclasses import dataclass
from typing import Any

from setup_assistant.core import history
from setup_assistant.core.i18n import N_, Message, listing
from setup_assistant.core.probing.probe import DEFAULT_TIMEOUT, probe_provider
from setup_assistant.core.provider import PinnedRoot, Provider
from setup_assistant.core.trust.base import ActionResult, Outcome, StoreState, error_text, verify_pin
from setup_assistant.core.trust.needs import (
    Need,
    ServerTrust,
    ServerVerdict,
    need_for,
    server_trust,
    trusted_here,
)
from setup_assistant.core.trust.places import ENTERPRISE_ROOTS_PREF, Place, PlaceKind, Plan

INSTALL_OK = frozenset({Outcome.INSTALLED, Outcome.ALREADY_PRESENT, Outcome.NOT_NEEDED})
REMOVE_OK = frozenset({Outcome.REMOVED, Outcome.ABSENT})


class Action(enum.StrEnum):
    STATUS = "status"
    INSTALL = "install"
    REMOVE = "remove"


_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaceReport:
    place: Place
    need: Need | None  # None: not decided (remove does not ask the server)
    present: bool | None
    trusted: bool | None  # whether the server's chain validates for the programs reading this place
    outcome: Outcome | None  # None for status, and where install was skipped
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.place.key,
            "kind": self.place.kind.value,
            "label": self.place.label,
            "programs": list(self.place.programs),
            "path": str(self.place.path) if self.place.path else None,
            "needed": self.need.value if self.need else None,
            "present": self.present,
            "trusted": self.trusted,
            "outcome": self.outcome.value if self.outcome else None,
            "message": self.message,
        }


@dataclass(frozen=True)
class TrustReport:
    action: Action
    provider: Provider
    root: PinnedRoot
    server: ServerTrust | None
    places: tuple[PlaceReport, ...]
    notes: tuple[str, ...] = ()
    offline: bool = False  # install: the person allowed installing without a check of the server

    @property
    def other_root(self) -> bool:
        return self.server is not None and self.server.verdict is ServerVerdict.OTHER_ROOT

    @property
    def unchecked(self) -> bool:
        """Install refused: the server could not be reached and the person did not say --offline."""
        unreachable = self.server is not None and self.server.verdict is ServerVerdict.UNREACHABLE
        return self.action is Action.INSTALL and unreachable and not self.offline

    @property
    def ok(self) -> bool:
        """Exit 0: every place that needs the root has it (after remove: it is gone everywhere)."""
        if self.action is Action.REMOVE:
            return all(r.outcome in REMOVE_OK for r in self.places)
        if self.other_root or self.unchecked:
            return False
        if self.action is Action.INSTALL:
            return all(r.outcome in INSTALL_OK for r in self.places)
        return all(r.present is True for r in self.places if r.need is not None and r.need.wants_root)

    def summary(self) -> str:
        if self.action is Action.REMOVE:
            return _summary_remove(self.places)
        if self.other_root:
            if self.action is Action.INSTALL:
                return Message(
                    "Nothing was installed: the server's certificate chain does not lead to the provider's pinned "
                    "root, so installing it would not help (the provider has probably changed its certificate "
                    "authority)."
                )
            return Message(
                "The server's certificate chain does not lead to the provider's pinned root, so installing it would "
                "not help (the provider has probably changed its certificate authority)."
            )
        if self.unchecked:
            assert self.server is not None
            return Message(
                "Nothing was installed: {detail}, so it could not be checked that its certificate chain leads to the "
                "provider's root. Try again when this computer can reach it, or use --offline to install the pinned "
                "root anyway.",
                detail=self.server.detail,
            )
        if self.action is Action.INSTALL:
            return _summary_install(self.places, self.server)
        return _summary_status(self.places, self.server)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "provider": self.provider.name,
            "root": {
                "subject": self.root.subject,
                "sha256": self.root.fingerprint,
                "file": str(self.root.path),
            },
            "server": self.server.to_json() if self.server else None,
            "places": [r.to_json() for r in self.places],
            "notes": list(self.notes),
            "summary": self.summary(),
            "ok": self.ok,
        }


def _labels(reports: list[PlaceReport]) -> str:
    return listing([r.place.label for r in reports])


def _summary_status(places: tuple[PlaceReport, ...], server: ServerTrust | None) -> str:
    wanting = [r for r in places if r.need is not None and r.need.wants_root]
    missing = [r for r in wanting if r.present is not True]
    unreachable = server is not None and server.verdict is ServerVerdict.UNREACHABLE
    if missing:
        if unreachable:
            return Message(
                "Could not check the server, so the pinned root counts as needed everywhere. The provider's root is "
                "missing from: {places}.",
                places=_labels(missing),
            )
        return Message("The provider's root is missing from: {places}.", places=_labels(missing))
    if not wanting:
        return Message("Everything here already trusts the server; the provider's root is not needed.")
    if unreachable:
        return Message(
            "Could not check the server, so the pinned root counts as needed everywhere. Every place that needs the "
            "provider's root has it."
        )
    return Message("Every place that needs the provider's root has it.")


_INSTALL_WORDS = {
    Outcome.INSTALLED: N_("Installed in: {places}."),
    Outcome.ALREADY_PRESENT: N_("Already there: {places}."),
    Outcome.NOT_NEEDED: N_("Not needed: {places}."),
    Outcome.CANCELLED: N_("Cancelled for: {places}."),
    Outcome.FAILED: N_("Could not install in: {places}."),
}


def _summary_install(places: tuple[PlaceReport, ...], server: ServerTrust | None) -> str:
    parts: list[Message] = []
    if server is not None and server.verdict is ServerVerdict.UNREACHABLE:
        parts.append(
            Message(
                "Could not check the server ({detail}); the pinned root was installed anyway, as asked (--offline), "
                "since its pinned fingerprint vouches for it.",
                detail=server.detail,
            )
        )
    by: dict[Outcome, list[PlaceReport]] = {}
    for r in places:
        if r.outcome is not None:
            by.setdefault(r.outcome, []).append(r)
    if places and all(r.outcome is Outcome.NOT_NEEDED for r in places):
        return Message("Everything here already trusts the server; nothing was installed.")
    for outcome, template in _INSTALL_WORDS.items():
        if by.get(outcome):
            parts.append(Message(template, places=_labels(by[outcome])))
    return _sentences(parts) or Message("There is no place on this computer to install the root.")


def _sentences(parts: list[Message]) -> Message | None:
    """Messages joined by spaces, still one Message (English as a str, translated part by part)."""
    if not parts:
        return None
    joined = parts[0]
    for part in parts[1:]:
        joined = Message("{first} {second}", first=joined, second=part)
    return joined


def _summary_remove(places: tuple[PlaceReport, ...]) -> str:
    removed = [r for r in places if r.outcome is Outcome.REMOVED]
    stuck = [r for r in places if r.outcome not in REMOVE_OK]
    parts = [
        Message("Removed from: {places}.", places=_labels(removed))
        if removed
        else Message("Nothing installed by this assistant was found.")
    ]
    if stuck:
        parts.append(Message("Still there: {places}.", places=_labels(stuck)))
    return _sentences(parts) or parts[0]


def check_server(
    provider: Provider, *, timeout: float = DEFAULT_TIMEOUT, cancel: threading.Event | None = None
) -> ServerTrust:
    """Probes every port and sums up who trusts the chain."""
    return server_trust(probe_provider(provider, timeout=timeout, cancel=cancel))


def _root(provider: Provider) -> PinnedRoot:
    if provider.root is None:
        raise ValueError(
            Message("{source}: the provider file names no root certificate ([trust])", source=provider.source)
        )
    return provider.root


def _follower_message(place: Place, leader: Place, pref_on: bool) -> str:
    if pref_on:
        return Message(
            "through {store}: Thunderbird reads roots there because {pref} is on",
            store=leader.label,
            pref=ENTERPRISE_ROOTS_PREF,
        )
    return Message(
        "through {store}: Thunderbird reads roots there only when {pref} is on; it is off (install turns it on)",
        store=leader.label,
        pref=ENTERPRISE_ROOTS_PREF,
    )


def _pref_on(place: Place) -> bool:
    from setup_assistant.core.clients.thunderbird import writer as thunderbird

    return place.path is not None and thunderbird.enterprise_roots_enabled(place.path)


def _turn_on_pref(place: Place, leader_outcome: Outcome) -> tuple[Outcome, str]:
    """Sets security.enterprise_roots.enabled in the profile (refused while Thunderbird runs)."""
    from setup_assistant.core.clients.thunderbird import writer as thunderbird

    assert place.path is not None
    try:
        thunderbird.enable_enterprise_roots(place.path)
    except thunderbird.ProfileWriteError as exc:
        return Outcome.FAILED, Message(
            "the root is in the OS store, but {pref} could not be set: {why}",
            pref=ENTERPRISE_ROOTS_PREF,
            why=error_text(exc),
        )
    return Outcome.INSTALLED, Message(
        "turned on {pref} so Thunderbird uses the OS store's copy", pref=ENTERPRISE_ROOTS_PREF
    )


def _need(place: Place, server: ServerTrust, state: StoreState) -> Need:
    return need_for(server, place.anchors, discounted=place.feeds if state.present else None)


def trust_status(provider: Provider, plan: Plan, server: ServerTrust) -> TrustReport:
    root = _root(provider)
    states: dict[str, StoreState] = {}
    reports = []
    for place in plan.places:
        if place.store is not None:
            state = place.store.status(root)
            states[place.key] = state
            message = state.message
        else:
            leader_state = states[place.follows or ""]
            pref_on = _pref_on(place)
            # Thunderbird sees the OS store's copy only with the pref on.
            state = StoreState(leader_state.present and pref_on, leader_state.message)
            message = _follower_message(place, _leader(plan, place), pref_on)
        need = _need(place, server, state)
        reports.append(
            PlaceReport(place, need, state.present, trusted_here(server, place.anchors, state.present), None, message)
        )
    return TrustReport(Action.STATUS, provider, root, server, tuple(reports), tuple(plan.notes))


def _leader(plan: Plan, place: Place) -> Place:
    return next(p for p in plan.places if p.key == place.follows)


def offline_warning(root: PinnedRoot, places: list[Place]) -> str:
    """What installing the root without checking the server means: it is trusted far beyond mail."""
    reach = {
        PlaceKind.OS_STORE: Message("web browsers and every other program that uses this computer's certificate store"),
        PlaceKind.USER_NSS: Message("Chromium, Chrome and the other programs that read ~/.pki/nssdb"),
        PlaceKind.THUNDERBIRD_PROFILE: Message("Thunderbird, for mail and for the web pages it opens"),
    }
    where = listing(
        [
            Message("{place} ({programs})", place=p.label, programs=reach.get(p.kind) or listing(p.programs))
            for p in places
        ],
        "; ",
    )
    return Message(
        "Installed without checking the server (--offline): {subject} (SHA-256 {fingerprint}) is now trusted to "
        "vouch for any web site or server, not only for mail, in: {places}. `trust remove` takes it out again.",
        subject=root.subject,
        fingerprint=root.fingerprint,
        places=where,
    )


def install_root(provider: Provider, plan: Plan, server: ServerTrust, *, offline: bool = False) -> TrustReport:
    """Installs where the probe showed the root is needed; verifies the pin again first (PinMismatch: nothing
    is touched). An unreachable server means nothing is installed unless `offline` (the person's explicit
    choice), since every place also serves other programs."""
    root = _root(provider)
    verify_pin(root)
    unreachable = server.verdict is ServerVerdict.UNREACHABLE
    if server.verdict is ServerVerdict.OTHER_ROOT or (unreachable and not offline):
        status = trust_status(provider, plan, server)
        why = (
            Message("not installed: {detail}", detail=server.detail)
            if not unreachable
            else Message("not installed: {detail}, so its chain could not be checked", detail=server.detail)
        )
        skipped = tuple(PlaceReport(r.place, r.need, r.present, r.trusted, None, why) for r in status.places)
        return _logged(TrustReport(Action.INSTALL, provider, root, server, skipped, tuple(plan.notes), offline))
    results: dict[str, tuple[ActionResult, bool | None]] = {}
    reports = []
    for place in plan.places:
        if place.store is None:
            leader_result, present = results[place.follows or ""]
            need = need_for(server, place.anchors)
            pref_on = _pref_on(place)
            message = _follower_message(place, _leader(plan, place), pref_on)
            if need.wants_root:
                outcome = leader_result.outcome
                if outcome in (Outcome.INSTALLED, Outcome.ALREADY_PRESENT) and not pref_on:
                    outcome, message = _turn_on_pref(place, outcome)
                present = bool(present) and outcome in (Outcome.INSTALLED, Outcome.ALREADY_PRESENT)
            else:
                outcome = Outcome.ALREADY_PRESENT if present and pref_on else Outcome.NOT_NEEDED
            reports.append(
                PlaceReport(place, need, present, trusted_here(server, place.anchors, present), outcome, message)
            )
            continue
        state = place.store.status(root)
        need = _need(place, server, state)
        if need.wants_root:
            result = place.store.install(root)
            if result.outcome is Outcome.INSTALLED and place.kind is PlaceKind.OS_STORE:
                history.record_root_installed(place.key, root.sha256)
        elif state.present:
            result = ActionResult(
                Outcome.ALREADY_PRESENT,
                Message("{state} (not needed: {why})", state=state.message, why=_why_not_needed(place)),
            )
        else:
            result = ActionResult(Outcome.NOT_NEEDED, Message("nothing installed: {why}", why=_why_not_needed(place)))
        present = state.present
        if result.outcome in (Outcome.INSTALLED, Outcome.ALREADY_PRESENT):
            present = True
        results[place.key] = (result, present)
        reports.append(
            PlaceReport(
                place, need, present, trusted_here(server, place.anchors, present), result.outcome, result.message
            )
        )
    notes = list(plan.notes)
    installed = [r.place for r in reports if r.outcome is Outcome.INSTALLED and r.place.store is not None]
    if unreachable and installed:
        notes.insert(0, offline_warning(root, installed))
    return _logged(TrustReport(Action.INSTALL, provider, root, server, tuple(reports), tuple(notes), offline))


def _why_not_needed(place: Place) -> str:
    return Message(
        "the server is already trusted by {anchors}",
        anchors=listing([a.label for a in place.anchors], and_last=True),
    )


def remove_root(provider: Provider, plan: Plan) -> TrustReport:
    """Takes out exactly what this assistant puts in: the pinned certificate, matched by fingerprint and name."""
    root = _root(provider)
    results: dict[str, ActionResult] = {}
    reports = []
    for place in plan.places:
        if place.store is None:
            result = results[place.follows or ""]
            outcome, message = result.outcome, _follower_message(place, _leader(plan, place), _pref_on(place))
        elif place.kind is PlaceKind.OS_STORE and not history.root_installed_here(place.key, root.sha256):
            # The OS stores have no name tag: a copy there may have come from the user or their IT, and is
            # left alone unless this assistant recorded putting it there.
            result = ActionResult(
                Outcome.ABSENT,
                Message(
                    "left as it is: this assistant has no record of adding the root here (other programs may need it)"
                ),
            )
            results[place.key] = result
            outcome, message = result.outcome, result.message
        else:
            result = place.store.remove(root)
            results[place.key] = result
            if result.outcome is Outcome.REMOVED and place.kind is PlaceKind.OS_STORE:
                history.forget_root(place.key, root.sha256)
            outcome, message = result.outcome, result.message
        present = False if outcome is Outcome.REMOVED else None
        reports.append(PlaceReport(place, None, present, None, outcome, message))
    return _logged(TrustReport(Action.REMOVE, provider, root, None, tuple(reports), tuple(plan.notes)))


def _logged(report: TrustReport) -> TrustReport:
    """What an install or remove did, place by place, for the help desk's log."""
    verdict = report.server.verdict.value if report.server else "not checked"
    _log.info("trust %s (server: %s%s)", report.action.value, verdict, ", offline" if report.offline else "")
    for place in report.places:
        outcome = place.outcome.value if place.outcome else "skipped"
        _log.info("  %s %s: %s", place.place.key, place.place.path or "", outcome)
    return report

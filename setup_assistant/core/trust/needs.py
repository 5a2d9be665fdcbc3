"""Where the provider's root is needed, decided from what the probe learnt about the server's chain.

The root is needed in a place only when the chain validates with the pinned root but not with what the
programs reading that place already trust (the OS store for Outlook and Apple Mail, Mozilla's roots for
Thunderbird). A chain that does not lead to the pinned root at all means the provider changed its CA:
nothing is installed then, since the pin no longer vouches for the server.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from setup_assistant.core.i18n import Message, PluralMessage, listing
from setup_assistant.core.model import TrustedBy, status_words
from setup_assistant.core.probing.probe import ProbeResult


class Anchor(enum.StrEnum):
    """What a program trusts without anything installed for it."""

    OS = "os"  # Outlook and Apple Mail: the operating system's store
    MOZILLA = "mozilla"  # Thunderbird: Mozilla's built-in roots

    @property
    def label(self) -> str:
        return (
            Message("this computer's certificate store") if self is Anchor.OS else Message("Mozilla's built-in roots")
        )


class Need(enum.StrEnum):
    NEEDED = "needed"
    NOT_NEEDED = "not-needed"
    OTHER_ROOT = "other-root"  # the server's chain does not lead to the pinned root
    UNCHECKED = "unchecked"  # the server could not be reached; the pin alone vouches for the root

    @property
    def wants_root(self) -> bool:
        """Whether a place should hold the root: needed, or not checkable (then the pin decides)."""
        return self in (Need.NEEDED, Need.UNCHECKED)


class ServerVerdict(enum.StrEnum):
    PINNED_ROOT = "pinned-root"
    OTHER_ROOT = "other-root"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class ServerTrust:
    verdict: ServerVerdict
    answered: tuple[TrustedBy, ...]  # one per endpoint that completed a TLS handshake
    probed: int
    detail: str

    @property
    def via_pinned_root(self) -> tuple[TrustedBy, ...]:
        return tuple(t for t in self.answered if t.provider_root)

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "detail": self.detail,
            "endpoints_probed": self.probed,
            "endpoints_answered": len(self.answered),
            "trusted_by": [t.to_json() for t in self.answered],
        }


def server_trust(probe: ProbeResult) -> ServerTrust:
    """Sums up the chains of every endpoint that answered over TLS (whatever its status)."""
    answered = tuple(r.certificate.trusted_by for r in probe.endpoints if r.certificate is not None)
    probed = len(probe.endpoints)
    if not answered:
        reasons = sorted({r.status.value for r in probe.endpoints})
        detail: str = (
            Message("the server could not be reached to check its certificate ({reasons})", reasons=_words(reasons))
            if reasons
            else Message("the server could not be reached to check its certificate")
        )
        return ServerTrust(ServerVerdict.UNREACHABLE, (), probed, detail)
    pinned = [t for t in answered if t.provider_root]
    if not pinned:
        detail = Message(
            "the server's certificate chain does not lead to the provider's pinned root certificate: "
            "the provider has probably changed its certificate authority, so the pinned root is not installed "
            "(the provider file's [trust] section needs the new root)"
        )
        return ServerTrust(ServerVerdict.OTHER_ROOT, answered, probed, detail)
    mozilla = (
        Message("Mozilla's roots trust it")
        if all(t.mozilla for t in pinned)
        else Message("Mozilla's roots do not trust it")
    )
    if any(t.os is None for t in pinned):
        store = Message("this computer's store could not be asked")
    elif all(t.os is True for t in pinned):
        store = Message("this computer's store trusts it")
    else:
        store = Message("this computer's store does not trust it")
    detail = Message(
        "the server's certificate chain leads to the provider's root; {mozilla}, {store}", mozilla=mozilla, store=store
    )
    others = len(answered) - len(pinned)
    if others:
        detail = PluralMessage(
            "{detail} ({n} port sent a chain that does not lead to it)",
            "{detail} ({n} ports sent a chain that does not lead to it)",
            others,
            detail=detail,
            n=others,
        )
    return ServerTrust(ServerVerdict.PINNED_ROOT, answered, probed, detail)


def _words(statuses: list[str]) -> str:
    """The status codes, comma-separated: the codes as data, the person's words where shown."""
    return listing([status_words(s) for s in statuses])


def unchecked(reason: str) -> ServerTrust:
    """The server was not asked at all (e.g. the check was skipped or cancelled)."""
    return ServerTrust(ServerVerdict.UNREACHABLE, (), 0, reason)


def _trusts(trusted_by: TrustedBy, anchor: Anchor) -> bool:
    return trusted_by.mozilla if anchor is Anchor.MOZILLA else trusted_by.os is True


def need_for(server: ServerTrust, anchors: Iterable[Anchor], *, discounted: Anchor | None = None) -> Need:
    """Whether a place read against `anchors` needs the root.

    `discounted` is an anchor the place itself feeds: once the root is in the OS store, the OS trusting the
    chain proves nothing about whether it would without it, so that evidence is not counted.
    """
    if server.verdict is ServerVerdict.UNREACHABLE:
        return Need.UNCHECKED
    if server.verdict is ServerVerdict.OTHER_ROOT:
        return Need.OTHER_ROOT
    wanted = tuple(anchors)
    for trusted_by in server.via_pinned_root:
        if any(a is discounted or not _trusts(trusted_by, a) for a in wanted):
            return Need.NEEDED
    return Need.NOT_NEEDED


def trusted_here(server: ServerTrust, anchors: Iterable[Anchor], present: bool | None) -> bool | None:
    """Whether every answering port's chain validates for programs reading this place; None if unknown."""
    if not server.answered:
        return None
    wanted = tuple(anchors)
    return all(all(_trusts(t, a) or (present is True and t.provider_root) for a in wanted) for t in server.answered)

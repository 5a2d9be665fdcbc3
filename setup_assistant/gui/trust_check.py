"""Where the provider's root is needed, decided again right before writing, for the programs and profile chosen.

The check decides it once, for what was on the computer then; a Thunderbird profile made afterwards ("start
Thunderbird once and come back") would otherwise be set up without the certificate it needs, and the Done page
would say "All set" while Thunderbird refuses the server. Runs on the pool (it reads certificate stores).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from setup_assistant.core.clients import Client
from setup_assistant.core.i18n import human

if TYPE_CHECKING:
    from setup_assistant.core.probing.probe import ProbeResult
    from setup_assistant.core.provider import Provider
    from setup_assistant.core.trust import PlaceReport, Plan, TrustReport
    from setup_assistant.gui.services import Services


@dataclass(frozen=True)
class TrustBeforeWriting:
    plan: Plan  # only the places the chosen programs read
    report: TrustReport
    missing: tuple[PlaceReport, ...]  # the root is needed there and not present

    def labels(self) -> str:
        return ", ".join(human(r.place.label) for r in self.missing)

    def programs(self) -> str:
        names = dict.fromkeys(p for r in self.missing for p in r.place.programs)
        return ", ".join(human(n) for n in names)


def trust_before_writing(
    services: Services, provider: Provider, probe: ProbeResult, clients: list[Client], profile: Path | None
) -> TrustBeforeWriting | None:
    """None when the provider has no root or none of the chosen programs reads a place that could need it."""
    from setup_assistant.core import trust

    profiles = [profile] if (profile is not None and Client.THUNDERBIRD in clients) else []
    plan = services.trust_plan(provider, thunderbird_profiles=profiles)
    if plan is None:
        return None
    labels = {c.label for c in clients}
    relevant = [p for p in plan.places if labels & set(p.programs)]
    keep = {p.key for p in relevant} | {p.follows for p in relevant if p.follows}
    plan.places = [p for p in plan.places if p.key in keep]  # a follower's leader stays: it is read first
    if not relevant:
        return None
    report = trust.trust_status(provider, plan, trust.server_trust(probe))
    wanted = {p.key for p in relevant}
    missing = tuple(
        r
        for r in report.places
        if r.place.key in wanted and r.need is trust.Need.NEEDED and r.present is not True and not report.other_root
    )
    return TrustBeforeWriting(plan, report, missing)

"""What the wizard needs from the outside world, passed in (never global) so tests can point it elsewhere:
the settings store, the password store, and where mail programs keep their data on this computer.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from setup_assistant.gui.secrets import PasswordStore

if TYPE_CHECKING:  # the trust machinery is loaded when a check first needs it, not when the wizard starts
    from setup_assistant.core.clients.outlook.detect import MachineReader
    from setup_assistant.core.clients.profiles import Opener
    from setup_assistant.core.probing.probe import ProbeResult
    from setup_assistant.core.provider import Provider
    from setup_assistant.core.trust import CommandResult, Plan, Runner, TrustReport


def run_command(argv: Sequence[str], timeout: float) -> CommandResult:
    """The trust package's command runner, loaded on first use."""
    from setup_assistant.core import trust

    return trust.run_command(argv, timeout)


@dataclass
class Services:
    settings: QSettings
    passwords: PasswordStore
    platform: str = sys.platform
    home: Path | None = None  # None: this user's home; tests use a temporary one
    app_data: Path | None = None  # None: the app's own per-user folder (Outlook's autodiscover.xml goes there)
    trust_runner: Runner = field(default=run_command)
    opener: Opener | None = None  # how macOS opens the Apple Mail profile; None: `open`
    documents: Path | None = None  # where "Just save the files" starts; None: the Documents folder
    outlook_machine: MachineReader | None = None  # where Outlook's installation is read; None: this computer

    def trust_plan(self, provider: Provider, thunderbird_profiles: list[Path] | None = None) -> Plan | None:
        """The places mail programs read roots from (the user's general NSS database is not a mail program's)."""
        if provider.root is None:
            return None
        from setup_assistant.core import trust

        plan = trust.plan_places(
            provider,
            platform=self.platform,
            home=self.home,
            thunderbird_profiles=thunderbird_profiles,
            runner=self.trust_runner,
        )
        plan.places = [p for p in plan.places if p.kind is not trust.PlaceKind.USER_NSS]
        return plan

    def trust_status(self, provider: Provider, probe: ProbeResult) -> TrustReport | None:
        plan = self.trust_plan(provider)
        if plan is None:
            return None
        from setup_assistant.core import trust

        return trust.trust_status(provider, plan, trust.server_trust(probe))


def certificate_needed(report: TrustReport | None) -> bool:
    """True when a place a mail program reads lacks the root and the server's chain needs it there."""
    if report is None or report.other_root:
        return False
    from setup_assistant.core import trust

    return any(r.need is trust.Need.NEEDED and r.present is not True for r in report.places)

"""The provider's pinned root certificate: where it is needed, and putting it there (and taking it out).

    plan = plan_places(provider, thunderbird_profiles=[...])   # the places on this computer
    server = check_server(provider, timeout=10)                # who trusts the server's chain now
    report = install_root(provider, plan, server)              # or trust_status(...), remove_root(provider, plan)
    report.ok, report.summary(), report.to_json()

Every place sits behind the same small store interface (status / install / remove -> outcome + message);
the OS adapters take an injectable command runner.
"""

from __future__ import annotations

from setup_assistant.core.trust.actions import (
    Action,
    PlaceReport,
    TrustReport,
    check_server,
    install_root,
    remove_root,
    trust_status,
)
from setup_assistant.core.trust.base import (
    ActionResult,
    CommandResult,
    Outcome,
    PinMismatch,
    Runner,
    StoreState,
    TrustStore,
    run_command,
    verify_pin,
)
from setup_assistant.core.trust.needs import Anchor, Need, ServerTrust, ServerVerdict, need_for, server_trust, unchecked
from setup_assistant.core.trust.places import Place, PlaceKind, Plan, nickname_for, plan_places

__all__ = [
    "Action",
    "ActionResult",
    "Anchor",
    "CommandResult",
    "Need",
    "Outcome",
    "PinMismatch",
    "Place",
    "PlaceKind",
    "PlaceReport",
    "Plan",
    "Runner",
    "ServerTrust",
    "ServerVerdict",
    "StoreState",
    "TrustReport",
    "TrustStore",
    "check_server",
    "install_root",
    "need_for",
    "nickname_for",
    "plan_places",
    "remove_root",
    "run_command",
    "server_trust",
    "trust_status",
    "unchecked",
    "verify_pin",
]

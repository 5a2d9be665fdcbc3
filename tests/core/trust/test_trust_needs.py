"""Where the root is needed, from the probe's trusted_by facts."""

from __future__ import annotations

import pytest

from setup_assistant.core.model import (
    CertificateFacts,
    Endpoint,
    EndpointResult,
    EndpointStatus,
    MailProtocol,
    Recommendation,
    Security,
    TrustedBy,
)
from setup_assistant.core.probing.probe import ProbeResult
from setup_assistant.core.trust import Anchor, Need, ServerVerdict, need_for, server_trust
from setup_assistant.core.trust.needs import trusted_here


def facts(trusted_by: TrustedBy) -> CertificateFacts:
    return CertificateFacts(
        subject="CN=mail.example.org",
        issuer="CN=Some CA",
        not_before="2025-01-01T00:00:00+00:00",
        not_after="2035-01-01T00:00:00+00:00",
        sha256="AA:BB",
        tls_version="TLSv1.3",
        names=("mail.example.org",),
        trusted_by=trusted_by,
    )


def probe(*answers: TrustedBy | EndpointStatus) -> ProbeResult:
    """One endpoint per answer: a TrustedBy is a TLS handshake that happened, a status one that did not."""
    results = []
    for i, answer in enumerate(answers):
        endpoint = Endpoint(MailProtocol.IMAP, "mail.example.org", 1000 + i, Security.SSL)
        if isinstance(answer, TrustedBy):
            results.append(EndpointResult(endpoint, EndpointStatus.OK, "", 1, facts(answer)))
        else:
            results.append(EndpointResult(endpoint, answer, "no", 1, None))
    none = Recommendation(None, None, None)
    return ProbeResult(tuple(results), none, none, 5)


MOZ = (Anchor.MOZILLA,)
OS = (Anchor.OS,)
BOTH = (Anchor.OS, Anchor.MOZILLA)


@pytest.mark.parametrize(
    ("trusted_by", "anchors", "need"),
    [
        # Only the pinned root validates: needed everywhere.
        (TrustedBy(mozilla=False, os=False, provider_root=True), MOZ, Need.NEEDED),
        (TrustedBy(mozilla=False, os=False, provider_root=True), OS, Need.NEEDED),
        # Mozilla trusts it, the OS does not: Thunderbird is fine, Outlook is not.
        (TrustedBy(mozilla=True, os=False, provider_root=True), MOZ, Need.NOT_NEEDED),
        (TrustedBy(mozilla=True, os=False, provider_root=True), OS, Need.NEEDED),
        (TrustedBy(mozilla=True, os=False, provider_root=True), BOTH, Need.NEEDED),
        # The OS trusts it, Mozilla does not: Thunderbird via enterprise roots still needs it in the user store.
        (TrustedBy(mozilla=False, os=True, provider_root=True), OS, Need.NOT_NEEDED),
        (TrustedBy(mozilla=False, os=True, provider_root=True), BOTH, Need.NEEDED),
        # Everyone trusts it.
        (TrustedBy(mozilla=True, os=True, provider_root=True), BOTH, Need.NOT_NEEDED),
        # The OS store could not be asked: counted as not trusting.
        (TrustedBy(mozilla=True, os=None, provider_root=True), OS, Need.NEEDED),
        (TrustedBy(mozilla=True, os=None, provider_root=True), MOZ, Need.NOT_NEEDED),
        # The chain does not lead to the pinned root: never needed, whatever else trusts it.
        (TrustedBy(mozilla=False, os=False, provider_root=False), MOZ, Need.OTHER_ROOT),
        (TrustedBy(mozilla=True, os=True, provider_root=False), BOTH, Need.OTHER_ROOT),
    ],
)
def test_need_from_trusted_by(trusted_by: TrustedBy, anchors: tuple[Anchor, ...], need: Need) -> None:
    assert need_for(server_trust(probe(trusted_by, EndpointStatus.TIMEOUT)), anchors) is need


def test_unreachable_server_is_unchecked_and_still_wants_the_root() -> None:
    server = server_trust(probe(EndpointStatus.TIMEOUT, EndpointStatus.REFUSED))
    assert server.verdict is ServerVerdict.UNREACHABLE
    assert "could not be reached" in server.detail and "refused" in server.detail and "timeout" in server.detail
    need = need_for(server, MOZ)
    assert need is Need.UNCHECKED and need.wants_root
    assert trusted_here(server, MOZ, present=True) is None


def test_other_root_only_when_no_answering_endpoint_leads_to_the_pin() -> None:
    mixed = server_trust(
        probe(TrustedBy(False, False, provider_root=False), TrustedBy(False, False, provider_root=True))
    )
    assert mixed.verdict is ServerVerdict.PINNED_ROOT and need_for(mixed, MOZ) is Need.NEEDED
    assert "(1 port sent a chain that does not lead to it)" in mixed.detail
    other = server_trust(probe(TrustedBy(True, True, provider_root=False), EndpointStatus.TIMEOUT))
    assert other.verdict is ServerVerdict.OTHER_ROOT
    assert "changed its certificate authority" in other.detail
    assert not Need.OTHER_ROOT.wants_root


def test_needed_if_any_endpoint_needs_it() -> None:
    server = server_trust(probe(TrustedBy(True, True, True), TrustedBy(False, True, True)))
    assert need_for(server, MOZ) is Need.NEEDED
    assert need_for(server, OS) is Need.NOT_NEEDED


def test_an_os_store_holding_the_root_does_not_count_the_os_trust_as_independent() -> None:
    server = server_trust(probe(TrustedBy(mozilla=False, os=True, provider_root=True)))
    assert need_for(server, OS) is Need.NOT_NEEDED
    assert need_for(server, OS, discounted=Anchor.OS) is Need.NEEDED


def test_trusted_here_counts_the_root_only_when_present() -> None:
    server = server_trust(probe(TrustedBy(mozilla=False, os=False, provider_root=True)))
    assert trusted_here(server, MOZ, present=False) is False
    assert trusted_here(server, MOZ, present=None) is False
    assert trusted_here(server, MOZ, present=True) is True
    other = server_trust(probe(TrustedBy(mozilla=False, os=False, provider_root=False)))
    assert trusted_here(other, MOZ, present=True) is False

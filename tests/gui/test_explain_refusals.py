"""The wizard's advice when the assistant refuses or gives up on a port: a certificate signed by a trusted root
but meant for something else (no other network helps, the provider has to fix it; not the interception advice of
an unknown signer), and a TLS handshake that stalls (not blamed on the network)."""

from __future__ import annotations

from setup_assistant.core.address import parse_address
from setup_assistant.core.model import NOT_MEANT_FOR_MAIL, EndpointResult, EndpointStatus, MailProtocol
from setup_assistant.core.probing.account_check import AccountCheck
from setup_assistant.core.probing.probe import ProbeResult, recommend, recommend_outlook
from setup_assistant.core.provider import load_provider
from setup_assistant.gui.explain import Outcome, assess


def _all_untrusted(detail: str) -> AccountCheck:
    provider = load_provider()
    results = tuple(EndpointResult(e, EndpointStatus.UNTRUSTED_CERTIFICATE, detail, 12) for e in provider.endpoints())
    probe = ProbeResult(results, recommend(results, provider.prefer), recommend_outlook(results), 40)
    return AccountCheck(parse_address("jane@example.org"), provider, probe, (), password_given=True)


def test_a_certificate_meant_for_something_else_gets_its_own_advice() -> None:
    outcome, findings = assess(
        _all_untrusted(f"{NOT_MEANT_FOR_MAIL}: it is issued for client authentication only"), MailProtocol.IMAP
    )
    assert outcome is Outcome.CERTIFICATE
    text = " ".join(f.text for f in findings)
    assert "not meant for a mail server (it is issued for client authentication only)" in text
    assert "did not send your password" in text and "intercepting" not in text


def test_an_unknown_signer_still_gets_the_interception_advice() -> None:
    outcome, findings = assess(_all_untrusted("the certificate is not trusted: it is issued by 'X'"), MailProtocol.IMAP)
    assert outcome is Outcome.CERTIFICATE
    assert any("intercepting" in f.text for f in findings)


def test_a_stalled_handshake_on_the_preferred_port_is_not_blamed_on_the_network() -> None:
    from setup_assistant.core.model import HANDSHAKE_STALLED, Security

    provider = load_provider()
    results = tuple(
        EndpointResult(e, EndpointStatus.TIMEOUT, f"{HANDSHAKE_STALLED} (TLS) in time", 12)
        if e.security is Security.STARTTLS and e.protocol is MailProtocol.SMTP
        else EndpointResult(e, EndpointStatus.OK, "works", 12)
        for e in provider.endpoints()
    )
    probe = ProbeResult(results, recommend(results, provider.prefer), recommend_outlook(results), 40)
    check = AccountCheck(parse_address("jane@example.org"), provider, probe, (), password_given=False)
    _outcome, findings = assess(check, MailProtocol.IMAP)
    text = " ".join(f.text for f in findings)
    assert "The server on port 587 accepted the connection but did not set up encryption" in text
    assert "Your network blocks port 587" not in text

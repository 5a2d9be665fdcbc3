"""The result page does not blame the password, nor say "try again later", when an internationalised address
(the username) is what the server may not take."""

from __future__ import annotations

import dataclasses

from setup_assistant.core.address import parse_address
from setup_assistant.core.model import LoginResult, LoginStatus, MailProtocol
from setup_assistant.gui.explain import Outcome, assess
from tests.gui.test_logic import _check

IDN = parse_address("jane@bücher.example")
NOT_CARRIED = "the server offers only IMAP LOGIN here, which cannot carry the non-ASCII characters of this address"


def _with(address_check, status: LoginStatus, detail: str):
    logins = tuple(LoginResult(r.endpoint, status, detail) for r in address_check.logins)
    return dataclasses.replace(address_check, address=IDN, logins=logins)


def test_a_login_that_cannot_carry_an_idn_username_says_so() -> None:
    check = _with(_check({}, LoginStatus.ERROR), LoginStatus.ERROR, NOT_CARRIED)
    outcome, findings = assess(check, MailProtocol.IMAP)
    assert outcome is Outcome.LOGIN_FAILED
    text = findings[-1].text
    assert "Try again in a few minutes" not in text
    assert "not every mail server accepts such a username" in text and "jane@bücher.example" in text
    assert "password's characters" not in " ".join(f.text for f in findings)


def test_a_rejected_idn_address_mentions_the_username_too() -> None:
    check = _with(_check({}, LoginStatus.REJECTED), LoginStatus.REJECTED, "rejected")
    outcome, findings = assess(check, MailProtocol.IMAP)
    assert outcome is Outcome.WRONG_PASSWORD
    assert "not every mail server accepts such a username" in findings[1].text


def test_an_ascii_address_keeps_the_usual_advice() -> None:
    outcome, findings = assess(_check({}, LoginStatus.ERROR), MailProtocol.IMAP)
    assert outcome is Outcome.LOGIN_FAILED and "Try again in a few minutes" in findings[-1].text
    assert not any("such a username" in f.text for f in findings)

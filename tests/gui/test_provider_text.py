"""The provider file's own words in the wizard follow the language: a rejected password names who resets it in the
person's language ([provider.translations.es] of the shipped NPOMail file)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from setup_assistant.core.model import LoginStatus, MailProtocol
from setup_assistant.gui import translations
from setup_assistant.gui.explain import Outcome, assess
from tests.english_leaks import english_lines
from tests.gui.test_logic import _check


@pytest.fixture(autouse=True)
def _english_afterwards(qapp) -> Iterator[None]:
    yield
    translations.install(qapp, "en")


def test_a_rejected_password_names_the_postmaster_in_spanish(qapp) -> None:
    translations.install(qapp, "es")
    outcome, findings = assess(_check({}, LoginStatus.REJECTED), MailProtocol.IMAP)
    assert outcome is Outcome.WRONG_PASSWORD
    assert "Si no conoce su contraseña, el administrador de correo de su organización puede restablecerla." in (
        findings[0].text
    )
    assert english_lines(findings[0].text) == []


def test_a_rejected_password_names_the_postmaster_in_english(qapp) -> None:
    translations.install(qapp, "en")
    _, findings = assess(_check({}, LoginStatus.REJECTED), MailProtocol.IMAP)
    assert "your organization's postmaster can reset it for you" in findings[0].text

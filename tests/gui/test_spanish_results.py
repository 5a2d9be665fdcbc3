"""The wizard shows the core's trust and Thunderbird-password results in Spanish (issue 16): a certificate that
could not go into a profile Thunderbird has open, and a password Thunderbird is set not to remember. The results
come from the real code (certutil, the profile lock, the profile writer), only the page's own lines are read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from setup_assistant.core import i18n
from setup_assistant.gui import translations
from tests.conftest import skip_or_fail
from tests.core.clients.profile_support import settings
from tests.english_leaks import english_lines


@pytest.fixture(autouse=True)
def _english_afterwards(qapp) -> Iterator[None]:
    yield
    translations.install(qapp, "en")


def test_a_certificate_that_could_not_be_installed_says_why_in_spanish(make_wizard, tmp_path: Path) -> None:
    from setup_assistant.core.provider import load_provider
    from setup_assistant.core.trust import Outcome, install_root, plan_places, unchecked

    if shutil.which("certutil") is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")
    profile = tmp_path / "abcd.default-release"
    profile.mkdir()
    (profile / "lock").symlink_to("203.0.113.7:+4242")  # Thunderbird has it open on another computer
    provider = load_provider(None)
    plan = plan_places(provider, platform="linux", home=tmp_path, thunderbird_profiles=[profile])
    report = install_root(provider, plan, unchecked("not checked in this test"), offline=True)
    failed = next(r for r in report.places if r.place.path == profile.resolve())
    assert failed.outcome is Outcome.FAILED and "Thunderbird is using the profile" in failed.message  # data: English

    page = make_wizard(None).wizard.certificate_page
    translations.install(QCoreApplication.instance(), "es")
    text = page._place_text(failed)
    assert text == (
        f"No se pudo instalar en el perfil de Thunderbird {profile.name}: Thunderbird está usando el perfil "
        f"{profile.resolve()}; cierre Thunderbird y vuelva a intentarlo (no se cambió nada)."
    ), text
    assert english_lines(text) == []


def test_a_password_thunderbird_will_not_remember_says_so_in_spanish(make_wizard, tmp_path: Path) -> None:
    from setup_assistant.core.clients.profiles import Client, write_profiles
    from setup_assistant.core.clients.thunderbird.logins import Saved, find_nss_library

    if find_nss_library() is None:
        skip_or_fail("no NSS library (libnss3) on this computer: install thunderbird or libnss3")
    profile = tmp_path / "abcd.default-release"
    profile.mkdir()
    (profile / "user.js").write_text('user_pref("signon.rememberSignons", false);\n', encoding="utf-8")
    outcome = write_profiles(
        settings(), tmp_path / "out", [Client.THUNDERBIRD], thunderbird_profile=profile, thunderbird_password="pw 1"
    )
    (client,) = outcome.clients
    assert client.password is not None and client.password.outcome is Saved.NOT_REMEMBERING

    page = make_wizard(None).wizard.programs_page
    translations.install(QCoreApplication.instance(), "es")
    assert i18n.current_language() == "es"
    (item, *_) = page._client_items(client)
    assert item.text.startswith("Thunderbird: ") and item.text.endswith(
        "Thunderbird está configurado para no recordar contraseñas en este perfil, así que el asistente no la "
        "guardó ahí; Thunderbird va a pedir la contraseña cuando se conecte."
    ), item.text
    assert english_lines(item.text) == []

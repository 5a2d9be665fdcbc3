"""The language runtime and the gettext catalogs: the system's language, the fallback, and a complete, fresh,
consistent Spanish catalog for every message of the core and the CLI."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from setup_assistant.core import i18n

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
if str(INSTALLER) not in sys.path:
    sys.path.insert(0, str(INSTALLER))


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    saved = i18n._language
    yield
    i18n._language = saved


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "es_AR"}, "es"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "es_ES.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_MESSAGES": "es_CL.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANGUAGE": "fr:es", "LANG": "fr_FR.UTF-8"}, "es"),  # the first listed language the app speaks
        ({"LANGUAGE": "es", "LANG": "C"}, "en"),  # GNU gettext ignores LANGUAGE in the C locale
        ({}, "en"),
    ],
)
def test_the_language_follows_the_linux_locale(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], expected: str
) -> None:
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "platform", "linux")
    assert i18n.system_language() == expected
    i18n._language = None
    assert i18n.current_language() == expected  # nothing chosen: the system's


def test_tags_of_every_platform_normalise() -> None:
    assert i18n.normalize("es-419") == "es"  # macOS's Latin American Spanish
    assert i18n.normalize("es-MX") == "es"  # Windows's
    assert i18n.normalize("ES") == "es"
    assert i18n.normalize("pt-BR") is None
    assert i18n.first_supported(["de-DE", "es-US", "en-US"]) == "es"
    assert i18n.first_supported(["de-DE"]) is None


def test_set_language_falls_back_to_english_and_none_means_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.set_language("fr") == "en"
    assert i18n.set_language("es_MX") == "es" and i18n.current_language() == "es"
    monkeypatch.setattr(i18n, "system_language", lambda: "es")
    i18n.set_language("en")
    assert i18n.set_language(None) == "es"


def test_importing_the_module_stays_cheap() -> None:
    """The wizard's first page imports it: no gettext, ctypes or subprocess until a language is needed."""
    code = (
        "import sys; import setup_assistant.core.i18n; "
        "print(sorted(m for m in ('gettext', 'ctypes', 'subprocess', 'locale') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_the_catalog_is_found_where_resources_are() -> None:
    assert (i18n.catalog_dir() / "es" / "LC_MESSAGES" / "setup_assistant.mo").is_file()

"""The language runtime and the gettext catalogs: the system's language, the fallback, and a complete, fresh,
consistent Spanish catalog for every message of the core and the CLI."""

from __future__ import annotations

import json
import re
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

import i18n as tool  # noqa: E402  (installer/i18n.py, the extract/compile command)


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


def test_messages_follow_the_language() -> None:
    message = "Set it up"
    i18n.set_language("en")
    assert i18n._(message) == message
    i18n.set_language("es")
    assert i18n._(message) != message and i18n._(message)
    assert i18n.N_(message) == message  # marked only: translated where it is shown


# --- the catalogs ---------------------------------------------------------------------------------------------


def _po(language: str) -> object:
    return tool._read_po(tool.po_path(language), language)


def test_every_message_of_the_core_and_cli_has_a_spanish_translation() -> None:
    """Extracts afresh (a new `_()` string fails here until `installer/i18n.py extract` and a translation)."""
    template = tool.extract_template()
    catalog = _po("es")
    wanted = {m.id for m in template if m.id}  # type: ignore[attr-defined]
    assert len(wanted) > 150, "the extraction found too few messages"
    have = {m.id: m for m in catalog if m.id}  # type: ignore[attr-defined]
    missing = sorted(str(i) for i in wanted - have.keys())
    assert not missing, f"run `python installer/i18n.py extract`; not in the .po: {missing[:10]}"
    untranslated = sorted(str(i) for i in wanted if not tool._is_translated(have[i].string))
    assert not untranslated, f"untranslated in es/setup_assistant.po: {untranslated[:10]}"
    fuzzy = sorted(str(i) for i in wanted if have[i].fuzzy)
    assert not fuzzy, f"fuzzy (left out of the .mo) in es/setup_assistant.po: {fuzzy[:10]}"


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]")
_MARKUP = re.compile(r"</?(?:strong|code|em|b)>")


def test_placeholders_and_markup_match_between_english_and_spanish() -> None:
    for message in _po("es"):  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(_PLACEHOLDER.findall(ids[-1]))
        tags = sorted(_MARKUP.findall(ids[-1]))
        for string in strings:
            assert sorted(_PLACEHOLDER.findall(string)) == wanted, (message.id, string)
            assert sorted(_MARKUP.findall(string)) == tags, (message.id, string)


def test_the_compiled_catalogs_match_their_sources(tmp_path: Path) -> None:
    """`pip install .` ships the committed .mo/.qm: they must be what `installer/i18n.py compile` makes."""
    assert tool.stale(tmp_path) == []


def test_a_stale_catalog_is_noticed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tool, "I18N", tmp_path)
    po = tool.po_path("es")
    po.parent.mkdir(parents=True)
    po.write_bytes((ROOT / "resources/i18n/es/LC_MESSAGES/setup_assistant.po").read_bytes())
    assert [p.endswith("setup_assistant.mo is missing") for p in tool.stale(tmp_path)] == [True]
    tool.mo_path("es").write_bytes(tool.compiled_mo("es"))
    assert tool.stale(tmp_path) == []
    po.write_bytes(po.read_bytes().replace(b'msgstr "', b'msgstr "x', 3))
    assert any("differs" in p for p in tool.stale(tmp_path))


def test_a_message_is_english_data_and_translated_text() -> None:
    """Results keep English (JSON, logs); `human()` is what a person reads."""
    step = i18n.Message("Required for POP: {step}", step=i18n.Message("untick “Remove from server after 14 days”"))
    i18n.set_language("es")
    assert step == "Required for POP: untick “Remove from server after 14 days”"
    assert json.dumps([step]) == json.dumps(["Required for POP: untick “Remove from server after 14 days”"])
    assert (
        step.human()
        == "Obligatorio para POP: desmarque «Quitar del servidor después de 14 días» [Remove from server after 14 days]"
    )
    assert i18n.human("plain text") == "plain text"

"""The language runtime and the gettext catalogs: the system's language, the fallback, and a complete, fresh,
consistent Spanish catalog for every message of the core and the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from setup_assistant.core import i18n

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
if str(INSTALLER) not in sys.path:
    sys.path.insert(0, str(INSTALLER))

import i18n as tool  # noqa: E402  (installer/i18n.py, the extract/compile command)


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
    assert len([m for m in template if m.id]) > 300, "the extraction found too few messages"  # type: ignore[attr-defined]
    assert tool.problems(template, _po("es")) == []


def test_a_new_or_fuzzy_message_is_noticed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a new string in the source, and a fuzzy translation, are both reported."""
    source = tmp_path / "setup_assistant" / "core" / "new.py"
    source.parent.mkdir(parents=True)
    source.write_text('from setup_assistant.core.i18n import _\n\nTEXT = _("A sentence nobody translated yet")\n')
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    template = tool.extract_template()
    catalog = _po("es")
    assert tool.problems(template, catalog) == ["not in the .po (run extract): 'A sentence nobody translated yet'"]
    catalog.add("A sentence nobody translated yet", "")  # type: ignore[attr-defined]
    assert tool.problems(template, catalog) == ["untranslated: 'A sentence nobody translated yet'"]
    added = catalog["A sentence nobody translated yet"]  # type: ignore[index]
    added.string, added.flags = "Una frase", {"fuzzy"}
    assert tool.problems(template, catalog) == ["fuzzy: 'A sentence nobody translated yet'"]


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]|%[sdr]")
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


class _FakeKernel32:
    """Windows's two-call protocol: the first call says how big the buffer must be, the second fills it."""

    def __init__(self, names: list[str], ui_language: int = 0x0409) -> None:
        self.multi = "\0".join(names) + "\0\0" if names else ""
        self.ui_language = ui_language

    def GetUserPreferredUILanguages(self, flags: int, count: Any, buffer: Any, size: Any) -> int:
        if not self.multi:
            return 0
        size._obj.value = len(self.multi)
        count._obj.value = self.multi.count("\0") - 1
        if buffer is not None:
            buffer[: len(self.multi)] = self.multi
        return 1

    def GetUserDefaultUILanguage(self) -> int:
        return self.ui_language


@pytest.mark.parametrize(
    ("kernel", "expected"),
    [
        (_FakeKernel32(["es-MX", "en-US"]), "es"),
        (_FakeKernel32(["de-DE", "es-419"]), "es"),  # the first one the app speaks
        (_FakeKernel32(["fr-FR"]), "en"),
        (_FakeKernel32([], ui_language=0x080A), "es"),  # es-MX as a LANGID, when the list is unavailable
        (_FakeKernel32([], ui_language=0x0407), "en"),
    ],
)
def test_windows_display_languages(monkeypatch: pytest.MonkeyPatch, kernel: _FakeKernel32, expected: str) -> None:
    import ctypes

    monkeypatch.setattr(ctypes, "WinDLL", lambda name, use_last_error=False: kernel, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert i18n.system_language() == expected


def test_macos_preferred_languages_from_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without CoreFoundation (here), `defaults read -g AppleLanguages`'s old-style plist array is read."""
    monkeypatch.setattr(i18n, "_macos_preferences_corefoundation", lambda: (_ for _ in ()).throw(OSError("no CF")))
    answer = subprocess.CompletedProcess([], 0, stdout='(\n    "es-419",\n    "en-US"\n)\n', stderr="")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: answer)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert i18n.system_preferences() == ["es-419", "en-US"]
    assert i18n.system_language() == "es"


def test_a_plural_message_counts_in_english_data_and_in_the_shown_language() -> None:
    one = i18n.PluralMessage("{n} intermediate certificate", "{n} intermediate certificates", 1, n=1)
    two = i18n.PluralMessage("{n} intermediate certificate", "{n} intermediate certificates", 2, n=2)
    assert (one, two) == ("1 intermediate certificate", "2 intermediate certificates")
    assert json.dumps([two]) == '["2 intermediate certificates"]'
    i18n.set_language("en")
    assert two.human() == "2 intermediate certificates"


def test_a_listing_joins_english_data_and_translates_each_part_when_shown() -> None:
    names = [i18n.Message("code signing"), i18n.Message("time stamping"), "1.2.3.4"]
    assert i18n.listing(names) == "code signing, time stamping, 1.2.3.4"
    assert i18n.listing(names, "; ", and_last=True) == "code signing; time stamping and 1.2.3.4"
    assert i18n.listing(names[:1]) is names[0] and i18n.listing([]) == ""
    i18n.set_language("es")
    assert i18n.human(i18n.listing(names, and_last=True)) == "firma de programas, sellos de tiempo y 1.2.3.4"
    assert json.dumps([i18n.listing(names)]) == '["code signing, time stamping, 1.2.3.4"]'

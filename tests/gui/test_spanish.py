"""The wizard in Spanish (issue 16): every text translated, chosen on the first page or with --lang, Qt's own
buttons too, and no page clips a translation 40% longer than the English (a pseudo-locale)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QLabel, QWizard

from setup_assistant.core import i18n
from setup_assistant.gui import translations
from setup_assistant.gui.flow import PageId
from tests.gui.fit import cut_off_texts
from tests.gui.test_layout_fits import _profile

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "setup_assistant_es.ts"
USER = "jane.doe@example.org"
PLACEHOLDER = re.compile(r"\{\w+\}|%n|%\d")


@pytest.fixture(autouse=True)
def _english_afterwards(qapp) -> Iterator[None]:
    yield
    translations.install(qapp, "en")


def _lupdate() -> str:
    beside = Path(sys.executable).parent / "pyside6-lupdate"
    tool = str(beside) if beside.exists() else shutil.which("pyside6-lupdate")
    if tool is None:
        pytest.fail("pyside6-lupdate is missing (it ships with PySide6-Essentials)")
    return tool


def _accelerator(text: str) -> int:
    return len(re.findall(r"&[^&\s]", text.replace("&&", "")))


def translation_problems(ts: Path) -> list[str]:
    """Every message without a finished Spanish translation, or whose placeholders or accelerator differ."""
    problems = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            text = translation.text if translation is not None else None
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                if translation is None or translation.get("type") == "unfinished":
                    problems.append(f"{name}: not translated (or unfinished): {source!r}")
                continue
            if not text:
                problems.append(f"{name}: empty translation: {source!r}")
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"{name}: placeholders differ: {source!r} -> {text!r}")
            elif _accelerator(source) != _accelerator(text):
                problems.append(f"{name}: keyboard shortcut (&) lost or added: {source!r} -> {text!r}")
    return problems


def test_every_text_in_the_wizard_has_a_finished_spanish_translation(tmp_path: Path) -> None:
    """Extracts the sources afresh into a copy of the .ts: a new or changed text arrives unfinished and fails."""
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (ROOT / "setup_assistant" / "gui").rglob("*.py"))
    done = subprocess.run(
        [_lupdate(), *sources, "-target-language", "es", "-no-obsolete", "-ts", str(ts)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    count = sum(1 for _ in ET.parse(ts).getroot().iter("message"))
    assert count > 300, count
    problems = translation_problems(ts)
    assert not problems, "run: python installer/i18n.py extract, translate, compile\n" + "\n".join(problems)


def test_the_check_catches_an_untranslated_text_and_a_lost_placeholder(tmp_path: Path) -> None:
    tree = ET.parse(TS)
    messages = list(tree.getroot().iter("message"))
    messages[0].find("translation").set("type", "unfinished")  # type: ignore[union-attr]
    with_placeholder = next(m for m in messages[1:] if "{" in (m.findtext("source") or ""))
    with_placeholder.find("translation").text = "sin marcador"  # type: ignore[union-attr]
    broken = tmp_path / "broken.ts"
    tree.write(broken, encoding="utf-8")
    problems = translation_problems(broken)
    assert len(problems) == 2 and "not translated" in problems[0] and "placeholders differ" in problems[1]


def _spanish_texts() -> set[str]:
    return {
        (m.findtext("translation") or "").replace("&", "")
        for m in ET.parse(TS).getroot().iter("message")
        if m.findtext("translation")
    }


def _english_texts() -> set[str]:
    return {(m.findtext("source") or "").replace("&", "") for m in ET.parse(TS).getroot().iter("message")}


def _english_sentences() -> set[str]:
    """Every English text without placeholders, of the wizard (.ts) and of the core (.mo's msgids)."""
    import gettext

    with (ROOT / "resources" / "i18n" / "es" / "LC_MESSAGES" / "setup_assistant.mo").open("rb") as f:
        core = {k for k in gettext.GNUTranslations(f)._catalog if isinstance(k, str) and k}  # type: ignore[attr-defined]
    return {t for t in _english_texts() | core if "{" not in t and len(t) > 3}


def _title(page) -> str:
    # Titles carry the provider's name: compare the part before it.
    return page.title().split("{")[0]


def _walk(driver, mail_servers, tmp_path, qtbot, look) -> None:
    """The happy path, page by page, calling look(name) on each."""
    wizard = driver.wizard
    _profile(wizard.services.home)  # a Thunderbird profile: the certificate page is shown
    driver.enter_address(USER)
    look("address")
    driver.next(PageId.PASSWORD)
    look("password")
    driver.enter_password("not the password")
    driver.next(PageId.CHECKING)
    look("checking, running")
    driver.wait_check()
    driver.next(PageId.RESULT)
    look("result, wrong password")
    wizard.result_page.retype.click()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.PASSWORD)
    driver.enter_password(mail_servers.users[USER])
    driver.next(PageId.CHECKING)
    driver.wait_check()
    look("checking, done")
    driver.next(PageId.RESULT)
    look("result")
    wizard.result_page.details.button.click()
    look("result, details")
    driver.next(PageId.CERTIFICATE)
    look("certificate")
    driver.next(PageId.PROGRAMS)
    look("programs")
    wizard.programs_page.save_only.click()
    wizard.programs_page.folder.setText(str(tmp_path / "files"))
    driver.next(PageId.DONE)
    look("done")


@pytest.mark.servers
def test_choosing_espanol_on_the_first_page_turns_every_page_spanish(
    make_wizard, mail_servers, services, tmp_path, qtbot
) -> None:
    translations.install(QCoreApplication.instance(), "en")
    driver = make_wizard(mail_servers.provider_path)
    wizard = driver.wizard
    assert wizard.button(QWizard.WizardButton.NextButton).text().replace("&", "").startswith("Next")
    combo = wizard.address_page.language
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # English -> Español, with the keyboard alone
    qtbot.waitUntil(lambda: wizard.address_page.title().startswith("Configure su correo"))  # the rebuilt page
    assert wizard.address_page.language.currentData() == "es" and wizard.address_page.address.text() == ""
    assert wizard.address_page.language.hasFocus()  # the volunteer's place is kept
    assert i18n.current_language() == "es"
    assert services.settings.value(translations.SETTING) == "es"
    assert wizard.address_page.title().startswith("Configure su correo")
    assert wizard.currentId() == PageId.ADDRESS
    assert wizard.windowTitle().startswith("Asistente de configuración")

    spanish, english = _spanish_texts(), _english_texts()
    untranslated = _english_sentences() - spanish
    size = wizard.size()
    problems: list[str] = []

    def look(what: str) -> None:
        QApplication.processEvents()
        page = wizard.currentPage()
        title = page.title()
        assert title in spanish or any(title.startswith(t.split("{")[0]) for t in spanish if "{" in t), (what, title)
        assert title not in english, (what, title)
        buttons = {wizard.button(b).text().replace("&", "") for b in (QWizard.WizardButton.NextButton,)}
        if page is not wizard.done_page:
            # Qt's own catalog, qtbase_es (the programs page names its commit button itself)
            assert buttons <= {"Siguiente", "Configurar", "Guardar archivos"}, (what, buttons)
            assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Cancelar"
        problems.extend(f"{what}: {p}" for p in cut_off_texts(page, wizard))
        shown = " ".join(label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page))
        widgets = page.findChildren(QLabel)  # (buttons' wrappers here crashed the interpreter at exit: PySide)
        texts = [w.text().replace("&", "") for w in widgets if w.isVisibleTo(page)]
        still_english = [t for t in texts if t in untranslated]
        assert not still_english, (what, still_english)
        assert "Thunderbird profile" not in shown, (what, shown)  # the core's place names are translated too
        if what == "certificate":
            assert "el perfil de Thunderbird" in shown, shown

    _walk(driver, mail_servers, tmp_path, qtbot, look)
    assert wizard.size() == size, "the window grew to make room for the Spanish"
    assert not problems, "Spanish text cut off at the default size:\n" + "\n".join(problems)


ACCENTED = str.maketrans("aeiouAEIOUnNcC", "áéíóúÁÉÍÓÚñÑçÇ")


def pseudo(source: str) -> str:
    """A text about 40% longer, with accented letters, placeholders, markup and accelerators kept: what a longer
    language does to the layout, before anyone translates."""
    pieces = re.split(r"(\{\w+\}|%n|%\d|<[^>]+>|&\S)", source)
    out = "".join(p if i % 2 else p.translate(ACCENTED) for i, p in enumerate(pieces))
    words = re.findall(r"[A-Za-z]{4,}", source)
    padding = round(len(source) * 0.4)
    extra = ""
    for word in words * 10:
        if len(extra) >= padding:
            break
        extra += " " + word.translate(ACCENTED)
    if "\n" in out or not extra:
        return out + "·" * (padding if not words else 0)
    return out + extra


def pseudo_catalog(folder: Path) -> Path:
    """The wizard's .ts with every translation replaced by pseudo(source), compiled to a .qm (a plain QTranslator
    loads it: no Python override of a Qt virtual is called from C++)."""
    tree = ET.parse(TS)
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        translation.text = pseudo(message.findtext("source") or "")
        translation.attrib.pop("type", None)
    ts, qm = folder / "setup_assistant_xx.ts", folder / "setup_assistant_xx.qm"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    lrelease = Path(_lupdate()).with_name("pyside6-lrelease")
    done = subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and qm.is_file(), done.stdout + done.stderr
    return qm


@pytest.mark.servers
def test_a_pseudo_locale_40_percent_longer_fits_on_every_page(
    make_wizard, mail_servers, services, tmp_path, qtbot, qapp
) -> None:
    translator = QTranslator()
    assert translator.load(str(pseudo_catalog(tmp_path)))
    qapp.installTranslator(translator)
    try:
        driver = make_wizard(mail_servers.provider_path)
        wizard = driver.wizard
        assert "á" in wizard.address_page.title() or "é" in wizard.address_page.title()
        size = wizard.size()
        problems: list[str] = []

        def look(what: str) -> None:
            QApplication.processEvents()
            problems.extend(f"{what}: {p}" for p in cut_off_texts(wizard.currentPage(), wizard))

        _walk(driver, mail_servers, tmp_path, qtbot, look)
        assert wizard.size() == size, "the window grew to make room for the longer texts"
        assert not problems, "pseudo-locale text cut off at the default size:\n" + "\n".join(problems)
    finally:
        qapp.removeTranslator(translator)


def test_lang_es_opens_the_wizard_in_spanish(qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`setup-assistant --lang es`: the real entry, the real run_wizard; the window is read once it is shown."""
    from setup_assistant import cli
    from setup_assistant.gui import app as app_module

    monkeypatch.setattr(cli, "_no_display_reason", lambda: None)
    seen: dict[str, str] = {}

    def read_and_close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QWizard) and widget.isVisible():
                seen["title"] = widget.currentPage().title()
                seen["next"] = widget.button(QWizard.WizardButton.NextButton).text()
                seen["language"] = widget.address_page.language.currentData()
                widget.done(0)
                return
        QTimer.singleShot(50, read_and_close)

    QTimer.singleShot(0, read_and_close)
    monkeypatch.setattr(app_module, "_start_log", lambda: None)
    assert cli.main(["--lang", "es"]) == 1  # 1: closed before finishing
    assert seen["title"].startswith("Configure su correo"), seen
    assert seen["next"].replace("&", "") == "Siguiente", seen  # the wizard's own "Next" (no arrow for screen readers)
    assert seen["language"] == "es"


def _first_page_in_a_fresh_process(tmp_path: Path, lang: str, remembered: str | None = None) -> str:
    """The windowed frozen entry (installer/entry_gui.py, no arguments) with LANG set: the first page's title."""
    import os

    from setup_assistant.gui.app import APPLICATION, ORGANIZATION
    from setup_assistant.gui.startup_probe import ENV_VAR, REPORT_PREFIX

    home = tmp_path / "home"
    config = home / ".config"
    config.mkdir(parents=True)
    if remembered:
        (config / ORGANIZATION).mkdir()
        (config / ORGANIZATION / f"{APPLICATION}.conf").write_text(f"[General]\nlanguage={remembered}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "PYTHONPATH")}
    env.update(
        {
            ENV_VAR: "1",
            "LANG": lang,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(config),
            "PYTHONPATH": str(ROOT),
        }
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "entry_gui.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(REPORT_PREFIX)]
    assert lines, done.stdout + done.stderr
    return lines[0]


def test_the_windowed_entry_follows_the_system_language(tmp_path: Path) -> None:
    assert "'Configure su correo de NPOMail'" in _first_page_in_a_fresh_process(tmp_path / "es", "es_MX.UTF-8")
    assert "'Set up your NPOMail email'" in _first_page_in_a_fresh_process(tmp_path / "en", "en_US.UTF-8")


def test_the_choice_made_on_the_first_page_wins_over_the_system_language_next_time(tmp_path: Path) -> None:
    line = _first_page_in_a_fresh_process(tmp_path, "es_MX.UTF-8", remembered="en")
    assert "'Set up your NPOMail email'" in line


def test_the_bundle_keeps_qts_own_spanish() -> None:
    from PySide6.QtCore import QLibraryInfo

    from installer import bundling

    assert "es" in bundling.shipped_languages(ROOT / "resources" / "i18n")
    qt = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_es.qm"
    assert qt.is_file()
    assert bundling.translation_is_kept(
        f"{bundling.TRANSLATIONS_DIR}/qtbase_es.qm", bundling.shipped_languages(ROOT / "resources" / "i18n")
    )


def test_switching_while_the_password_store_is_still_asked_is_safe(make_wizard, services, qtbot, monkeypatch) -> None:
    """Back on the first page while the password store is still being asked (it may wait for an unlock): the
    answer arrives after the switch, and must not reach a deleted page."""
    import threading

    translations.install(QCoreApplication.instance(), "en")
    release = threading.Event()
    real_where = services.passwords.where

    def slow_where() -> str | None:
        release.wait(10)
        return real_where()

    monkeypatch.setattr(services.passwords, "where", slow_where)
    driver = make_wizard(None)
    wizard = driver.wizard
    driver.enter_address(USER)
    wizard.next()
    assert wizard.currentId() == PageId.PASSWORD and wizard.jobs.busy
    old_password_page = wizard.password_page
    wizard.back()
    wizard.address_page.language.setCurrentIndex(1)
    qtbot.waitUntil(lambda: wizard.password_page is not old_password_page)
    release.set()
    qtbot.waitUntil(lambda: not wizard.jobs.busy)
    qtbot.wait(700)  # the old pages are deleted after the job's answer (RETIRED_POLL_MS)
    assert wizard.address_page.title().startswith("Configure su correo")
    assert wizard.address_page.address.text() == USER
    wizard.next()
    assert wizard.currentPage().title() == "Su contraseña"


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_certificate_places_and_programs_read_in_spanish_but_stay_english_as_data(
    platform: str, tmp_path: Path
) -> None:
    from setup_assistant.core.provider import load_provider
    from setup_assistant.core.trust import plan_places

    profile = tmp_path / "abcd.default-release"
    profile.mkdir()
    plan = plan_places(
        load_provider(None), platform=platform, home=tmp_path, thunderbird_profiles=[profile], runner=None
    )
    english = [(p.label, *p.programs) for p in plan.places]
    i18n.set_language("es")
    try:
        spanish = [(i18n.human(p.label), *(i18n.human(n) for n in p.programs)) for p in plan.places]
    finally:
        i18n.set_language("en")
    assert [(str(p.label), *map(str, p.programs)) for p in plan.places] == english  # JSON's values: English
    for (label, *programs), (label_es, *programs_es) in zip(english, spanish, strict=True):
        assert label_es != label, label  # every place is translated
        for name, name_es in zip(programs, programs_es, strict=True):
            described = "(" in name or " and " in name  # a description, not a program's own name
            assert (name_es != name) if described else (name_es == name), (name, name_es)

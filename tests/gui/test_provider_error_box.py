"""The wizard started with a broken provider file (`setup-assistant --lang es --provider FILE` from the windowed
app, which has no console): the message box says what is wrong in the person's language, naming file and key."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from setup_assistant.core import i18n
from setup_assistant.gui import app as app_module
from setup_assistant.gui.translations import install
from tests.english_leaks import english_lines
from tests.servers.provider_file import provider_toml


def _shown_for(qapp, path: Path, language: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    saved = i18n._language
    try:
        assert app_module.run_wizard(str(path), language) == app_module.EXIT_USAGE
    finally:
        install(qapp, "en")  # Qt's catalogs out again for the tests after this one
        i18n._language = saved
    return shown


def test_the_message_box_for_a_broken_provider_file_reads_spanish(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "provider.toml"
    text = provider_toml({}, host="127.0.0.1", name="Test Mail").replace('host = "127.0.0.1"', 'host = "bad host!"', 1)
    path.write_text(text, encoding="utf-8")

    shown = _shown_for(qapp, path, "es", monkeypatch)
    assert shown == [f"{path}: la clave 'servers.imap.host' no es un nombre de servidor: 'bad host!'"]
    assert english_lines(shown[0]) == []

    shown = _shown_for(qapp, path, "en", monkeypatch)
    assert shown == [f"{path}: key 'servers.imap.host' is not a host name: 'bad host!'"]

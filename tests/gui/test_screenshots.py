"""The screenshot script keeps working: every page renders to a PNG with real text on it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QImage

from tests.gui.screenshots import USER, render_all

pytestmark = pytest.mark.servers


def test_every_page_renders(qapp, mail_servers, blackhole, tmp_path) -> None:
    assert QFontDatabase.families(), "no fonts: every glyph would render as a box"
    toml = mail_servers.server.provider_toml(mail_servers.ca_path, mail_servers.ca_sha256)
    written = render_all(tmp_path, toml, mail_servers.users[USER], blackhole())
    names = {p.stem for p in written}
    assert {
        "1-address",
        "2-password",
        "3-checking-done",
        "4-result-works",
        "5-certificate",
        "6-programs",
        "7-done",
    } <= names
    for path in written:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 600, path
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 8, f"{path.name} looks blank"

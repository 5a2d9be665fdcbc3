"""The app's own icons (original artwork in resources/icons), loaded from PNG so no SVG plugin is needed.

The SVG files are the sources; `python -m setup_assistant.gui.icons` renders the PNGs beside them.
"""

from __future__ import annotations

import enum
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

from setup_assistant.core.resources import resource_path
from setup_assistant.gui.lazy_qt import Qt

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

STATUS_SIZES = (16, 24, 32, 48)
LOGO_SIZES = (32, 64, 128, 256)


class Status(enum.StrEnum):
    OK = "ok"
    ERROR = "error"
    WARNING = "warning"
    PENDING = "pending"
    STOPPED = "stopped"
    INFO = "info"


def icons_dir() -> Path:
    return resource_path("icons")


def _load(stem: str, sizes: tuple[int, ...]) -> QIcon:
    icon = QIcon()
    for size in sizes:
        path = icons_dir() / f"{stem}-{size}.png"
        if path.exists():
            icon.addFile(str(path), QSize(size, size))
    return icon


@cache
def status_icon(status: Status) -> QIcon:
    return _load(f"status-{status.value}", STATUS_SIZES)


@cache
def app_icon() -> QIcon:
    return _load("logo", LOGO_SIZES)


def logo_pixmap(size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """The logo at a logical size, sharp on high-DPI screens."""
    pixmap = app_icon().pixmap(QSize(size, size), device_pixel_ratio)
    return pixmap


def svg_image(svg: Path, size: int) -> QImage | None:
    """An SVG drawn at size x size px on a transparent square (None if it cannot be read).

    A developer and build-time tool (the app ships PNGs): QtSvg (and QImage, QPainter) are imported only here.
    """
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        return None
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def render_pngs(directory: Path | None = None) -> list[Path]:
    """Renders every SVG source to the PNG sizes the app loads (run after changing an SVG)."""
    directory = directory or icons_dir()
    written: list[Path] = []
    for svg in sorted(directory.glob("*.svg")):
        sizes = LOGO_SIZES if svg.stem == "logo" else STATUS_SIZES
        for size in sizes:
            image = svg_image(svg, size)
            if image is None:
                continue
            target = directory / f"{svg.stem}-{size}.png"
            image.save(str(target))
            written.append(target)
    return written


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    for path in render_pngs():
        print(path)

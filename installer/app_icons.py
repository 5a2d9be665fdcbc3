"""The app icon as Windows .ico and macOS .icns, packed from the PNGs in resources/icons (no image library).

Both formats may carry PNG images as they are (ICO since Windows Vista, ICNS since macOS 10.7), so packing is
a matter of headers. Sizes above 256 px for the Mac are rendered from logo.svg with QtSvg when it is available.
"""

from __future__ import annotations

import struct
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# ICNS PNG slots: OSType -> pixel size (the @2x slots reuse the larger images).
ICNS_TYPES = {
    b"icp4": 16,
    b"icp5": 32,
    b"icp6": 64,
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,
    b"ic11": 32,
    b"ic12": 64,
    b"ic13": 256,
    b"ic14": 512,
}


def png_size(data: bytes) -> tuple[int, int]:
    if not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def logo_pngs(directory: Path = ICONS) -> dict[int, bytes]:
    """Square logo PNGs by size, from logo-<size>.png."""
    found: dict[int, bytes] = {}
    for path in sorted(directory.glob("logo-*.png")):
        data = path.read_bytes()
        width, height = png_size(data)
        if width == height:
            found[width] = data
    if not found:
        raise FileNotFoundError(f"no logo-<size>.png in {directory}")
    return found


def render_svg(svg: Path, size: int) -> bytes | None:
    """A PNG of `svg` at `size` px, or None without QtSvg (it is a build-time tool, never bundled)."""
    try:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        from setup_assistant.gui.icons import svg_image
    except ImportError:
        return None
    image = svg_image(svg, size)
    if image is None:
        return None
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO holding PNG images of at most 256 px (the format's limit)."""
    images = sorted((size, data) for size, data in pngs.items() if size <= 256)
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = [], []
    for size, data in images:
        side = 0 if size == 256 else size  # 0 means 256 in the one-byte fields
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    chunks = [
        ostype + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for ostype, size in ICNS_TYPES.items()
        if size in pngs
    ]
    body = b"".join(chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icons(directory: Path) -> tuple[Path, Path]:
    """Writes setup-assistant.ico and setup-assistant.icns into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    pngs = logo_pngs()
    for size in (512, 1024):
        if size not in pngs and (rendered := render_svg(ICONS / "logo.svg", size)) is not None:
            pngs[size] = rendered
    ico = directory / "setup-assistant.ico"
    icns = directory / "setup-assistant.icns"
    ico.write_bytes(ico_bytes(pngs))
    icns.write_bytes(icns_bytes(pngs))
    return ico, icns

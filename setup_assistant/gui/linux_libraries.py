"""Before Qt starts on Linux/X11: are the system libraries its xcb plugin needs there?

Without one of them Qt prints "xcb-cursor0 or libxcb-cursor0 is needed" and aborts, even when that package is
installed and another one is missing. This check loads each library the way Qt would (dlopen by its soname),
names the file that really could not be found, and turns it into the Debian packages to install. Qt-free, so it
runs before anything of Qt is loaded.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable, Mapping

# What Qt's xcb platform plugin (and Qt's GUI library under it) loads, in dependency order, with the Debian
# package that ships each file. The README's run command and `.ci/run` list the same packages.
XCB_LIBRARIES: dict[str, str] = {
    "libX11.so.6": "libx11-6",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
}

_MISSING_FILE = re.compile(r"^\s*([^\s:]+\.so[.\d]*)\s*:")

Loader = Callable[[str], object]


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Qt will use its xcb (X11) plugin: Linux with an X display, unless told to use another platform."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":", 1)[0].split(";", 1)[0] == "xcb"
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return False  # Qt 6 picks its Wayland plugin there
    return bool(environ.get("DISPLAY"))


def missing_packages(load: Loader = ctypes.CDLL, libraries: Mapping[str, str] = XCB_LIBRARIES) -> list[str]:
    """The Debian packages whose libraries cannot be loaded, in install order; [] when all load."""
    packages: list[str] = []
    for soname, package in libraries.items():
        try:
            load(soname)
        except OSError as exc:
            # dlopen names the file it could not find: this library, or one it depends on.
            match = _MISSING_FILE.match(str(exc))
            culprit = match.group(1) if match else soname
            wanted = libraries.get(os.path.basename(culprit), package)
            if wanted not in packages:
                packages.append(wanted)
    return packages


def install_hint(packages: list[str]) -> str:
    """The sentence a person on a bare Linux system needs, with the exact apt-get line."""
    return (
        "the wizard cannot open a window: this system lacks libraries that Qt needs for X11 ("
        + ", ".join(packages)
        + "). On Debian or Ubuntu install them with:\n    sudo apt-get install "
        + " ".join(packages)
        + "\nThe commands work without them (see setup-assistant --help)."
    )


def missing_reason(environ: Mapping[str, str] | None = None, load: Loader = ctypes.CDLL) -> str | None:
    """None when Qt can start here; else what to install."""
    env = os.environ if environ is None else environ
    if getattr(sys, "frozen", False) or not uses_xcb(env):
        return None  # a frozen bundle carries its own copies next to Qt's plugin
    packages = missing_packages(load)
    return install_hint(packages) if packages else None

"""What goes into the frozen app: the slimming rules shared by the app's spec and the benchmark's floor build.

Most of a PySide6 bundle's weight is not the Qt modules the app imports but Qt *plugins* (which drag in
libQt6Network, Wayland, EGL, OpenGL, Svg, and GTK3 from the build host), Qt's translations, and whatever
host libraries those plugins link. So: keep only the plugins the wizard needs, drop the translations, then
keep only the binaries that the Python extensions, the kept plugins and libpython still reach through their
link-time imports (ELF NEEDED, PE imports, Mach-O load commands), as PyInstaller's own dependency reader reports them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath

# Qt modules the app never imports. Most are never collected anyway; QtSvg is, because the developer-only
# icon renderer (setup_assistant/gui/icons.py) imports it inside a function.
EXCLUDED_MODULES = [
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtPrintSupport",
    "PySide6.QtHelp",
    "tkinter",
    "_tkinter",
    # Nothing uses processes (concurrent.futures only names them); bundled, it brings a run-time hook that
    # imports multiprocessing, sockets, pickle and subprocess before the first line of the app (15 ms at start).
    "multiprocessing",
    # Never used by the app, but picked up through optional imports when the build Python has them installed
    # (dnspython's DNS-over-HTTPS/QUIC back ends, test and data-science packages).
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "PIL",
    "IPython",
    "pytest",
    "_pytest",
    "trustme",
    "httpx",
    "httpcore",
    "h2",
    "aioquic",
    "trio",
    "curio",
]

# Plugin directory -> plugin names to keep (file name without "lib" and extension); "*" keeps the directory.
# Platforms: the native one on each OS, plus offscreen for the headless smoke test. Styles: the native look
# (qmodernwindowsstyle on Windows 11, qmacstyle on macOS). Compose input handles dead keys on X11.
# No image-format plugin: the app's icons are PNG, which QtGui reads itself.
KEPT_PLUGINS: dict[str, frozenset[str] | str] = {
    "platforms": frozenset({"qxcb", "qoffscreen", "qwindows", "qcocoa"}),
    "styles": "*",
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin"}),
}

TRANSLATIONS_DIR = "PySide6/Qt/translations"

TocEntry = tuple[str, str, str]
ImportsOf = Callable[[str], Iterable[tuple[str, str | None]]]


def plugin_of(dest: str) -> tuple[str, str] | None:
    """(plugin directory, plugin name) when `dest` is a Qt plugin, else None."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "plugins" not in parts:
        return None
    at = parts.index("plugins")
    if len(parts) < at + 3 or "PySide6" not in parts[:at]:
        return None
    directory, filename = parts[at + 1], parts[-1]
    name = re.sub(r"\.(so|dylib|dll)$", "", filename, flags=re.IGNORECASE)
    if name.startswith("lib"):
        name = name[3:]
    return directory, name


def plugin_is_kept(dest: str) -> bool:
    found = plugin_of(dest)
    if found is None:
        return True
    directory, name = found
    keep = KEPT_PLUGINS.get(directory)
    return keep == "*" or (isinstance(keep, frozenset) and name in keep)


def is_translation(dest: str) -> bool:
    return dest.replace("\\", "/").startswith(TRANSLATIONS_DIR + "/")


def translation_is_kept(dest: str, languages: Iterable[str]) -> bool:
    """Qt's own strings (Back, Next, Cancel) stay only in the languages the app itself is translated into."""
    name = PurePosixPath(dest.replace("\\", "/")).name
    return any(name == f"qtbase_{language}.qm" for language in languages)


def shipped_languages(i18n_dir: Path) -> list[str]:
    """Languages of the app's own translations, resources/i18n/setup_assistant_<language>.qm."""
    return sorted(p.stem.removeprefix("setup_assistant_") for p in i18n_dir.glob("setup_assistant_*.qm"))


def _basename_key(path: str) -> str:
    return os.path.basename(path.replace("\\", "/")).casefold()


def _realpath_key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def reachable_binaries(
    binaries: Sequence[TocEntry],
    roots: Iterable[TocEntry],
    imports_of: ImportsOf,
) -> set[str]:
    """Dest names of the binaries reached from `roots` through link-time imports (a breadth-first closure).

    An import matches a bundled binary by resolved path or, failing that, by file name (case-insensitive for
    Windows); matching too much only keeps a file, it never drops a needed one.
    """
    by_real: dict[str, list[TocEntry]] = {}
    by_name: dict[str, list[TocEntry]] = {}
    for entry in binaries:
        by_real.setdefault(_realpath_key(entry[1]), []).append(entry)
        by_name.setdefault(_basename_key(entry[0]), []).append(entry)
        by_name.setdefault(_basename_key(entry[1]), []).append(entry)
    kept: set[str] = set()
    queue = list(roots)
    while queue:
        entry = queue.pop()
        if entry[0] in kept:
            continue
        kept.add(entry[0])
        for name, resolved in imports_of(entry[1]):
            found = by_real.get(_realpath_key(resolved), []) if resolved else []
            queue.extend(found or by_name.get(_basename_key(name), []))
    return kept


def _is_python_library(entry: TocEntry) -> bool:
    name = _basename_key(entry[0])
    return name.startswith(("libpython3", "python3")) or name == "python"


def pyinstaller_imports(path: str) -> list[tuple[str, str | None]]:
    """The link-time imports of one binary as (name, resolved path or None), on every OS PyInstaller supports."""
    from PyInstaller.depend import bindepend

    return sorted(bindepend.get_imports(path), key=lambda item: item[0])


def slim(
    binaries: Sequence[TocEntry],
    datas: Sequence[TocEntry],
    imports_of: ImportsOf = pyinstaller_imports,
    languages: Iterable[str] = (),
) -> tuple[list[TocEntry], list[TocEntry], list[str]]:
    """Returns (binaries, datas, dropped dest names) after the plugin, translation and reachability filters."""
    languages = list(languages)
    plugins_kept = [b for b in binaries if plugin_is_kept(b[0])]
    roots = [
        b
        for b in plugins_kept
        if b[2] == "EXTENSION" or plugin_of(b[0]) is not None or _is_python_library(b) or _is_executable_root(b)
    ]
    reached = reachable_binaries(plugins_kept, roots, imports_of)
    kept_binaries = [b for b in binaries if b[0] in reached]
    dropped = sorted(b[0] for b in binaries if b[0] not in reached)
    dropped_frameworks = {f for f in (_framework_dir(d) for d in dropped) if f is not None}
    kept_frameworks = {f for f in (_framework_dir(b[0]) for b in kept_binaries) if f is not None}
    orphaned = dropped_frameworks - kept_frameworks
    kept_datas = [
        d
        for d in datas
        if (not is_translation(d[0]) or translation_is_kept(d[0], languages)) and _framework_dir(d[0]) not in orphaned
    ]
    dropped += sorted(d[0] for d in datas if d not in kept_datas)
    return kept_binaries, kept_datas, dropped


def _is_executable_root(entry: TocEntry) -> bool:
    """Helper programs shipped as binaries (none today) are run, not linked, so they are roots too."""
    return entry[2] == "EXECUTABLE"


def _framework_dir(dest: str) -> str | None:
    """The top .framework folder of a macOS framework file, whose Resources go when its binary goes."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    for at, part in enumerate(parts):
        if part.endswith(".framework"):
            return "/".join(parts[: at + 1])
    return None


def summary(dropped: Sequence[str]) -> str:
    plugins = sum(1 for d in dropped if plugin_of(d) is not None)
    translations = sum(1 for d in dropped if is_translation(d))
    return (
        f"bundling: dropped {len(dropped)} files ({plugins} Qt plugins, {translations} Qt translations, "
        f"{len(dropped) - plugins - translations} libraries nothing links any more)"
    )


def bundle_size(path: Path) -> int:
    """Bytes of regular files under `path` (symlinks are not counted twice)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            if not os.path.islink(full):
                total += os.path.getsize(full)
    return total


def write_build_info(path: Path, root: Path) -> Path:
    """Records what goes into the bundle (the app's own collect_build_info, run in the build's environment).

    The commit comes from GITHUB_SHA on a runner, else from git; SETUP_ASSISTANT_LOCK_FILE names the lock file
    that build.py checked the environment against.
    """
    import json
    import sys

    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import PySide6.QtCore  # noqa: F401  (loaded so that Qt's own version is recorded)

    from setup_assistant.core.build_info import collect_build_info

    info = collect_build_info(
        root, commit=os.environ.get("GITHUB_SHA") or None, lock_file=os.environ.get("SETUP_ASSISTANT_LOCK_FILE")
    )
    info["frozen"] = True
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info, indent=1, sort_keys=True), encoding="utf-8")
    return path

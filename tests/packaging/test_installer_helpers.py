"""The packaging helpers without a build: slimming rules, icon files, metadata, the macOS steps' skip paths,
and the first-page hook the smoke test and the benchmark rely on."""

from __future__ import annotations

import os
import plistlib
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from setup_assistant.gui.startup_probe import ENV_VAR, REPORT_PREFIX
from tests.packaging.conftest import ROOT, load_installer_module

bundling = load_installer_module("installer_bundling", "bundling.py")
app_icons = load_installer_module("installer_app_icons", "app_icons.py")
metadata = load_installer_module("installer_metadata", "metadata.py")
dmg = load_installer_module("installer_macos_dmg", "macos/dmg.py")

QT = "PySide6/Qt"


def toc(*entries: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [(dest, f"/src/{dest}", kind) for dest, kind in entries]


def test_slim_keeps_what_extensions_and_kept_plugins_reach_and_drops_the_rest() -> None:
    binaries = toc(
        ("PySide6/QtWidgets.abi3.so", "EXTENSION"),
        (f"{QT}/lib/libQt6Widgets.so.6", "BINARY"),
        (f"{QT}/lib/libQt6Core.so.6", "BINARY"),
        (f"{QT}/lib/libQt6XcbQpa.so.6", "BINARY"),
        (f"{QT}/lib/libQt6Network.so.6", "BINARY"),
        (f"{QT}/plugins/platforms/libqxcb.so", "BINARY"),
        (f"{QT}/plugins/platforms/libqwayland-egl.so", "BINARY"),
        (f"{QT}/plugins/tls/libqopensslbackend.so", "BINARY"),
        ("libpython3.11.so.1.0", "BINARY"),
        ("libgtk-3.so.0", "BINARY"),
    )
    links = {
        "/src/PySide6/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
        f"/src/{QT}/lib/libQt6Widgets.so.6": ["libQt6Core.so.6"],
        f"/src/{QT}/plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6", "libc.so.6"],
        f"/src/{QT}/plugins/platforms/libqwayland-egl.so": ["libgtk-3.so.0"],
        f"/src/{QT}/plugins/tls/libqopensslbackend.so": ["libQt6Network.so.6"],
    }
    datas = toc((f"{QT}/translations/qtbase_de.qm", "DATA"), ("setup_assistant/_resources/x.toml", "DATA"))

    kept, kept_datas, dropped = bundling.slim(binaries, datas, lambda path: [(n, None) for n in links.get(path, [])])

    assert [b[0] for b in kept] == [
        "PySide6/QtWidgets.abi3.so",
        f"{QT}/lib/libQt6Widgets.so.6",
        f"{QT}/lib/libQt6Core.so.6",
        f"{QT}/lib/libQt6XcbQpa.so.6",
        f"{QT}/plugins/platforms/libqxcb.so",
        "libpython3.11.so.1.0",
    ]
    assert [d[0] for d in kept_datas] == ["setup_assistant/_resources/x.toml"]
    assert f"{QT}/lib/libQt6Network.so.6" in dropped and "libgtk-3.so.0" in dropped


def test_slim_matches_windows_imports_case_insensitively_and_keeps_shipped_languages() -> None:
    binaries = toc(
        ("PySide6/QtCore.pyd", "EXTENSION"),
        ("PySide6/Qt6Core.dll", "BINARY"),
        ("PySide6/opengl32sw.dll", "BINARY"),  # loaded at run time only for software OpenGL: not needed
        ("PySide6/plugins/platforms/qwindows.dll", "BINARY"),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", "BINARY"),
    )
    datas = toc((f"{QT}/translations/qtbase_de.qm", "DATA"), (f"{QT}/translations/qtbase_fr.qm", "DATA"))
    imports = {"/src/PySide6/QtCore.pyd": ["QT6CORE.DLL", "KERNEL32.dll"]}

    kept, kept_datas, _ = bundling.slim(
        binaries, datas, lambda path: [(n, None) for n in imports.get(path, [])], languages=["de"]
    )

    assert {b[0] for b in kept} == {
        "PySide6/QtCore.pyd",
        "PySide6/Qt6Core.dll",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    }
    assert [d[0] for d in kept_datas] == [f"{QT}/translations/qtbase_de.qm"]


def test_slim_drops_the_resources_of_a_macos_framework_whose_binary_went() -> None:
    fw = f"{QT}/lib/QtNetwork.framework"
    binaries = toc(("PySide6/QtCore.abi3.so", "EXTENSION"), (f"{fw}/Versions/A/QtNetwork", "BINARY"))
    datas = toc((f"{fw}/Resources/Info.plist", "DATA"), (f"{QT}/lib/QtCore.framework/Resources/Info.plist", "DATA"))
    kept, kept_datas, dropped = bundling.slim(binaries, datas, lambda path: [])
    assert [b[0] for b in kept] == ["PySide6/QtCore.abi3.so"]
    assert [d[0] for d in kept_datas] == [f"{QT}/lib/QtCore.framework/Resources/Info.plist"]
    assert f"{fw}/Resources/Info.plist" in dropped


def test_plugin_names_on_every_platform() -> None:
    assert bundling.plugin_of(f"{QT}/plugins/platforms/libqxcb.so") == ("platforms", "qxcb")
    assert bundling.plugin_of("PySide6\\plugins\\platforms\\qwindows.dll") == ("platforms", "qwindows")
    assert bundling.plugin_of(f"{QT}/plugins/platforms/libqcocoa.dylib") == ("platforms", "qcocoa")
    assert bundling.plugin_of(f"{QT}/lib/libQt6Core.so.6") is None
    assert bundling.plugin_is_kept(f"{QT}/plugins/styles/libqmacstyle.dylib")
    assert not bundling.plugin_is_kept(f"{QT}/plugins/imageformats/libqsvg.so")


def test_shipped_languages(tmp_path: Path) -> None:
    for name in ("setup_assistant_de.qm", "setup_assistant_pt_BR.qm", "other_fr.qm"):
        (tmp_path / name).write_bytes(b"")
    assert bundling.shipped_languages(tmp_path) == ["de", "pt_BR"]
    assert bundling.shipped_languages(tmp_path / "missing") == []


def test_ico_holds_every_logo_png_with_a_consistent_directory() -> None:
    pngs = app_icons.logo_pngs()
    data = app_icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len([s for s in pngs if s <= 256]))
    for index in range(count):
        width, height, _, _, planes, bpp, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        image = data[offset : offset + size]
        side = app_icons.png_size(image)[0]
        assert (width or 256, height or 256, planes, bpp) == (side, side, 1, 32)


def test_icns_chunks_add_up_and_are_pngs_of_their_slot_size() -> None:
    pngs = app_icons.logo_pngs()
    data = app_icons.icns_bytes(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    at, seen = 8, []
    while at < len(data):
        ostype, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        assert app_icons.png_size(data[at + 8 : at + length]) == (app_icons.ICNS_TYPES[ostype],) * 2
        seen.append(ostype)
        at += length
    assert at == len(data) and b"ic07" in seen  # 128 px, the Finder's everyday size


def test_png_size_rejects_other_files() -> None:
    with pytest.raises(ValueError):
        app_icons.png_size(b"GIF89a" + b"\0" * 30)


def test_versions_for_windows_and_macos() -> None:
    assert metadata.numeric_version("1.2rc3") == "1.2.0.0"
    assert metadata.numeric_version("0.1.0") == "0.1.0.0"
    assert metadata.numeric_version("1.2.3.4.5") == "1.2.3.4"
    text = "Wheel-Version: 1.0\nTag: cp39-abi3-macosx_13_0_universal2\nTag: cp39-abi3-macosx_11_0_arm64\n"
    assert metadata.macos_versions_in_wheel_tags(text) == [(13, 0), (11, 0)]
    assert metadata.minimum_macos(("no-such-distribution",)) == metadata.FALLBACK_MINIMUM_MACOS


def test_app_name_and_version_come_from_the_source() -> None:
    from setup_assistant import __version__

    assert metadata.version() == __version__
    assert metadata.app_name() == "NPOMail Setup Assistant"


def test_macos_signing_and_notarization_skip_with_a_message_when_not_configured(capsys, tmp_path: Path) -> None:
    assert dmg.signing_identity({}) is None
    assert dmg.sign_app(tmp_path / "X.app", None) is False
    assert dmg.notarize(tmp_path / "x.dmg", None, {}) is False
    assert dmg.notarize(tmp_path / "x.dmg", "Developer ID Application: X (T)", {}) is False
    out = capsys.readouterr().out
    assert "macOS signing: skipped" in out and out.count("macOS notarization: skipped") == 2
    assert dmg.notary_arguments({"MACOS_NOTARY_PROFILE": "ci"}) == ["--keychain-profile", "ci"]
    env = {"APPLE_ID": "a@example.org", "APPLE_TEAM_ID": "T", "APPLE_APP_PASSWORD": "pw"}
    assert dmg.notary_arguments(env) == ["--apple-id", "a@example.org", "--team-id", "T", "--password", "pw"]
    assert dmg.notary_arguments({**env, "APPLE_APP_PASSWORD": " "}) is None


def test_entitlements_are_a_real_plist(tmp_path: Path) -> None:
    loaded = plistlib.loads(dmg.write_entitlements(tmp_path).read_bytes())
    assert loaded == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def test_make_dmg_refuses_what_is_not_an_app(tmp_path: Path) -> None:
    with pytest.raises(dmg.DmgError, match=r"not an \.app bundle"):
        dmg.make_dmg(tmp_path, tmp_path / "x.dmg", "X")


def test_a_missing_macos_tool_is_named(tmp_path: Path) -> None:
    with pytest.raises(dmg.DmgError, match="no-such-tool-for-dmg is not available"):
        dmg._run(["no-such-tool-for-dmg", str(tmp_path)])


WIZARD_SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage
from setup_assistant.gui.startup_probe import exit_when_shown
app = QApplication(sys.argv[:1])
wizard = QWizard()
wizard.setWindowTitle("Probe")
page = QWizardPage()
page.setTitle("First")
wizard.addPage(page)
exit_when_shown(wizard)
wizard.show()
sys.exit(wizard.exec() + 40)  # a modal loop, left by the hook with exec() returning 0 (rejected)
"""


@pytest.mark.parametrize("mode", ["stdout", "file"])
def test_first_page_hook_reports_and_leaves_a_modal_loop(mode: str, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        ENV_VAR: "1" if mode == "stdout" else str(report),
    }
    proc = subprocess.run(
        [sys.executable, "-c", WIZARD_SCRIPT], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert proc.returncode == 40, proc.stderr
    line = proc.stdout.strip() if mode == "stdout" else report.read_text(encoding="utf-8").strip()
    assert line == f"{REPORT_PREFIX} QWizard 'Probe' page QWizardPage 'First'"


def test_first_page_hook_does_nothing_unless_asked(monkeypatch, qtbot) -> None:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWizard

    from setup_assistant.gui.startup_probe import exit_when_shown

    for value in (None, "", "0"):
        if value is None:
            monkeypatch.delenv(ENV_VAR, raising=False)
        else:
            monkeypatch.setenv(ENV_VAR, value)
        wizard = QWizard()
        qtbot.addWidget(wizard)
        before = len(wizard.findChildren(QObject))
        exit_when_shown(wizard)
        assert len(wizard.findChildren(QObject)) == before

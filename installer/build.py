"""The one build command: the PyInstaller onedir bundle, then this platform's installer.

    python installer/build.py                 # dist/setup-assistant/ (+ the .exe installer or the .dmg)
    python installer/build.py --no-installer  # the bundle only
    python installer/build.py --nsis          # also compile the Windows installer script here (any OS with makensis)
    python installer/build.py --print-programs-dir   # SETUP_ASSISTANT_BUNDLE_DIR=... for tests/packaging

Outputs go to dist/ (bundle, installers) and build/ (PyInstaller's work files and its cache, so nothing is
written to ~/.cache). Needs the [build] extra: `pip install -e ".[build]"`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

INSTALLER = Path(__file__).resolve().parent
ROOT = INSTALLER.parent
if str(INSTALLER) not in sys.path:
    sys.path.insert(0, str(INSTALLER))

import app_icons  # noqa: E402
import lock  # noqa: E402
import metadata  # noqa: E402
from bundling import bundle_size  # noqa: E402

SPEC = INSTALLER / "setup_assistant.spec"
NSIS_SCRIPT = INSTALLER / "windows" / "setup_assistant.nsi"
MAKENSIS_PLACES = (
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "NSIS" / "makensis.exe",
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "NSIS" / "makensis.exe",
)


class BuildError(Exception):
    """A missing tool or a failed step: one human line, exit 1."""


def build_bundle(dist: Path, work: Path, spec: Path = SPEC, folder: str = metadata.FOLDER_NAME) -> Path:
    """Runs PyInstaller on `spec` (the app's by default); returns the onedir folder it makes."""
    env = dict(os.environ)
    env.setdefault("PYINSTALLER_CONFIG_DIR", str(work / "pyinstaller-config"))
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(spec),
    ]
    if subprocess.run([sys.executable, "-c", "import PyInstaller"], capture_output=True).returncode != 0:
        raise BuildError('PyInstaller is not installed (pip install -e ".[build]")')
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        raise BuildError("PyInstaller failed (see above)")
    return dist / folder


def check_lock(*, unlocked: bool = False) -> None:
    """Refuses to build from anything but the locked packages (recorded in the bundle), unless told not to."""
    if unlocked:
        os.environ.pop("SETUP_ASSISTANT_LOCK_FILE", None)
        print("build: --unlocked: the bundle records the packages installed now, not checked against a lock")
        return
    try:
        problems = lock.mismatches(lock.read_pins())
    except (OSError, ValueError) as exc:
        raise BuildError(f"the lock file cannot be read: {exc}") from None
    if problems:
        raise BuildError(
            "this environment is not the locked one (pip install --require-hashes -r requirements/bundle.txt, "
            "or --unlocked for a development build): " + "; ".join(problems[:5])
        )
    os.environ["SETUP_ASSISTANT_LOCK_FILE"] = lock.describe()


def programs_dir(dist: Path) -> Path:
    """The folder holding the two executables: the onedir folder, or Contents/MacOS inside the .app."""
    if sys.platform == "darwin":
        return dist / f"{metadata.app_name()}.app" / "Contents" / "MacOS"
    return dist / metadata.FOLDER_NAME


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    return next((str(p) for p in MAKENSIS_PLACES if p.is_file()), None)


def makensis_command(
    bundle: Path,
    outfile: Path,
    icon: Path,
    *,
    makensis: str = "makensis",
    store_only: bool = False,
) -> list[str]:
    """makensis with the script's defines; `store_only` skips compression (a quick compile for the tests)."""
    defines = {
        "APP_NAME": metadata.app_name(),
        "PROVIDER_NAME": metadata.provider()["name"],
        "APP_VERSION": metadata.version(),
        "VI_VERSION": metadata.numeric_version(),
        "PUBLISHER": metadata.PUBLISHER,
        "BUNDLE_DIR": str(bundle),
        "OUTFILE": str(outfile),
        "APP_ICON": str(icon),
        "ESTIMATED_SIZE_KB": str(bundle_size(bundle) // 1024),
    }
    if store_only:
        defines["STORE_ONLY"] = "1"
    # makensis takes "-" options everywhere ("/" only on Windows); -WX makes any warning an error.
    return [makensis, "-V2", "-WX", *(f"-D{k}={v}" for k, v in defines.items()), str(NSIS_SCRIPT)]


def windows_installer(bundle: Path, dist: Path, work: Path, *, store_only: bool = False) -> Path:
    makensis = find_makensis()
    if makensis is None:
        raise BuildError("makensis is not installed (Windows: choco install nsis; Debian: apt-get install nsis)")
    icon, _icns = app_icons.write_icons(work / "icons")
    outfile = dist / f"{metadata.FOLDER_NAME}-{metadata.version()}-setup.exe"
    command = makensis_command(bundle, outfile, icon, makensis=makensis, store_only=store_only)
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command).returncode != 0:
        raise BuildError("makensis failed (see above)")
    return outfile


def mac_dmg(dist: Path) -> Path:
    sys.path.insert(0, str(INSTALLER / "macos"))
    import dmg

    app = dist / f"{metadata.app_name()}.app"
    out = dist / f"{metadata.FOLDER_NAME}-{metadata.version()}.dmg"
    try:
        return dmg.build_dmg(app, out, metadata.app_name())
    except dmg.DmgError as exc:
        raise BuildError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work folder (default: build/)")
    parser.add_argument("--no-installer", action="store_true", help="build the bundle only")
    parser.add_argument("--nsis", action="store_true", help="compile the Windows installer script on this OS too")
    parser.add_argument(
        "--unlocked",
        action="store_true",
        help="build from the packages installed now, not checked against requirements/bundle.txt (development only)",
    )
    parser.add_argument(
        "--print-programs-dir",
        action="store_true",
        help="print SETUP_ASSISTANT_BUNDLE_DIR=<folder of the built executables> for the smoke test, build nothing",
    )
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    if args.print_programs_dir:
        # Bytes with a bare newline: the line goes into $GITHUB_ENV, also from Windows.
        sys.stdout.buffer.write(f"SETUP_ASSISTANT_BUNDLE_DIR={programs_dir(dist)}\n".encode())
        return 0
    started = time.monotonic()
    try:
        check_lock(unlocked=args.unlocked)
        bundle = build_bundle(dist, work)
        size = bundle_size(bundle)
        print(f"bundle: {bundle} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s")
        if not args.no_installer:
            if sys.platform == "win32" or args.nsis:
                print(f"installer: {windows_installer(bundle, dist, work)}")
            if sys.platform == "darwin":
                print(f"dmg: {mac_dmg(dist)}")
    except BuildError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

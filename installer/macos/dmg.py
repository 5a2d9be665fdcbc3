"""The macOS disk image: sign the .app, pack it with hdiutil, sign and notarize the .dmg.

Signing and notarization run only when configured and otherwise say why they were skipped:
- MACOS_SIGNING_IDENTITY: a "Developer ID Application: Name (TEAMID)" identity in the keychain.
- Notarization (needs the identity): MACOS_NOTARY_PROFILE, a keychain profile made with
  `xcrun notarytool store-credentials`, or APPLE_ID + APPLE_TEAM_ID + APPLE_APP_PASSWORD.

Usage (normally through installer/build.py): python installer/macos/dmg.py APP OUT.dmg [--volume-name NAME]
"""

from __future__ import annotations

import argparse
import os
import plistlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

# Hardened runtime exceptions the frozen Python needs: ctypes (truststore, keyring's macOS backend) creates
# libffi trampolines, which live in writable-then-executable memory.
ENTITLEMENTS = {"com.apple.security.cs.allow-unsigned-executable-memory": True}


class DmgError(Exception):
    """A step failed or a tool is missing: one human line, exit 1."""


def signing_identity(env: Mapping[str, str] = os.environ) -> str | None:
    return env.get("MACOS_SIGNING_IDENTITY", "").strip() or None


def notary_arguments(env: Mapping[str, str] = os.environ) -> list[str] | None:
    """notarytool's credential arguments, or None when notarization is not configured."""
    profile = env.get("MACOS_NOTARY_PROFILE", "").strip()
    if profile:
        return ["--keychain-profile", profile]
    apple_id, team, password = (env.get(k, "").strip() for k in ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD"))
    if apple_id and team and password:
        return ["--apple-id", apple_id, "--team-id", team, "--password", password]
    return None


def _run(command: Sequence[str], *, secret: str | None = None) -> None:
    shown = " ".join("***" if secret and part == secret else part for part in command)
    print(f"+ {shown}", flush=True)
    if shutil.which(command[0]) is None:
        raise DmgError(f"{command[0]} is not available (this step runs on macOS only)")
    proc = subprocess.run(list(command), check=False)
    if proc.returncode != 0:
        raise DmgError(f"{command[0]} failed with exit code {proc.returncode}: {shown}")


def _run_with_retries(command: Sequence[str], attempts: int = 3) -> None:
    """hdiutil now and then fails with "Resource busy" on CI runners; a retry a few seconds later works."""
    for attempt in range(1, attempts + 1):
        try:
            _run(command)
            return
        except DmgError:
            if attempt == attempts or shutil.which(command[0]) is None:
                raise
            time.sleep(5 * attempt)


def write_entitlements(directory: Path) -> Path:
    path = directory / "entitlements.plist"
    path.write_bytes(plistlib.dumps(ENTITLEMENTS))
    return path


def sign_app(app: Path, identity: str | None) -> bool:
    """Signs every binary in the .app with the hardened runtime (notarization requires it); False if skipped."""
    if identity is None:
        print("macOS signing: skipped (set MACOS_SIGNING_IDENTITY to a 'Developer ID Application' identity to sign)")
        return False
    with tempfile.TemporaryDirectory() as scratch:
        entitlements = write_entitlements(Path(scratch))
        base = ["codesign", "--force", "--timestamp", "--options", "runtime", "--sign", identity]
        _run([*base, "--deep", "--entitlements", str(entitlements), str(app)])
    _run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app)])
    return True


def make_dmg(app: Path, out: Path, volume_name: str) -> Path:
    """A compressed (UDZO) image holding the .app and a link to /Applications to drag it onto."""
    if not app.is_dir() or app.suffix != ".app":
        raise DmgError(f"{app} is not an .app bundle (build it with installer/build.py on macOS)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        staging = Path(scratch) / volume_name
        staging.mkdir()
        # ditto keeps the symlinks, extended attributes and signatures inside the bundle intact.
        _run(["ditto", str(app), str(staging / app.name)])
        (staging / "Applications").symlink_to("/Applications")
        _run_with_retries(
            [
                "hdiutil",
                "create",
                "-volname",
                volume_name,
                "-srcfolder",
                str(staging),
                "-fs",
                "HFS+",
                "-format",
                "UDZO",
                "-ov",
                str(out),
            ]
        )
    return out


def sign_dmg(dmg: Path, identity: str | None) -> bool:
    if identity is None:
        return False
    _run(["codesign", "--force", "--timestamp", "--sign", identity, str(dmg)])
    return True


def notarize(dmg: Path, identity: str | None, env: Mapping[str, str] = os.environ) -> bool:
    credentials = notary_arguments(env)
    if identity is None or credentials is None:
        missing = "a signing identity" if identity is None else "notary credentials"
        print(
            f"macOS notarization: skipped (no {missing}; set MACOS_NOTARY_PROFILE, or APPLE_ID, APPLE_TEAM_ID "
            "and APPLE_APP_PASSWORD, together with MACOS_SIGNING_IDENTITY)"
        )
        return False
    secret = credentials[-1] if credentials[0] == "--apple-id" else None
    _run(["xcrun", "notarytool", "submit", str(dmg), "--wait", *credentials], secret=secret)
    _run(["xcrun", "stapler", "staple", str(dmg)])
    return True


def build_dmg(app: Path, out: Path, volume_name: str, env: Mapping[str, str] = os.environ) -> Path:
    identity = signing_identity(env)
    sign_app(app, identity)
    make_dmg(app, out, volume_name)
    sign_dmg(dmg=out, identity=identity)
    notarize(out, identity, env)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--volume-name", default=None, help="the mounted volume's name (default: the app's)")
    args = parser.parse_args(argv)
    try:
        build_dmg(args.app, args.out, args.volume_name or args.app.stem)
    except DmgError as exc:
        print(f"dmg: {exc}", file=sys.stderr)
        return 1
    print(f"dmg: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

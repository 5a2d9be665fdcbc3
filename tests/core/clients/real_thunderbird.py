"""A real Thunderbird for the tests: start it headless on a profile, let it save prefs.js, stop it.

Self-contained (the Debian package `thunderbird`; skipped with the reason when it is missing, a failure under
CI=true). `private_install` makes a throwaway installation folder beside the test (hard links to the real files,
copies of `defaults/` and `isp/`), so a test can drop a file into Thunderbird's own `isp/` folder or add an
AutoConfig script (`mozilla.cfg`) that drives Thunderbird's own account-creation modules, without touching the
system's installation.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

INSTALL_DIRS = (Path("/usr/lib/thunderbird"), Path("/usr/lib64/thunderbird"), Path("/opt/thunderbird"))
BINARY = "thunderbird-bin"


def installed() -> Path | None:
    """The folder of the installed Thunderbird (the one holding omni.ja and the program)."""
    for folder in INSTALL_DIRS:
        if (folder / BINARY).is_file() and (folder / "omni.ja").exists():
            return folder
    return None


def require_thunderbird() -> Path:
    folder = installed()
    if folder is None:
        reason = "Thunderbird is not installed (Debian: apt-get install thunderbird)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return folder


def private_install(target: Path, isp_files: dict[str, bytes] | None = None, cfg: str | None = None) -> Path:
    """A copy of the installation that Thunderbird treats as its own folder (it follows its binary's path)."""
    source = require_thunderbird()
    target.mkdir(parents=True)
    for entry in sorted(source.iterdir()):
        dest = target / entry.name
        real = entry.resolve()
        if entry.name in ("defaults", "isp"):
            shutil.copytree(real, dest, symlinks=False)
        elif entry.is_symlink() and "/" not in os.readlink(entry) and (source / os.readlink(entry)).is_file():
            os.symlink(os.readlink(entry), dest)  # thunderbird -> thunderbird-bin
        elif real.is_file():
            try:
                os.link(real, dest)
            except OSError:
                shutil.copy2(real, dest)
        else:
            os.symlink(real, dest)
    (target / "isp").mkdir(exist_ok=True)
    for name, data in (isp_files or {}).items():
        (target / "isp" / name).write_bytes(data)
    if cfg is not None:
        (target / "defaults" / "pref").mkdir(parents=True, exist_ok=True)
        (target / "defaults" / "pref" / "autoconfig.js").write_text(
            'pref("general.config.filename", "mozilla.cfg");\n'
            'pref("general.config.obscure_value", 0);\n'
            'pref("general.config.sandbox_enabled", false);\n'
        )
        (target / "mozilla.cfg").write_text("// AutoConfig: the first line is skipped.\n" + cfg)
    return target


def run_once(
    profile: Path,
    home: Path,
    *,
    install: Path | None = None,
    env: dict[str, str] | None = None,
    done: Path | None = None,
    timeout: float = 90.0,
    settle: float = 12.0,
) -> str:
    """Starts Thunderbird headless on `profile` and stops it again; returns what it printed.

    Stops when `done` appears (a script's marker) or, without one, `settle` seconds after Thunderbird wrote
    compatibility.ini (it saves prefs.js at start-up and when asked to quit). Always within `timeout`.
    """
    program = (install or require_thunderbird()) / BINARY
    home.mkdir(parents=True, exist_ok=True)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "MOZ_HEADLESS": "1",
        "MOZ_CRASHREPORTER_DISABLE": "1",
        "LANG": "C.UTF-8",
        **(env or {}),
    }
    log = home / "thunderbird.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(program), "--headless", "--profile", str(profile), "--no-remote"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        started: float | None = None
        try:
            while time.monotonic() < deadline and process.poll() is None:
                if done is not None and done.exists():
                    break
                if done is None:
                    if started is None and (profile / "compatibility.ini").exists():
                        started = time.monotonic()
                    if started is not None and time.monotonic() - started >= settle:
                        break
                time.sleep(0.2)
            if process.poll() is None:
                if done is not None and done.exists():
                    process.wait(timeout=20)  # the script quits Thunderbird itself
                else:
                    os.killpg(process.pid, signal.SIGTERM)  # a clean shutdown: Thunderbird saves prefs.js
                    process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return log.read_text(errors="replace")


# An AutoConfig script (mozilla.cfg) that makes Thunderbird report what it itself read, then save and quit.
# SA_EMAIL set: first add that address the way the Account Hub does with a file in isp/ (FetchConfig.fromDisk,
# AccountConfig.replaceVariables, CreateInBackend.createAccountInBackend). The report (JSON, to SA_RESULT) lists
# every mail account's incoming server as Thunderbird's own objects see it, its outgoing server, and the effective
# value of security.enterprise_roots.enabled.
REPORT_CFG = r"""
Services.obs.addObserver({
  observe() {
    const { FileUtils } = ChromeUtils.importESModule("resource://gre/modules/FileUtils.sys.mjs");
    const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
    const finish = (text) => {
      const stream = FileUtils.openFileOutputStream(new FileUtils.File(Services.env.get("SA_RESULT")));
      const bytes = unescape(encodeURIComponent(text));
      stream.write(bytes, bytes.length);
      stream.close();
      Services.startup.quit(Ci.nsIAppStartup.eForceQuit);
    };
    (async () => {
      const email = Services.env.get("SA_EMAIL");
      if (email) {
        const load = name => ChromeUtils.importESModule(`resource:///modules/accountcreation/${name}.sys.mjs`);
        const { FetchConfig } = load("FetchConfig");
        const { AccountConfig } = load("AccountConfig");
        const { CreateInBackend } = load("CreateInBackend");
        const signal = { aborted: false, throwIfAborted() {} };
        const config = await FetchConfig.fromDisk(email.split("@")[1], signal);
        AccountConfig.replaceVariables(config, Services.env.get("SA_NAME"), email);
        await CreateInBackend.createAccountInBackend(config);
      }
      const accounts = [];
      for (const account of MailServices.accounts.accounts) {
        const server = account.incomingServer;
        if (!server || server.type == "none") {
          continue;
        }
        const entry = { key: account.key, type: server.type, hostname: server.hostName, port: server.port,
                        username: server.username, socketType: server.socketType,
                        authMethod: server.authMethod };
        if (server.type == "pop3") {
          const pop = server.QueryInterface(Ci.nsIPop3IncomingServer);
          Object.assign(entry, { leaveMessagesOnServer: pop.leaveMessagesOnServer,
                                 deleteByAgeFromServer: pop.deleteByAgeFromServer,
                                 numDaysToLeaveOnServer: pop.numDaysToLeaveOnServer,
                                 deleteMailLeftOnServer: pop.deleteMailLeftOnServer });
        }
        const identity = account.defaultIdentity;
        if (identity) {
          entry.email = identity.email;
          const outgoing = MailServices.outgoingServer.getServerByIdentity(identity);
          entry.smtp = outgoing ? { hostname: outgoing.serverURI.host, username: outgoing.username } : null;
        }
        accounts.push(entry);
      }
      const roots = Services.prefs.getBoolPref("security.enterprise_roots.enabled");
      await Services.prefs.savePrefFile(null);
      finish(JSON.stringify({ accounts, enterpriseRoots: roots }));
    })().catch(e => finish(JSON.stringify({ error: String(e), stack: e.stack })));
  },
}, "final-ui-startup");
"""


def report(
    profile: Path, work: Path, *, email: str | None = None, name: str = "Sam Smith", isp: dict[str, bytes] | None = None
) -> dict[str, object]:
    """Starts a private Thunderbird once on `profile` with REPORT_CFG; returns its JSON report."""
    import json

    install = work / "thunderbird"
    if not install.exists():
        private_install(install, isp, REPORT_CFG)
    result = work / f"report-{time.monotonic_ns()}.json"
    env = {"SA_RESULT": str(result), "SA_NAME": name}
    if email:
        env["SA_EMAIL"] = email
    log = run_once(profile, work / "home", install=install, env=env, done=result)
    if not result.exists():
        raise AssertionError("Thunderbird did not report:\n" + log[-3000:])
    data: dict[str, object] = json.loads(result.read_text())
    if "error" in data:
        raise AssertionError(f"Thunderbird's script failed: {data}")
    return data

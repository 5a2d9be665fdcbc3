"""The help desk's log: a small rotating file that never holds a password, and --verbose/--version --verbose."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from setup_assistant.core import logs

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Tr0ub4dor&3 sécret"


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "setup_assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def every_form(secret: str) -> list[str]:
    return [
        secret,
        base64.b64encode(secret.encode()).decode(),
        base64.b64encode(f"\0{secret}".encode()).decode(),
    ]


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SETUP_ASSISTANT_LOG_DIR", str(tmp_path / "logs"))
    yield tmp_path / "logs"
    logs.stop_logging()
    logs.forget_secrets()


def test_the_log_lives_in_the_log_folder_and_marks_each_run(log_folder: Path) -> None:
    path = logs.start_logging(program="test")
    logging.getLogger("setup_assistant.core.test").info("probe started")
    assert path == log_folder / logs.LOG_FILE_NAME
    lines = logs.run_lines()
    assert logs.RUN_MARKER in lines[0] and f"(pid {os.getpid()})" in lines[0]
    assert lines[-1].endswith("setup_assistant.core.test: probe started")


def test_no_registered_password_reaches_the_file_in_any_form(log_folder: Path) -> None:
    logs.start_logging(program="test")
    logs.hide_secret(SECRET)
    log = logging.getLogger("setup_assistant.core.test")
    log.info("a message with the password %s in an argument", SECRET)
    log.info(f"a message built by hand: {SECRET!r}")
    log.info("the AUTH PLAIN line %s", base64.b64encode(f"\0jane@example.org\0{SECRET}".encode()).decode())
    try:
        raise ValueError(f"server said: bad password {SECRET}")
    except ValueError as exc:
        logs.log_exception(log, "a crash", exc)
    text = (log_folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "Traceback" in text and "a crash: ValueError" in text
    for form in every_form(SECRET):
        assert form not in text
    assert text.count(logs.HIDDEN) >= 3


def test_the_file_stays_small(log_folder: Path) -> None:
    logs.start_logging(program="test")
    log = logging.getLogger("setup_assistant.core.test")
    for n in range(6000):
        log.info("line %d %s", n, "x" * 80)
    logs.stop_logging()
    sizes = [p.stat().st_size for p in log_folder.iterdir()]
    assert len(sizes) <= logs.BACKUP_COUNT + 1
    assert sum(sizes) <= (logs.BACKUP_COUNT + 1) * logs.MAX_BYTES + 1000


def test_an_unwritable_log_folder_never_breaks_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SETUP_ASSISTANT_LOG_DIR", str(blocker / "logs"))
    try:
        assert logs.start_logging(program="test") is None
        logging.getLogger("setup_assistant.core.test").info("still fine")
    finally:
        logs.stop_logging()


def test_verbose_prints_the_log_lines_on_stderr_and_keeps_the_password_out(log_folder: Path) -> None:
    # No server answers on this port: a quick, offline run that still goes through the whole command.
    provider = log_folder.parent / "provider.toml"
    text = (ROOT / "resources" / "providers" / "npomail.toml").read_text(encoding="utf-8")
    root = ROOT / "resources" / "certs" / "isrg-root-x1.pem"
    text = text.replace("npomail.electricembers.net", "127.0.0.1").replace("../certs/isrg-root-x1.pem", root.as_posix())
    provider.write_text(text, encoding="utf-8")
    done = run_cli(
        "probe", "jane@example.org", "--password-stdin", "--provider", str(provider), "--timeout", "2", "--verbose",
        stdin=SECRET + "\n",
        env={"SETUP_ASSISTANT_LOG_DIR": str(log_folder)},
    )  # fmt: skip
    assert "INFO setup_assistant.cli: command probe" in done.stderr
    text = (log_folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "command probe finished with exit code" in text
    for form in every_form(SECRET):
        assert form not in text and form not in done.stderr and form not in done.stdout


def test_an_unexpected_error_is_one_line_for_the_person_and_a_traceback_in_the_log(log_folder: Path) -> None:
    # A provider file that is a folder makes the loader fail in a way no command expects.
    code = (
        "import sys, setup_assistant.cli as cli\n"
        "def boom(args):\n"
        "    cli.read_password(args)\n"
        "    raise RuntimeError('defect with " + SECRET + "')\n"
        "cli.cmd_probe = boom\n"
        "sys.exit(cli.main(['--verbose', 'probe', 'jane@example.org', '--password-stdin']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=SECRET + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SETUP_ASSISTANT_LOG_DIR": str(log_folder)},
    )
    assert done.returncode == 1, done.stderr
    person = [line for line in done.stderr.splitlines() if line.startswith("setup-assistant:")]
    assert len(person) == 1 and "the details are in the log" in person[0]
    text = (log_folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    for form in every_form(SECRET):
        assert form not in text and form not in done.stderr


def test_version_verbose_says_what_went_into_this_copy() -> None:
    done = run_cli("--version", "--verbose")
    assert done.returncode == 0, done.stderr
    assert "NPOMail Setup Assistant" in done.stdout
    assert "Python: 3." in done.stdout
    assert "pyside6-essentials" in done.stdout.lower()
    assert "cryptography" in done.stdout
    plain = run_cli("--version")
    assert plain.returncode == 0 and len(plain.stdout.strip().splitlines()) == 1


def test_a_recorded_build_info_is_what_a_bundle_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from setup_assistant.core import build_info as module

    recorded = {"app_version": "9.9", "commit": "a" * 40, "python": "3.11.9", "packages": {"pyside6-essentials": "6.8"}}
    (tmp_path / module.BUILD_INFO_FILE).write_text(json.dumps(recorded), encoding="utf-8")
    monkeypatch.setattr(module, "_PACKAGE_DIR", tmp_path)
    info = module.build_info()
    assert info["commit"] == "a" * 40 and info["source"] == "recorded at build time"
    assert "commit: " + "a" * 40 in module.describe(info)


def test_a_full_check_and_a_failed_login_leave_statuses_and_never_the_password(mail_servers, log_folder: Path) -> None:
    from setup_assistant.core.address import parse_address
    from setup_assistant.core.probing.account_check import check_account
    from setup_assistant.core.provider import load_provider

    provider = load_provider(mail_servers.provider_path)
    user, password = next(iter(mail_servers.users.items()))
    logs.start_logging(program="test")
    good = check_account(provider, parse_address(user), password, timeout=10)
    wrong = password[::-1] + "x"
    bad = check_account(provider, parse_address(user), wrong, timeout=10)
    logs.stop_logging()
    assert good.ok and not bad.ok
    text = (log_folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    port = mail_servers.ports["imap"]
    assert f"endpoint imap localhost:{port} starttls: ok" in text
    assert f"login imap localhost:{port} starttls: ok" in text
    assert f"login imap localhost:{port} starttls: rejected" in text
    for secret in (password, wrong):
        for form in every_form(secret):
            assert form not in text
    # The same through the CLI, with the log on stderr too.
    done = run_cli(
        "probe", user, "--password-stdin", "--provider", str(mail_servers.provider_path), "--verbose",
        stdin=wrong + "\n", env={"SETUP_ASSISTANT_LOG_DIR": str(log_folder)},
    )  # fmt: skip
    assert done.returncode == 1 and "starttls: rejected" in done.stderr
    for form in every_form(wrong):
        assert form not in done.stderr and form not in done.stdout
        assert form not in (log_folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")


def test_the_wizard_starts_its_log_once_the_first_page_is_painted(log_folder: Path) -> None:
    code = (
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "QTimer.singleShot(1500, app.quit)\n"
        "from setup_assistant.gui.app import run_wizard\n"
        "run_wizard(None)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "SETUP_ASSISTANT_LOG_DIR": str(log_folder),
    }
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=60)
    text = (log_folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert f"{logs.RUN_MARKER} wizard" in text

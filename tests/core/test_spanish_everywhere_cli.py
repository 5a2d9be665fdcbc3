"""Every CLI command, run in Spanish on real inputs (real servers, a broken account, a CSV with bad lines, a DNS
server that does not answer), prints no English sentence: the gate for "the CLI's human output and errors".

Each area has its own detailed tests; this one walks all of them the way a volunteer does, so a new English
sentence anywhere fails here. Only the help-desk report's BODY may stay English (its file, not the screen).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from tests.conftest import MailServers, skip_or_fail
from tests.core.clients.test_doctor import broken_profile
from tests.english_leaks import english_lines
from tests.servers.provider_file import provider_toml

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


@pytest.fixture(autouse=True)
def _spanish_in_a_temporary_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SETUP_ASSISTANT_LOG_DIR", str(tmp_path / "logs"))
    saved = i18n._language
    yield home
    i18n._language = saved


class Volunteer:
    """Runs commands in Spanish and keeps every English line it saw, with the command that printed it."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys, self.monkeypatch = capsys, monkeypatch
        self.leaks: list[str] = []

    def run(self, *args: str, stdin: str = "") -> tuple[int, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = cli.main(["--lang", "es", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        text = captured.out + captured.err
        self.leaks += [f"{args[0]} {args[1] if len(args) > 1 else ''}: {line.strip()}" for line in english_lines(text)]
        return code, text

    def assert_all_spanish(self) -> None:
        assert not self.leaks, "English in the Spanish CLI:\n" + "\n".join(self.leaks)


@pytest.fixture
def volunteer(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Volunteer:
    return Volunteer(capsys, monkeypatch)


def _refusing_provider(tmp_path: Path) -> Path:
    path = tmp_path / "refusing.toml"
    path.write_text(provider_toml({}, host="127.0.0.1", name="Test Mail"), encoding="utf-8")
    return path


def test_probe_every_outcome_of_a_real_server(volunteer: Volunteer, mail_servers: MailServers, tmp_path: Path) -> None:
    provider = str(mail_servers.provider_path)
    password = mail_servers.users[USER]
    code, _ = volunteer.run("probe", USER, "--provider", provider, "--password-stdin", stdin=password + "\n")
    assert code == 0
    code, _ = volunteer.run("probe", USER, "--provider", provider, "--password-stdin", stdin="wrong\n")
    assert code == 1
    code, _ = volunteer.run("probe", USER, "--provider", str(_refusing_provider(tmp_path)), "--timeout", "2")
    assert code == 1
    code, _ = volunteer.run("probe", "jane.doe@", "--provider", provider)
    assert code == 2
    volunteer.assert_all_spanish()


def test_files_sheet_report_and_batch(volunteer: Volunteer, mail_servers: MailServers, tmp_path: Path) -> None:
    provider = str(mail_servers.provider_path)
    code, _ = volunteer.run("profiles", USER, "--provider", provider, "--out", str(tmp_path / "files"))
    assert code == 0
    code, _ = volunteer.run("profiles", USER, "--out", str(tmp_path / "untested"), "--no-probe", "--protocol", "pop3")
    assert code == 0
    code, _ = volunteer.run("sheet", USER, "--provider", provider, "--out", str(tmp_path / "sheet.html"))
    assert code == 0
    refusing = str(_refusing_provider(tmp_path))
    code, _ = volunteer.run(
        "report", USER, "--provider", refusing, "--out", str(tmp_path / "r.html"), "--timeout", "1",
        "--nameserver", "127.0.0.1:1",
    )  # fmt: skip
    assert code == 1
    code, _ = volunteer.run("dns", USER, "--nameserver", "127.0.0.1:1", "--timeout", "1")
    assert code != 0
    people = tmp_path / "people.csv"
    people.write_text(
        f"email,name\n{USER},Jane Doe\nnot-an-address,Nobody\nJANE.DOE@example.org,Jane again\nbob@example.org,Bob\n",
        encoding="utf-8",
    )
    code, _ = volunteer.run("batch", str(people), "--out", str(tmp_path / "batch"), "--no-probe")
    assert code == 1
    summary = (tmp_path / "batch" / "summary.csv").read_text(encoding="utf-8-sig")
    reasons = [line.split('","')[-1] for line in summary.splitlines()[1:]]
    assert not [r for r in reasons if english_lines(r)], summary
    volunteer.assert_all_spanish()


def test_an_account_set_up_wrongly_years_ago(volunteer: Volunteer, tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    code, _ = volunteer.run("doctor", USER, "--thunderbird-profile", str(profile), "--no-probe")
    assert code == 1
    code, _ = volunteer.run("repair", USER, "--thunderbird-profile", str(profile), "--no-probe", "--yes")
    assert code == 0
    code, _ = volunteer.run("doctor", USER, "--thunderbird-profile", str(profile), "--no-probe")
    assert code == 0
    volunteer.assert_all_spanish()


def test_the_root_certificate_status_install_and_remove(
    volunteer: Volunteer, mail_servers: MailServers, tmp_path: Path
) -> None:
    if shutil.which("certutil") is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")
    profile = tmp_path / "profiles" / "q1w2e3.default-release"
    profile.mkdir(parents=True)
    (profile / "prefs.js").write_text("// Mozilla User Preferences\n", encoding="utf-8")
    common = ["--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(profile), "--timeout", "5"]
    for action in ("status", "install", "install", "status", "remove", "remove"):
        code, _ = volunteer.run("trust", action, *common)
        assert code in (0, 1)
    volunteer.assert_all_spanish()


@pytest.mark.parametrize(
    "command", ["probe", "dns", "profiles", "doctor", "repair", "trust", "report", "sheet", "batch"]
)
def test_every_help_page(volunteer: Volunteer, command: str) -> None:
    code, _ = volunteer.run(command, "--help")
    assert code == 0
    volunteer.assert_all_spanish()


def test_what_is_printed_when_the_assistant_itself_breaks(volunteer: Volunteer, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("setup_assistant.core.address.parse_address", broken)
    code, text = volunteer.run("sheet", USER, "--out", "/nonexistent/x.html", "--no-probe")
    assert code != 0 and "Traceback" not in text
    volunteer.assert_all_spanish()

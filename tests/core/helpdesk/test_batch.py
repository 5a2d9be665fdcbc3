"""Batch onboarding from a CSV file: good, repeated and malformed lines, the exact stderr lines, summary.csv,
exit codes 0/1/2, and one probe of the real servers for everyone."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from setup_assistant.cli import main
from setup_assistant.core import history
from setup_assistant.core.clients.outlook import writer as outlook
from setup_assistant.core.helpdesk import batch
from setup_assistant.core.profile_files import safe_file_stem
from tests.core.clients.profile_support import HOST
from tests.core.helpdesk.test_settings_sheet import Sheet
from tests.servers.dovecot import free_port

PEOPLE = """email,name,protocol
jane.doe@example.org,Jane Doe,imap
bob@example.org,"Doe, Bob",pop3
not-an-address,Nobody,
JANE.DOE@example.org,Jane Again,

carol@example.org,Carol,smtp
dave@example.org,Dave,imap,extra
"erin@example.org,Erin
,No Address,
frank@example.org,"Frank ""F"" Fisher",
a/b@example.org,Slash,
a_b@example.org,Underscore,
nul.x@example.org,=HYPERLINK("http://evil"),
"""

EXPECTED_STDERR = [
    "line 4: not-an-address: There is no @ in that address: type it in full, like name@your-domain.org.",
    "line 5: JANE.DOE@example.org: repeats the address on line 2 (addresses are not case-sensitive)",
    "line 7: carol@example.org: the protocol must be imap or pop3, not 'smtp'",
    "line 8: dave@example.org: 4 values, but the header has 3 columns (a name with a comma must be in double quotes)",
    "line 9: erin@example.org: its double quotes do not pair up (put a value with a comma in double quotes)",
    "line 10: (empty): no email address",
]

CLIENT_FILES = {
    "thunderbird/config-v1.1.xml",
    "thunderbird/instructions.html",
    "outlook/autodiscover.xml",
    "outlook/outlook-setup.cmd",
    "outlook/outlook-undo.reg",
    "outlook/instructions.html",
    "apple-mail/instructions.html",
    "settings-sheet.html",
}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def summary_rows(out: Path) -> list[dict[str, str]]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_good_duplicate_and_malformed_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = write_csv(tmp_path / "people.csv", PEOPLE)
    out = tmp_path / "office"
    code, stdout, stderr = run(["batch", str(people), "--out", str(out), "--no-probe"], capsys)

    assert code == 1
    assert stderr.splitlines() == EXPECTED_STDERR
    assert "Done for 6 of 12 people; 6 skipped or failed" in stdout

    rows = summary_rows(out)
    assert [(r["line"], r["email"], r["status"]) for r in rows] == [
        ("2", "jane.doe@example.org", "done"),
        ("3", "bob@example.org", "done"),
        ("4", "not-an-address", "skipped"),
        ("5", "JANE.DOE@example.org", "skipped"),
        ("7", "carol@example.org", "skipped"),
        ("8", "dave@example.org", "skipped"),
        ("9", "erin@example.org", "skipped"),
        ("10", "", "skipped"),
        ("11", "frank@example.org", "done"),
        ("12", "a/b@example.org", "done"),
        ("13", "a_b@example.org", "done"),
        ("14", "nul.x@example.org", "done"),
    ]
    by_line = {r["line"]: r for r in rows}
    for line, expected in zip(["4", "5", "7", "8", "9", "10"], EXPECTED_STDERR, strict=True):
        assert expected.endswith(": " + by_line[line]["detail"])
        assert by_line[line]["folder"] == ""
    assert by_line["3"]["name"] == "Doe, Bob" and by_line["3"]["protocol"] == "pop3"
    assert by_line["11"]["name"] == 'Frank "F" Fisher'
    assert by_line["14"]["name"] == '\'=HYPERLINK("http://evil")'  # never a live formula in a spreadsheet
    assert by_line["2"]["detail"] == "wrote thunderbird, outlook, apple-mail, settings sheet"

    # One folder per person done, with a safe and distinct name; nothing for the skipped lines.
    folders = {r["line"]: r["folder"] for r in rows if r["status"] == "done"}
    assert folders["2"] == "jane.doe@example.org"
    assert folders["12"] == "a_b@example.org"
    assert folders["13"].startswith("a_b@example.org-") and folders["13"] != folders["12"]
    assert folders["14"] == "_nul.x@example.org"
    assert {p.name for p in out.iterdir()} == {*folders.values(), "summary.csv"}
    for line, folder in folders.items():
        written = files_under(out / folder)
        assert written >= CLIENT_FILES, line
        assert {f for f in written if f.startswith("apple-mail/")} - CLIENT_FILES == {
            f"apple-mail/{safe_file_stem(by_line[line]['email'])}.mobileconfig"
        }

    jane = Sheet((out / "jane.doe@example.org" / "settings-sheet.html").read_bytes())
    assert jane.value("Your name") == "Jane Doe"
    assert jane.value("Incoming mail server") == HOST and jane.value("Password") == "********"
    bob = Sheet((out / "bob@example.org" / "settings-sheet.html").read_bytes())
    assert bob.value("Account type") == "POP3" and bob.value("Your name") == "Doe, Bob"
    # Files for other people's computers: Outlook is pointed at the export folder, not this computer's.
    script = (out / "jane.doe@example.org" / "outlook" / "outlook-setup.cmd").read_text(encoding="ascii")
    assert outlook.EXPORT_XML_ROOT in script
    # Files for other people's computers stay out of this computer's history (summary.csv is their record).
    assert history.written_for("jane.doe@example.org") == []


def test_every_line_done_exits_0_and_a_second_run_is_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = write_csv(
        tmp_path / "people.csv", "\ufeffEmail , Name\r\nann@example.org,Ann\r\n\r\nben@example.org,\r\n,\r\n"
    )
    out = tmp_path / "out"
    code, _, stderr = run(["batch", str(people), "--out", str(out), "--no-probe", "--client", "thunderbird"], capsys)
    assert (code, stderr) == (0, "")
    first = {p: (out / p).read_bytes() for p in files_under(out) if p != "summary.csv"}
    assert set(first) == {
        "ann@example.org/thunderbird/config-v1.1.xml",
        "ann@example.org/thunderbird/instructions.html",
        "ann@example.org/settings-sheet.html",
        "ben@example.org/thunderbird/config-v1.1.xml",
        "ben@example.org/thunderbird/instructions.html",
        "ben@example.org/settings-sheet.html",
    }
    assert [(r["line"], r["email"], r["name"], r["protocol"], r["status"]) for r in summary_rows(out)] == [
        ("2", "ann@example.org", "Ann", "imap", "done"),
        ("4", "ben@example.org", "", "imap", "done"),
    ]
    assert "Your name" not in Sheet(first["ben@example.org/settings-sheet.html"]).labels

    code, _, stderr = run(["batch", str(people), "--out", str(out), "--no-probe", "--client", "thunderbird"], capsys)
    assert (code, stderr) == (0, "")
    second = {p: (out / p).read_bytes() for p in files_under(out) if p != "summary.csv"}
    assert second.keys() == first.keys()
    assert all(second[p] == first[p] for p in first if not p.endswith("settings-sheet.html"))


def test_a_semicolon_file_from_a_european_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = write_csv(tmp_path / "people.csv", "email;name;protocol\nzoë@bücher.example;Zoë Ærø;POP3\n")
    code, _, stderr = run(["batch", str(people), "--out", str(tmp_path / "out"), "--no-probe"], capsys)
    assert (code, stderr) == (0, "")
    sheet = Sheet((tmp_path / "out" / "zoë@bücher.example" / "settings-sheet.html").read_bytes())
    assert sheet.value("Your name") == "Zoë Ærø" and sheet.value("Account type") == "POP3"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("email,name\nrené@example.org,René\n".encode("latin-1"), "is not UTF-8 text"),
        (b"", "the first line must be the header"),
        (b"\njane@example.org,Jane\n", "the first line must be the header"),
        (b"jane@example.org,Jane\nbob@example.org,Bob\n", "no 'email' and no 'name' column"),
        (b"mail,name\njane@example.org,Jane\n", "no 'email' column; unknown column 'mail'"),
        (b"email\njane@example.org\n", "no 'name' column"),
        (b"email,name,email\njane@example.org,Jane,x\n", "repeated column 'email'"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2_and_writes_nothing(
    content: bytes | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "people.csv"
    if content is not None:
        people.write_bytes(content)
    out = tmp_path / "out"
    code, stdout, stderr = run(["batch", str(people), "--out", str(out), "--no-probe"], capsys)
    assert code == 2
    assert message in stderr and str(people) in stderr
    assert stdout == "" and not out.exists()


def test_a_control_character_in_a_line_cannot_forge_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = write_csv(tmp_path / "p.csv", "email,name\nx\x1b[31m@example.org,Red\nok@example.org,Jo\x07e\n")
    code, _, stderr = run(["batch", str(people), "--out", str(tmp_path / "out"), "--no-probe"], capsys)
    assert code == 1
    lines = stderr.splitlines()
    assert lines[0].startswith("line 2: x\\x1b[31m@example.org: ")
    assert lines[1].startswith("line 3: ok@example.org: The name contains")
    assert "\x1b" not in stderr and "\x07" not in stderr


@pytest.mark.servers
def test_probes_the_real_servers_once_for_everyone(
    mail_servers: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[object] = []
    real_probe = batch.probe_provider

    def counting_probe(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real_probe(*args, **kwargs)

    monkeypatch.setattr(batch, "probe_provider", counting_probe)
    people = write_csv(
        tmp_path / "p.csv", "email,name,protocol\njane.doe@example.org,Jane,imap\nbob+test@example.org,Bob,pop3\n"
    )
    out = tmp_path / "out"
    argv = ["batch", str(people), "--out", str(out), "--provider", str(mail_servers.provider_path), "--timeout", "5"]
    code, stdout, stderr = run(argv, capsys)
    assert (code, stderr) == (0, "")
    assert len(calls) == 1
    assert "Secure setup found" in stdout
    jane = Sheet((out / "jane.doe@example.org" / "settings-sheet.html").read_bytes())
    assert jane.value("Incoming mail server") == "localhost"
    assert jane.value("Incoming port") == str(mail_servers.ports["imap"])
    bob = Sheet((out / "bob+test@example.org" / "settings-sheet.html").read_bytes())
    assert bob.value("Incoming port") == str(mail_servers.ports["pop3"])
    assert "Tested when this sheet was made" in bob.text


@pytest.mark.servers
def test_when_nothing_secure_works_every_person_fails_and_says_why(
    mail_servers: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = {name: free_port() for name in ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")}
    provider = mail_servers.provider_file(tmp_path, **closed)
    people = write_csv(tmp_path / "p.csv", "email,name\njane.doe@example.org,Jane\n")
    out = tmp_path / "out"
    code, _, stderr = run(["batch", str(people), "--out", str(out), "--provider", str(provider)], capsys)
    assert code == 1
    lines = stderr.splitlines()
    assert lines[0].startswith("None of Test Mail's servers could be reached")
    assert lines[1].startswith("line 2: jane.doe@example.org: ") and "no secure IMAP connection worked" in lines[1]
    assert "run the same `batch` command again with --no-probe" in lines[2]
    assert [(r["line"], r["status"]) for r in summary_rows(out)] == [("2", "failed")]

"""A broken provider file, read by a Spanish-speaking volunteer: `setup-assistant --lang es probe ... --provider
FILE` says what is wrong in one Spanish line (exit 2), naming the file and the key; in English the sentence is
word for word what it always was. File paths, keys, values and the TOML reader's own words stay as they are.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from setup_assistant.core.provider import ProviderError, load_provider
from tests.english_leaks import english_lines
from tests.servers.provider_file import provider_toml

BASE = provider_toml({}, host="127.0.0.1", name="Test Mail")
POP3 = '[servers.pop3]\nhost = "127.0.0.1"\nstarttls_port = 1\nssl_port = 1'
SMTP = '[servers.smtp]\nhost = "127.0.0.1"\nstarttls_port = 1\nssl_port = 1'
IMAP_HOST = '[servers.imap]\nhost = "127.0.0.1"\n'


def _provider(extra: str = "", **replace: str) -> Callable[[Path], Path]:
    """A provider file made from the test servers' one: `extra` lines after [provider], then replacements."""

    def make(folder: Path) -> Path:
        text = BASE.replace("[provider]\n", "[provider]\n" + extra, 1)
        for old, new in replace.items():
            assert old in text, old
            text = text.replace(old, new, 1)
        path = folder / "provider.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return make


def _edit(old: str, new: str, extra: str = "") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = _provider(extra)(folder)
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return make


def _appended(lines: str, extra: str = "") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = _provider(extra)(folder)
        path.write_text(path.read_text(encoding="utf-8") + "\n" + lines, encoding="utf-8")
        return path

    return make


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "provider.toml"
        path.write_bytes(data)
        return path

    return make


def _folder(folder: Path) -> Path:
    path = folder / "provider.toml"
    path.mkdir()
    return path


def _missing(folder: Path) -> Path:
    return folder / "no-such-provider.toml"


def _name_too_long(folder: Path) -> Path:
    return folder / ("p" * 300 + ".toml")  # the system refuses the name itself (ENAMETOOLONG)


def _certificate_that_fails_its_pin(folder: Path) -> Path:
    import trustme

    other = folder / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    return _appended(f'[trust]\nroot_certificate = "{other}"\nroot_sha256 = "{"ab" * 32}"\n')(folder)


# (what is broken, the file, the English sentence after "<file>: ", or its start when it ends in "…")
CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("missing-key", _edit(IMAP_HOST, "[servers.imap]\n"), "missing key 'servers.imap.host'"),
    (
        "port-is-text",
        _edit(POP3, POP3.replace("ssl_port = 1", 'ssl_port = "995"')),
        "key 'servers.pop3.ssl_port' must be a whole number",
    ),
    (
        "port-is-true",
        _edit(POP3, POP3.replace("ssl_port = 1", "ssl_port = true")),
        "key 'servers.pop3.ssl_port' must be a whole number",
    ),
    ("name-is-a-number", _edit('name = "Test Mail"', "name = 3"), "key 'provider.name' must be a string"),
    ("trust-is-not-a-table", lambda f: _bytes(b"trust = 3\n" + BASE.encode())(f), "key 'trust' must be a table"),
    (
        "port-0",
        _edit(SMTP, SMTP.replace("starttls_port = 1", "starttls_port = 0")),
        "key 'servers.smtp.starttls_port' must be a port from 1 to 65535, not 0",
    ),
    (
        "bad-host",
        _edit(IMAP_HOST, '[servers.imap]\nhost = "bad host!"\n'),
        "key 'servers.imap.host' is not a host name: 'bad host!'",
    ),
    (
        "ftp-webmail",
        _edit('webmail = "http://mail.{domain}"', 'webmail = "ftp://mail.{domain}"'),
        "key 'provider.webmail' must start with http:// or https:// (not ftp:), so that the link opens webmail in a "
        "browser and nothing else",
    ),
    (
        "script-support-link",
        _provider('support = "javascript:alert(1)"\n'),
        "key 'provider.support' must start with http:// or https:// (not javascript:), so that the link opens "
        "webmail in a browser and nothing else",
    ),
    (
        "webmail-without-http",
        _edit('webmail = "http://mail.{domain}"', 'webmail = "mail.{domain}"'),
        "key 'provider.webmail' must start with http:// or https://, so that the link opens webmail in a browser "
        "and nothing else",
    ),
    (
        "webmail-with-a-space",
        _edit('webmail = "http://mail.{domain}"', 'webmail = "http://mail .{domain}"'),
        "key 'provider.webmail' must be a web address like \"http://mail.{domain}\", not 'http://mail .{domain}'",
    ),
    (
        "webmail-without-a-server",
        _edit('webmail = "http://mail.{domain}"', 'webmail = "http://"'),
        "key 'provider.webmail' must name a web server, like \"https://mail.{domain}\"",
    ),
    (
        "translation-for-another-language",
        _appended('[provider.translations.fr]\npassword_reset = "x"\n', 'password_reset = "your postmaster"\n'),
        "key 'provider.translations.fr' is not a language this app speaks besides English (es); the English text "
        "is the [provider] key itself",
    ),
    (
        "translation-of-a-key-that-cannot-be",
        _appended('[provider.translations.es]\nname = "x"\n', 'password_reset = "your postmaster"\n'),
        "key 'provider.translations.es.name' cannot be translated (only password_reset can)",
    ),
    (
        "translation-of-a-key-the-file-lacks",
        _appended('[provider.translations.es]\npassword_reset = "x"\n'),
        "key 'provider.translations.es.password_reset' translates 'provider.password_reset', which the file does "
        "not set",
    ),
    (
        "translations-not-a-table",
        _provider('translations = "es"\n'),
        "key 'provider.translations' must be a table, like [provider.translations.es]",
    ),
    (
        "translation-with-a-line-break",
        _appended('[provider.translations.es]\npassword_reset = "a\\nb"\n', 'password_reset = "your postmaster"\n'),
        "key 'provider.translations.es.password_reset' contains a line break or control character (U+000A)",
    ),
    (
        "purge-days-0",
        _provider("purge_days = 0\n"),
        "key 'provider.purge_days' must be a whole number of days from 1 to 3650 (not 0)",
    ),
    (
        "no-spam-folders",
        _provider("spam_folders = []\n"),
        'key \'provider.spam_folders\' must be a list of folder names, like ["Spam", "Virus"]',
    ),
    (
        "group-address-without-at",
        _provider('group_address = "everyone"\n'),
        "key 'provider.group_address' must be an address like \"all@{domain}\", not 'everyone'",
    ),
    (
        "bad-id",
        _edit('id = "test"', 'id = "bad id"'),
        "key 'provider.id' must be 1 to 64 letters, digits, '.', '_' or '-' (not 'bad id')",
    ),
    (
        "prefer-plain",
        _edit('prefer = "starttls"', 'prefer = "plain"'),
        'key \'provider.prefer\' must be "starttls" or "ssl"',
    ),
    (
        "pin-not-hex",
        _appended('[trust]\nroot_certificate = "ca.pem"\nroot_sha256 = "zz"\n'),
        "key 'trust.root_sha256' must be 64 hex digits (a SHA-256)",
    ),
    (
        "pinned-root-is-not-a-file",
        _appended(f'[trust]\nroot_certificate = "."\nroot_sha256 = "{"ab" * 32}"\n'),
        "key 'trust.root_certificate': {folder} is not a file",
    ),
    (
        "pinned-root-fails-its-pin",
        _certificate_that_fails_its_pin,
        "key 'trust.root_sha256': {folder}/other.pem does not match its pin (file has SHA-256 …",
    ),
    ("not-toml", _appended("[[broken"), "not valid TOML (…"),
    ("not-utf-8", _bytes(b'[provider]\nname = "\xff\xfe"\n'), "not valid TOML (not UTF-8 text)"),
    ("a-folder", _folder, "not a regular file"),
    ("no-such-file", _missing, "no such provider file"),
    ("name-too-long", _name_too_long, "cannot read the provider file (the name is too long for the disk)"),
]


def _probe(language: str, path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = cli.main(["--lang", language, "probe", "a@example.org", "--provider", str(path), "--timeout", "1"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("case", "make", "english"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_provider_file_is_explained_in_spanish(
    case: str,
    make: Callable[[Path], Path],
    english: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = make(tmp_path)
    code, out, err = _probe("es", path, capsys, monkeypatch)
    assert code == cli.EXIT_USAGE and out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"setup-assistant: {path}: "), err
    assert english_lines(err) == [], err

    code, out, err = _probe("en", path, capsys, monkeypatch)
    assert code == cli.EXIT_USAGE and out == ""
    expected = f"setup-assistant: {path}: " + english.replace("{folder}", str(tmp_path))
    if expected.endswith("…"):
        assert err.startswith(expected[:-1]) and err.count("\n") == 1, err
    else:
        assert err == expected + "\n"


def test_the_toml_readers_own_words_are_quoted_not_translated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _appended("[[broken")(tmp_path)
    with pytest.raises(ProviderError) as raised:
        load_provider(path)
    detail = str(raised.value).split("not valid TOML (", 1)[1][:-1]
    assert detail and detail.isascii()
    code, _, err = _probe("es", path, capsys, monkeypatch)
    assert code == cli.EXIT_USAGE
    assert err == f"setup-assistant: {path}: no es TOML válido (el lector de TOML dice: «{detail}»)\n"


def test_the_error_is_english_data_and_spanish_when_shown(tmp_path: Path) -> None:
    """str() stays the English sentence (logs, the report's data); i18n.human() is the person's language."""
    path = _edit(SMTP, SMTP.replace("starttls_port = 1", "starttls_port = 0"))(tmp_path)
    i18n.set_language("es")
    with pytest.raises(ProviderError) as raised:
        load_provider(path)
    assert str(raised.value) == f"{path}: key 'servers.smtp.starttls_port' must be a port from 1 to 65535, not 0"
    assert i18n.human(raised.value) == (
        f"{path}: la clave 'servers.smtp.starttls_port' debe ser un puerto del 1 al 65535, no 0"
    )


def test_a_bad_mx_list_in_the_provider_file_stops_dns_and_report_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mx_hosts` is read by the DNS checks, not at load: `dns` and `report` refuse it before any lookup."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    listed = _provider('mx_hosts = ["mx.example.net", "not a host!"]\n')(tmp_path)
    for command in (
        ["dns", "a@example.org", "--nameserver", "127.0.0.1:1", "--timeout", "1"],
        ["report", "a@example.org", "--out", str(tmp_path / "r.html"), "--nameserver", "127.0.0.1:1"],
    ):
        assert cli.main(["--lang", "es", *command, "--provider", str(listed)]) == cli.EXIT_USAGE
        err = capsys.readouterr().err
        assert (
            err == f"setup-assistant: {listed}: clave 'provider.mx_hosts': 'not a host!' no es un nombre de servidor\n"
        )
        assert english_lines(err) == []
        assert cli.main(["--lang", "en", *command, "--provider", str(listed)]) == cli.EXIT_USAGE
        assert capsys.readouterr().err == (
            f"setup-assistant: {listed}: key 'provider.mx_hosts': 'not a host!' is not a host name\n"
        )
    not_a_list = _provider('mx_suffixes = "example.net"\n')(tmp_path)
    assert cli.main(["--lang", "es", "dns", "a@example.org", "--provider", str(not_a_list)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "debe ser una lista de nombres de servidores, como" in err and english_lines(err) == [], err
    assert not (tmp_path / "r.html").exists()

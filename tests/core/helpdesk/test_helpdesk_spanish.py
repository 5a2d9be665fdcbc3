"""The help desk in Spanish: `batch` (stderr reasons, the closing line, summary.csv's detail column), `dns` (labels,
details, warnings, statuses), `sheet`, and provider files' translated free text; data (JSON, summary.csv's header
and status codes) stays the same in every language."""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.resolver
import pytest

from setup_assistant.core import i18n
from setup_assistant.core.address import parse_address
from setup_assistant.core.helpdesk import batch
from setup_assistant.core.helpdesk.dns_checks import check_dns
from setup_assistant.core.helpdesk.settings_sheet import settings_sheet
from setup_assistant.core.i18n import human
from setup_assistant.core.provider import ProviderError, load_provider
from tests.cli_runner import run_cli as run
from tests.core.clients.profile_support import settings
from tests.core.helpdesk.test_settings_sheet import Sheet
from tests.english_leaks import english_lines
from tests.servers.dns_server import (
    BACKUP_MX_DOMAIN,
    ELSEWHERE_DOMAIN,
    GOOD_DOMAIN,
    IDN_DOMAIN,
    MISSING_DOMAIN,
    NO_MX_DOMAIN,
    NULL_MX_DOMAIN,
    SERVFAIL_DOMAIN,
    SILENT_DOMAIN,
    SILENT_HOST,
    SPLIT_MX_DOMAIN,
    SRV_WRONG_DOMAIN,
    DnsServer,
    example_zone,
)
from tests.servers.provider_file import provider_toml

PEOPLE = """email,name,protocol
jane.doe@example.org,Jane Doe,imap
not-an-address,Nobody,
JANE.DOE@example.org,Jane Again,
carol@example.org,Carol,smtp
dave@example.org,Dave,imap,extra
"erin@example.org,Erin
,No Address,
x@example.org
bob@example.org,"=HYPERLINK(""http://evil"")",pop3
"""


def summary(out: Path) -> list[list[str]]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


# --- batch ---------------------------------------------------------------------------------------------------------


def test_batch_in_spanish_bad_lines_repeats_and_a_blocked_sheet(tmp_path: Path, capsys: Any) -> None:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    out = tmp_path / "o;=SUM(1)"  # a folder whose name a spreadsheet would run as a formula after the ';'
    (out / "jane.doe@example.org" / "settings-sheet.html").mkdir(parents=True)  # a folder where the sheet goes

    code, stdout, stderr = run(["--lang", "es", "batch", str(people), "--out", str(out), "--no-probe"], capsys)

    assert code == 1
    assert english_lines(stdout) == [] and english_lines(stderr) == []
    lines = stderr.splitlines()
    assert lines[0] == "línea 2: jane.doe@example.org: Hoja de configuración: {}: {}".format(
        out / "jane.doe@example.org" / "settings-sheet.html", "hay una carpeta donde debería haber un archivo"
    )
    assert lines[1:] == [
        "línea 3: not-an-address: Esa dirección no tiene @: escríbala completa, como nombre@su-dominio.org.",
        "línea 4: JANE.DOE@example.org: repite la dirección de la línea 2 (en las direcciones da igual usar "
        "mayúsculas o minúsculas)",
        "línea 5: carol@example.org: el protocolo debe ser imap o pop3, no 'smtp'",
        "línea 6: dave@example.org: 4 valores, pero el encabezado tiene 3 columnas (un nombre con una coma debe ir "
        "entre comillas dobles)",
        "línea 7: erin@example.org: sus comillas dobles no cierran (un valor con una coma va entre comillas dobles)",
        "línea 8: (vacía): no tiene dirección de correo",
        "línea 9: x@example.org: solo 1 valor; el encabezado tiene 3 columnas",
    ]
    assert stdout.splitlines()[-1] == f"Listo para 1 de 9 personas; 8 omitidas o con fallas. Resumen: {out}/summary.csv"

    rows = summary(out)
    # For scripts: the header and the status codes never change with the language.
    assert rows[0] == ["line", "email", "name", "protocol", "status", "folder", "detail"]
    assert [r[4] for r in rows[1:]] == ["failed", *["skipped"] * 7, "done"]
    # For people: the reason is in the language of the run, and still never a live formula.
    details = {r[0]: r[6] for r in rows[1:]}
    assert english_lines("\n".join(details.values())) == []
    assert details["10"] == "se escribió thunderbird, outlook, apple-mail y la hoja de configuración"
    assert details["2"].startswith("Hoja de configuración: ") and "o;'=SUM(1)" in details["2"]
    assert details["8"] == "no tiene dirección de correo"
    assert rows[-1][2] == '\'=HYPERLINK("http://evil")'


def test_batch_when_no_server_answers_says_it_once_in_spanish(tmp_path: Path, capsys: Any) -> None:
    provider = tmp_path / "refusing.toml"  # every port is 1 on 127.0.0.1: refused at once
    provider.write_text(provider_toml({}, host="127.0.0.1", name="Test Mail"), encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("email,name\njane.doe@example.org,Jane\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["--lang", "es", "batch", str(people), "--out", str(out), "--provider", str(provider), "--timeout", "2"]
    code, stdout, stderr = run(argv, capsys)
    assert code == 1
    assert english_lines(stdout) == [] and english_lines(stderr) == []
    assert (
        "línea 2: jane.doe@example.org: no se escribió nada: ninguna conexión segura de IMAP funcionó, así que "
        "ningún perfil puede usarla"
    ) in stderr.splitlines()
    assert [(r[4], r[5]) for r in summary(out)[1:]] == [("failed", "")]
    assert {p.name for p in out.iterdir()} == {"summary.csv"}


def test_batch_summary_keeps_header_and_codes_and_translates_only_the_detail(tmp_path: Path, capsys: Any) -> None:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    run(["--lang", "en", "batch", str(people), "--out", str(tmp_path / "en"), "--no-probe"], capsys)
    run(["--lang", "es", "batch", str(people), "--out", str(tmp_path / "es"), "--no-probe"], capsys)
    english, spanish = summary(tmp_path / "en"), summary(tmp_path / "es")
    assert [r[:6] for r in english] == [r[:6] for r in spanish]
    assert english[3][6] == "repeats the address on line 2 (addresses are not case-sensitive)"
    assert (
        spanish[3][6] == "repite la dirección de la línea 2 (en las direcciones da igual usar mayúsculas o minúsculas)"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "{path}: el archivo no existe"),
        ("email,name\nrené@example.org,René\n".encode("latin-1"), "{path}: no es texto UTF-8 (byte 15)"),
        (b"\n", "{path}: la primera línea debe ser el encabezado email,name (o email,name,protocol), pero está vacía"),
        (
            b"mail,name,name\njane@example.org,Jane\n",
            "{path}: el encabezado debe ser email,name (o email,name,protocol); la línea 1 es 'mail,name,name' "
            "(falta la columna 'email'; columna desconocida 'mail'; columna repetida 'name')",
        ),
        (
            b"jane@example.org,Jane,x,y\n",
            "{path}: el encabezado debe ser email,name (o email,name,protocol); la línea 1 es "
            "'jane@example.org,Jane,x,y' (faltan las columnas 'email' y 'name'; columnas desconocidas "
            "'jane@example.org', 'jane', 'x', 'y')",
        ),
    ],
)
def test_batch_file_that_cannot_be_used_is_explained_in_spanish(
    content: bytes | None, expected: str, tmp_path: Path, capsys: Any
) -> None:
    people = tmp_path / "people.csv"
    if content is not None:
        people.write_bytes(content)
    code, stdout, stderr = run(["--lang", "es", "batch", str(people), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and stdout == ""
    assert stderr.startswith("setup-assistant: " + expected.format(path=people))
    assert english_lines(stderr) == []


def test_batch_reasons_are_english_data() -> None:
    i18n.set_language("es")
    found = batch.parse_people(PEOPLE, load_provider())
    reasons = {r.line: r.detail for r in found.skipped}
    assert reasons[4] == "repeats the address on line 2 (addresses are not case-sensitive)"  # the str: English
    assert human(reasons[4]).startswith("repite la dirección de la línea 2")
    assert (
        batch.summary_text(found.skipped)
        .splitlines()[2]
        .endswith(
            '"skipped","","repite la dirección de la línea 2 '
            '(en las direcciones da igual usar mayúsculas o minúsculas)"'
        )
    )


# --- dns -----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    with DnsServer(example_zone()) as server:
        yield server


@pytest.mark.parametrize(
    "domain",
    [
        GOOD_DOMAIN,
        ELSEWHERE_DOMAIN,
        MISSING_DOMAIN,
        SERVFAIL_DOMAIN,
        NO_MX_DOMAIN,
        NULL_MX_DOMAIN,
        SPLIT_MX_DOMAIN,
        BACKUP_MX_DOMAIN,
        SRV_WRONG_DOMAIN,
        IDN_DOMAIN,
        SILENT_DOMAIN,
    ],
)
def test_dns_in_spanish_for_every_outcome(domain: str, dns_server: DnsServer, tmp_path: Path, capsys: Any) -> None:
    argv = ["dns", f"jane@{domain}", "--nameserver", f"127.0.0.1:{dns_server.port}", "--timeout", "0.6"]
    _, spanish, err = run(["--lang", "es", *argv], capsys)
    assert english_lines(spanish) == [] and english_lines(err) == []
    assert "Entrega del correo (MX)" in spanish and "Nombre del servidor" in spanish
    _, json_en, _ = run(["--lang", "en", *argv, "--json"], capsys)
    _, json_es, _ = run(["--lang", "es", *argv, "--json"], capsys)
    assert json_es == json_en
    assert json.loads(json_en)["checks"][0]["label"] == "Mail delivery (MX)"


def test_dns_spanish_sentences(dns_server: DnsServer, tmp_path: Path, capsys: Any) -> None:
    ns = ["--nameserver", f"127.0.0.1:{dns_server.port}"]
    _, out, _ = run(["--lang", "es", "dns", f"jane@{ELSEWHERE_DOMAIN}", *ns], capsys)
    assert (
        f"  - El correo de {ELSEWHERE_DOMAIN} va a aspmx.other-mail.example, no a los servidores de NPOMail. Así que "
        "puede que esta no sea una dirección de NPOMail, o el correo del dominio pasa antes por otro servicio. "
        "Consulte con el administrador de correo de la organización antes de configurarla."
    ) in out.splitlines()
    assert "no existe (NXDOMAIN)" in out and "no publicado" in out
    _, out, _ = run(["--lang", "es", "dns", f"jane@{SRV_WRONG_DOMAIN}", *ns], capsys)
    assert (
        'El dominio indica que no ofrece POP3 con STARTTLS (destino "."), pero NPOMail lo ofrece en '
        "npomail.electricembers.net:110."
    ) in out
    provider = tmp_path / "silent.toml"
    provider.write_text(provider_toml({}, host=SILENT_HOST, name="NPOMail"), encoding="utf-8")
    _, out, _ = run(
        ["--lang", "es", "dns", f"jane@{SILENT_DOMAIN}", "--provider", str(provider), *ns, "--timeout", "0.6"], capsys
    )
    assert (
        "  - Ningún servidor DNS respondió en 0.6 segundos: puede que esta computadora no tenga conexión o que su "
        "servidor DNS no responda. Revise la conexión a la red y vuelva a intentarlo."
    ) in out.splitlines()


def test_dns_without_configuration_says_so_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    def unconfigured() -> None:
        raise dns.resolver.NoResolverConfiguration("no nameservers")

    monkeypatch.setattr(dns.resolver, "Resolver", unconfigured)
    report = check_dns(parse_address(f"jane@{GOOD_DOMAIN}"), load_provider())
    i18n.set_language("es")
    assert report.warnings == ("DNS does not work on this computer: this computer has no DNS server configured.",)
    assert [human(w) for w in report.warnings] == [
        "El DNS no funciona en esta computadora: esta computadora no tiene ningún servidor DNS configurado."
    ]
    assert english_lines("\n".join(human(c.detail) for c in report.checks)) == []


# --- sheet and the provider's own words ----------------------------------------------------------------------------


def test_the_provider_text_follows_the_language() -> None:
    provider = load_provider()
    i18n.set_language("en")
    assert provider.text("password_reset") == "your organization's postmaster"
    i18n.set_language("es")
    assert provider.text("password_reset") == "el administrador de correo de su organización"
    assert provider.extra["password_reset"] == "your organization's postmaster"  # the data stays English
    assert provider.text("support") is None or isinstance(provider.text("support"), str)


def test_the_settings_sheet_in_spanish_has_no_english_left() -> None:
    i18n.set_language("es")
    page = settings_sheet(settings(provider=load_provider())).decode("utf-8")
    assert "Puede restablecerla el administrador de correo de su organización." in Sheet(page.encode()).text
    # The page's text, one line per element; a <code> run is a command or a value, kept as code.
    text = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<code>(.*?)</code>", r"`\1`", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    assert "Jane Doe" in text
    assert english_lines(text) == []


def test_sheet_command_without_a_secure_server_says_why_in_spanish(tmp_path: Path, capsys: Any) -> None:
    provider = tmp_path / "refusing.toml"
    provider.write_text(provider_toml({}, host="127.0.0.1", name="Test Mail"), encoding="utf-8")
    argv = ["--lang", "es", "sheet", "jane@example.org", "--provider", str(provider), "--out", str(tmp_path / "s.html")]
    code, stdout, stderr = run([*argv, "--timeout", "2"], capsys)
    assert code == 1 and stdout == ""
    assert stderr.splitlines()[-1] == (
        "setup-assistant: no se escribió ninguna hoja: ninguna conexión segura de IMAP funcionó, así que ningún "
        "perfil puede usarla"
    )
    assert english_lines(stderr) == []


def _provider_with(tmp_path: Path, lines: str) -> Path:
    text = provider_toml({}, host="127.0.0.1", name="Test Mail").replace(
        "[provider]\n", '[provider]\npassword_reset = "your postmaster"\n', 1
    )
    path = tmp_path / "p.toml"
    path.write_text(text + "\n" + lines, encoding="utf-8")
    return path


def test_a_provider_file_translation_is_read(tmp_path: Path) -> None:
    provider = load_provider(_provider_with(tmp_path, '[provider.translations.es]\npassword_reset = "su postmaster"\n'))
    assert provider.translations == {"es": {"password_reset": "su postmaster"}}
    assert "translations" not in provider.extra
    i18n.set_language("es")
    assert provider.text("password_reset") == "su postmaster"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("[provider.translations.fr]\npassword_reset = 'x'\n", "'provider.translations.fr' is not a language"),
        ("[provider.translations.en]\npassword_reset = 'x'\n", "'provider.translations.en' is not a language"),
        ("[provider.translations.es]\nname = 'x'\n", "'provider.translations.es.name' cannot be translated"),
        ("[provider.translations.es]\npassword_reset = 3\n", "'provider.translations.es.password_reset' must be a str"),
        ("[provider.translations.es]\npassword_reset = ' '\n", "'provider.translations.es.password_reset' is empty"),
        (
            '[provider.translations.es]\npassword_reset = "a\\nb"\n',
            "'provider.translations.es.password_reset' contains a line break",
        ),
        ("[provider.translations]\nes = 'x'\n", "'provider.translations.es' must be a table"),
    ],
)
def test_a_bad_translations_table_is_refused(tmp_path: Path, lines: str, message: str) -> None:
    with pytest.raises(ProviderError, match=message):
        load_provider(_provider_with(tmp_path, lines))


def test_translations_must_be_a_table_and_translate_a_key_the_file_sets(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    base = provider_toml({}, host="127.0.0.1", name="Test Mail")
    path.write_text(base.replace("[provider]\n", '[provider]\ntranslations = "es"\n', 1), encoding="utf-8")
    with pytest.raises(ProviderError, match=r"'provider\.translations' must be a table"):
        load_provider(path)
    path.write_text(base + '\n[provider.translations.es]\npassword_reset = "x"\n', encoding="utf-8")
    with pytest.raises(ProviderError, match=r"translates 'provider\.password_reset', which the file does not set"):
        load_provider(path)

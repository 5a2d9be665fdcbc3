"""The mail programs' own labels in the Spanish texts: the ones found in the Spanish programs (docs/spanish-labels.md)
are quoted alone, the others keep their English in brackets, and the table and the catalogs agree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from setup_assistant.core import i18n
from setup_assistant.core.clients import instructions
from setup_assistant.core.clients.outlook import routes
from setup_assistant.core.clients.outlook.routes import OutlookKind
from setup_assistant.core.model import MailProtocol
from tests.core.clients.profile_support import settings
from tests.core.clients.test_instructions import Page
from tests.english_leaks import english_lines

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "spanish-labels.md"
PO = ROOT / "resources" / "i18n" / "es" / "LC_MESSAGES" / "setup_assistant.po"
TS = ROOT / "resources" / "i18n" / "setup_assistant_es.ts"

# Outlook's labels found in Microsoft's Spanish pages and confirmed by the real Spanish Outlook (see the table).
OUTLOOK_FOUND = {
    "More Settings…": "Más configuraciones…",
    "Outgoing Server": "Servidor de salida",
    "My outgoing server (SMTP) requires authentication": "Mi servidor de salida (SMTP) requiere autenticación",
    "Manual setup or additional server types": "Configuración manual o tipos de servidores adicionales",
    "Change…": "Cambiar…",
}


@dataclass(frozen=True)
class Label:
    program: str
    english: str
    spanish: str
    status: str


def table_labels(text: str) -> list[Label]:
    """The rows of every label table in docs/spanish-labels.md."""
    labels = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or cells[0] in ("Program", "") or set(cells[0]) <= {"-"}:
            continue
        labels.append(Label(cells[0], cells[1], cells[2], cells[4]))
    return labels


def spanish_catalog_texts() -> list[str]:
    """Every Spanish translation: the core's and the CLI's (.po) and the wizard's (.ts)."""
    with PO.open("rb") as f:
        catalog = read_po(f, locale="es", domain="setup_assistant")
    texts = [m.string for m in catalog if m.id and isinstance(m.string, str)]
    texts += [s for m in catalog if m.id and isinstance(m.string, tuple) for s in m.string]
    texts += [t.text or "" for t in ET.parse(TS).getroot().iter("translation")]
    return texts


def test_the_table_is_read_and_lists_found_and_missing_labels() -> None:
    labels = table_labels(TABLE.read_text(encoding="utf-8"))
    found = {x.english: x.spanish for x in labels if x.status == "found" and x.program == "Outlook"}
    assert OUTLOOK_FOUND.items() <= found.items()
    assert {x.status for x in labels} <= {"found", "not found", "not found (not quoted)"}
    assert any(x.program == "Apple Mail" and x.status == "not found" for x in labels)
    assert table_labels("| Outlook | A | B | es-ES | found | S | E |\n|---|---|---|---|---|---|---|\n") == [
        Label("Outlook", "A", "B", "found")
    ]


def test_found_labels_are_quoted_alone_and_missing_ones_keep_their_english() -> None:
    """A label marked found is in the Spanish texts and its English is nowhere in brackets (unless another
    program's missing label has the same English, like Windows' own OK); a missing one keeps its bracket."""
    labels = table_labels(TABLE.read_text(encoding="utf-8"))
    texts = spanish_catalog_texts()
    missing_english = {x.english for x in labels if x.status == "not found"}
    problems = []
    for label in labels:
        bracket = f"[{label.english}]"
        if label.status == "found":
            if not any(label.spanish in t for t in texts):
                problems.append(f"found label not used: {label.spanish}")
            if label.english not in missing_english and any(bracket in t for t in texts):
                problems.append(f"found label still has its English: {bracket}")
        elif label.status == "not found" and not any(bracket in t for t in texts):
            problems.append(f"missing label lost its English (add it to the table as found, with a source?): {bracket}")
    assert problems == []


def _spanish_outlook_text(protocol: MailProtocol, pop_days: int | None = None) -> str:
    i18n.set_language("es")
    s = settings(protocol=protocol, pop_days=pop_days)
    pages = [
        Page(instructions.outlook_sheet(s, xml_folder=r"C:\Datos\example.org", has_prf=prf)).all_text
        for prf in (True, False)
    ]
    steps = [
        step.human()
        for kind in OutlookKind
        for prf in ("C:\\Datos\\outlook.prf", None)
        for step in routes.install_next_steps(protocol, pop_days, prf_path=prf, kind=kind)
    ]
    return "\n".join([*pages, *steps])


@pytest.mark.parametrize(
    ("protocol", "days"), [(MailProtocol.POP3, None), (MailProtocol.POP3, 30), (MailProtocol.IMAP, None)]
)
def test_the_spanish_outlook_pages_quote_outlooks_spanish_labels(protocol: MailProtocol, days: int | None) -> None:
    text = _spanish_outlook_text(protocol, days)
    for english, spanish in OUTLOOK_FOUND.items():
        if english == "Change…" and protocol is not MailProtocol.POP3:
            continue  # only POP's keep-on-server step opens an existing account
        assert spanish in text, spanish
        assert f"[{english}]" not in text
    assert "Aceptar, Siguiente, Finalizar." in text
    assert not re.search(r"\[(Next|Finish|Email Address)\]", text)
    if protocol is MailProtocol.POP3:  # not found in a Spanish Outlook yet: the English stays beside the description
        assert "«Dejar una copia de los mensajes en el servidor» [Leave a copy of messages on the server]" in text
        assert "Avanzadas [Advanced]" in text
    assert english_lines(text) == []

"""A small self-contained HTML page built with ElementTree, for the help-desk report and the settings sheet.

Every value goes in as element text or an attribute, so a name like `<b>O'Brien & "Co"</b>` is shown as
text, never read as markup. The pages load nothing from outside (inline CSS only): they are attached to
tickets, printed and opened offline, and Qt's QTextDocument can render them for a PDF.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

# A run of text: plain, or (tag, text) for <code>, <strong> and <em>.
Piece = str | tuple[str, str]
# A table cell: its text, or (text, css class) to mark a status.
Cell = str | tuple[str, str]


class HtmlPage:
    def __init__(self, title: str, css: str, *, heading: str | None = None) -> None:
        from setup_assistant.core.i18n import current_language

        self.html = ET.Element("html", {"lang": current_language()})
        head = ET.SubElement(self.html, "head")
        ET.SubElement(head, "meta", {"charset": "utf-8"})
        ET.SubElement(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
        ET.SubElement(head, "title").text = title
        ET.SubElement(head, "style").text = css
        self.body = ET.SubElement(self.html, "body")
        ET.SubElement(self.body, "h1").text = heading if heading is not None else title

    def heading(self, text: str, level: int = 2) -> ET.Element:
        element = ET.SubElement(self.body, f"h{level}")
        element.text = text
        return element

    def paragraph(self, *pieces: Piece, css: str | None = None, parent: ET.Element | None = None) -> ET.Element:
        element = ET.SubElement(self.body if parent is None else parent, "p", {"class": css} if css else {})
        fill(element, pieces)
        return element

    def preformatted(self, text: str, parent: ET.Element | None = None) -> ET.Element:
        """Lines kept as they are (a log), as text: never read as markup."""
        element = ET.SubElement(self.body if parent is None else parent, "pre")
        element.text = text
        return element

    def bullets(self, items: Sequence[Sequence[Piece]], parent: ET.Element | None = None) -> ET.Element:
        ul = ET.SubElement(self.body if parent is None else parent, "ul")
        for item in items:
            fill(ET.SubElement(ul, "li"), item)
        return ul

    def key_values(
        self, rows: Sequence[tuple[str, Cell]], *, css: str | None = None, parent: ET.Element | None = None
    ) -> ET.Element:
        """A two-column table: a label (th) and its value (td) per row."""
        table = ET.SubElement(self.body if parent is None else parent, "table", {"class": css} if css else {})
        for label, value in rows:
            tr = ET.SubElement(table, "tr")
            ET.SubElement(tr, "th", {"scope": "row"}).text = label
            _cell(tr, "td", value)
        return table

    def grouped(
        self,
        groups: Sequence[tuple[str, Sequence[tuple[str, Cell]]]],
        *,
        css: str | None = None,
        label_width: str | None = None,
    ) -> ET.Element:
        """One two-column table in titled groups (a full-width heading row per group), like the guide's table.

        `label_width` goes into a width attribute, which Qt's HTML renderer honours (it ignores CSS widths).
        """
        attrs = {"width": "100%", **({"class": css} if css else {})}
        table = ET.SubElement(self.body, "table", attrs)
        label_attrs = {"scope": "row", **({"width": label_width} if label_width else {})}
        for title, rows in groups:
            if not rows:
                continue
            tr = ET.SubElement(table, "tr")
            ET.SubElement(tr, "th", {"colspan": "2", "class": "group", "scope": "colgroup"}).text = title
            for label, value in rows:
                tr = ET.SubElement(table, "tr")
                ET.SubElement(tr, "th", label_attrs).text = label
                _cell(tr, "td", value)
        return table

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        *,
        css: str | None = None,
        parent: ET.Element | None = None,
    ) -> ET.Element:
        """A table with a header row and one row per item."""
        table = ET.SubElement(self.body if parent is None else parent, "table", {"class": css} if css else {})
        head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
        for label in header:
            ET.SubElement(head, "th", {"scope": "col"}).text = label
        body = ET.SubElement(table, "tbody")
        for row in rows:
            tr = ET.SubElement(body, "tr")
            for value in row:
                _cell(tr, "td", value)
        return table

    def render(self) -> bytes:
        return b"<!DOCTYPE html>\n" + ET.tostring(self.html, encoding="unicode", method="html").encode("utf-8")


def _cell(row: ET.Element, tag: str, value: Cell) -> None:
    if isinstance(value, str):
        ET.SubElement(row, tag).text = value
    else:
        text, css = value
        ET.SubElement(row, tag, {"class": css}).text = text


def fill(element: ET.Element, pieces: Sequence[Piece]) -> None:
    last: ET.Element | None = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            tag, text = piece
            last = ET.SubElement(element, tag)
            last.text = text


_MARKUP = re.compile(r"<(strong|code)>(.*?)</\1>", re.S)


def rich(template: str, **values: object) -> list[Piece]:
    """Pieces from a translated sentence with `<strong>`/`<code>` marks and `{named}` fields.

    The marks are read from the template before the values go in, so a value (a name, an address) is always
    text, never markup; a translator moves whole sentences, marks and all.
    """
    pieces: list[Piece] = []
    at = 0
    for found in _MARKUP.finditer(template):
        if found.start() > at:
            pieces.append(template[at : found.start()].format_map(values))
        pieces.append((found.group(1), found.group(2).format_map(values)))
        at = found.end()
    if at < len(template):
        pieces.append(template[at:].format_map(values))
    return pieces

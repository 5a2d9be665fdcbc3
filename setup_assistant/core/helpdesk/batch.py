"""Onboarding a whole office from one CSV file: probe the provider once (the servers are shared), then write
each person's profiles and settings sheet into DIR/<address>/ and a DIR/summary.csv saying what became of
every line.

The file has a header line `email,name` with an optional `protocol` column (imap or pop3; imap when empty).
Lines are counted as a text editor counts them, the header being line 1, and each line is one person: no
field may span lines, so an unpaired quote costs one line, never the rest of the file. Bad lines and repeated
addresses (case-insensitively) are skipped and reported; everyone else is still done. Passwords are never
part of it. A semicolon-separated file (what Excel writes in many European locales) is read as well.

Every reason (a skipped line, a failed person, a file that cannot be used) is an `i18n.Message`: its str is the
English sentence (data, logs, tests), its `human()` the sentence in the language of the run, used on stderr and
in summary.csv. DIR/summary.csv is read by people in a spreadsheet and by scripts, so it keeps both apart: the
header row (`line,email,name,protocol,status,folder,detail`) and the `status` column (done, skipped, failed) are
fixed English identifiers, like JSON keys, whatever the language; `detail` is text for a person and follows the
language of the run. A script decides by `status`, never by `detail`. Every cell, translated or not, goes
through the same formula-injection neutralising (`_cell`).
"""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import re
import stat
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from setup_assistant.core.account import AccountSettings, NoSecureEndpoint, settings_from_probe, settings_without_probe
from setup_assistant.core.address import AddressError, EmailAddress, parse_address
from setup_assistant.core.clients.profiles import ALL_CLIENTS, Client, write_profiles
from setup_assistant.core.helpdesk.settings_sheet import SHEET_FILE, write_settings_sheet
from setup_assistant.core.i18n import Listing, Message, PluralMessage, _, human
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.os_errors import os_failure, os_reason
from setup_assistant.core.probing.account_check import AccountCheck
from setup_assistant.core.probing.probe import DEFAULT_TIMEOUT, ProbeResult, probe_provider
from setup_assistant.core.profile_files import ProfileInputError, check_profile_text, safe_file_stem, write_atomic
from setup_assistant.core.provider import Provider

SUMMARY_FILE = "summary.csv"
SUMMARY_COLUMNS = ("line", "email", "name", "protocol", "status", "folder", "detail")
REQUIRED_COLUMNS = ("email", "name")
OPTIONAL_COLUMNS = ("protocol",)
WRITERS = 4  # people written at once: overlaps the disk's flushes; more only adds contention (measured: 2, 4, 8, 16)
MAX_FILE_BYTES = 10_000_000  # 100,000 people fit; anything larger is the wrong file (or /dev/zero)
# The files are for other people's computers: Outlook's registry file must name the fixed export path that the
# instructions give, not this computer's own app folder (which is what "win32" would choose).
_EXPORT_PLATFORM = "export"
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_PROTOCOLS = {"": MailProtocol.IMAP, "imap": MailProtocol.IMAP, "pop3": MailProtocol.POP3, "pop": MailProtocol.POP3}


class BatchFileError(ValueError):
    """The CSV file cannot be used at all (missing, not UTF-8, no or wrong header); str() says why in English,
    `human()` in the person's language."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason

    def human(self) -> str:
        return self.reason.human()


class RowStatus(enum.StrEnum):
    DONE = "done"
    SKIPPED = "skipped"  # a bad line or a repeated address: nothing written for it
    FAILED = "failed"  # a good line whose files could not (all) be written


@dataclass(frozen=True)
class Person:
    line: int
    email: str  # as written on the line, trimmed
    name: str
    protocol: MailProtocol
    address: EmailAddress


@dataclass(frozen=True)
class RowResult:
    line: int
    email: str
    name: str
    protocol: str
    status: RowStatus
    folder: str = ""  # relative to the output folder
    detail: str = ""  # an i18n.Message: English as a str, `human()` for a person

    @property
    def done(self) -> bool:
        return self.status is RowStatus.DONE

    def problem_line(self) -> str:
        """`line N: <the row's address>: <reason>`, as printed on stderr, in the person's language."""
        return _("line {line}: {address}: {reason}").format(
            line=self.line, address=_printable(self.email) or _("(empty)"), reason=_printable(human(self.detail))
        )


@dataclass(frozen=True)
class PeopleFile:
    """What a CSV file holds: the people to do, and the lines skipped with their reasons."""

    people: tuple[Person, ...]
    skipped: tuple[RowResult, ...]
    delimiter: str = ","


@dataclass(frozen=True)
class BatchOutcome:
    out_dir: Path
    results: tuple[RowResult, ...]  # every line with a person or a problem, in file order
    probe: ProbeResult | None  # None with --no-probe or when nobody was left to do
    probe_verdict: str
    summary: Path

    @property
    def done(self) -> list[RowResult]:
        return [r for r in self.results if r.done]

    @property
    def problems(self) -> list[RowResult]:
        return [r for r in self.results if not r.done]

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Reading the file ----------------------------------------------------------------------------------


def read_people(path: Path | None, provider: Provider, stream: BinaryIO | None = None) -> PeopleFile:
    """Reads and checks the whole file (or `stream`, e.g. standard input, when given); raises BatchFileError
    when it cannot be used at all. Never more than MAX_FILE_BYTES is read: /dev/zero or an endless pipe is
    refused as too large, a device or socket is refused before reading."""
    where: str = str(path) if stream is None and path is not None else Message("standard input")
    raw = _read_bounded(path, stream, where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchFileError(
            Message(
                "{where}: is not UTF-8 text (byte {byte}); in Excel, save it as “CSV UTF-8”",
                where=where,
                byte=exc.start + 1,
            )
        ) from None
    try:
        return parse_people(text, provider)
    except BatchFileError as exc:
        raise BatchFileError(Message("{where}: {reason}", where=where, reason=exc.reason)) from None


def _too_large(where: str) -> BatchFileError:
    return BatchFileError(
        Message(
            "{where}: too large for a list of people (more than {mb} MB); split it into smaller files",
            where=where,
            mb=MAX_FILE_BYTES // 1_000_000,
        )
    )


def _read_bounded(path: Path | None, stream: BinaryIO | None, where: str) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes from a regular file, a pipe or the given stream."""
    try:
        if stream is None and path is None:
            if sys.stdin is None:
                raise BatchFileError(Message("there is no standard input to read the list of people from"))
            stream = sys.stdin.buffer
        if stream is not None:
            return _read_limited(stream, where)
        assert path is not None
        kind = path.stat().st_mode
        if stat.S_ISDIR(kind):
            raise BatchFileError(Message("{path}: is a folder, not a CSV file", path=path))
        if not (stat.S_ISREG(kind) or stat.S_ISFIFO(kind)):
            raise BatchFileError(
                Message("{path}: is a device or socket, not a CSV file (a file or a pipe is read)", path=path)
            )
        with open(path, "rb") as fh:
            return _read_limited(fh, where)
    except FileNotFoundError:
        raise BatchFileError(Message("{where}: no such file", where=where)) from None
    except OSError as exc:
        raise BatchFileError(
            Message("{where}: cannot be read ({reason})", where=where, reason=os_reason(exc))
        ) from None


def _read_limited(stream: BinaryIO, where: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 16, MAX_FILE_BYTES + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise _too_large(where)


def parse_people(text: str, provider: Provider) -> PeopleFile:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_text = lines[0] if lines else ""
    if not header_text.strip():
        raise BatchFileError(
            Message("the first line must be the header email,name (or email,name,protocol), but it is empty")
        )
    delimiter = _delimiter(header_text)
    columns = _header(header_text, delimiter)
    people: list[Person] = []
    skipped: list[RowResult] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip(delimiter + " \t"):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        row = _parse_line(number, line, delimiter, columns, provider)
        if isinstance(row, RowResult):
            skipped.append(row)
            continue
        key = same_person_key(row.address)
        if key in first_line:
            reason = Message(
                "repeats the address on line {line} (addresses are not case-sensitive)", line=first_line[key]
            )
            skipped.append(RowResult(row.line, row.email, row.name, row.protocol.value, RowStatus.SKIPPED, "", reason))
            continue
        first_line[key] = number
        people.append(row)
    return PeopleFile(tuple(people), tuple(skipped), delimiter)


def same_person_key(address: EmailAddress) -> str:
    """Two lines are the same person only when they name the same mailbox: the domain compared in its IDNA form
    without case, the local part without ASCII case only, as mail servers compare it. Unicode case folding
    would make straße@ and strasse@ one person; they are two mailboxes."""
    local = "".join(c.lower() if c.isascii() else c for c in unicodedata.normalize("NFC", address.local))
    return f"{local}@{address.ascii_domain.lower()}"


def _delimiter(header: str) -> str:
    if "," not in header and ";" in header:
        return ";"
    if "," not in header and "\t" in header:
        return "\t"
    return ","


def _header(line: str, delimiter: str) -> tuple[str, ...]:
    try:
        fields = next(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error:
        raise BatchFileError(
            Message("the header must be email,name (or email,name,protocol); line 1 has unpaired double quotes")
        ) from None
    columns = tuple(f.strip().lower() for f in fields)
    while columns and not columns[-1]:
        columns = columns[:-1]
    unknown = [c for c in columns if c not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    found = delimiter.join(fields).strip()
    if unknown or missing or repeated:
        problems: list[Message] = []
        if len(missing) == 1:
            problems.append(Message("no {column} column", column=repr(missing[0])))
        elif missing:
            problems.append(
                Message("no {first} and no {second} column", first=repr(missing[0]), second=repr(missing[1]))
            )
        if unknown:
            problems.append(
                PluralMessage(
                    "unknown column {columns}",
                    "unknown columns {columns}",
                    len(unknown),
                    columns=", ".join(repr(c) for c in unknown),
                )
            )
        if repeated:
            problems.append(
                PluralMessage(
                    "repeated column {columns}",
                    "repeated columns {columns}",
                    len(repeated),
                    columns=", ".join(repr(c) for c in repeated),
                )
            )
        raise BatchFileError(
            Message(
                "the header must be email,name (or email,name,protocol); line 1 is {found} ({problems})",
                found=repr(found),
                problems=_joined(problems),
            )
        )
    return columns


def _joined(parts: Sequence[Message]) -> Message:
    """Reasons one after another, separated by semicolons, each translated when shown."""
    return parts[0] if len(parts) == 1 else Listing(parts, "; ")


def _parse_line(
    number: int, line: str, delimiter: str, columns: tuple[str, ...], provider: Provider
) -> Person | RowResult:
    email_index, name_index = columns.index("email"), columns.index("name")
    protocol_index = columns.index("protocol") if "protocol" in columns else None

    def skip(email: str, reason: Message, name: str = "", protocol: str = "") -> RowResult:
        return RowResult(number, email, name, protocol, RowStatus.SKIPPED, "", reason)

    try:
        fields = next(csv.reader([line], delimiter=delimiter, strict=True, skipinitialspace=True))
    except csv.Error:
        rough = line.split(delimiter)
        email = rough[email_index].strip().strip('"').strip() if email_index < len(rough) else ""
        return skip(email, Message("its double quotes do not pair up (put a value with a comma in double quotes)"))
    while len(fields) > len(columns) and not fields[-1].strip():
        fields.pop()  # trailing empty cells, as spreadsheets write them
    email = fields[email_index].strip() if email_index < len(fields) else ""
    name = fields[name_index].strip() if name_index < len(fields) else ""
    protocol_text = (
        fields[protocol_index].strip() if protocol_index is not None and protocol_index < len(fields) else ""
    )
    if len(fields) > len(columns):
        return skip(
            email,
            Message(
                "{values} values, but the header has {columns} columns (a name with a comma must be in double quotes)",
                values=len(fields),
                columns=len(columns),
            ),
            name,
            protocol_text,
        )
    if max(email_index, name_index) >= len(fields):
        reason = PluralMessage(
            "only {values} value; the header has {columns} columns",
            "only {values} values; the header has {columns} columns",
            len(fields),
            values=len(fields),
            columns=len(columns),
        )
        return skip(email, reason, name, protocol_text)
    if not email:
        return skip(email, Message("no email address"), name, protocol_text)
    try:
        address = parse_address(email)
    except AddressError as exc:
        return skip(email, _exception_text(exc), name, protocol_text)
    protocol = _PROTOCOLS.get(protocol_text.lower())
    if protocol is None:
        return skip(
            email,
            Message("the protocol must be imap or pop3, not {given}", given=repr(protocol_text)),
            name,
            protocol_text,
        )
    try:
        check_profile_text(settings_without_probe(provider, address, display_name=name or None, protocol=protocol))
    except ProfileInputError as exc:
        return skip(email, _exception_text(exc), name, protocol_text)
    return Person(number, email, " ".join(name.split()), protocol, address)


def _exception_text(exc: BaseException) -> Message:
    """An exception's sentence as a Message: its own when it carries one, else its text as it is (untranslated)."""
    first = exc.args[0] if exc.args else None
    if isinstance(first, Message):
        return first
    return Message("{text}", text=str(exc) or type(exc).__name__)


def _printable(text: str) -> str:
    """Control characters shown as escapes, so a line on the terminal cannot be forged or recoloured."""
    return "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in text)


# --- Folders -------------------------------------------------------------------------------------------


def folder_names(people: Iterable[Person]) -> dict[int, str]:
    """A safe, distinct folder name per person (by line): the address, made safe for every file system.

    Addresses that differ only in characters a file name cannot hold (a/b@x and a_b@x) get a short suffix,
    compared without case since Windows and macOS ignore it; Windows' reserved names (nul.x@...) get a prefix.
    """
    names: dict[int, str] = {}
    taken: set[str] = set()
    for person in people:
        stem = safe_file_stem(unicodedata.normalize("NFC", person.address.address))
        if stem.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
            stem = "_" + stem
        candidate = stem
        if candidate.casefold() in taken:
            digest = hashlib.sha256(person.address.address.encode("utf-8")).hexdigest()[:8]
            candidate = f"{stem}-{digest}"
        taken.add(candidate.casefold())
        names[person.line] = candidate
    return names


# --- Running -------------------------------------------------------------------------------------------

RowProgress = Callable[[RowResult], None]


def run_batch(
    provider: Provider,
    people_file: PeopleFile,
    out_dir: Path,
    clients: Sequence[Client] = ALL_CLIENTS,
    *,
    probe: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    progress: RowProgress | None = None,
) -> BatchOutcome:
    """Probes once (unless probe=False), writes every person's files, then DIR/summary.csv.

    One person's failure is recorded in their row and the others go on. Exports only: nothing on this
    computer's mail programs is touched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    people = people_file.people
    probed: ProbeResult | None = None
    verdict: str = Message("Servers not tested (--no-probe): the files use the provider's published settings.")
    if probe and people:
        probed = probe_provider(provider, timeout=timeout, cancel=cancel)
        verdict = AccountCheck(people[0].address, provider, probed, (), False).verdict()
    elif not people:
        verdict = Message("Nobody to set up.")
    folders = folder_names(people)
    results = list(people_file.skipped)

    def one(person: Person) -> RowResult:
        if (cancel is not None and cancel.is_set()) or (probed is not None and probed.cancelled):
            return _result(person, RowStatus.SKIPPED, "", Message("not done: cancelled"))
        return _write_person(provider, person, probed, out_dir, folders[person.line], clients)

    # Each person's folder is their own, so people are written side by side: most of the time goes into
    # waiting for the disk (every file is flushed before it is renamed into place), and waits overlap.
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="batch") as pool:
        futures = [pool.submit(one, person) for person in people]
        try:
            for future in as_completed(futures):
                result = future.result()
                results.append(result)
                if progress is not None:
                    progress(result)
        except BaseException:
            if cancel is not None:
                cancel.set()
            for future in futures:
                future.cancel()
            raise
    ordered = tuple(sorted(results, key=lambda r: r.line))
    summary = write_summary(out_dir / SUMMARY_FILE, ordered)
    return BatchOutcome(out_dir, ordered, probed, verdict, summary)


def _settings(provider: Provider, person: Person, probed: ProbeResult | None) -> AccountSettings:
    name = person.name or None
    if probed is None:
        return settings_without_probe(provider, person.address, display_name=name, protocol=person.protocol)
    return settings_from_probe(provider, person.address, probed.endpoints, display_name=name, protocol=person.protocol)


def _write_person(
    provider: Provider,
    person: Person,
    probed: ProbeResult | None,
    out_dir: Path,
    folder: str,
    clients: Sequence[Client],
) -> RowResult:
    settings = _settings(provider, person, probed)
    try:
        # Every mail program and the sheet need a secure way in and out: without one, say it once, not per file.
        settings.incoming()
        settings.outgoing()
    except NoSecureEndpoint as exc:
        return _result(person, RowStatus.FAILED, "", Message("nothing was written: {reason}", reason=_reason(exc)))
    target = out_dir / folder
    try:
        # Not recorded in this computer's history: these files are for other people's computers, and a whole
        # office would push this computer's own entries out (summary.csv is the batch's record).
        outcome = write_profiles(settings, target, clients, install=False, platform=_EXPORT_PLATFORM, record=False)
    except (ProfileInputError, OSError) as exc:
        return _result(
            person, RowStatus.FAILED, folder, Message("could not write the profiles: {reason}", reason=_reason(exc))
        )
    problems: list[Message] = [
        Message("{program}: {reason}", program=c.client.label, reason=_error_text(c.error))
        for c in outcome.clients
        if c.error
    ]
    written = [c.client.value for c in outcome.clients if not c.error]
    sheet_written = False
    try:
        write_settings_sheet(settings, target / SHEET_FILE)
        sheet_written = True
    except (NoSecureEndpoint, OSError) as exc:
        problems.append(Message("Settings sheet: {reason}", reason=_reason(exc)))
    if problems:
        return _result(person, RowStatus.FAILED, folder, _joined(problems))
    if sheet_written:
        return _result(
            person, RowStatus.DONE, folder, Message("wrote {programs}, settings sheet", programs=", ".join(written))
        )
    return _result(person, RowStatus.DONE, folder, Message("wrote {programs}", programs=", ".join(written)))


def _error_text(error: object) -> Message:
    return error if isinstance(error, Message) else Message("{text}", text=error)


def _reason(exc: BaseException) -> Message:
    if isinstance(exc, OSError) and exc.strerror:
        return _error_text(os_failure(exc))  # the usual write failures in plain words (core/os_errors.py)
    return _exception_text(exc)


def _result(person: Person, status: RowStatus, folder: str, detail: Message) -> RowResult:
    return RowResult(person.line, person.email, person.name, person.protocol.value, status, folder, detail)


# --- The summary ---------------------------------------------------------------------------------------


def summary_text(results: Iterable[RowResult]) -> str:
    """CSV with a header, every text cell quoted and neutralised (`_cell`) so that no spreadsheet, whatever
    separator it guesses, runs a cell or a piece of one as a formula.

    The header and the status codes are fixed English identifiers for scripts; `detail` is for a person and is
    written in the language of the run (the module docstring says why). A translation is neutralised like any
    other text, after it is translated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(SUMMARY_COLUMNS)
    for r in results:
        writer.writerow(
            [r.line, *(_cell(v) for v in (r.email, r.name, r.protocol, r.status.value, r.folder, human(r.detail)))]
        )
    return buffer.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that guesses another separator (Excel in many European locales splits on ';', others on tabs)
# cuts a cell at these, so what follows one is the start of a cell too.
_SEPARATORS = frozenset(",;\t|")
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|][\s\"]*)(?=[=+\-@])")


def _cell(value: str) -> str:
    """The OWASP CSV-injection rule: a cell that starts with = + - @ tab or CR gets a leading apostrophe, and so
    does every piece that a separator inside the cell could make into a cell of its own."""
    if _SEPARATORS.intersection(value):
        value = _FORMULA_AFTER_SEPARATOR.sub(lambda m: m.group(1) + "'", value)
    return "'" + value if value.lstrip(' "')[:1] in _FORMULA_STARTS else value


def write_summary(path: Path, results: Iterable[RowResult]) -> Path:
    """UTF-8 with a byte-order mark, so Excel reads the names right."""
    return write_atomic(path, summary_text(results).encode("utf-8-sig"))

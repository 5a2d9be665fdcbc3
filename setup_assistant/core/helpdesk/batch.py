"""Onboarding a whole office from one CSV file: probe the provider once (the servers are shared), then write
each person's profiles and settings sheet into DIR/<address>/ and a DIR/summary.csv saying what became of
every line.

The file has a header line `email,name` with an optional `protocol` column (imap or pop3; imap when empty).
Lines are counted as a text editor counts them, the header being line 1, and each line is one person: no
field may span lines, so an unpaired quote costs one line, never the rest of the file. Bad lines and repeated
addresses (case-insensitively) are skipped and reported; everyone else is still done. Passwords are never
part of it. A semicolon-separated file (what Excel writes in many European locales) is read as well.
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
from setup_assistant.core.model import MailProtocol
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
    """The CSV file cannot be used at all (missing, not UTF-8, no or wrong header); str() says why."""


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
    detail: str = ""

    @property
    def done(self) -> bool:
        return self.status is RowStatus.DONE

    def problem_line(self) -> str:
        """`line N: <the row's address>: <reason>`, as printed on stderr."""
        return f"line {self.line}: {_printable(self.email) or '(empty)'}: {_printable(self.detail)}"


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
    where = str(path) if stream is None and path is not None else "standard input"
    raw = _read_bounded(path, stream, where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchFileError(
            f"{where}: is not UTF-8 text (byte {exc.start + 1}); in Excel, save it as “CSV UTF-8”"
        ) from None
    try:
        return parse_people(text, provider)
    except BatchFileError as exc:
        raise BatchFileError(f"{where}: {exc}") from None


def _too_large(where: str) -> BatchFileError:
    return BatchFileError(
        f"{where}: too large for a list of people (more than {MAX_FILE_BYTES // 1_000_000} MB); "
        "split it into smaller files"
    )


def _read_bounded(path: Path | None, stream: BinaryIO | None, where: str) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes from a regular file, a pipe or the given stream."""
    try:
        if stream is None and path is None:
            if sys.stdin is None:
                raise BatchFileError("there is no standard input to read the list of people from")
            stream = sys.stdin.buffer
        if stream is not None:
            return _read_limited(stream, where)
        assert path is not None
        kind = path.stat().st_mode
        if stat.S_ISDIR(kind):
            raise BatchFileError(f"{path}: is a folder, not a CSV file")
        if not (stat.S_ISREG(kind) or stat.S_ISFIFO(kind)):
            raise BatchFileError(f"{path}: is a device or socket, not a CSV file (a file or a pipe is read)")
        with open(path, "rb") as fh:
            return _read_limited(fh, where)
    except FileNotFoundError:
        raise BatchFileError(f"{where}: no such file") from None
    except OSError as exc:
        raise BatchFileError(f"{where}: cannot be read ({exc.strerror or exc})") from None


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
        raise BatchFileError("the first line must be the header email,name (or email,name,protocol), but it is empty")
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
            reason = f"repeats the address on line {first_line[key]} (addresses are not case-sensitive)"
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
    expected = "the header must be email,name (or email,name,protocol)"
    try:
        fields = next(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error:
        raise BatchFileError(f"{expected}; line 1 has unpaired double quotes") from None
    columns = tuple(f.strip().lower() for f in fields)
    while columns and not columns[-1]:
        columns = columns[:-1]
    unknown = [c for c in columns if c not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    found = delimiter.join(fields).strip()
    if unknown or missing or repeated:
        problems = []
        if missing:
            problems.append("no " + " and no ".join(repr(c) for c in missing) + " column")
        if unknown:
            problems.append("unknown column " + ", ".join(repr(c) for c in unknown))
        if repeated:
            problems.append("repeated column " + ", ".join(repr(c) for c in repeated))
        raise BatchFileError(f"{expected}; line 1 is {found!r} ({'; '.join(problems)})")
    return columns


def _parse_line(
    number: int, line: str, delimiter: str, columns: tuple[str, ...], provider: Provider
) -> Person | RowResult:
    email_index, name_index = columns.index("email"), columns.index("name")
    protocol_index = columns.index("protocol") if "protocol" in columns else None

    def skip(email: str, reason: str, name: str = "", protocol: str = "") -> RowResult:
        return RowResult(number, email, name, protocol, RowStatus.SKIPPED, "", reason)

    try:
        fields = next(csv.reader([line], delimiter=delimiter, strict=True, skipinitialspace=True))
    except csv.Error:
        rough = line.split(delimiter)
        email = rough[email_index].strip().strip('"').strip() if email_index < len(rough) else ""
        return skip(email, "its double quotes do not pair up (put a value with a comma in double quotes)")
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
            f"{len(fields)} values, but the header has {len(columns)} columns (a name with a comma must be in "
            "double quotes)",
            name,
            protocol_text,
        )
    if max(email_index, name_index) >= len(fields):
        count = f"{len(fields)} value" + ("" if len(fields) == 1 else "s")
        return skip(email, f"only {count}; the header has {len(columns)} columns", name, protocol_text)
    if not email:
        return skip(email, "no email address", name, protocol_text)
    try:
        address = parse_address(email)
    except AddressError as exc:
        return skip(email, str(exc), name, protocol_text)
    protocol = _PROTOCOLS.get(protocol_text.lower())
    if protocol is None:
        return skip(email, f"the protocol must be imap or pop3, not {protocol_text!r}", name, protocol_text)
    try:
        check_profile_text(settings_without_probe(provider, address, display_name=name or None, protocol=protocol))
    except ProfileInputError as exc:
        return skip(email, str(exc), name, protocol_text)
    return Person(number, email, " ".join(name.split()), protocol, address)


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
    verdict = "Servers not tested (--no-probe): the files use the provider's published settings."
    if probe and people:
        probed = probe_provider(provider, timeout=timeout, cancel=cancel)
        verdict = AccountCheck(people[0].address, provider, probed, (), False).verdict()
    elif not people:
        verdict = "Nobody to set up."
    folders = folder_names(people)
    results = list(people_file.skipped)

    def one(person: Person) -> RowResult:
        if (cancel is not None and cancel.is_set()) or (probed is not None and probed.cancelled):
            return _result(person, RowStatus.SKIPPED, "", "not done: cancelled")
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
    target = out_dir / folder
    try:
        # Not recorded in this computer's history: these files are for other people's computers, and a whole
        # office would push this computer's own entries out (summary.csv is the batch's record).
        outcome = write_profiles(settings, target, clients, install=False, platform=_EXPORT_PLATFORM, record=False)
    except (ProfileInputError, OSError) as exc:
        return _result(person, RowStatus.FAILED, folder, f"could not write the profiles: {_reason(exc)}")
    problems = list(outcome.errors)
    written = [c.client.value for c in outcome.clients if not c.error]
    try:
        write_settings_sheet(settings, target / SHEET_FILE)
        written.append("settings sheet")
    except NoSecureEndpoint as exc:
        problems.append(f"Settings sheet: {exc}")
    except OSError as exc:
        problems.append(f"Settings sheet: {_reason(exc)}")
    if problems:
        return _result(person, RowStatus.FAILED, folder, "; ".join(problems))
    return _result(person, RowStatus.DONE, folder, "wrote " + ", ".join(written))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def _result(person: Person, status: RowStatus, folder: str, detail: str) -> RowResult:
    return RowResult(person.line, person.email, person.name, person.protocol.value, status, folder, detail)


# --- The summary ---------------------------------------------------------------------------------------


def summary_text(results: Iterable[RowResult]) -> str:
    """CSV with a header, every text cell quoted and neutralised (`_cell`) so that no spreadsheet, whatever
    separator it guesses, runs a cell or a piece of one as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(SUMMARY_COLUMNS)
    for r in results:
        writer.writerow(
            [r.line, *(_cell(v) for v in (r.email, r.name, r.protocol, r.status.value, r.folder, r.detail))]
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

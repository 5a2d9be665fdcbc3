"""`setup-assistant batch people.csv --out DIR`: profiles and a settings sheet for everyone in a CSV file.

Bad lines and repeated addresses go to stderr as `line N: <address>: <reason>` (and into DIR/summary.csv) and
are skipped; everyone else is done. Exit 0 when every line was done, 1 when some were skipped or could not be
written, 2 when the file cannot be read at all (missing, not UTF-8, no or a wrong header) or for bad usage.

Everything a person reads here (reasons, progress, the closing line) is in the language of the run; summary.csv
keeps its header and status codes English for scripts (see core/helpdesk/batch.py).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from setup_assistant.cli import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    _positive_seconds,
    add_provider_option,
    load_provider_or_usage,
    no_probe_hint,
    output_folder,
)
from setup_assistant.core.i18n import _, human, ngettext
from setup_assistant.core.os_errors import os_reason


def register(subparsers: Any) -> None:
    from setup_assistant.core.clients import Client

    parser = subparsers.add_parser(
        "batch",
        help=_("write profiles and settings sheets for everyone in a CSV file"),
        description=(
            _(
                "Read a CSV file with the header email,name (and optionally protocol: imap or pop3), "
                "probe the provider once, and write each person's profiles and settings sheet into "
                "DIR/<address>/, plus DIR/summary.csv. No passwords are involved; nothing on this "
                "computer's mail programs changes."
            )
        ),
    )
    parser.add_argument(
        "csv",
        metavar="people.csv",
        help=_("the CSV file (UTF-8, at most 10 MB), header email,name[,protocol]; - reads standard input"),
    )
    parser.add_argument("--out", metavar="DIR", required=True, help=_("folder to write everyone's files into"))
    parser.add_argument(
        "--client",
        action="append",
        choices=[c.value for c in Client],
        help=_("a mail program to write files for (repeat for several; default: all three)"),
    )
    add_provider_option(parser)
    parser.add_argument(
        "--no-probe", action="store_true", help=_("do not test the servers; use the provider's published settings")
    )
    parser.add_argument(
        "--timeout", type=_positive_seconds, default=10.0, help=_("seconds per network step (default 10)")
    )
    parser.set_defaults(func=cmd_batch)


class ProgressLine:
    """`412 of 1000 people done` on one line of a terminal, redrawn at most ten times a second.

    Only when the stream is a terminal: a log file or a pipe gets no carriage returns. Plain spaces clear
    it (no escape sequences), so it works in every console.
    """

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.active = total > 0 and stream.isatty()
        self._shown = ""
        self._drawn_at = 0.0

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * len(self._shown) + "\r")
            self.stream.flush()
            self._shown = ""

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.active or (self._shown and done < self.total and now - self._drawn_at < 0.1):
            return
        text = ngettext("{done} of {total} person done", "{done} of {total} people done", self.total).format(
            done=done, total=self.total
        )
        self.stream.write("\r" + text.ljust(len(self._shown)))
        self.stream.flush()
        self._shown, self._drawn_at = text, now


def cmd_batch(args: argparse.Namespace) -> int:
    from setup_assistant.core.clients.profiles import ALL_CLIENTS, Client
    from setup_assistant.core.helpdesk.batch import BatchFileError, RowResult, read_people, run_batch

    provider = load_provider_or_usage(args.provider)
    try:
        people = read_people(None if args.csv == "-" else Path(args.csv).expanduser(), provider)
    except BatchFileError as exc:
        raise UsageError(exc.human()) from None
    out_dir = output_folder(args.out)
    clients = [Client(c) for c in args.client] if args.client else list(ALL_CLIENTS)

    # Our own drawing (\r to redraw the line) goes past the CLI's escaping of control characters; it holds numbers only.
    line = ProgressLine(len(people.people), getattr(sys.stderr, "unescaped", sys.stderr))
    finished = 0

    def show(result: RowResult) -> None:
        nonlocal finished
        finished += 1
        if result.done:
            if line.active and sys.stdout.isatty():
                line.clear()  # the same screen: the person's line goes above the progress line
            print(f"  {result.email}: {result.folder}/", flush=True)
        line.update(finished)

    if people.people and not args.no_probe:
        print(_("Checking {name}'s servers once for everyone …").format(name=provider.name), flush=True)
    cancel = threading.Event()
    try:
        outcome = run_batch(
            provider,
            people,
            out_dir,
            clients,
            probe=not args.no_probe,
            timeout=args.timeout,
            cancel=cancel,
            progress=show,
        )
    except KeyboardInterrupt:
        cancel.set()
        line.clear()
        print(_("Cancelled; the people done so far keep their files."), file=sys.stderr)
        return EXIT_PROBLEM
    except OSError as exc:
        line.clear()
        raise UsageError(
            _("{folder}: cannot write there ({reason})").format(folder=out_dir, reason=human(os_reason(exc)))
        ) from None
    line.clear()
    probe_ok = outcome.probe is None or (outcome.probe.secure_setup_exists and not outcome.probe.cancelled)
    print(human(outcome.probe_verdict), file=sys.stdout if probe_ok else sys.stderr)
    for result in outcome.problems:
        print(result.problem_line(), file=sys.stderr)
    hint = no_probe_hint(outcome.probe, "batch") if outcome.probe is not None else None
    if hint:
        print(hint, file=sys.stderr)
    total = len(outcome.results)
    if outcome.problems:
        closing = ngettext(
            "Done for {done} of {total} person; {n} skipped or failed. Summary: {path}",
            "Done for {done} of {total} people; {n} skipped or failed. Summary: {path}",
            total,
        )
    else:
        closing = ngettext(
            "Done for {done} of {total} person. Summary: {path}",
            "Done for {done} of {total} people. Summary: {path}",
            total,
        )
    print(closing.format(done=len(outcome.done), total=total, n=len(outcome.problems), path=outcome.summary))
    return EXIT_OK if outcome.ok else EXIT_PROBLEM

"""The scriptable command line for help-desk volunteers: the same engine as the wizard, JSON on request.

Exit codes: 0 the check passed, 1 it did not (something to fix), 2 bad input or usage. Errors are one
human line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO, cast

from setup_assistant import __version__
from setup_assistant.core import i18n
from setup_assistant.core.i18n import N_, _, human
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.visible_text import visible_lines

_log = logging.getLogger(__name__)
EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input or usage: exit 2 with this message."""


class _Parser(argparse.ArgumentParser):
    """argparse with the README's promise: a usage error is one line on stderr and exit 2 (no usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_USAGE,
            _("{prog}: {message} (see {prog} --help)").format(
                prog=self.prog, message=_one_line(_without_values(message))
            )
            + "\n",
        )


# argparse's own words, translated through this app's catalog. Never "unrecognized arguments" or "ambiguous
# option": _without_values() must recognise those in English to keep a mistyped option's value (a password?) out
# of the message; it words its own, translated, message instead.
_ARGPARSE_MESSAGES = frozenset(
    (
        N_("usage: "),
        N_("positional arguments"),
        N_("options"),
        N_("show this help message and exit"),
        N_("the following arguments are required: %s"),
        N_("argument %(argument_name)s: %(message)s"),
        N_("expected one argument"),
        N_("invalid choice: %(value)r (choose from %(choices)s)"),
        N_("invalid %(type)s value: %(value)r"),
        N_("not allowed with argument %s"),
        N_("one of the arguments %s is required"),
    )
)


def _argparse_gettext(message: str) -> str:
    return _(message) if message in _ARGPARSE_MESSAGES else message


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _printable(text: str) -> str:
    """A usage error stays one line whatever it quotes (a file name can hold a line break or an escape)."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


_UNRECOGNIZED = "unrecognized arguments: "


def _without_values(message: str) -> str:
    """argparse lists every unrecognised word, and the value after a mistyped option can be a secret
    (`--passwd hunter2`): name only the words that look like options."""
    if message.startswith("ambiguous option: "):  # "ambiguous option: --p=VALUE could match ..."
        return re.sub(r"^(ambiguous option: [^\s=]+)=\S*", r"\1", message)
    if not message.startswith(_UNRECOGNIZED):
        return message
    words = message[len(_UNRECOGNIZED) :].split()
    options = [w.split("=", 1)[0] for w in words if w.startswith("-")]
    values = len(words) - len([w for w in words if w.startswith("-")])
    shown = ", ".join(options)
    if values:
        shown += (_(" and ") if shown else "") + i18n.ngettext("{n} other word", "{n} other words", values).format(
            n=values
        )
    return _("unrecognized arguments: {words}").format(words=shown)


PASSWORD_ARGUMENT_REFUSED = N_(
    "a password is never taken from the command line (other users can see it in the process list and it stays "
    "in the shell's history); pipe it in with --password-stdin"
)


def refuse_password_arguments(argv: Sequence[str]) -> None:
    """Refuses `--password X`, `--password=X` and every abbreviation argparse would accept (`--pass X`), and
    a value given to --password-stdin, before argparse can echo the value back in an error."""
    for word in argv:
        if word == "--":
            return
        if not word.startswith("--pa"):
            continue
        name, has_value, _rest = word.partition("=")
        if "--password".startswith(name):
            raise UsageError(_(PASSWORD_ARGUMENT_REFUSED))
        if "--password-stdin".startswith(name) and has_value:
            raise UsageError(_("--password-stdin takes no value: {why}").format(why=_(PASSWORD_ARGUMENT_REFUSED)))


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number of seconds: {text}").format(text=repr(text))) from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(_("give a number of seconds between 0 and 600"))
    return value


def add_provider_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    # On a subcommand the default is SUPPRESS, so `setup-assistant --provider FILE probe ...` keeps FILE
    # instead of having the subcommand's own default overwrite it.
    parser.add_argument(
        "--provider",
        metavar="FILE",
        default=None if top_level else argparse.SUPPRESS,
        help=_("provider settings file (TOML); default: the shipped NPOMail settings"),
    )


def check_out_option(text: str | None) -> None:
    """`--out ''` is a mistake (an unset variable in a script), not "the current folder"."""
    if text is not None and not text.strip():
        raise UsageError(_("--out was given an empty name; name a file or folder (use . for this folder)"))


def output_folder(text: str) -> Path:
    """The --out folder, created if needed; a usage error (exit 2) when it cannot be."""
    check_out_option(text)
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise UsageError(_("{path}: exists and is not a folder").format(path=text))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot create the folder ({reason})").format(path=text, reason=human(os_reason(exc)))
        ) from None
    return path


def add_password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from the first line of standard input (never from an argument)"),
    )


def load_provider_or_usage(path: str | None) -> Any:
    from setup_assistant.core.provider import ProviderError, load_provider

    try:
        return load_provider(path)
    except ProviderError as exc:
        raise UsageError(human(exc)) from None


def parse_address_or_usage(text: str) -> Any:
    from setup_assistant.core.address import AddressError, parse_address

    try:
        return parse_address(text)
    except AddressError as exc:
        raise UsageError(f"{text!r}: {exc.human()}") from None


def read_password(args: argparse.Namespace, stdin: TextIO | None = None) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    stream = stdin or sys.stdin
    if stream is None:
        raise UsageError(_("--password-stdin was given but there is no standard input"))
    try:
        if stream.isatty():  # typed by a person: do not echo it on the screen
            import getpass

            line = getpass.getpass(_("Password: "), stream=sys.stderr)
        else:
            line = stream.readline()
    except (OSError, UnicodeDecodeError):
        raise UsageError(_("the password on standard input could not be read")) from None
    password = line.rstrip("\r\n")
    from setup_assistant.core import logs

    logs.hide_secret(password)
    if not password:
        raise UsageError(_("--password-stdin was given but standard input held no password"))
    return password


def status_word(status: Any) -> str:
    """An EndpointStatus or LoginStatus for a person: its code in English, a few words in Spanish."""
    from setup_assistant.core.model import status_words

    return human(status_words(status.value))


def progress_line(result: Any) -> str:
    """The line shown while a probe runs, as each port finishes: "  … IMAP host:993 (SSL/TLS): refused"."""
    return f"  … {result.endpoint.describe()}: {status_word(result.status)}"


def _probe_table(check: Any) -> str:
    rows = [(_("protocol"), _("port"), _("security"), _("status"), _("ms"), _("detail"))]
    for r in check.probe.endpoints:
        rows.append(
            (
                r.endpoint.protocol.label,
                str(r.endpoint.port),
                r.endpoint.security.label,
                status_word(r.status),
                str(r.elapsed_ms),
                human(r.detail),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row[:5], widths, strict=True)) + "  " + row[5] for row in rows]
    out = [
        _("{provider} servers for {address}:").format(provider=check.provider.name, address=check.address.address),
        *("  " + line for line in lines),
    ]
    certs = {r.certificate.sha256: r.certificate for r in check.probe.endpoints if r.certificate}
    for facts in certs.values():
        t = facts.trusted_by
        trust = ", ".join(
            f"{k}: {_('yes') if v else (_('unknown') if v is None else _('no'))}"
            for k, v in (("Mozilla", t.mozilla), (_("this computer"), t.os), (_("provider root"), t.provider_root))
        )
        out.append(
            "  "
            + _("certificate {subject} until {date} ({tls}); trusted by {trust}").format(
                subject=facts.subject, date=facts.not_after[:10], tls=facts.tls_version, trust=trust
            )
        )
    if check.logins:
        out.append(_("Logins:"))
        for login in check.logins:
            e = login.endpoint
            status, detail = status_word(login.status), human(login.detail)
            out.append(f"  {e.protocol.label} {e.port} ({e.security.label}): {status}: {detail}")
    rec = check.probe.recommended
    out.append(
        _("Recommended: {settings}").format(
            settings=", ".join(
                f"{p.label} {e.host}:{e.port} {e.security.label}"
                if (e := rec.get(p))
                else _("{protocol} none").format(protocol=p.label)
                for p in type(check.probe.endpoints[0].endpoint.protocol)
            )
        )
    )
    return "\n".join(out)


def unreachable(probe: Any) -> bool:
    """No port could even be reached (no network, server down, everything blocked): a network problem only."""
    from setup_assistant.core.model import EndpointStatus

    network = {EndpointStatus.DNS_ERROR, EndpointStatus.TIMEOUT, EndpointStatus.REFUSED, EndpointStatus.RESET}
    return not probe.cancelled and bool(probe.endpoints) and all(r.status in network for r in probe.endpoints)


def no_probe_hint(probe: Any, command: str) -> str | None:
    """When nothing answered: how to write the files anyway, for a computer on another network."""
    if not unreachable(probe):
        return None
    if command == "probe":
        return _(
            "To prepare the files anyway (for example for a computer on another network), use the provider's "
            "published settings, not tested: `setup-assistant profiles ADDRESS --out DIR --no-probe` "
            "(or `sheet ... --no-probe` for a settings sheet)."
        )
    return _(
        "To write them anyway with the provider's published settings (not tested), run the same `{command}` "
        "command again with --no-probe."
    ).format(command=command)


def cmd_probe(args: argparse.Namespace) -> int:
    from setup_assistant.core.probing.account_check import check_account

    provider = load_provider_or_usage(args.provider)
    address = parse_address_or_usage(args.email)
    password = read_password(args)
    cancel = threading.Event()

    def show(result: Any) -> None:
        if not args.json and not args.quiet:
            print(progress_line(result), file=sys.stderr, flush=True)

    try:
        check = check_account(
            provider, address, password, timeout=args.timeout, grace=args.grace, cancel=cancel, progress=show
        )
    except KeyboardInterrupt:
        cancel.set()
        print(_("Cancelled."), file=sys.stderr)
        return EXIT_PROBLEM
    if args.json:
        print(json.dumps(check.to_json(), indent=2, ensure_ascii=False))
    else:
        print(_probe_table(check))
        print(human(check.verdict()))
        hint = no_probe_hint(check.probe, "probe")
        if hint:
            print(hint)
    return EXIT_OK if check.ok else EXIT_PROBLEM


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="setup-assistant",
        description=_("Set up a mail program for NPOMail. Without a command, opens the setup wizard."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show the version and exit (with --verbose: what went into this copy: commit, Python, Qt, packages)"),
    )
    parser.add_argument(
        "--verbose", action="store_true", help=_("also print the log lines (what was tried and answered) on stderr")
    )
    parser.add_argument(  # taken off the command line before argparse (_split_lang); here for --help
        "--lang",
        metavar="LANG",
        help=_("the language of the output: en or es (anywhere on the line; default: the system's language)"),
    )
    add_provider_option(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    probe = sub.add_parser(
        "probe",
        help=_("check the servers (and the login) for an address"),
        description=_("Probe every server port in parallel, test the login and recommend settings."),
    )
    probe.add_argument("email", help=_("the full email address (it is also the username)"))
    add_provider_option(probe)
    add_password_option(probe)
    probe.add_argument(
        "--timeout", type=_positive_seconds, default=10.0, help=_("seconds per network step (default 10)")
    )
    probe.add_argument(
        "--grace",
        type=_positive_seconds,
        default=3.0,
        help=_(
            "seconds a silent preferred port gets once the fallback works (default 3); one that does not even "
            "answer the connection gets less: 1.2 s + 2 round trips of the fallback's connect"
        ),
    )
    probe.add_argument("--json", action="store_true", help=_("print one JSON object instead of a table"))
    probe.add_argument("--quiet", action="store_true", help=_("no progress lines on stderr"))
    probe.set_defaults(func=cmd_probe)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[Any], None]]:
    """Subcommands that live in their own modules (one module per idea)."""
    from setup_assistant.commands import register_all

    return [register_all]


def _no_display_reason() -> str | None:
    """Qt aborts the whole process without a display; say so in a sentence instead."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "the wizard needs a graphical desktop and none was found (no DISPLAY or WAYLAND_DISPLAY); "
        "use a command instead, e.g. `setup-assistant probe you@your-domain.org` (see --help)"
    )


def _run_gui(provider: str | None, language: str | None = None) -> int:
    reason = _no_display_reason()
    if reason:
        print(f"setup-assistant: {reason}", file=sys.stderr)
        return EXIT_USAGE
    from setup_assistant.gui.linux_libraries import missing_reason  # before Qt, whose own message misleads

    reason = missing_reason()
    if reason:
        print(f"setup-assistant: {reason}", file=sys.stderr)
        return EXIT_USAGE
    try:
        from setup_assistant.gui.app import run_wizard
    except ImportError as exc:
        print(_("setup-assistant: the wizard cannot start: {reason}").format(reason=exc), file=sys.stderr)
        return EXIT_USAGE
    return int(run_wizard(provider, language))


def _wizard_only(argv: Sequence[str]) -> tuple[bool, str | None]:
    """`setup-assistant` and `setup-assistant --provider FILE` open the wizard without loading any command."""
    args = list(argv)
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--provider" and not args[1].startswith("-"):
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--provider=") and len(args[0]) > len("--provider="):
        return True, args[0].split("=", 1)[1]
    return False, None


def _split_verbose(argv: Sequence[str]) -> tuple[list[str], bool]:
    """`--verbose` is global and may stand anywhere before `--`: it prints the log lines on stderr."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    verbose = "--verbose" in args[:end]
    return [a for i, a in enumerate(args) if not (i < end and a == "--verbose")], verbose


def _split_lang(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """`--lang es` / `--lang=es` is global and may stand anywhere before `--`, like --verbose; the last one wins.

    Returns the other words and the language asked for (None: the system's). Raises UsageError for a missing or
    unsupported language."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    rest: list[str] = []
    language: str | None = None
    i = 0
    while i < len(args):
        word = args[i]
        if i < end and (word == "--lang" or word.startswith("--lang=")):
            if word == "--lang":
                if i + 1 >= end:
                    raise UsageError(
                        _("--lang needs a language: {languages}").format(languages=", ".join(i18n.SUPPORTED))
                    )
                value, i = args[i + 1], i + 2
            else:
                value, i = word.split("=", 1)[1], i + 1
            language = i18n.normalize(value)
            if language is None:
                raise UsageError(
                    _("--lang {value}: not a language this assistant speaks (it speaks {languages})").format(
                        value=value, languages=", ".join(i18n.SUPPORTED)
                    )
                )
            continue
        rest.append(word)
        i += 1
    return rest, language


class _VisibleStream:
    """Standard output or error that shows control characters as escapes (`\u001b`), so that nothing a server
    chose (a certificate's subject, a greeting, an error) can drive the terminal. JSON stays exact: the same
    escape is a JSON escape of the same character."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.unescaped = stream  # for the assistant's own terminal drawing (a progress line's \r), never server text

    def write(self, text: str) -> int:
        self._stream.write(visible_lines(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _visible_output() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = cast(TextIO, _VisibleStream(sys.stdout))
    if sys.stderr is not None:
        sys.stderr = cast(TextIO, _VisibleStream(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str]) -> int:
    with _visible_output():
        return _main(argv)


def _main(argv: Sequence[str]) -> int:
    try:
        argv, language = _split_lang(argv)
    except UsageError as exc:
        i18n.set_language(None)
        print(f"setup-assistant: {_printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    i18n.set_language(language)  # None: the system's; the wizard reads current_language() too
    argv, verbose = _split_verbose(argv)
    if verbose and "--version" in argv:
        from setup_assistant.core.build_info import build_info, describe

        print(describe(build_info()))
        return EXIT_OK
    wizard, provider = _wizard_only(argv)
    if wizard:  # the quick path: the first page should not wait for the CLI's imports (the wizard starts its log)
        try:
            if provider and sys.stderr is not None:  # a console can show the error; the windowed exe cannot,
                load_provider_or_usage(provider)  # so there run_wizard shows it in a message box instead
            return _run_gui(provider, language)
        except UsageError as exc:
            print(f"setup-assistant: {_printable(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
    try:
        refuse_password_arguments(argv)
    except UsageError as exc:
        print(f"setup-assistant: {_printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    from setup_assistant.core import logs

    logs.start_logging(verbose=sys.stderr if verbose and sys.stderr is not None else None, program="cli")
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]  # argparse looks its words up at use
    parser = build_parser()
    args = parser.parse_args(list(argv))
    func: Command | None = getattr(args, "func", None)
    _log.info("command %s", args.command or "wizard")
    try:
        check_out_option(getattr(args, "out", None))
        if func is None:
            if args.provider:
                load_provider_or_usage(args.provider)
            return _run_gui(args.provider, language)
        code = int(func(args))
        _log.info("command %s finished with exit code %d", args.command, code)
        return code
    except UsageError as exc:
        _log.info("usage error: %s", _printable(str(exc)))
        print(f"setup-assistant: {_printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _log.info("cancelled")
        print(_("setup-assistant: cancelled"), file=sys.stderr)
        return EXIT_PROBLEM
    except BrokenPipeError:
        return EXIT_PROBLEM
    except Exception as exc:  # a defect: one human line for the person, the traceback for the help desk
        logs.log_exception(_log, f"command {args.command} failed unexpectedly", exc)
        print(
            _(
                "setup-assistant: something went wrong inside the assistant ({error}); the details are in the log: "
                "{log}"
            ).format(error=type(exc).__name__, log=logs.log_file()),
            file=sys.stderr,
        )
        return EXIT_PROBLEM

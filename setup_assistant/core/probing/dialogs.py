"""The few protocol exchanges the engine needs from IMAP, POP3 and SMTP submission.

Each dialog reads the greeting, lists capabilities, asks for STARTTLS and logs in with the full
address, using only PLAIN/LOGIN/USER-PASS inside TLS: "secure password authentication" (CRAM-MD5,
NTLM, ...) stays off, as the guide says.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
from dataclasses import dataclass

from setup_assistant.core.i18n import Message
from setup_assistant.core.model import LoginStatus, MailProtocol
from setup_assistant.core.probing.connection import LineConnection, NetError


class ProtocolError(NetError):
    pass


def _bad(message: Message) -> ProtocolError:
    return ProtocolError("bad-greeting", message)


def _shorten(text: str, limit: int = 120) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class LoginOutcome:
    status: LoginStatus
    detail: Message


# After an authentication command only the server's status is kept, never its free text: a server may echo
# the password back (whole, cut short, upper-cased or escaped), and no scrubbing can catch every form.
# Response codes are kept only from these fixed registries, so no text of the server's choosing gets through.
_IMAP_CODES = frozenset(
    [
        "ALERT",
        "AUTHENTICATIONFAILED",
        "AUTHORIZATIONFAILED",
        "CANNOT",
        "CLIENTBUG",
        "CONTACTADMIN",
        "CORRUPTION",
        "EXPIRED",
        "INUSE",
        "LIMIT",
        "NOPERM",
        "OVERQUOTA",
        "PRIVACYREQUIRED",
        "SERVERBUG",
        "UNAVAILABLE",
    ]
)  # RFC 5530 and RFC 3501
_POP3_CODES = frozenset(("AUTH", "SYS/TEMP", "SYS/PERM", "IN-USE", "LOGIN-DELAY"))  # RFC 2449, RFC 3206


def _known_code(text: str, known: frozenset[str]) -> str:
    """The response code a reply starts with ("[AUTHENTICATIONFAILED]"), if it is a registered one; else ""."""
    if not text.startswith("["):
        return ""
    code = text[1:].split("]", 1)[0].split(" ", 1)[0].upper()
    return f" [{code}]" if code in known else ""


def _smtp_status(code: int, lines: list[str]) -> str:
    """The reply code and, if the server gave one, the enhanced status code (RFC 3463): digits only."""
    first = lines[0].split(" ", 1)[0] if lines else ""
    parts = first.split(".")
    enhanced = len(parts) == 3 and parts[0] in ("2", "4", "5") and all(p.isdigit() and len(p) <= 3 for p in parts)
    return f"{code} {first}" if enhanced else str(code)


def _said(code: int, lines: list[str]) -> str:
    """An SMTP reply as the server worded it, shortened: "554 5.7.1 not today"."""
    return str(code) + " " + _shorten(" ".join(lines))


MAX_REPLY_LINES = 500  # no real server needs more for a greeting, capabilities or a login reply
LOGIN_REPLY_ALLOWANCE = 20.0  # Dovecot delays replies after failed logins (up to 15 s)


class Dialog:
    protocol: MailProtocol

    def __init__(self, conn: LineConnection) -> None:
        self.conn = conn
        self.capabilities: list[str] = []
        self.authenticating = False  # from the first credential sent on, no server text is quoted

    def greet(self) -> str:
        raise NotImplementedError

    def fetch_capabilities(self) -> list[str]:
        raise NotImplementedError

    def offers_starttls(self) -> bool:
        raise NotImplementedError

    def starttls(self) -> None:
        raise NotImplementedError

    def login(self, username: str, password: str) -> LoginOutcome:
        raise NotImplementedError

    def quit(self) -> None:
        raise NotImplementedError

    def _send_secret(self, line: str) -> None:
        self.authenticating = True
        self.conn.send_line(line, secret=True)
        self.conn.deadline.extend(LOGIN_REPLY_ALLOWANCE)


def _plain_token(username: str, password: str) -> str:
    return base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")


class ImapDialog(Dialog):
    protocol = MailProtocol.IMAP

    def __init__(self, conn: LineConnection) -> None:
        super().__init__(conn)
        self._tags = (f"sa{i}" for i in itertools.count(1))

    def greet(self) -> str:
        line = self.conn.read_line(Message("waiting for the IMAP greeting"))
        upper = line.upper()
        if upper.startswith("* OK") or upper.startswith("* PREAUTH"):
            self._parse_caps_code(line)
            return line
        if upper.startswith("* BYE"):
            raise _bad(Message("the server said goodbye instead of greeting: {reply}", reply=_shorten(line)))
        raise _bad(Message("this does not look like an IMAP server (it said: {reply})", reply=repr(_shorten(line))))

    def _parse_caps_code(self, line: str) -> None:
        upper = line.upper()
        start = upper.find("[CAPABILITY ")
        if start >= 0:
            end = upper.find("]", start)
            if end > start:
                self.capabilities = line[start + 12 : end].split()

    def _command(self, command: str, what: Message, *, secret: bool = False) -> tuple[str, str, list[str]]:
        tag = next(self._tags)
        if secret:
            self._send_secret(f"{tag} {command}")
        else:
            self.conn.send_line(f"{tag} {command}")
        untagged: list[str] = []
        for _ in range(MAX_REPLY_LINES):
            line = self.conn.read_line(what)
            if line.startswith(f"{tag} "):
                rest = line[len(tag) + 1 :]
                status, _, text = rest.partition(" ")
                return status.upper(), text, untagged
            if line.startswith("+"):
                raise _bad(Message("unexpected continuation while {what}", what=what))
            untagged.append(line)
        raise _bad(Message("the server sent an endless reply while {what}", what=what))

    def fetch_capabilities(self) -> list[str]:
        status, text, untagged = self._command("CAPABILITY", Message("asking for the IMAP capabilities"))
        if status != "OK":
            raise _bad(Message("the server refused CAPABILITY: {reply}", reply=_shorten(text)))
        caps: list[str] = []
        for line in untagged:
            if line.upper().startswith("* CAPABILITY "):
                caps.extend(line[13:].split())
        self.capabilities = caps
        return caps

    def _has(self, cap: str) -> bool:
        return cap.upper() in (c.upper() for c in self.capabilities)

    def offers_starttls(self) -> bool:
        return self._has("STARTTLS")

    def starttls(self) -> None:
        status, text, _ = self._command("STARTTLS", Message("asking for STARTTLS"))
        if status != "OK":
            raise NetError("no-starttls", Message("the server refused STARTTLS: {reply}", reply=_shorten(text)))

    def login(self, username: str, password: str) -> LoginOutcome:
        if self._has("AUTH=PLAIN"):
            token = _plain_token(username, password)
            if self._has("SASL-IR"):
                status, text, _ = self._command(f"AUTHENTICATE PLAIN {token}", Message("logging in"), secret=True)
            else:
                tag = next(self._tags)
                self.conn.send_line(f"{tag} AUTHENTICATE PLAIN")
                sent = False
                for _ in range(MAX_REPLY_LINES):
                    line = self.conn.read_line(Message("logging in"))
                    if line.startswith(f"{tag} "):  # only the tagged line is the verdict
                        return self._outcome_from(line[len(tag) + 1 :])
                    if line.startswith("+"):
                        if sent:
                            raise _bad(Message("the server asked twice for the login data"))
                        self._send_secret(token)
                        sent = True
                    # untagged lines (* OK [ALERT] ..., * CAPABILITY ...) are information only
                raise _bad(Message("the server sent an endless reply while {what}", what=Message("logging in")))
            return self._outcome(status, text)
        if self._has("LOGINDISABLED"):
            return LoginOutcome(LoginStatus.ERROR, Message("the server allows no password login it supports here"))
        unsayable = _not_for_imap_login(username, password)
        if unsayable:
            return LoginOutcome(LoginStatus.ERROR, unsayable)
        status, text, _ = self._command(
            f"LOGIN {_quote(username)} {_quote(password)}", Message("logging in"), secret=True
        )
        return self._outcome(status, text)

    def _outcome_from(self, rest: str) -> LoginOutcome:
        status, _, text = rest.partition(" ")
        return self._outcome(status.upper(), text)

    @staticmethod
    def _outcome(status: str, text: str) -> LoginOutcome:
        if status == "OK":
            return LoginOutcome(LoginStatus.OK, Message("logged in"))
        shown = (status + _known_code(text, _IMAP_CODES)) if status in ("NO", "BAD") else Message("an unexpected reply")
        upper = text.upper()
        if status == "NO" and not any(
            code in upper for code in ("[UNAVAILABLE]", "[SERVERBUG]", "[INUSE]", "[LIMIT]", "[CONTACTADMIN]")
        ):
            return _rejected(shown)
        return _not_now(shown)

    def quit(self) -> None:
        with contextlib.suppress(NetError):
            self._command("LOGOUT", Message("logging out"))


def _rejected(shown: str) -> LoginOutcome:
    """The server said no to the address or password; `shown` is its status code (or "an unexpected reply")."""
    return LoginOutcome(
        LoginStatus.REJECTED, Message("the server rejected the address or password ({reply})", reply=shown)
    )


def _not_now(shown: str) -> LoginOutcome:
    return LoginOutcome(LoginStatus.ERROR, Message("the server could not log in right now ({reply})", reply=shown))


def _not_for_imap_login(username: str, password: str) -> Message | None:
    """Why IMAP LOGIN (quoted strings are 7-bit text) cannot carry this username or password; None if it can.

    It names the part at fault: an internationalised address is not the password's fault."""

    def unsayable(text: str) -> bool:
        return any(ord(c) < 32 or ord(c) > 126 for c in text)

    if unsayable(username):
        return Message(
            "the server offers only IMAP LOGIN here, which cannot carry the non-ASCII characters of this "
            "address (the username); the server may not accept non-ASCII usernames: ask the provider which "
            "form of the address to use"
        )
    if unsayable(password):
        return Message("the server offers only IMAP LOGIN here, which cannot carry some of this password's characters")
    return None


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Pop3Dialog(Dialog):
    protocol = MailProtocol.POP3

    def greet(self) -> str:
        line = self.conn.read_line(Message("waiting for the POP3 greeting"))
        if line.startswith("+OK"):
            return line
        if line.startswith("-ERR"):
            raise _bad(Message("the server refused the session: {reply}", reply=_shorten(line)))
        raise _bad(Message("this does not look like a POP3 server (it said: {reply})", reply=repr(_shorten(line))))

    def fetch_capabilities(self) -> list[str]:
        self.conn.send_line("CAPA")
        line = self.conn.read_line(Message("asking for the POP3 capabilities"))
        if not line.startswith("+OK"):
            self.capabilities = []
            return []
        caps: list[str] = []
        while True:
            line = self.conn.read_line(Message("reading the POP3 capabilities"))
            if line == ".":
                break
            caps.append(line)
            if len(caps) > MAX_REPLY_LINES:
                raise _bad(Message("the server sent an endless capability list"))
        self.capabilities = caps
        return caps

    def _words(self) -> set[str]:
        return {c.split()[0].upper() for c in self.capabilities if c.split()}

    def offers_starttls(self) -> bool:
        return "STLS" in self._words()

    def starttls(self) -> None:
        self.conn.send_line("STLS")
        line = self.conn.read_line(Message("asking for STARTTLS (STLS)"))
        if not line.startswith("+OK"):
            raise NetError("no-starttls", Message("the server refused STLS: {reply}", reply=_shorten(line)))

    def login(self, username: str, password: str) -> LoginOutcome:
        sasl = next((c.upper().split()[1:] for c in self.capabilities if c.upper().startswith("SASL ")), [])
        if "USER" in self._words() or not self.capabilities or "PLAIN" not in sasl:
            if "\r" in username + password or "\n" in username + password:
                return LoginOutcome(LoginStatus.ERROR, Message("the password contains a line break"))
            self.conn.send_line(f"USER {username}")
            line = self.conn.read_line(Message("sending the username"))
            if not line.startswith("+OK"):
                return self._outcome(line)
            self._send_secret(f"PASS {password}")
            return self._outcome(self.conn.read_line(Message("logging in")))
        self._send_secret(f"AUTH PLAIN {_plain_token(username, password)}")
        return self._outcome(self.conn.read_line(Message("logging in")))

    @staticmethod
    def _outcome(line: str) -> LoginOutcome:
        if line.startswith("+OK"):
            return LoginOutcome(LoginStatus.OK, Message("logged in"))
        shown = (
            ("-ERR" + _known_code(line[5:], _POP3_CODES)) if line.startswith("-ERR") else Message("an unexpected reply")
        )
        upper = line.upper()
        if line.startswith("-ERR") and not any(code in upper for code in ("[SYS/", "[IN-USE]")):
            return _rejected(shown)
        return _not_now(shown)

    def quit(self) -> None:
        try:
            self.conn.send_line("QUIT")
            self.conn.read_line(Message("logging out"))
        except NetError:
            pass


class SmtpDialog(Dialog):
    protocol = MailProtocol.SMTP
    helo_name = "[127.0.0.1]"

    def _reply(self, what: Message) -> tuple[int, list[str]]:
        lines: list[str] = []
        while True:
            line = self.conn.read_line(what)
            if len(line) < 3 or not line[:3].isdigit() or (len(line) > 3 and line[3] not in " -"):
                if self.authenticating:  # its text may echo what was just sent: never shown
                    raise _bad(Message("the server's reply could not be understood while {what}", what=what))
                raise _bad(
                    Message("this does not look like an SMTP server (it said: {reply})", reply=repr(_shorten(line)))
                )
            lines.append(line[4:])
            if len(line) == 3 or line[3] == " ":
                return int(line[:3]), lines
            if len(lines) > MAX_REPLY_LINES:
                raise _bad(Message("the server sent an endless reply"))

    def greet(self) -> str:
        code, lines = self._reply(Message("waiting for the SMTP greeting"))
        if code != 220:
            raise _bad(Message("the server refused the session ({reply})", reply=_said(code, lines)))
        try:
            local = self.conn.sock.getsockname()[0]
            self.helo_name = f"[IPv6:{local}]" if ":" in local else f"[{local}]"
        except OSError:
            pass
        return " ".join(lines)

    def fetch_capabilities(self) -> list[str]:
        self.conn.send_line(f"EHLO {self.helo_name}")
        code, lines = self._reply(Message("saying EHLO"))
        if code != 250:
            raise _bad(Message("the server refused EHLO ({reply})", reply=_said(code, lines)))
        self.capabilities = lines[1:]
        return self.capabilities

    def _words(self) -> set[str]:
        return {c.split()[0].upper() for c in self.capabilities if c.split()}

    def offers_starttls(self) -> bool:
        return "STARTTLS" in self._words()

    def _auth_mechanisms(self) -> set[str]:
        mechs: set[str] = set()
        for cap in self.capabilities:
            words = cap.replace("=", " ").upper().split()
            if words and words[0] == "AUTH":
                mechs.update(words[1:])
        return mechs

    def starttls(self) -> None:
        self.conn.send_line("STARTTLS")
        code, lines = self._reply(Message("asking for STARTTLS"))
        if code != 220:
            raise NetError(
                "no-starttls",
                Message("the server refused STARTTLS ({reply})", reply=_said(code, lines)),
            )

    def login(self, username: str, password: str) -> LoginOutcome:
        mechs = self._auth_mechanisms()
        if "PLAIN" in mechs:
            self._send_secret(f"AUTH PLAIN {_plain_token(username, password)}")
            code, lines = self._reply(Message("logging in"))
        elif "LOGIN" in mechs:
            self.conn.send_line("AUTH LOGIN")
            code, lines = self._reply(Message("starting the login"))
            if code == 334:
                self._send_secret(base64.b64encode(username.encode()).decode())
                code, lines = self._reply(Message("sending the username"))
                if code == 334:
                    self._send_secret(base64.b64encode(password.encode()).decode())
                    code, lines = self._reply(Message("logging in"))
        else:
            return LoginOutcome(
                LoginStatus.ERROR,
                Message(
                    "the server offers no plain password login inside TLS (AUTH PLAIN or LOGIN); "
                    "secure password authentication stays off"
                ),
            )
        shown = _smtp_status(code, lines)
        if code == 235:
            return LoginOutcome(LoginStatus.OK, Message("logged in"))
        if code in (535, 534, 530):
            return _rejected(shown)
        return _not_now(shown)

    def quit(self) -> None:
        try:
            self.conn.send_line("QUIT")
            self._reply(Message("logging out"))
        except NetError:
            pass


DIALOGS: dict[MailProtocol, type[Dialog]] = {
    MailProtocol.IMAP: ImapDialog,
    MailProtocol.POP3: Pop3Dialog,
    MailProtocol.SMTP: SmtpDialog,
}

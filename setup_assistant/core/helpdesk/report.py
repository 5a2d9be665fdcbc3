"""The help-desk diagnostic report: everything a volunteer needs to see about one address, in one HTML file to
attach to a ticket and the same data as JSON.

It holds the date, app version, operating system, the DNS checks, every endpoint with its status and
certificate, the logins, the trust status of the provider's root and the profiles this app wrote on this
computer. It never holds the password: the data is built without it, and any server text that echoed it
back is masked before anything is kept. `redact` masks the address (j***@example.org) everywhere,
file paths included. The HTML is rendered from the JSON data, so both always say the same.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import dns.resolver

from setup_assistant import __version__
from setup_assistant.core import history, logs
from setup_assistant.core.address import EmailAddress
from setup_assistant.core.atomic import write_text_atomic
from setup_assistant.core.build_info import build_info
from setup_assistant.core.helpdesk.dns_checks import DEFAULT_DNS_TIMEOUT, check_dns
from setup_assistant.core.html_page import Cell, HtmlPage
from setup_assistant.core.i18n import Message, _
from setup_assistant.core.probing.account_check import AccountCheck, check_account
from setup_assistant.core.probing.probe import DEFAULT_GRACE, DEFAULT_TIMEOUT, ProgressCallback
from setup_assistant.core.profile_files import safe_file_stem
from setup_assistant.core.provider import Provider, ProviderError
from setup_assistant.core.trust import Plan, plan_places, server_trust, trust_status

PASSWORD_MASK = "********"
TITLE = "NPOMail Setup Assistant diagnostic report"
LOG_LINES = 300  # this run's log: what was tried and answered, for the help desk

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10pt;
       max-width: 64em; margin: 1.5em auto; padding: 0 1em; line-height: 1.4; color: #1d1d1f; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; }
th, td { text-align: left; padding: 0.25em 0.6em; border: 1px solid #d0d7dc; vertical-align: top; }
th { background: #f2f5f7; font-weight: 600; }
td { overflow-wrap: anywhere; }
.ok { color: #176b2c; font-weight: 600; } .bad { color: #b00020; font-weight: 600; }
.warn { color: #8a5a00; font-weight: 600; } .muted { color: #56646c; }
.verdict { border-left: 4px solid #56646c; background: #f4f6f8; padding: 0.5em 1em; }
.verdict.ok { border-color: #176b2c; background: #eef8f0; } .verdict.bad { border-color: #b00020; background: #fdecee; }
@media print { body { margin: 0; max-width: none; } }
"""


@dataclass(frozen=True)
class DiagnosticReport:
    """One report, as plain data (already free of the password); rendered on demand, redacted or not."""

    address: EmailAddress
    ok: bool  # as `probe`: a secure setup exists and, with a password, the logins work
    verdict: str
    data: dict[str, Any]

    def to_json(self, *, redact: bool = False) -> dict[str, Any]:
        data = _copy(self.data)
        data["redacted"] = redact
        return redact_data(data, self.address) if redact else data

    def json_text(self, *, redact: bool = False) -> str:
        return json.dumps(self.to_json(redact=redact), indent=2, ensure_ascii=False) + "\n"

    def to_html(self, *, redact: bool = False) -> bytes:
        return render_html(self.to_json(redact=redact))


def build_report(
    provider: Provider,
    address: EmailAddress,
    password: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    grace: float = DEFAULT_GRACE,
    dns_timeout: float = DEFAULT_DNS_TIMEOUT,
    resolver: dns.resolver.Resolver | None = None,
    trust_plan: Plan | None = None,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    now: dt.datetime | None = None,
) -> DiagnosticReport:
    """Runs the DNS checks and the account check side by side, then reads the trust status and the history.

    `trust_plan` replaces the search of this computer's certificate stores, for tests. Never
    raises for what it finds: a part that cannot be checked says so in the report.
    """
    generated = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="report") as pool:
        dns_future = pool.submit(_dns_section, address, provider, resolver, dns_timeout, cancel)
        check = check_account(
            provider, address, password, timeout=timeout, grace=grace, cancel=cancel, progress=progress
        )
        dns_data = dns_future.result()
    return _assemble(provider, address, check, dns_data, trust_plan, generated, password)


def report_from_check(
    check: AccountCheck,
    *,
    dns_timeout: float = DEFAULT_DNS_TIMEOUT,
    resolver: dns.resolver.Resolver | None = None,
    trust_plan: Plan | None = None,
    cancel: threading.Event | None = None,
    now: dt.datetime | None = None,
) -> DiagnosticReport:
    """The same report for a check that has already run (the wizard's): only DNS and trust are looked up."""
    generated = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    dns_data = _dns_section(check.address, check.provider, resolver, dns_timeout, cancel)
    return _assemble(check.provider, check.address, check, dns_data, trust_plan, generated, None)


def _assemble(
    provider: Provider,
    address: EmailAddress,
    check: AccountCheck,
    dns_data: dict[str, Any],
    trust_plan: Plan | None,
    generated: dt.datetime,
    password: str | None,
) -> DiagnosticReport:
    account = check.to_json()
    data: dict[str, Any] = {
        "report": TITLE,
        "generated_at": generated.isoformat().replace("+00:00", "Z"),
        "app_version": __version__,
        "os": os_facts(),
        "email": address.address,
        "redacted": False,
        "provider": account["provider"],
        "password_given": check.password_given,
        "ok": check.ok,
        "verdict": check.verdict(),
        "dns": dns_data,
        "servers": {
            "cancelled": check.probe.cancelled,
            "elapsed_ms": check.probe.elapsed_ms,
            "endpoints": account["endpoints"],
            "recommended": account["recommended"],
        },
        "logins": account["logins"],
        "trust": _trust_section(provider, check, trust_plan),
        "profiles_written": [asdict(entry) for entry in history.written_for(address.address)],
        "build": build_info(),
        "log": logs.run_lines(limit=LOG_LINES),
        "mail_accounts": mail_accounts(check),
    }
    if password:
        # Only server text can echo the password, and it only reaches the login details; check_login has
        # scrubbed them already, this is a second guard that leaves the rest of the report untouched.
        data["logins"] = _mask(data["logins"], [re.compile(re.escape(password))], PASSWORD_MASK)
    return DiagnosticReport(address, check.ok, check.verdict(), data)


def os_facts() -> dict[str, str]:
    """What a volunteer asks first: which system and version (no host or user name)."""
    system = platform.system() or "unknown"
    release = platform.release()
    if system == "Darwin":
        mac = platform.mac_ver()[0]
        shown = f"macOS {mac}" if mac else f"Darwin {release}"
    elif system == "Windows":
        version = platform.version()
        shown = f"Windows {release} ({version})" if version else f"Windows {release}"
    elif system == "Linux":
        try:
            pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            pretty = ""
        shown = f"{pretty or 'Linux'} (kernel {release})"
    else:
        shown = f"{system} {release}".strip()
    return {
        "description": f"{shown}, {platform.machine() or 'unknown machine'}",
        "system": system,
        "release": release,
        "version": platform.version(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }


def _dns_section(
    address: EmailAddress,
    provider: Provider,
    resolver: dns.resolver.Resolver | None,
    timeout: float,
    cancel: threading.Event | None,
) -> dict[str, Any]:
    try:
        return check_dns(address, provider, resolver=resolver, timeout=timeout, cancel=cancel).to_json()
    except ProviderError as exc:
        return {"error": f"The DNS checks could not run: {exc}"}


def _trust_section(provider: Provider, check: AccountCheck, plan: Plan | None) -> dict[str, Any]:
    if provider.root is None:
        return {"error": "The provider file names no root certificate ([trust]), so there is nothing to check."}
    try:
        if plan is None:
            plan = plan_places(provider)
        return trust_status(provider, plan, server_trust(check.probe)).to_json()
    except Exception as exc:  # one unreadable certificate store must not cost the whole report
        return {"error": f"The trust status could not be read: {exc or type(exc).__name__}"}


def mail_accounts(check: AccountCheck) -> dict[str, Any]:
    """Every account this computer's mail programs hold for the address, and what is wrong with each (see
    clients/doctor.py), judged against this check's probe. Read only; a program that cannot be read says so."""
    from setup_assistant.core.account import settings_from_probe
    from setup_assistant.core.clients import doctor

    try:
        settings = settings_from_probe(check.provider, check.address, check.probe.endpoints)
        return doctor.examine(settings).to_json()
    except Exception as exc:  # a mail program's unreadable settings must not cost the whole report
        return {"ok": False, "accounts": [], "errors": [f"The mail programs could not be read: {exc}"]}


# --- Redaction -----------------------------------------------------------------------------------------


def mask_address(address: EmailAddress) -> str:
    """j***@example.org: enough for a volunteer to recognise, not enough to write to."""
    return f"{address.local[:1]}***@{address.domain}"


def redact_data(data: dict[str, Any], address: EmailAddress) -> dict[str, Any]:
    """The same data with every form of the address (also inside paths and file names) masked."""
    masked = mask_address(address)
    forms = {address.address, address.ascii_address, safe_file_stem(address.address)}
    patterns = [re.compile(re.escape(form), re.IGNORECASE) for form in sorted(forms, key=len, reverse=True)]
    result: dict[str, Any] = _mask(data, patterns, masked)
    if "mail_accounts" in result:  # findings also quote the short username ("jane.doe" instead of the address)
        local = re.compile(r"(?<![\w.+-])" + re.escape(address.local) + r"(?![\w.+-])", re.IGNORECASE)
        result["mail_accounts"] = _mask(result["mail_accounts"], [local], masked.split("@")[0])
    # Paths also carry the computer's user name (/home/jane, C:\Users\jane): show the home folder as ~.
    home = str(Path.home())
    if len(home) > 1:
        result = _mask(result, [re.compile(re.escape(home) + r"(?=[\\/]|$)", re.IGNORECASE)], "~")
    return result


def _mask(value: Any, patterns: list[re.Pattern[str]], replacement: str) -> Any:
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(lambda _match: replacement, value)
        return value
    if isinstance(value, dict):
        return {key: _mask(item, patterns, replacement) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item, patterns, replacement) for item in value]
    return value


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(data))
    return copied


# --- Files ---------------------------------------------------------------------------------------------


def report_paths(out: Path) -> tuple[Path, Path]:
    """report.html -> (report.html, report.json): the JSON always sits beside the HTML."""
    if out.suffix.lower() == ".json":
        raise ValueError(
            Message("{out}: name the HTML file (like report.html); the JSON is written beside it", out=out)
        )
    return out, out.with_suffix(".json")


def write_report(report: DiagnosticReport, out: Path, *, redact: bool = False) -> tuple[Path, Path]:
    """Writes both files whole (temp file, then rename); returns (html, json)."""
    html_path, json_path = report_paths(out)
    write_text_atomic(json_path, report.json_text(redact=redact))
    write_text_atomic(html_path, report.to_html(redact=redact).decode("utf-8"))
    return html_path, json_path


# --- HTML ----------------------------------------------------------------------------------------------


def render_html(data: dict[str, Any]) -> bytes:
    """The report's JSON data as one self-contained page (inline CSS, nothing loaded from elsewhere)."""
    email = str(data.get("email", ""))
    # The headings follow the person's language; the body (data, details, log) stays English for the help desk.
    page = HtmlPage(
        _("Diagnostic report: {email}").format(email=email),
        _CSS,
        heading=_("Diagnostic report for {email}").format(email=email),
    )
    ok = bool(data.get("ok"))
    page.paragraph(
        ("strong", "Works. " if ok else "Needs attention. "), str(data.get("verdict", "")), css=f"verdict {_ok(ok)}"
    )
    provider = data.get("provider") or {}
    os_info = data.get("os") or {}
    page.key_values(
        [
            (_("Made"), f"{data.get('generated_at', '')} (UTC)"),
            (_("App version"), str(data.get("app_version", ""))),
            (_("Operating system"), str(os_info.get("description", ""))),
            ("Python", str(os_info.get("python", ""))),
            (_("Email address"), email + (" (masked)" if data.get("redacted") else "")),
            (_("Provider"), f"{provider.get('name', '')} ({provider.get('file', '')})"),
            (_("Logins tested"), _logins_tested(data)),
        ]
    )
    _dns_html(page, data.get("dns") or {})
    _servers_html(page, data.get("servers") or {})
    _logins_html(page, data.get("logins") or [], bool(data.get("password_given")))
    _trust_html(page, data.get("trust") or {})
    _profiles_html(page, data.get("profiles_written") or [])
    _build_html(page, data.get("build") or {})
    _log_html(page, data.get("log") or [])
    _accounts_html(page, data.get("mail_accounts") or {})
    page.paragraph(f"{TITLE}. It never contains the password.", css="muted")
    return page.render()


def _ok(value: bool | None) -> str:
    return "muted" if value is None else ("ok" if value else "bad")


def _status(status: str, good: tuple[str, ...] = ("ok",), soft: tuple[str, ...] = ()) -> Cell:
    css = "ok" if status in good else ("warn" if status in soft else "bad")
    return (status, css)


def _security(endpoint: dict[str, Any]) -> str:
    return "SSL/TLS" if endpoint.get("security") == "ssl" else "STARTTLS"


def _yes_no(value: Any) -> Cell:
    if value is None:
        return ("unknown", "muted")
    return ("yes", "ok") if value else ("no", "bad")


def _dns_html(page: HtmlPage, dns_data: dict[str, Any]) -> None:
    page.heading(_("DNS"))
    if "error" in dns_data:
        page.paragraph(str(dns_data["error"]), css="bad")
        return
    asked = ", ".join(dns_data.get("nameservers") or []) or "no DNS server (none configured)"
    page.paragraph(str(dns_data.get("verdict", "")), css=f"verdict {_ok(bool(dns_data.get('ok')))}")
    page.paragraph(f"Asked: {asked}; at most {dns_data.get('timeout_seconds', '')} seconds per lookup.", css="muted")
    rows: list[list[Cell]] = [
        [
            str(c.get("label", "")),
            f"{c.get('name', '')} ({c.get('type', '')})",
            _status(str(c.get("status", "")), soft=("absent",)),
            ", ".join(c.get("records") or []) or "—",
            str(c.get("detail", "")),
        ]
        for c in dns_data.get("checks") or []
    ]
    page.grid([_("Check"), _("Looked up"), _("Status"), _("Records"), _("Detail")], rows)
    warnings = dns_data.get("warnings") or []
    if warnings:
        page.heading(_("DNS warnings"), 3)
        page.bullets([[str(w)] for w in warnings])


def _servers_html(page: HtmlPage, servers: dict[str, Any]) -> None:
    page.heading(_("Servers"))
    if servers.get("cancelled"):
        page.paragraph("The check was cancelled before it finished.", css="warn")
    endpoints = servers.get("endpoints") or []
    rows: list[list[Cell]] = [
        [
            str(e.get("protocol", "")).upper(),
            f"{e.get('host', '')}:{e.get('port', '')}",
            _security(e),
            _status(str(e.get("status", ""))),
            str(e.get("elapsed_ms", "")),
            str(e.get("detail", "")),
        ]
        for e in endpoints
    ]
    page.grid([_("Protocol"), _("Server"), _("Security"), _("Status"), _("ms"), _("Detail")], rows)
    recommended = servers.get("recommended") or {}
    shown = []
    for key in ("imap", "pop3", "smtp"):
        endpoint = recommended.get(key)
        text = f"{endpoint['host']}:{endpoint['port']} ({_security(endpoint)})" if endpoint else "nothing secure"
        shown.append((f"Recommended {key.upper()}", text))
    page.key_values(shown)
    certificates: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for e in endpoints:
        cert = e.get("certificate")
        if cert:
            seen = certificates.setdefault(str(cert.get("sha256", "")), (cert, []))
            seen[1].append(f"{str(e.get('protocol', '')).upper()} {e.get('port', '')}")
    for index, (cert, ports) in enumerate(certificates.values(), 1):
        page.heading(_("Certificate {index}: {subject}").format(index=index, subject=cert.get("subject", "")), 3)
        trusted = cert.get("trusted_by") or {}
        page.key_values(
            [
                ("Seen on", ", ".join(ports)),
                ("Subject", str(cert.get("subject", ""))),
                ("Issuer", str(cert.get("issuer", ""))),
                ("Valid", f"{cert.get('not_before', '')} to {cert.get('not_after', '')}"),
                ("Names", ", ".join(cert.get("names") or [])),
                ("SHA-256", str(cert.get("sha256", ""))),
                ("TLS version", str(cert.get("tls_version", ""))),
                ("Trusted by Mozilla's roots", _yes_no(trusted.get("mozilla"))),
                ("Trusted by this computer", _yes_no(trusted.get("os"))),
                ("Leads to the provider's pinned root", _yes_no(trusted.get("provider_root"))),
            ]
        )


def _logins_tested(data: dict[str, Any]) -> str:
    """ "yes" only when a login was really tried: a password alone proves nothing if no server was reached."""
    if data.get("logins"):
        return _("yes")
    if data.get("password_given"):
        return _("no (nothing secure could be reached to try the password)")
    return _("no (no password given)")


def _logins_html(page: HtmlPage, logins: list[dict[str, Any]], tested: bool) -> None:
    page.heading(_("Logins"))
    if not logins:
        why = "no login could be tried (nothing secure worked)" if tested else "not tested: no password was given"
        page.paragraph(why.capitalize() + ".", css="muted")
        return
    rows: list[list[Cell]] = [
        [
            str(r.get("protocol", "")).upper(),
            f"{r.get('host', '')}:{r.get('port', '')}",
            _status(str(r.get("status", ""))),
            str(r.get("detail", "")),
        ]
        for r in logins
    ]
    page.grid([_("Protocol"), _("Server"), _("Status"), _("Detail")], rows)


def _trust_html(page: HtmlPage, trust: dict[str, Any]) -> None:
    page.heading(_("Trust in the provider's root certificate"))
    if "error" in trust:
        page.paragraph(str(trust["error"]), css="muted")
        return
    page.paragraph(str(trust.get("summary", "")), css=f"verdict {_ok(bool(trust.get('ok')))}")
    root = trust.get("root") or {}
    server = trust.get("server") or {}
    page.key_values(
        [
            ("Root certificate", str(root.get("subject", ""))),
            ("SHA-256", str(root.get("sha256", ""))),
            ("Server", str(server.get("detail", "not checked"))),
        ]
    )
    needed = {"needed": "yes", "not-needed": "no", "other-root": "no (other root)", "unchecked": "assumed"}
    rows: list[list[Cell]] = [
        [
            str(p.get("label", "")),
            ", ".join(p.get("programs") or []),
            needed.get(str(p.get("needed")), "—"),
            _yes_no(p.get("present")),
            _yes_no(p.get("trusted")),
            str(p.get("message", "")),
        ]
        for p in trust.get("places") or []
    ]
    if rows:
        page.grid(
            [_("Place"), _("Used by"), _("Root needed"), _("Root present"), _("Server trusted"), _("Detail")], rows
        )
    notes = trust.get("notes") or []
    if notes:
        page.bullets([[str(n)] for n in notes])


def _profiles_html(page: HtmlPage, entries: list[dict[str, Any]]) -> None:
    page.heading(_("Profiles written by this app on this computer"))
    if not entries:
        page.paragraph("None recorded for this address.", css="muted")
        return
    rows: list[list[Cell]] = [
        [
            str(e.get("client", "")),
            "installed" if e.get("installed") else "file written",
            str(e.get("path", "")),
            str(e.get("written_at", "")),
        ]
        for e in entries
    ]
    page.grid([_("For"), _("What"), _("Where"), _("When (UTC)")], rows)


def _build_html(page: HtmlPage, build: dict[str, Any]) -> None:
    if not build:
        return
    page.heading(_("This copy of the assistant"))
    page.key_values(
        [
            ("Version", str(build.get("app_version", ""))),
            ("Commit", str(build.get("commit") or "unknown")),
            ("Installed as", "the installer's bundle" if build.get("frozen") else "a Python package"),
            ("PySide6 / Qt", f"{build.get('pyside6') or 'none'} / {build.get('qt') or 'same'}"),
            ("Packages", ", ".join(f"{k} {v}" for k, v in (build.get("packages") or {}).items())),
        ]
    )


def _log_html(page: HtmlPage, lines: list[str]) -> None:
    page.heading(_("What the assistant did (its log)"))
    if not lines:
        page.paragraph("No log lines were recorded.", css="muted")
        return
    page.preformatted("\n".join(str(line) for line in lines))


def _accounts_html(page: HtmlPage, section: dict[str, Any]) -> None:
    page.heading(_("Accounts for this address in this computer's mail programs"))
    accounts = section.get("accounts") or []
    if not accounts:
        page.paragraph("No mail program on this computer has an account for this address.", css="muted")
    for account in accounts:
        findings = account.get("findings") or []
        where = f"{account.get('program', '')} {account.get('account', '')} in {account.get('profile', '')}"
        if not findings:
            page.paragraph(f"{where}: every setting is right.")
            continue
        page.paragraph(f"{where}:")
        rows: list[list[Cell]] = [
            [
                _status(str(f.get("severity", "")), good=(), soft=("risky", "advice")),
                str(f.get("message", "")),
                str(f.get("setting", "")),
                str(f.get("found", "")),
                str(f.get("expected", "")),
            ]
            for f in findings
        ]
        page.grid([_("Severity"), _("What is wrong"), _("Setting"), _("Found"), _("Should be")], rows)
    for error in section.get("errors") or []:
        page.paragraph(str(error), css="muted")

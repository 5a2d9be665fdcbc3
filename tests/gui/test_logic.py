"""The wizard's logic without servers: page order, plain-words explanations, the settings sheet, the job runner."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from setup_assistant.core.account import settings_from_probe
from setup_assistant.core.address import parse_address
from setup_assistant.core.model import (
    EndpointResult,
    EndpointStatus,
    LoginResult,
    LoginStatus,
    MailProtocol,
    Security,
)
from setup_assistant.core.probing.account_check import AccountCheck
from setup_assistant.core.probing.probe import ProbeResult, recommend, recommend_outlook
from setup_assistant.core.provider import load_provider
from setup_assistant.gui.explain import Outcome, assess
from setup_assistant.gui.flow import END, PageId, next_page
from setup_assistant.gui.guide import next_steps
from setup_assistant.gui.icons import Status
from setup_assistant.gui.jobs import JobRunner
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.saving import save_report, save_settings_sheet

ADDRESS = parse_address("jane.doe@example.org")


def _check(statuses: dict[tuple[MailProtocol, Security], EndpointStatus], logins: LoginStatus | None) -> AccountCheck:
    provider = load_provider()
    results = tuple(
        EndpointResult(e, statuses.get((e.protocol, e.security), EndpointStatus.OK), "detail", 12)
        for e in provider.endpoints()
    )
    probe = ProbeResult(results, recommend(results, provider.prefer), recommend_outlook(results), 40)
    login_results: tuple[LoginResult, ...] = ()
    if logins is not None:
        login_results = tuple(
            LoginResult(e, logins, "detail") for p in MailProtocol if (e := probe.recommended.get(p)) is not None
        )
    return AccountCheck(ADDRESS, provider, probe, login_results, password_given=logins is not None)


def test_page_order_skips_the_certificate_page_unless_needed() -> None:
    model = WizardModel(load_provider())
    assert next_page(PageId.ADDRESS, model, lambda m: False) == PageId.PASSWORD
    assert next_page(PageId.RESULT, model, lambda m: False) == PageId.PROGRAMS
    assert next_page(PageId.RESULT, model, lambda m: True) == PageId.CERTIFICATE
    assert next_page(PageId.CERTIFICATE, model, lambda m: True) == PageId.PROGRAMS
    assert next_page(PageId.DONE, model, lambda m: False) == END


def test_everything_ok() -> None:
    outcome, findings = assess(_check({}, LoginStatus.OK), MailProtocol.IMAP)
    assert outcome is Outcome.WORKS
    assert findings[0].text == "Works securely: receiving mail (IMAP) on port 143 and sending mail on port 587."
    assert findings[-1].text == "Your password was accepted."


def test_blocked_submission_port_uses_465_and_says_why() -> None:
    check = _check({(MailProtocol.SMTP, Security.STARTTLS): EndpointStatus.TIMEOUT}, LoginStatus.OK)
    outcome, findings = assess(check, MailProtocol.IMAP)
    assert outcome is Outcome.WORKS_WITH_CHANGES
    assert any(
        f.level is Status.WARNING
        and f.text == "Your network blocks port 587, so the secure port 465 will be used for sending mail instead."
        for f in findings
    )


def test_refused_and_stripped_starttls_have_their_own_reasons() -> None:
    check = _check(
        {
            (MailProtocol.IMAP, Security.STARTTLS): EndpointStatus.NO_STARTTLS,
            (MailProtocol.SMTP, Security.STARTTLS): EndpointStatus.REFUSED,
        },
        None,
    )
    _outcome, findings = assess(check, MailProtocol.IMAP)
    texts = [f.text for f in findings]
    assert any(t.startswith("The server on port 143 did not offer encryption") and "port 993" in t for t in texts)
    assert any(t.startswith("Port 587 refuses connections") and "port 465" in t for t in texts)
    assert any("password was not tested" in t for t in texts)


def test_wrong_password_names_the_postmaster() -> None:
    outcome, findings = assess(_check({}, LoginStatus.REJECTED), MailProtocol.IMAP)
    assert outcome is Outcome.WRONG_PASSWORD
    assert findings[0].level is Status.ERROR
    assert "your organization's postmaster can reset it" in findings[0].text  # from the NPOMail provider file


def test_nothing_reachable_and_dns_failure() -> None:
    every = [(p, s) for p in MailProtocol for s in Security]
    outcome, findings = assess(_check(dict.fromkeys(every, EndpointStatus.TIMEOUT), None), MailProtocol.IMAP)
    assert outcome is Outcome.NO_CONNECTION and "No answer came back" in findings[0].text
    assert "ports 143 and 993 for receiving mail (IMAP)" in findings[0].text  # what was tried
    assert "587 and 465 for sending mail" in findings[0].text
    assert "connected to the internet" in findings[1].text and "VPN" in findings[1].text  # what to check
    outcome, findings = assess(_check(dict.fromkeys(every, EndpointStatus.DNS_ERROR), None), MailProtocol.IMAP)
    assert outcome is Outcome.NO_CONNECTION and "could not be looked up" in findings[0].text


def test_untrusted_certificate_everywhere_is_a_certificate_problem() -> None:
    every = [(p, s) for p in MailProtocol for s in Security]
    outcome, findings = assess(
        _check(dict.fromkeys(every, EndpointStatus.UNTRUSTED_CERTIFICATE), None), MailProtocol.IMAP
    )
    assert outcome is Outcome.CERTIFICATE
    assert "intercepting" in findings[0].text


def test_sending_blocked_on_both_ports() -> None:
    blocked = {(MailProtocol.SMTP, s): EndpointStatus.TIMEOUT for s in Security}
    outcome, findings = assess(_check(blocked, None), MailProtocol.IMAP)
    assert outcome is Outcome.PARTLY_BLOCKED
    assert any(f.text.startswith("Sending mail does not work on this network") for f in findings)


def test_pop_explanation_follows_the_chosen_protocol() -> None:
    check = _check({(MailProtocol.POP3, Security.STARTTLS): EndpointStatus.TIMEOUT}, None)
    assert assess(check, MailProtocol.IMAP)[0] is Outcome.WORKS
    outcome, findings = assess(check, MailProtocol.POP3)
    assert outcome is Outcome.WORKS_WITH_CHANGES
    assert any("port 995 will be used for receiving mail (POP)" in f.text for f in findings)


def test_next_steps_follow_the_guide() -> None:
    provider = load_provider()
    imap = next_steps(provider, ADDRESS, MailProtocol.IMAP)
    text = " ".join(f"{s.title}: {s.text} {s.link or ''}" for s in imap)
    assert imap[0].link == "http://mail.example.org"
    assert "short username, jane.doe," in text
    assert "Options → Change Password" in text and "Options → Forwarding and Vacation Message" in text
    assert "Spam and Virus" in text and "after 14 days" in text and "IMAP you see these folders" in text
    assert "all@example.org" in text and "only from webmail" in text
    pop = " ".join(s.text for s in next_steps(provider, ADDRESS, MailProtocol.POP3))
    assert "With POP your mail program cannot show these folders" in pop


def test_settings_sheet_saves_as_html_or_pdf_without_the_password(qapp, tmp_path) -> None:
    check = _check({(MailProtocol.SMTP, Security.STARTTLS): EndpointStatus.TIMEOUT}, LoginStatus.OK)
    settings = settings_from_probe(check.provider, ADDRESS, check.probe.endpoints, display_name="Jane Doe")
    html, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    save_settings_sheet(settings, html)
    save_settings_sheet(settings, pdf)
    text = html.read_text(encoding="utf-8")
    assert "jane.doe@example.org" in text and "465" in text and "********" in text
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.html", "sheet.pdf"]  # no temporary files left


def test_report_holds_the_checks_own_results(tmp_path, monkeypatch) -> None:
    """The wizard's report is built from its own check (no second probe); DNS is stubbed out here."""
    from setup_assistant.core.helpdesk import report as report_module

    monkeypatch.setattr(report_module, "_dns_section", lambda *args: {"skipped": "test"})
    check = _check({}, LoginStatus.OK)
    html_path, json_path = save_report(check, tmp_path / "report.json")  # any name: HTML + JSON beside it
    assert (html_path.suffix, json_path.suffix) == (".html", ".json")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    own = json.loads(json.dumps(check.to_json()))
    assert data["servers"]["endpoints"] == own["endpoints"] and data["logins"] == own["logins"]
    assert data["ok"] == own["ok"] and data["dns"] == {"skipped": "test"}
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_job_runner_delivers_progress_result_and_errors_in_the_gui_thread(qtbot) -> None:
    runner = JobRunner()
    gui = threading.get_ident()
    seen: list[tuple[str, object, bool]] = []

    def work(report) -> int:
        helper = threading.Thread(target=lambda: report("from another thread"))
        helper.start()
        helper.join()
        report("from the pool")
        return 42

    def record(kind: str):
        return lambda value: seen.append((kind, value, threading.get_ident() == gui))

    runner.start(work, on_progress=record("progress"), on_result=record("result"))
    qtbot.waitUntil(lambda: not runner.busy)

    def fail(_report) -> None:
        raise OSError("disk on fire")

    runner.start(fail, on_error=record("error"))
    qtbot.waitUntil(lambda: not runner.busy)
    assert [(k, v if k != "error" else str(v), ok) for k, v, ok in seen] == [
        ("progress", "from another thread", True),
        ("progress", "from the pool", True),
        ("result", 42, True),
        ("error", "disk on fire", True),
    ]
    assert runner.wait(1000)


def test_icons_are_shipped_for_every_status(qapp) -> None:
    from setup_assistant.gui.icons import app_icon, icons_dir, status_icon

    for status in Status:
        assert not status_icon(status).isNull(), status
        assert (icons_dir() / f"status-{status.value}.svg").is_file()
    assert not app_icon().isNull()
    assert Path(icons_dir() / "logo.svg").is_file()

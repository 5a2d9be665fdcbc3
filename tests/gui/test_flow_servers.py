"""The wizard against the real Dovecot test servers: the happy path to configured files, a wrong password,
a blocked port, a server that never answers (Stop and Back), the report and the remembered password.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest

from setup_assistant.core import history
from setup_assistant.core.clients.profiles import Client
from setup_assistant.core.model import EndpointStatus, MailProtocol
from setup_assistant.gui.explain import Outcome
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.icons import Status
from tests.thunderbird_home import thunderbird_profile

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


def _password(mail_servers) -> str:
    return mail_servers.users[USER]


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def _finding_texts(page) -> list[str]:
    texts = []
    for i in range(page.findings.count()):
        widget = page.findings.itemAt(i).widget()
        if widget is not None:
            texts.append(widget.label.text())
    return texts


def test_happy_path_saves_files_for_every_program(make_wizard, mail_servers, tmp_path, qtbot) -> None:
    password = _password(mail_servers)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, password)
    checking = driver.wizard.checking_page
    provider = driver.wizard.model.provider
    assert [checking.row_status(e) for e in provider.endpoints()] == ["ok"] * 6
    assert [checking.row_status(p) for p in MailProtocol] == ["ok"] * 3
    assert checking.bar.value() == checking.bar.maximum()

    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.outcome is Outcome.WORKS
    assert result.headline.status is Status.OK
    assert any("password was accepted" in t for t in _finding_texts(result))
    assert result.imap.isChecked() and result.imap.isEnabled()
    assert result.table.rowCount() == 9  # six connections and three sign-ins

    # No Thunderbird profile in the test home, so no place needs the certificate: straight to the programs.
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    assert programs.save_only.isChecked() and not programs.here.isEnabled()
    for box in programs.boxes.values():
        box.setChecked(True)
    out = tmp_path / "for-jane"
    programs.folder.setText(str(out))
    driver.next(PageId.DONE)

    assert (out / "thunderbird" / "config-v1.1.xml").is_file()
    assert (out / "outlook" / "autodiscover.xml").is_file()
    assert list((out / "apple-mail").glob("*.mobileconfig"))
    assert password not in _all_text(out)
    written = {Path(e.path) for e in history.written_for(USER)}  # remembered for the help-desk report
    assert {(out / c).resolve() for c in ("thunderbird", "outlook", "apple-mail")} == written  # once each
    done = driver.wizard.done_page
    assert done.title() == "Files saved"  # nothing was set up here: never "All set ... ready to use"
    assert "Nothing was set up on this computer" in done.subTitle()
    assert any(item.path == out for item in driver.wizard.model.done)
    assert done.open_buttons, "every saved file has a button to open it"
    steps = done.next_steps.text()
    assert "http://mail.example.org" in steps and "jane.doe," in steps

    report, sheet = tmp_path / "report.html", tmp_path / "sheet.html"
    with qtbot.waitSignal(done.reporter.saved, timeout=30000):
        done.save_report_to(report)
    done.save_sheet_to(sheet)
    assert json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))["ok"] is True
    assert password not in report.read_text(encoding="utf-8")
    assert password not in report.with_suffix(".json").read_text(encoding="utf-8")
    sheet_text = sheet.read_text(encoding="utf-8")
    assert password not in sheet_text
    assert str(mail_servers.ports["imap"]) in sheet_text and str(mail_servers.ports["imaps"]) in sheet_text
    finish = driver.wizard.button(driver.wizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()
    finish.click()
    assert driver.wizard.model.password == ""  # forgotten when the wizard closes
    assert driver.wizard.password_page.password.text() == ""  # and so is the field that held it


def test_wrong_password_gives_the_postmaster_advice(make_wizard, mail_servers) -> None:
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, "not the password")
    checking = driver.wizard.checking_page
    assert checking.row_status(MailProtocol.IMAP) == "error"
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.outcome is Outcome.WRONG_PASSWORD
    assert result.headline.status is Status.ERROR
    first = _finding_texts(result)[0]
    assert "did not accept the password" in first and "postmaster can reset it" in first
    assert result.retype.isVisible()
    result.retype.click()
    assert driver.page == PageId.PASSWORD


def test_report_never_contains_the_password(make_wizard, mail_servers, tmp_path, qtbot) -> None:
    password = _password(mail_servers)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, password)
    driver.next(PageId.RESULT)
    target = tmp_path / "help-desk.html"
    result = driver.wizard.result_page
    with qtbot.waitSignal(result.reporter.saved, timeout=30000):
        result.save_report_to(target)
    assert "no password" in result.saved.text()
    text = target.with_suffix(".json").read_text(encoding="utf-8")
    data = json.loads(text)
    servers = data["servers"]
    assert data["email"] == USER and len(servers["endpoints"]) == 6 and len(data["logins"]) == 3
    assert data["dns"] and data["trust"] and data["os"]
    for saved in (text, target.read_text(encoding="utf-8")):
        assert password not in saved
        assert password.encode("utf-8").hex() not in saved


def test_blocked_port_is_explained_and_the_fallback_used(make_wizard, mail_servers, blackhole, tmp_path) -> None:
    blocked = blackhole()
    provider = mail_servers.provider_file(tmp_path, submission=blocked)
    driver = make_wizard(provider, grace=0.5)
    driver.run_check(USER, _password(mail_servers))
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.outcome is Outcome.WORKS_WITH_CHANGES
    expected = (
        f"Your network blocks port {blocked}, so the secure port {mail_servers.ports['submissions']} will be used "
        "for sending mail instead."
    )
    assert expected in _finding_texts(result)
    check = driver.wizard.model.check
    assert check is not None and check.probe.recommended.smtp.port == mail_servers.ports["submissions"]
    assert driver.next_button().isEnabled()


def test_stop_during_a_silent_server_is_fast_responsive_and_back_works(
    make_wizard, mail_servers, blackhole, tmp_path, qtbot
) -> None:
    provider = mail_servers.provider_file(tmp_path, imap=blackhole(), imaps=blackhole())
    driver = make_wizard(provider, timeout=30.0)
    checking = driver.wizard.checking_page
    stalls: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(10)

    def tick() -> None:
        stalls.append(clock.restart())

    ticker.timeout.connect(tick)
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    driver.enter_password(_password(mail_servers))
    clock.start()
    ticker.start()
    driver.next(PageId.CHECKING)
    imap = driver.wizard.model.provider.preferred(MailProtocol.IMAP)
    qtbot.waitUntil(lambda: checking.row_status(driver.wizard.model.provider.preferred(MailProtocol.SMTP)) == "ok")
    qtbot.wait(300)
    assert checking.running and checking.row_status(imap) == "pending"

    started = time.monotonic()
    checking.button.click()  # Stop
    qtbot.waitUntil(lambda: not checking.running, timeout=2000)
    stopped_after = time.monotonic() - started
    ticker.stop()
    assert stopped_after < 1.0, f"Stop took {stopped_after:.2f} s"
    assert max(stalls) < 400, f"the event loop stalled for {max(stalls)} ms"  # a freeze would last seconds
    check = driver.wizard.model.check
    assert check is not None and check.probe.cancelled
    assert check.probe.result_for(imap).status is EndpointStatus.CANCELLED
    assert checking.row_status(imap) == "stopped"
    assert not driver.next_button().isEnabled()
    assert checking.button.text().replace("&", "") == "Check again"

    # Back while a new check is running: the page changes at once and the old run is cancelled and ignored.
    checking.button.click()
    qtbot.waitUntil(lambda: checking.running)
    driver.wizard.back()
    assert driver.page == PageId.PASSWORD
    assert not checking.running
    assert driver.wizard.jobs.wait(1000), "the cancelled check did not end within a second"
    driver.next(PageId.CHECKING)
    assert checking.running and checking.row_status(imap) == "pending"


def test_remembered_password_goes_to_the_keyring_only_after_it_worked(
    make_wizard, mail_servers, memory_keyring
) -> None:
    password = _password(mail_servers)
    driver = make_wizard(mail_servers.provider_path)
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    driver.enter_password("a wrong one")
    page.remember.setChecked(True)
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.next(PageId.RESULT)
    assert memory_keyring.items == {}, "a rejected password must not be remembered"

    driver.wizard.result_page.retype.click()
    driver.enter_password(password)
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.next(PageId.RESULT)
    assert list(memory_keyring.items.values()) == [password]
    assert driver.wizard.result_page.remembered.isVisible()
    assert driver.wizard.model.password_saved_in

    again = make_wizard(mail_servers.provider_path)
    again.enter_address(USER)
    again.next(PageId.PASSWORD)
    assert again.wizard.password_page.password.text() == password
    assert again.wizard.password_page.remember.isChecked()
    again.wizard.password_page.remember.setChecked(False)
    again.next(PageId.CHECKING)
    again.wait_check()
    again.next(PageId.RESULT)
    assert memory_keyring.items == {}, "unticking forgets the remembered password"


def test_thunderbird_profile_certificate_and_a_running_thunderbird(make_wizard, mail_servers, services) -> None:
    from setup_assistant.core.clients.thunderbird import writer as thunderbird

    home = services.home
    assert home is not None
    profile = thunderbird_profile(home)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, _password(mail_servers))
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)  # the test CA is not one of Mozilla's roots: the profile needs it
    cert = driver.wizard.certificate_page
    assert mail_servers.ca_sha256[:2].upper() in cert.fingerprint.text()
    cert.install.click()
    driver.qtbot.waitUntil(lambda: not cert.running, timeout=30_000)
    texts = [cert.results.itemAt(i).widget().label.text() for i in range(cert.results.count())]
    assert any(t.startswith("Installed in Thunderbird profile") for t in texts), texts
    assert (profile / "cert9.db").exists()

    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    assert programs.here.isChecked()
    assert programs.boxes[Client.THUNDERBIRD].isChecked()
    assert not programs.boxes[Client.OUTLOOK].isChecked() and not programs.boxes[Client.APPLE_MAIL].isChecked()
    assert Path(programs.profile.currentData()) == profile

    lock = profile / "lock"
    os.symlink(f"{thunderbird._own_address()}:{os.getpid()}", lock)  # Thunderbird's own lock, as if it ran
    driver.wizard.next()
    driver.qtbot.waitUntil(lambda: not programs.running and programs.messages.count() > 0)
    message = programs.messages.itemAt(0).widget().label.text()
    assert "Thunderbird is open" in message
    assert driver.page == PageId.PROGRAMS
    assert not (profile / "prefs.js").exists()

    lock.unlink()
    driver.wizard.next()  # "try again"
    driver.qtbot.waitUntil(lambda: driver.page == PageId.DONE, timeout=30_000)
    prefs = (profile / "prefs.js").read_text(encoding="utf-8")
    assert USER in prefs and _password(mail_servers) not in prefs
    done_texts = [item.text for item in driver.wizard.model.done]
    assert any("certificate is installed" in t for t in done_texts)
    assert any(t.startswith("Thunderbird: your account was added") for t in done_texts)
    assert driver.wizard.done_page.title() == "All set"
    assert "set up and tested" in driver.wizard.done_page.subTitle()


def test_pop_tells_how_to_keep_mail_on_the_server_where_files_cannot(make_wizard, mail_servers, tmp_path) -> None:
    """Apple Mail's and Outlook's POP defaults delete mail from the server; the Done page says what to change."""
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, _password(mail_servers))
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    result.details.button.setChecked(True)  # open "Details for the help desk"
    assert result.table.isVisible()
    result.table.setCurrentCell(0, 0)
    result.table.setFocus()
    QTest.keyClick(result.table, Qt.Key.Key_Tab)  # Tab leaves the details table instead of walking its cells
    assert result.table.currentRow() == 0 and result.table.currentColumn() == 0
    result.pop.setChecked(True)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    for box in programs.boxes.values():
        box.setChecked(True)
    programs.folder.setText(str(tmp_path / "pop"))
    driver.next(PageId.DONE)
    notes = [item.text for item in driver.wizard.model.done if item.note]
    assert any(t.startswith("Apple Mail:") and "Never" in t for t in notes)
    assert any(t.startswith("Outlook:") and "Leave a copy of messages on the server" in t for t in notes)
    assert any(t.startswith("Outlook:") and "untick “Remove from server after 14 days”" in t for t in notes)
    # config-v1.1.xml cannot untick "Until I delete them" (Thunderbird's readFromXML ignores it): say so.
    tb = [t for t in notes if t.startswith("Thunderbird")]
    assert len(tb) == 1 and "untick “For at most 14 days”; untick “Until I delete them”" in tb[0]
    autoconfig = (tmp_path / "pop" / "thunderbird" / "config-v1.1.xml").read_text(encoding="utf-8")
    assert autoconfig.index('type="pop3"') < autoconfig.index('type="imap"')  # POP was honoured


def test_a_rejected_password_is_not_called_ready_to_use(make_wizard, mail_servers, tmp_path) -> None:
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, "not the password")
    driver.next(PageId.RESULT)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    programs.boxes[Client.THUNDERBIRD].setChecked(True)
    programs.folder.setText(str(tmp_path / "files"))
    driver.next(PageId.DONE)
    subtitle = driver.wizard.done_page.subTitle()
    assert "did not accept the password" in subtitle and "ready to use" not in subtitle


def test_back_during_a_write_never_starts_a_second_writer(make_wizard, mail_servers, tmp_path, monkeypatch) -> None:
    """A write cannot be taken back halfway: after Back and Next, a second one waits until the first has ended."""
    import threading

    from setup_assistant.core.clients import profiles

    real = profiles.write_profiles
    calls: list[int] = []
    running = threading.Lock()
    overlapped: list[bool] = []

    def slow_write(*args, **kwargs):
        overlapped.append(not running.acquire(blocking=False))
        calls.append(1)
        try:
            time.sleep(0.8)
            return real(*args, **kwargs)
        finally:
            if not overlapped[-1]:
                running.release()

    monkeypatch.setattr(profiles, "write_profiles", slow_write)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, _password(mail_servers))
    driver.next(PageId.RESULT)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    programs.boxes[Client.THUNDERBIRD].setChecked(True)
    programs.folder.setText(str(tmp_path / "out"))
    driver.wizard.next()  # starts the (slow) write
    assert programs.running
    driver.qtbot.waitUntil(lambda: len(calls) == 1, timeout=10000)  # the pool thread has really begun writing
    driver.wizard.back()
    driver.wizard.next()  # back on the programs page while the first write still runs
    programs.boxes[Client.THUNDERBIRD].setChecked(True)
    programs.folder.setText(str(tmp_path / "out"))
    driver.wizard.next()
    assert len(calls) == 1 and "Still finishing" in _status_texts(programs.messages)
    driver.qtbot.waitUntil(lambda: not driver.wizard.jobs.busy, timeout=10000)
    programs.boxes[Client.THUNDERBIRD].setChecked(True)
    driver.next(PageId.DONE)
    assert overlapped == [False] * len(calls)


def _status_texts(layout) -> str:
    texts = []
    for i in range(layout.count()):
        widget = layout.itemAt(i).widget()
        if widget is not None and hasattr(widget, "label"):
            texts.append(widget.label.text())
    return " ".join(texts)


def test_an_existing_wrong_account_is_shown_fixed_and_done_says_what_changed(
    make_wizard, mail_servers, services
) -> None:
    from tests.core.clients.test_doctor import broken_profile

    home = services.home
    assert home is not None
    root = home / ".thunderbird"
    profile = broken_profile(root)
    (root / "profiles.ini").write_text(
        f"[Profile0]\nName=default-release\nIsRelative=1\nPath={profile.name}\nDefault=1\n", encoding="utf-8"
    )
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, _password(mail_servers))
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    shown = [programs.existing.itemAt(i).widget() for i in range(programs.existing.count())]
    first = shown[0].label.text()
    assert first.startswith("Thunderbird already has this address, but ") and first.endswith(" settings are wrong.")
    assert "Secure Password Authentication" in shown[1].text()
    assert programs.fix.isVisible()

    programs.fix.click()
    driver.qtbot.waitUntil(lambda: not programs.running, timeout=30_000)
    assert not programs.fix.isVisible()
    line = programs.existing.itemAt(0).widget().label.text()
    assert line == "Thunderbird already has this address, and its settings are right."
    prefs = (profile / "prefs.js").read_text(encoding="utf-8")
    assert '"mail.server.server1.hostname", "localhost"' in prefs  # the test servers' name, in place

    driver.wizard.next()
    driver.qtbot.waitUntil(lambda: driver.page == PageId.DONE, timeout=30_000)
    done_texts = [item.text for item in driver.wizard.model.done]
    assert any(t.startswith("Fixed in place: thunderbird account1: incoming.host") for t in done_texts), done_texts
    assert any(t.startswith("Thunderbird: your account is set up") for t in done_texts), done_texts
    accounts = (profile / "prefs.js").read_text(encoding="utf-8")
    assert '"mail.accountmanager.accounts", "account3,account1,account2"' in accounts  # no second account


def test_done_page_shows_the_route_for_the_outlook_found_here(make_wizard) -> None:
    """The core's steps for the Outlook on this computer, numbered, first route first; no second POP note."""
    from setup_assistant.core.clients.outlook import routes
    from setup_assistant.core.clients.outlook.detect import OutlookKind
    from setup_assistant.core.clients.profiles import Client, ClientOutcome

    driver = make_wizard(None)
    programs = driver.wizard.programs_page
    driver.wizard.model.protocol = MailProtocol.POP3
    steps = routes.install_next_steps(MailProtocol.POP3, None, prf_path=r"C:\x\outlook.prf", kind=OutlookKind.NEW)
    items = programs._client_items(
        ClientOutcome(Client.OUTLOOK, (Path("instructions.html"),), installed="registry set", next_steps=tuple(steps))
    )
    texts = [item.text for item in items]
    assert texts[0] == "Outlook: the settings are in place. Now, in this order:"
    assert texts[1].startswith("1. This computer uses the new Outlook for Windows")
    assert texts[2].startswith("2. Required for POP") and "Remove from server after 14 days" in texts[2]
    assert sum("Leave a copy of messages on the server" in t for t in texts) == 1

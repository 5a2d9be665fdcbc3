"""Doctor and repair: every finding kind, a correct account with none, Thunderbird repaired in place, and a
second repair that changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from setup_assistant.core.clients.diagnosis import (
    Auth,
    FoundAccount,
    PopSetting,
    ServerSetting,
    Severity,
    diagnose,
    mark_duplicates,
    summary,
)
from setup_assistant.core.clients.thunderbird import fixer, reader
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile
from setup_assistant.core.clients.thunderbird.writer import ProfileWriteError, ThunderbirdRunning, install_account
from setup_assistant.core.model import MailProtocol, Security
from tests.core.clients.profile_support import HOST, all_bytes, settings

ADDRESS = "jane.doe@example.org"
IMAP, POP3, SMTP = MailProtocol.IMAP, MailProtocol.POP3, MailProtocol.SMTP


def good_server(protocol: MailProtocol, port: int, security: str = "starttls") -> ServerSetting:
    return ServerSetting(protocol, HOST, port, security, Auth.PASSWORD, "authMethod 3", ADDRESS)


def good_account(**changes: object) -> FoundAccount:
    account = FoundAccount(
        "thunderbird", "/p", "account1", good_server(IMAP, 143), good_server(SMTP, 587), ADDRESS, None, "/p/prefs.js"
    )
    return replace(account, **changes)  # type: ignore[arg-type]


def kinds(account: FoundAccount) -> dict[str, Severity]:
    return {f.setting: f.severity for f in diagnose(account, settings()).findings}


# --- every finding kind --------------------------------------------------------------------------------------


def test_a_correct_account_has_no_finding() -> None:
    assert diagnose(good_account(), settings()).findings == ()
    ssl = good_account(incoming=good_server(IMAP, 993, "ssl"), outgoing=good_server(SMTP, 465, "ssl"))
    assert diagnose(ssl, settings()).findings == ()  # SSL works too: the guide's fallback is not "wrong"


def test_old_host_name_breaks() -> None:
    account = good_account(incoming=replace(good_server(IMAP, 143), host="mail.example.org"))
    found = diagnose(account, settings()).findings
    assert [(f.setting, f.severity, f.target) for f in found] == [("incoming.host", Severity.BREAKS, HOST)]
    assert "mail.example.org" in found[0].message


def test_no_encryption_is_risky_and_becomes_starttls_on_the_same_port() -> None:
    account = good_account(incoming=replace(good_server(IMAP, 143), security="none"))
    (finding,) = diagnose(account, settings()).findings
    assert (finding.setting, finding.severity, finding.target) == (
        "incoming.security",
        Severity.RISKY,
        Security.STARTTLS,
    )
    assert "readable by anyone" in finding.message and "TLS" in finding.message


def test_ssl_on_the_starttls_port_breaks() -> None:
    account = good_account(incoming=replace(good_server(IMAP, 143), security="ssl"))
    assert kinds(account) == {"incoming.security": Severity.BREAKS}


def test_wrong_port_breaks() -> None:
    account = good_account(incoming=replace(good_server(IMAP, 993), security="ssl", port=994))
    assert kinds(account) == {"incoming.port": Severity.BREAKS}


def test_port_25_for_sending_breaks_in_plain_words() -> None:
    account = good_account(outgoing=replace(good_server(SMTP, 587), port=25))
    found = diagnose(account, settings()).findings
    assert [f.setting for f in found] == ["outgoing.port"]
    assert "Port 25" in found[0].message and found[0].target == 587


@pytest.mark.parametrize("where", ["incoming", "outgoing"])
def test_encrypted_password_breaks_with_the_guides_words(where: str) -> None:
    server = good_server(IMAP, 143) if where == "incoming" else good_server(SMTP, 587)
    account = good_account(**{where: replace(server, auth=Auth.ENCRYPTED, auth_detail="authMethod 4")})
    (finding,) = diagnose(account, settings()).findings
    assert finding.setting == f"{where}.auth" and finding.severity is Severity.BREAKS
    assert "Secure Password Authentication" in finding.message and "authMethod 4" in finding.found


def test_sending_without_authentication_breaks() -> None:
    account = good_account(outgoing=replace(good_server(SMTP, 587), auth=Auth.NONE, auth_detail="authMethod 1"))
    (finding,) = diagnose(account, settings()).findings
    assert finding.setting == "outgoing.auth" and "must use authentication" in finding.message


def test_short_username_breaks() -> None:
    account = good_account(incoming=replace(good_server(IMAP, 143), username="jane.doe"))
    (finding,) = diagnose(account, settings()).findings
    assert finding.setting == "incoming.username" and finding.target == ADDRESS
    assert "short username is only for webmail" in finding.message


def test_no_outgoing_server_breaks() -> None:
    (finding,) = diagnose(good_account(outgoing=None), settings()).findings
    assert finding.setting == "outgoing.server" and finding.severity is Severity.BREAKS
    assert finding.target.port == 587


def test_identity_without_address_breaks_and_another_address_is_advice() -> None:
    assert kinds(good_account(identity_address=None)) == {"identity.address": Severity.BREAKS}
    found = diagnose(good_account(identity_address="info@example.org"), settings()).findings
    assert [(f.setting, f.severity, f.fixable) for f in found] == [("identity.address", Severity.ADVICE, False)]


def test_pop_deleting_from_the_server_is_risky() -> None:
    account = good_account(incoming=good_server(POP3, 110), pop=PopSetting(False, None))
    (finding,) = diagnose(account, settings()).findings
    assert finding.setting == "pop.leave_on_server" and finding.severity is Severity.RISKY and finding.target is True
    assert "Webmail not very compatible" in finding.message


def test_pop_deleting_after_days_is_advice_and_never_changed() -> None:
    account = good_account(incoming=good_server(POP3, 995, "ssl"), pop=PopSetting(True, 14))
    (finding,) = diagnose(account, settings()).findings
    assert (finding.setting, finding.severity, finding.fixable) == ("pop.delete_after_days", Severity.ADVICE, False)
    assert diagnose(replace(account, pop=PopSetting(True, None)), settings()).findings == ()


def test_duplicates_are_advice_on_each() -> None:
    one, two = good_account(), good_account(account="account2")
    marked = mark_duplicates([diagnose(one, settings()), diagnose(two, settings())])
    assert [[f.setting for f in a.findings] for a in marked] == [["duplicate"], ["duplicate"]]
    assert "account2" in marked[0].findings[0].message and "never removes" in marked[0].findings[0].message
    assert all(a.ok for a in marked)  # advice does not make an account wrong
    other_profile = replace(two, profile="/q")
    assert mark_duplicates([one, other_profile]) == [one, other_profile]


def test_nothing_secure_worked_is_said_not_guessed() -> None:
    blocked = settings(working=[(SMTP, Security.STARTTLS)])
    account = good_account(incoming=replace(good_server(IMAP, 143), security="none"))
    found = diagnose(account, blocked).findings
    assert [(f.setting, f.severity, f.fixable) for f in found] == [("incoming.server", Severity.ADVICE, False)]


def test_the_probe_decides_the_target() -> None:
    only_ssl = settings(working=[(IMAP, Security.SSL), (SMTP, Security.SSL)])
    account = good_account(incoming=replace(good_server(IMAP, 143), security="none"))
    targets = {f.setting: f.target for f in diagnose(account, only_ssl).findings}
    assert targets["incoming.security"] is Security.SSL and targets["incoming.port"] == 993
    assert targets["outgoing.port"] == 465  # 587 was blocked in this probe


def test_summary_counts_what_is_wrong() -> None:
    account = diagnose(good_account(outgoing=None, identity_address="x@example.org"), settings())
    assert summary(account, "Thunderbird") == "Thunderbird already has this address, but 1 setting is wrong."
    assert summary(diagnose(good_account(), settings()), "Outlook").endswith("its settings are right.")


# --- Thunderbird: reading and repairing a profile ------------------------------------------------------------

BROKEN = """// Mozilla User Preferences

user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.account.account3.identities", "id3");
user_pref("mail.account.account3.server", "server3");
user_pref("mail.account.lastKey", 3);
user_pref("mail.accountmanager.accounts", "account3,account1,account2");
user_pref("mail.accountmanager.defaultaccount", "account3");
user_pref("mail.identity.id1.draft_folder", "imap://jane.doe@mail.example.org/Drafts");
user_pref("mail.identity.id1.fcc_folder", "imap://jane.doe@mail.example.org/Sent");
user_pref("mail.identity.id1.fullName", "Jane Doe");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "jane.doe@example.org");
user_pref("mail.identity.id3.fcc_folder", "imap://other%40elsewhere.example@imap.elsewhere.example/Sent");
user_pref("mail.identity.id3.useremail", "other@elsewhere.example");
user_pref("mail.server.server1.authMethod", 4);
user_pref("mail.server.server1.directory-rel", "[ProfD]ImapMail/mail.example.org");
user_pref("mail.server.server1.hostname", "mail.example.org");
user_pref("mail.server.server1.name", "Jane at work");
user_pref("mail.server.server1.port", 143);
user_pref("mail.server.server1.socketType", 0);
user_pref("mail.server.server1.spamActionTargetFolder", "imap://jane.doe@mail.example.org/Junk");
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "jane.doe");
user_pref("mail.server.server2.directory-rel", "[ProfD]Mail/Local Folders");
user_pref("mail.server.server2.hostname", "Local Folders");
user_pref("mail.server.server2.type", "none");
user_pref("mail.server.server2.userName", "nobody");
user_pref("mail.server.server3.authMethod", 3);
user_pref("mail.server.server3.hostname", "imap.elsewhere.example");
user_pref("mail.server.server3.port", 993);
user_pref("mail.server.server3.socketType", 3);
user_pref("mail.server.server3.type", "imap");
user_pref("mail.server.server3.userName", "other@elsewhere.example");
user_pref("mail.smtp.defaultserver", "smtp2");
user_pref("mail.smtpserver.smtp1.authMethod", 1);
user_pref("mail.smtpserver.smtp1.hostname", "mail.example.org");
user_pref("mail.smtpserver.smtp1.port", 25);
user_pref("mail.smtpserver.smtp2.hostname", "smtp.elsewhere.example");
user_pref("mail.smtpserver.smtp2.try_ssl", 3);
user_pref("mail.smtpserver.smtp2.username", "other@elsewhere.example");
user_pref("mail.smtpservers", "smtp2,smtp1");
"""

FILTERS = (
    'version="9"\nlogging="no"\nname="Work"\nenabled="yes"\ntype="17"\naction="Move to folder"\n'
    'actionValue="imap://jane.doe@mail.example.org/INBOX/Work"\ncondition="AND (subject,contains,report)"\n'
    'name="Other"\nenabled="yes"\ntype="17"\naction="Move to folder"\n'
    'actionValue="imap://jane.doe@mail.example.org.evil/X"\ncondition="ALL"\n'
)


def broken_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "abcd1234.default-release"
    mail = profile / "ImapMail" / "mail.example.org"
    mail.mkdir(parents=True)
    (mail / "INBOX").write_bytes(b"From - Mon\nSubject: kept\n\nlocal mail\n")
    (mail / "msgFilterRules.dat").write_text(FILTERS)
    (profile / "prefs.js").write_text(BROKEN)
    return profile


def prefs_of(profile: Path) -> PrefsFile:
    return PrefsFile((profile / "prefs.js").read_bytes())


def test_reader_finds_the_account_by_address_on_an_old_host(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    (account,) = fixer.diagnose_profile(profile, settings())
    assert (account.program, account.account, account.profile) == ("thunderbird", "account1", str(profile))
    assert account.incoming.host == "mail.example.org" and account.outgoing is not None
    assert account.outgoing.port == 25 and account.outgoing.auth is Auth.NONE
    assert {f.setting for f in account.findings} == {
        "incoming.host",
        "incoming.security",
        "incoming.auth",
        "incoming.username",
        "outgoing.host",
        "outgoing.security",
        "outgoing.port",
        "outgoing.auth",
        "outgoing.username",
    }


def test_reader_finds_by_short_username_only_in_the_domain(tmp_path: Path) -> None:
    prefs = PrefsFile(BROKEN.replace("jane.doe@example.org", "someone@else.example").encode())
    assert [k.account for k in reader.locate(prefs, settings().address, settings().provider)] == ["account1"]
    other_host = PrefsFile(
        BROKEN.replace("jane.doe@example.org", "someone@else.example")
        .replace('"mail.example.org"', '"imap.gmx.net"')
        .encode()
    )
    assert reader.locate(other_host, settings().address, settings().provider) == []


def test_thunderbird_defaults_when_prefs_are_absent() -> None:
    prefs = PrefsFile(
        b'user_pref("mail.server.server1.type", "pop3");\nuser_pref("mail.server.server1.socketType", 3);\n'
        b'user_pref("mail.smtpserver.smtp1.try_ssl", 3);\n'
    )
    incoming = reader.incoming_setting(prefs, "server1")
    assert (incoming.port, incoming.security, incoming.auth) == (995, "ssl", Auth.PASSWORD)
    assert reader.outgoing_setting(prefs, "smtp1").port == 465  # SmtpClient: port || (SSL ? 465 : 587)


def test_repair_changes_only_the_wrong_values_in_place(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    before = (profile / "prefs.js").read_text()
    result = fixer.repair_profile(profile, settings())
    assert [a.findings for a in result.accounts] == [()]
    assert len(result.changes) == 9
    prefs = prefs_of(profile)
    srv = "mail.server.server1."
    assert prefs.get_str(srv + "hostname") == HOST and prefs.get_int(srv + "socketType") == 2
    assert prefs.get_int(srv + "authMethod") == 3 and prefs.get_str(srv + "userName") == ADDRESS
    assert prefs.get_str(srv + "name") == "Jane at work"  # its name, key and folder stay
    assert prefs.get_str(srv + "directory-rel") == "[ProfD]ImapMail/mail.example.org"
    assert prefs.get_str("mail.account.account1.server") == "server1"
    assert prefs.get_str("mail.accountmanager.accounts") == "account3,account1,account2"
    # folder URIs follow the new username and host, as Thunderbird's migrateServerUris does
    new_uri = f"imap://jane.doe%40example.org@{HOST}"
    assert prefs.get_str("mail.identity.id1.fcc_folder") == new_uri + "/Sent"
    assert prefs.get_str("mail.identity.id1.draft_folder") == new_uri + "/Drafts"
    assert prefs.get_str(srv + "spamActionTargetFolder") == new_uri + "/Junk"
    smtp = "mail.smtpserver.smtp1."
    assert (prefs.get_str(smtp + "hostname"), prefs.get_int(smtp + "port"), prefs.get_int(smtp + "try_ssl")) == (
        HOST,
        587,
        2,
    )
    assert prefs.get_int(smtp + "authMethod") == 3 and prefs.get_str(smtp + "username") == ADDRESS
    # the other account and its outgoing server are exactly as they were
    for line in before.splitlines():
        if "server3" in line or "smtp2" in line or "id3" in line or "server2" in line:
            assert line in (profile / "prefs.js").read_text().splitlines()
    filters = (profile / "ImapMail" / "mail.example.org" / "msgFilterRules.dat").read_text()
    assert f'actionValue="{new_uri}/INBOX/Work"' in filters
    assert 'actionValue="imap://jane.doe@mail.example.org.evil/X"' in filters  # another server's prefix: untouched
    assert (profile / "ImapMail" / "mail.example.org" / "INBOX").read_bytes().endswith(b"local mail\n")
    # backups hold the old bytes
    backups = {p.name.split(".setup-assistant-")[0]: p for p in result.backups}
    assert backups["prefs.js"].read_text() == before
    assert backups["msgFilterRules.dat"].read_text() == FILTERS


def test_second_repair_changes_nothing_and_writes_no_backup(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    fixer.repair_profile(profile, settings())
    snapshot = all_bytes(profile)
    again = fixer.repair_profile(profile, settings())
    assert again.changes == () and again.backups == ()
    assert all_bytes(profile) == snapshot


def test_a_shared_outgoing_server_is_not_changed_under_another_account(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    text = BROKEN.replace(
        'user_pref("mail.identity.id3.useremail"',
        'user_pref("mail.identity.id3.smtpServer", "smtp1");\nuser_pref("mail.identity.id3.useremail"',
    )
    (profile / "prefs.js").write_text(text)
    fixer.repair_profile(profile, settings())
    prefs = prefs_of(profile)
    assert prefs.get_str("mail.smtpserver.smtp1.hostname") == "mail.example.org"  # still the other account's
    own = prefs.get_str("mail.identity.id1.smtpServer")
    assert own == "smtp3" and prefs.get_str("mail.smtpservers") == "smtp2,smtp1,smtp3"
    assert (prefs.get_str(f"mail.smtpserver.{own}.hostname"), prefs.get_int(f"mail.smtpserver.{own}.port")) == (
        HOST,
        587,
    )
    assert fixer.diagnose_profile(profile, settings())[0].findings == ()


def test_an_account_without_outgoing_server_gets_one(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    text = (
        BROKEN.replace('user_pref("mail.identity.id1.smtpServer", "smtp1");\n', "")
        .replace('user_pref("mail.smtp.defaultserver", "smtp2");\n', "")
        .replace('"mail.smtpservers", "smtp2,smtp1"', '"mail.smtpservers", ""')
    )
    (profile / "prefs.js").write_text(text)
    (account,) = fixer.diagnose_profile(profile, settings())
    assert "outgoing.server" in {f.setting for f in account.findings}
    fixer.repair_profile(profile, settings())
    assert fixer.diagnose_profile(profile, settings())[0].findings == ()


def test_pop_leave_on_server_is_turned_on(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    text = BROKEN.replace('"mail.server.server1.type", "imap"', '"mail.server.server1.type", "pop3"')
    (profile / "prefs.js").write_text(text)
    (account,) = fixer.diagnose_profile(profile, settings())
    assert "pop.leave_on_server" in {f.setting for f in account.findings}
    fixer.repair_profile(profile, settings())
    assert prefs_of(profile).get_bool("mail.server.server1.leave_on_server") is True
    assert prefs_of(profile).get_int("mail.server.server1.port") == 110


def test_an_account_our_writer_made_has_no_finding(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    profile.mkdir()
    for protocol in (IMAP, POP3):
        made = settings(protocol=protocol)
        install_account(made, profile)
    accounts = fixer.diagnose_profile(profile, settings())
    assert len(accounts) == 2
    assert all({f.setting for f in a.findings} == {"duplicate"} for a in accounts)


def test_user_js_that_would_undo_the_repair_is_refused(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    (profile / "user.js").write_text('user_pref("mail.server.server1.authMethod", 4);\n')
    snapshot = all_bytes(profile)
    with pytest.raises(ProfileWriteError, match=r"user\.js"):
        fixer.repair_profile(profile, settings())
    assert all_bytes(profile) == snapshot


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks are Unix")
def test_repair_is_refused_while_thunderbird_runs(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    (profile / ".parentlock").write_bytes(b"")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\nfd = os.open(sys.argv[1], os.O_RDWR)\nfcntl.lockf(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\nsys.stdin.read()\n",
            str(profile / ".parentlock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        snapshot = all_bytes(profile)
        with pytest.raises(ThunderbirdRunning):
            fixer.repair_profile(profile, settings())
        assert all_bytes(profile) == snapshot
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


def test_owner_and_mode_of_prefs_js_are_kept(tmp_path: Path) -> None:
    profile = broken_profile(tmp_path)
    os.chmod(profile / "prefs.js", 0o640)
    filters = profile / "ImapMail" / "mail.example.org" / "msgFilterRules.dat"
    os.chmod(filters, 0o604)
    fixer.repair_profile(profile, settings())
    assert (profile / "prefs.js").stat().st_mode & 0o777 == 0o640
    assert filters.stat().st_mode & 0o777 == 0o604
    assert (profile / "prefs.js").stat().st_uid == os.getuid()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_administrator_repair_keeps_the_person_as_owner(tmp_path: Path) -> None:
    import pwd

    person = pwd.getpwnam("nobody")
    profile = broken_profile(tmp_path)
    filters = profile / "ImapMail" / "mail.example.org" / "msgFilterRules.dat"
    for path in (profile / "prefs.js", filters):
        os.chown(path, person.pw_uid, person.pw_gid)
    result = fixer.repair_profile(profile, settings())
    for path in (profile / "prefs.js", filters, *result.backups):
        assert (path.stat().st_uid, path.stat().st_gid) == (person.pw_uid, person.pw_gid), path


def test_find_accounts_looks_in_every_profile(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = home / ".thunderbird"
    root.mkdir(parents=True)
    for name in ("a.default", "b.work"):
        shutil.copytree(broken_profile(tmp_path / name), root / name)
    (root / "profiles.ini").write_text(
        "[Profile0]\nName=a\nIsRelative=1\nPath=a.default\nDefault=1\n\n[Profile1]\nName=b\nIsRelative=1\nPath=b.work\n"
    )
    found = reader.find_accounts(settings().address, settings().provider, home=home, platform="linux")
    assert sorted(Path(a.profile).name for a in found) == ["a.default", "b.work"]


def test_a_failed_prefs_write_puts_the_filter_file_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = broken_profile(tmp_path)
    filters = profile / "ImapMail" / "mail.example.org" / "msgFilterRules.dat"
    real = fixer.atomic.write_atomic

    def failing(path: Path, data: bytes, **kwargs: object) -> None:
        if path.name == "prefs.js":
            raise OSError(28, "No space left on device", str(path))
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fixer.atomic, "write_atomic", failing)
    with pytest.raises(ProfileWriteError, match="old settings are unchanged"):
        fixer.repair_profile(profile, settings())
    assert filters.read_text() == FILTERS
    assert (profile / "prefs.js").read_text() == BROKEN

"""Renders every wizard page to PNG against the real Dovecot test servers, so anyone can look at the wizard
without clicking through it:

    python -m tests.gui.screenshots --out docs/screenshots          # offscreen (no display needed)
    xvfb-run -a python -m tests.gui.screenshots --out docs/screenshots   # a real X server

Needs what the server tests need (dovecot, root). A temporary home holds one Thunderbird profile, so the
certificate and mail-program pages show what they show on a real computer; nothing outside it is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from setup_assistant.core.provider import load_provider
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.icons import app_icon
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.services import Services
from setup_assistant.gui.wizard import MailWizard
from tests.thunderbird_home import thunderbird_profile

SIZE = (760, 640)
USER = "jane.doe@example.org"
PROVIDER_HEADER = """[provider]
id = "npomail"
name = "NPOMail"
organization = "Electric Embers"
webmail = "http://mail.{domain}"
prefer = "starttls"
password_reset = "your organization's postmaster"
purge_days = 14
spam_folders = ["Spam", "Virus"]
group_address = "all@{domain}"
"""


def npomail_like_provider(test_provider_toml: str) -> str:
    """The test servers' provider file with NPOMail's name and guide facts, for realistic screenshots."""
    body = test_provider_toml.split("[servers.imap]", 1)[1]
    return PROVIDER_HEADER + "\n[servers.imap]" + body


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


class Shooter:
    def __init__(self, out: Path, provider_path: Path, work: Path, *, check_fit: bool = False) -> None:
        self.out = out
        self.provider_path = provider_path
        self.work = work
        self.written: list[Path] = []
        self.check_fit = check_fit  # at the wizard's own default size, and every cut-off text is noted
        self.problems: list[str] = []

    def wizard(self, name: str, **model_fields: object) -> MailWizard:
        home = self.work / name / "home"
        home.mkdir(parents=True)
        thunderbird_profile(home, "k3x9q2ab.default-release")
        services = Services(
            settings=QSettings(str(self.work / name / "settings.ini"), QSettings.Format.IniFormat),
            passwords=PasswordStore("NPOMail mail"),  # this computer's real keyring (or its absence)
            platform="linux",
            home=home,
            app_data=self.work / name / "app-data",
            documents=Path.home() / "Documents",
        )
        os.environ["SETUP_ASSISTANT_DATA_DIR"] = str(self.work / name / "data")
        wizard = MailWizard(WizardModel(load_provider(self.provider_path), **model_fields), services)  # type: ignore[arg-type]
        if not self.check_fit:
            wizard.resize(*SIZE)
        wizard.show()
        settle()
        return wizard

    def shoot(self, wizard: MailWizard, name: str) -> None:
        settle()
        if self.check_fit:
            from tests.gui.fit import cut_off_texts

            self.problems += [f"{name}: {p}" for p in cut_off_texts(wizard.currentPage(), wizard)]
            screen = wizard.screen().availableGeometry()
            if wizard.width() > screen.width() or wizard.height() > screen.height():
                self.problems.append(
                    f"{name}: the window ({wizard.width()}×{wizard.height()}) is larger than the "
                    f"screen ({screen.width()}×{screen.height()})"
                )
        path = self.out / f"{name}.png"
        if not wizard.grab().save(str(path)):
            raise OSError(f"could not save {path}")
        self.written.append(path)

    def to_check(self, wizard: MailWizard, password: str) -> None:
        wizard.address_page.address.setText(USER)
        wizard.address_page.name.setText("Jane Doe")
        wizard.next()
        wizard.password_page.password.setText(password)
        wizard.next()


def render_all(
    out: Path, test_provider_toml: str, password: str, blackhole_port: int, *, check_fit: list[str] | None = None
) -> list[Path]:
    """Walks the wizard through every page and state worth seeing; returns the PNG files written.

    With `check_fit` (a list), the wizard keeps its default size and every text cut off is added to the list.
    """
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sa-screens-"))
    data_dir = os.environ.get("SETUP_ASSISTANT_DATA_DIR")
    try:
        provider = work / "npomail-test.toml"
        provider.write_text(npomail_like_provider(test_provider_toml), encoding="utf-8")
        blocked = work / "npomail-blocked.toml"
        blocked.write_text(
            _replace_port(npomail_like_provider(test_provider_toml), "servers.smtp", "starttls_port", blackhole_port),
            encoding="utf-8",
        )
        unreachable = work / "npomail-unreachable.toml"
        text = npomail_like_provider(test_provider_toml)
        for table in ("servers.imap", "servers.pop3", "servers.smtp"):
            for key in ("starttls_port", "ssl_port"):
                text = _replace_port(text, table, key, _closed_port())
        unreachable.write_text(text, encoding="utf-8")
        shooter = Shooter(out, provider, work, check_fit=check_fit is not None)

        wizard = shooter.wizard("invalid")
        wizard.address_page.address.setText("jane.doe@example")
        wizard.address_page.show_message()
        shooter.shoot(wizard, "1-address-invalid")
        wizard.address_page.address.setText(USER)
        wizard.address_page.name.setText("Jane Doe")
        shooter.shoot(wizard, "1-address")
        wizard.next()
        wizard.password_page.password.setText(password)
        shooter.shoot(wizard, "2-password")
        wizard.done(0)  # not close(): that would ask "Close the assistant?" midway

        wizard = shooter.wizard("happy")
        shooter.to_check(wizard, password)
        wait_for(lambda: not wizard.checking_page.running)
        shooter.shoot(wizard, "3-checking-done")
        wizard.next()
        shooter.shoot(wizard, "4-result-works")
        wizard.result_page.details.button.setChecked(True)
        shooter.shoot(wizard, "4-result-details")
        wizard.result_page.details.button.setChecked(False)
        wizard.next()
        shooter.shoot(wizard, "5-certificate")
        wizard.certificate_page.install.click()
        wait_for(lambda: not wizard.certificate_page.running)
        shooter.shoot(wizard, "5-certificate-installed")
        wizard.next()
        shooter.shoot(wizard, "6-programs")
        wizard.next()
        wait_for(lambda: wizard.currentId() == PageId.DONE)
        shooter.shoot(wizard, "7-done")
        wizard.done(0)  # not close(): that would ask "Close the assistant?" midway

        wizard = shooter.wizard("wrong")
        shooter.to_check(wizard, "not the password")
        wait_for(lambda: not wizard.checking_page.running)
        wizard.next()
        shooter.shoot(wizard, "4-result-wrong-password")
        wizard.done(0)  # not close(): that would ask "Close the assistant?" midway

        shooter.provider_path = blocked
        wizard = shooter.wizard("blocked", grace=2.5)
        shooter.to_check(wizard, password)
        settle(1.4)  # long enough for the "Waiting for port …" line
        shooter.shoot(wizard, "3-checking-running")
        wait_for(lambda: not wizard.checking_page.running)
        wizard.next()
        shooter.shoot(wizard, "4-result-port-blocked")
        wizard.done(0)  # not close(): that would ask "Close the assistant?" midway

        shooter.provider_path = unreachable
        wizard = shooter.wizard("unreachable")
        shooter.to_check(wizard, password)
        wait_for(lambda: not wizard.checking_page.running)
        wizard.next()
        wizard.result_page.untested.setChecked(True)
        shooter.shoot(wizard, "4-result-unreachable")
        wizard.next()
        programs = wizard.programs_page
        programs.here.setChecked(True)
        shooter.shoot(wizard, "6-programs-untested")
        programs.save_only.setChecked(True)
        programs.folder.setText(str(shooter.work / "unreachable" / "files"))
        wizard.next()
        wait_for(lambda: wizard.currentId() == PageId.DONE)
        shooter.shoot(wizard, "7-done-not-tested")
        wizard.done(0)  # not close(): that would ask "Close the assistant?" midway
        if check_fit is not None:
            check_fit += shooter.problems
        return shooter.written
    finally:
        if data_dir is None:
            os.environ.pop("SETUP_ASSISTANT_DATA_DIR", None)
        else:
            os.environ["SETUP_ASSISTANT_DATA_DIR"] = data_dir
        shutil.rmtree(work, ignore_errors=True)


def _closed_port() -> int:
    """A port nothing listens on: connecting is refused at once, as when the server is down."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _replace_port(toml: str, table: str, key: str, port: int) -> str:
    lines = toml.splitlines()
    current = ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            current = line.strip("[]")
        elif current == table and line.startswith(f"{key} ="):
            lines[i] = f"{key} = {port}"
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--minimum-size", action="store_true", help="shoot at the wizard's minimum size")
    parser.add_argument(
        "--check-fit",
        action="store_true",
        help="keep the wizard's default size and fail (exit 1) when a text is cut off or the window is too big",
    )
    parser.add_argument(
        "--lang", choices=("en", "es"), default="en", help="the wizard's language (es: docs/screenshots/es)"
    )
    args = parser.parse_args(argv)
    global SIZE
    if args.minimum_size:
        SIZE = (MailWizard.minimum_size().width(), MailWizard.minimum_size().height())

    import socket

    import trustme

    from tests.servers.dovecot import USERS, DovecotServer, missing_reason

    reason = missing_reason()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 2
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    from setup_assistant.gui.translations import install

    install(app, args.lang)
    if not QFontDatabase.families():
        print("screenshots: no fonts installed; every glyph would be a box", file=sys.stderr)
        return 2
    ca = trustme.CA(organization_name="Setup Assistant Test CA")
    ca_dir = Path(tempfile.mkdtemp(prefix="sa-screens-ca-"))
    server = DovecotServer(ca).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        from tests.servers.provider_file import write_ca

        ca_path = ca_dir / "test-ca.pem"
        sha = write_ca(ca, ca_path)
        problems: list[str] | None = [] if args.check_fit else None
        written = render_all(
            args.out, server.provider_toml(ca_path, sha), USERS[USER], silent.getsockname()[1], check_fit=problems
        )
    finally:
        silent.close()
        server.stop()
        shutil.rmtree(ca_dir, ignore_errors=True)
    for path in written:
        print(path)
    if problems:
        print("cut off:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

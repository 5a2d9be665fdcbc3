"""The wizard window: seven pages over one WizardModel, with the page order decided by `flow.next_page`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QSize, QTimer
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget, QWizard, QWizardPage

from setup_assistant.gui.flow import PageId, next_page
from setup_assistant.gui.icons import app_icon
from setup_assistant.gui.jobs import JobRunner
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.pages.address import AddressPage
from setup_assistant.gui.services import Services, certificate_needed
from setup_assistant.gui.widgets import announce

if TYPE_CHECKING:
    from setup_assistant.gui.pages.certificate import CertificatePage
    from setup_assistant.gui.pages.checking import CheckingPage
    from setup_assistant.gui.pages.done import DonePage
    from setup_assistant.gui.pages.password import PasswordPage
    from setup_assistant.gui.pages.programs import ProgramsPage
    from setup_assistant.gui.pages.result import ResultPage

MINIMUM_SIZE = QSize(560, 420)  # fits a 1920×1080 screen at 200% scale (960×540) with its taskbar and title bar
DEFAULT_SIZE = QSize(680, 580)
SCREEN_MARGIN = QSize(40, 90)  # the window frame, title bar and a taskbar

# Loaded on a pool thread once every page is built: the check, the certificate stores and the profile writers
# would otherwise be imported on the GUI thread when the person first needs them (a stall of up to a few
# hundred milliseconds on a slow computer: cryptography alone is tens).
PRELOAD = (
    "setup_assistant.core.probing.account_check",
    "setup_assistant.core.trust",
    "setup_assistant.core.clients.profiles",
    "setup_assistant.core.helpdesk.report",
)
SHUTDOWN_WAIT_MS = 3000
RETIRED_POLL_MS = 500
WRITE_WAIT_MS = 60_000  # a write that takes longer than this is stuck; closing then goes ahead


def _preload(_report: object) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)


class MailWizard(QWizard):
    password_page: PasswordPage
    checking_page: CheckingPage
    result_page: ResultPage
    certificate_page: CertificatePage
    programs_page: ProgramsPage
    done_page: DonePage

    def __init__(
        self, model: WizardModel, services: Services, parent: QWidget | None = None, *, defer_pages: bool = False
    ) -> None:
        """With defer_pages, pages 2-7 are built just after the first page is on screen (a faster start)."""
        super().__init__(parent)
        self.model = model
        self.services = services
        self.jobs = JobRunner(self)
        self.setWindowTitle(self.tr("{provider} Setup Assistant").format(provider=model.provider.name))
        self.setWindowIcon(app_icon())
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(self.default_size())
        self._name_buttons()

        self._add_address_page()
        self.setStartId(PageId.ADDRESS)
        self.pages_ready = False
        self._built: list[PageId] = []
        self._retired: list[QWizardPage] = []  # pages replaced by a change of language, deleted once jobs end
        self._build_after_paint = defer_pages
        self.after_first_paint: list[Callable[[], None]] = []  # run once the first page is on screen (deferred only)
        self._shown_id = -1
        self._closing = False
        self.close_question: QMessageBox | None = None
        self.currentIdChanged.connect(self._page_changed)
        if not defer_pages:
            self.build_remaining_pages()

    def _name_buttons(self) -> None:
        if self.wizardStyle() != QWizard.WizardStyle.MacStyle:  # a screen reader says "Next >" as "Next greater"
            self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next"))  # no mnemonic: Alt+N is "Your name"
            self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Back"))

    def _add_address_page(self) -> None:
        self.address_page = AddressPage(self.model, self.services.settings)
        self.address_page.language_chosen.connect(self.change_language)
        self.setPage(PageId.ADDRESS, self.address_page)

    def change_language(self, code: str) -> None:
        """Switches the core and the wizard to `code` now, and remembers it for the next start.

        The pages build their texts once, from the model, in their constructors and initializePage, so every page
        is rebuilt rather than patched: no text can be missed, and nothing is lost, because the choice is on the
        first page, where the later pages hold nothing the model does not (going Back cleans them up).
        """
        from setup_assistant.core import i18n
        from setup_assistant.gui import translations

        app = QCoreApplication.instance()
        if app is None or code == i18n.current_language():
            return
        translations.install(app, code)
        self.services.settings.setValue(translations.SETTING, code)
        QTimer.singleShot(0, self._rebuild_pages)  # not from inside the first page's own signal

    def _rebuild_pages(self) -> None:
        if self.pages_ready:
            self.checking_page.cancel_all()
        self.setWindowTitle(self.tr("{provider} Setup Assistant").format(provider=self.model.provider.name))
        self._name_buttons()  # in the new language too
        for page_id in (*self._built, PageId.ADDRESS):
            self._retired.append(self.page(page_id))
            self.removePage(page_id)
        self._delete_retired()
        self._built, self.pages_ready = [], False
        self._add_address_page()
        self.build_remaining_pages()
        self.restart()
        self.address_page.language.setFocus()

    def _delete_retired(self) -> None:
        """Old pages go once no job can call back into them (a password-store lookup may wait for an unlock)."""
        if self.jobs.busy:
            QTimer.singleShot(RETIRED_POLL_MS, self._delete_retired)
            return
        import shiboken6

        # Deleted now, not with deleteLater: a page's own Python cycles (its slots are lambdas over it) would
        # otherwise leave it to the garbage collector, which may run only at interpreter exit, after Qt is gone.
        for page in self._retired:
            shiboken6.delete(page)
        self._retired.clear()

    def build_remaining_pages(self) -> None:
        """Builds every page not built yet, now."""
        while self._build_next_page():
            pass

    def _build_next_page(self) -> bool:
        """Builds the next missing page (in order); False when there was none left."""
        if self.pages_ready:
            return False
        model, services, jobs = self.model, self.services, self.jobs
        step = len(self._built)
        if step == 0:
            from setup_assistant.gui.pages.password import PasswordPage

            self.password_page = PasswordPage(model, services.passwords, jobs)
            self._add(PageId.PASSWORD, self.password_page)
        elif step == 1:
            from setup_assistant.gui.pages.checking import CheckingPage

            self.checking_page = CheckingPage(model, jobs, services.trust_status)
            self._add(PageId.CHECKING, self.checking_page)
        elif step == 2:
            from setup_assistant.gui.pages.result import ResultPage

            self.result_page = ResultPage(model, services.passwords, jobs)
            self._add(PageId.RESULT, self.result_page)
            # Ticking "continue untested" makes Next the likely action again (and unticking, "Check again").
            self.result_page.completeChanged.connect(
                lambda: self._choose_default(PageId.RESULT, focus=False) if self.currentId() == PageId.RESULT else None
            )
        elif step == 3:
            from setup_assistant.gui.pages.certificate import CertificatePage

            self.certificate_page = CertificatePage(model, services, jobs)
            self._add(PageId.CERTIFICATE, self.certificate_page)
        elif step == 4:
            from setup_assistant.gui.pages.programs import ProgramsPage

            self.programs_page = ProgramsPage(model, services, jobs)
            self._add(PageId.PROGRAMS, self.programs_page)
        else:
            from setup_assistant.gui.pages.done import DonePage

            self.done_page = DonePage(model, jobs)
            self._add(PageId.DONE, self.done_page)
            self.pages_ready = True
            self.jobs.start(_preload)  # what the later steps import, loaded off the GUI thread
        return True

    def _add(self, page_id: PageId, page: QWizardPage) -> None:
        self.setPage(page_id, page)
        self._built.append(page_id)

    def _build_in_steps(self) -> None:
        """One page per turn of the event loop, so the window keeps answering while they are built."""
        if self._build_next_page() and not self.pages_ready:
            QTimer.singleShot(0, self._build_in_steps)

    def _choose_default(self, page_id: int, *, focus: bool) -> None:
        """The button Enter presses: the action a person most likely wants on this page (Next unless said here)."""
        # On the certificate page Enter means the recommended "Install", not Next (which would skip it).
        recommend = page_id == PageId.CERTIFICATE and self.pages_ready and self.certificate_page.install.isEnabled()
        # After "password not accepted" Enter means "Type the password again", when nothing was reached "Check again".
        action = self.result_page.recommended_action() if page_id == PageId.RESULT and self.pages_ready else None
        self.setOption(QWizard.WizardOption.NoDefaultButton, recommend or action is not None)
        if recommend:
            self.certificate_page.install.setDefault(True)
        if self.pages_ready:
            for button in (self.result_page.retype, self.result_page.again):
                button.setDefault(button is action)
        if action is not None:
            if focus:
                action.setFocus()
        elif not recommend:  # a page's own default took the dialog's default from Next/Finish: give it back
            final = QWizard.WizardButton.FinishButton if page_id == PageId.DONE else QWizard.WizardButton.NextButton
            final_button = self.button(final)
            if isinstance(final_button, QPushButton):
                final_button.setDefault(True)

    def _page_changed(self, page_id: int) -> None:
        came_back = 0 <= page_id < self._shown_id
        self._shown_id = page_id
        self._choose_default(page_id, focus=True)
        page = self.currentPage()
        if self.pages_ready and page is not None and page_id != PageId.ADDRESS:
            # A screen reader says the focused control, not the page's heading: say where the person is now
            # (and on the result page, what the check found), after the focus, without moving it.
            parts = [page.title(), page.subTitle()]
            if page_id == PageId.RESULT:
                parts.append(self.result_page.spoken_summary())
            announce(page, " ".join(part for part in parts if part))
        if came_back and page_id == PageId.PASSWORD and self.pages_ready:
            self.password_page.returned_to()

    @staticmethod
    def minimum_size() -> QSize:
        return QSize(MINIMUM_SIZE)

    def default_size(self) -> QSize:
        """DEFAULT_SIZE, or less on a small (or scaled-up) screen; never below the minimum. Pages scroll."""
        screen = self.screen()
        if screen is None:
            return QSize(DEFAULT_SIZE)
        room = screen.availableGeometry().size() - SCREEN_MARGIN
        return DEFAULT_SIZE.boundedTo(room).expandedTo(MINIMUM_SIZE)

    def nextId(self) -> int:
        current = self.currentId()
        if current < 0:
            return int(PageId.ADDRESS)
        return next_page(PageId(current), self.model, lambda m: certificate_needed(m.trust_report))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._build_after_paint:
            # The first page is on screen now; the others are built while the person starts typing.
            self._build_after_paint = False
            QTimer.singleShot(0, self._build_in_steps)
            for callback in self.after_first_paint:
                QTimer.singleShot(0, callback)

    def next(self) -> None:
        self.build_remaining_pages()  # in case Next comes before the deferred build (it never should)
        super().next()

    def stop_work(self) -> bool:
        """Tells every running core call to stop and waits briefly for the pool; True when all have ended."""
        if self.pages_ready:
            self.checking_page.cancel_all()
        return self.jobs.wait(SHUTDOWN_WAIT_MS)

    def _busy(self) -> tuple[bool, bool]:
        """(some work runs, a write runs): a check can be stopped at once, a write only finished."""
        if not self.pages_ready:
            return False, False
        writing = self.programs_page.running or self.certificate_page.running
        return writing or self.checking_page.running, writing

    def reject(self) -> None:
        """Escape, Cancel and the window's close button: ask first when closing would lose work."""
        if self._closing or not self.pages_ready:
            super().reject()
            return
        working, writing = self._busy()
        midway = PageId.CHECKING <= self.currentId() <= PageId.PROGRAMS  # chosen, not yet written
        if (working or midway) and not self.ask_to_close(working=working, writing=writing):
            return
        self._closing = True
        if writing:  # never leave a profile or a certificate store half written: let it finish first
            self.setEnabled(False)
            clock = QElapsedTimer()
            clock.start()
            loop = QEventLoop()  # waits in Qt's own loop: the pool's signals arrive, and the GIL is free meanwhile
            poll = QTimer()
            poll.setInterval(50)
            poll.timeout.connect(
                lambda: loop.quit() if not self._busy()[1] or clock.elapsed() > WRITE_WAIT_MS else None
            )
            poll.start()
            loop.exec()
            poll.stop()
        super().reject()

    def ask_to_close(self, *, working: bool, writing: bool) -> bool:
        """The question before closing; "Keep going" is the default, so Escape or Enter twice never loses work."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.windowTitle())
        if writing:
            box.setText(self.tr("The settings are being written. Close the assistant once that has finished?"))
        elif working:
            box.setText(self.tr("A check is running. Stop it and close the assistant?"))
        else:
            box.setText(self.tr("Close the assistant? Nothing has been set up or saved yet."))
        close = box.addButton(self.tr("&Close"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep going"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.close_question = box  # for tests and accessibility tools
        box.exec()
        self.close_question = None
        return box.clickedButton() is close

    def done(self, result: int) -> None:
        self.stop_work()
        self.model.forget_password()
        if self.pages_ready:
            self.password_page.password.clear()  # the field held it too
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)  # -> reject() -> done(), which stops the work once

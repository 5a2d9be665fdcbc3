"""What the person has told the wizard and what the checks found: plain data, passed to every page.

Pages read and write this object only; nothing global. The password lives here in memory and nowhere else
(unless the person ticks "Remember my password", which hands it to the OS password store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from setup_assistant.core.address import AddressError, EmailAddress, parse_address
from setup_assistant.core.model import DEFAULT_GRACE, DEFAULT_TIMEOUT, MailProtocol

if TYPE_CHECKING:  # only named in annotations here; the pages that use them load them when they do
    from setup_assistant.core.account import AccountSettings
    from setup_assistant.core.clients import Client
    from setup_assistant.core.clients.profiles import ProfilesOutcome
    from setup_assistant.core.probing.account_check import AccountCheck
    from setup_assistant.core.provider import Provider
    from setup_assistant.core.trust import TrustReport


@dataclass(frozen=True)
class DoneItem:
    """One line on the Done page: what was done, and the file (or program) the person can open from there."""

    text: str
    path: Path | None = None
    open_label: str | None = None  # the button's text; None: no button
    command: tuple[str, ...] = ()  # a program to start instead of opening `path`
    note: bool = False  # something to know rather than something done (shown with an info icon)


@dataclass
class WizardModel:
    provider: Provider
    address_text: str = ""
    display_name: str = ""
    password: str = field(default="", repr=False)
    remember_password: bool = False
    check: AccountCheck | None = None
    untested: bool = False  # nothing could be reached and the person chose the provider's published settings
    protocol: MailProtocol = MailProtocol.IMAP
    timeout: float = DEFAULT_TIMEOUT
    grace: float = DEFAULT_GRACE
    # Filled in by the certificate and mail-program pages.
    trust_report: TrustReport | None = None  # where the provider's root is needed, from the last check
    certificate_done: list[DoneItem] = field(default_factory=list)  # where the root certificate went
    certificate_offered: list[str] = field(default_factory=list)  # places the certificate page offered (keys)
    certificate_missing: list[str] = field(default_factory=list)  # programs set up that will ask about it
    clients: list[Client] = field(default_factory=list)
    save_only: bool = False
    out_dir: Path | None = None
    thunderbird_profile: Path | None = None
    written: ProfilesOutcome | None = None  # what the profile writer reports
    done: list[DoneItem] = field(default_factory=list)
    password_saved_in: str | None = None  # where "Remember my password" stored it, for the Done page

    @property
    def address(self) -> EmailAddress | None:
        try:
            return parse_address(self.address_text)
        except AddressError:
            return None

    def require_address(self) -> EmailAddress:
        address = self.address
        if address is None:
            raise ValueError("the wizard reached a page that needs an address without one")
        return address

    @property
    def domain(self) -> str:
        address = self.address
        return address.domain if address else "your-domain.org"

    @property
    def protocol_usable(self) -> dict[MailProtocol, bool]:
        """Which incoming protocols have a secure endpoint that worked in the last check."""
        if self.untested:
            return {MailProtocol.IMAP: True, MailProtocol.POP3: True}
        if self.check is None:
            return {MailProtocol.IMAP: False, MailProtocol.POP3: False}
        rec = self.check.probe.recommended
        return {MailProtocol.IMAP: rec.imap is not None, MailProtocol.POP3: rec.pop3 is not None}

    @property
    def tested(self) -> bool:
        """The settings come from a check that reached the servers (not the untested published ones)."""
        return self.check is not None and not self.untested and self.check.probe.secure_setup_exists

    @property
    def can_set_up(self) -> bool:
        """A profile can be written: the chosen incoming protocol and sending both work securely."""
        check = self.check
        if check is None or check.probe.cancelled:
            return False
        if self.untested:
            return True
        return check.probe.recommended.smtp is not None and self.protocol_usable[self.protocol]

    def settings(self) -> AccountSettings:
        """The account as the profile writers want it, from the endpoints that really worked."""
        if self.check is None:
            raise ValueError("no check has run yet")
        if self.untested:
            from setup_assistant.core.account import settings_without_probe

            return settings_without_probe(
                self.provider, self.require_address(), display_name=self.display_name or None, protocol=self.protocol
            )
        from setup_assistant.core.account import settings_from_probe

        return settings_from_probe(
            self.provider,
            self.require_address(),
            self.check.probe.endpoints,
            display_name=self.display_name or None,
            protocol=self.protocol,
        )

    def forget_password(self) -> None:
        self.password = ""

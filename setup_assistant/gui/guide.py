"""The guide's "what next" for one person (webmail, password, forwarding, spam folders, the group address),
shared by the Done page and the settings sheet so both always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from setup_assistant.core.address import EmailAddress
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.provider import Provider


@dataclass(frozen=True)
class NextStep:
    title: str
    text: str
    link: str | None = None  # shown as a clickable address after the text


def _spam_folders(provider: Provider) -> list[str]:
    folders = provider.extra.get("spam_folders")
    if isinstance(folders, list) and all(isinstance(f, str) for f in folders):
        return folders
    return []


def _purge_days(provider: Provider) -> int | None:
    days = provider.extra.get("purge_days")
    return days if isinstance(days, int) and not isinstance(days, bool) and days > 0 else None


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return QCoreApplication.translate("Guide", "{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def next_steps(provider: Provider, address: EmailAddress, protocol: MailProtocol) -> list[NextStep]:
    webmail = provider.webmail_url(address.domain)
    steps = [
        NextStep(
            QCoreApplication.translate("Guide", "Webmail"),
            QCoreApplication.translate(
                "Guide",
                "Read your mail in a web browser. Log in there with your short username, {short}, "
                "not the full address.",
            ).format(short=address.short_username),
            webmail,
        ),
        NextStep(
            QCoreApplication.translate("Guide", "Changing your password"),
            QCoreApplication.translate(
                "Guide",
                "Log in to webmail and click Options → Change Password. Then type the new password in your mail "
                "program too.",
            ),
        ),
        NextStep(
            QCoreApplication.translate("Guide", "Forwarding or a vacation message"),
            QCoreApplication.translate(
                "Guide",
                "Log in to webmail and click Options → Forwarding and Vacation Message. Only one of the two can be "
                "on at a time.",
            ),
        ),
    ]
    folders = _spam_folders(provider)
    if folders:
        named = _join(folders)
        if protocol is MailProtocol.IMAP:
            text = QCoreApplication.translate(
                "Guide",
                "Messages marked as spam or viruses are moved to the folders {folders} on the server. With IMAP you "
                "see these folders in your mail program and in webmail.",
            ).format(folders=named)
        else:
            text = QCoreApplication.translate(
                "Guide",
                "Messages marked as spam or viruses are moved to the folders {folders} on the server. With POP your "
                "mail program cannot show these folders: look at them in webmail.",
            ).format(folders=named)
        days = _purge_days(provider)
        if days is not None:
            text += " " + QCoreApplication.translate(
                "Guide", "Messages in these folders, and in the Trash, are deleted after {days} days."
            ).format(days=days)
        steps.append(NextStep(QCoreApplication.translate("Guide", "Spam and viruses"), text))
    group = provider.group_address(address.domain)
    if group:
        steps.append(
            NextStep(
                QCoreApplication.translate("Guide", "Writing to everyone"),
                QCoreApplication.translate(
                    "Guide",
                    "To write to everyone in your organization, send a message to {group}. This works only from "
                    "webmail: mail from outside to this address is refused, to prevent spam.",
                ).format(group=group),
            )
        )
    return steps

"""The order of the wizard's pages as a pure function of the model, so the flow is testable without widgets."""

from __future__ import annotations

import enum
from collections.abc import Callable

from setup_assistant.gui.model import WizardModel


class PageId(enum.IntEnum):
    ADDRESS = 0
    PASSWORD = 1
    CHECKING = 2
    RESULT = 3
    CERTIFICATE = 4
    PROGRAMS = 5
    DONE = 6


END = -1  # QWizard's "no next page"


def next_page(current: PageId, model: WizardModel, certificate_needed: Callable[[WizardModel], bool]) -> int:
    """The page after `current`; the certificate page only when the trust check says it is needed."""
    if current is PageId.RESULT:
        return PageId.CERTIFICATE if certificate_needed(model) else PageId.PROGRAMS
    if current is PageId.DONE:
        return END
    return current + 1

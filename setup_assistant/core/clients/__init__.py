"""The mail programs: one module or package per program (its files, and the edits of its own settings), the shared
instructions page, and the writer that runs them all (profiles.py). Never talks to a server.

This package's own namespace holds only the programs' names, so that the wizard can list them on screen without
loading the writers and what they need (plist, PKCS#7, XML).
"""

from __future__ import annotations

import enum


class Client(enum.StrEnum):
    THUNDERBIRD = "thunderbird"
    OUTLOOK = "outlook"
    APPLE_MAIL = "apple-mail"

    @property
    def label(self) -> str:
        return {"thunderbird": "Thunderbird", "outlook": "Outlook", "apple-mail": "Apple Mail"}[self.value]


ALL_CLIENTS: tuple[Client, ...] = tuple(Client)

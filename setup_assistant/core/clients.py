"""The mail programs the assistant can set up, as plain names.

Apart from the profile writers (profiles.py) so that the wizard can list the programs on screen without
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

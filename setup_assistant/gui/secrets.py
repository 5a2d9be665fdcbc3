"""The opt-in "Remember my password": the OS password store through `keyring`, never a file of ours.

Where it goes: Windows Credential Manager, the macOS Keychain, or the desktop's Secret Service (GNOME Keyring,
KWallet) on Linux. When keyring finds no usable store (a headless Linux, a minimal desktop), `where()` is None
and the wizard says so instead of offering the option; nothing here ever raises into the GUI.
keyring itself is loaded on first use (the password page), not when the wizard starts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)


class PasswordStoreError(Exception):
    """The store refused or failed; str() is a sentence for the person."""


def _usable(backend: KeyringBackend) -> list[KeyringBackend]:
    """The real stores behind a backend: a chainer is unwrapped; the fail and null backends count as none."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        return [b for inner in backend.backends for b in _usable(inner)]
    if isinstance(backend, fail.Keyring | null.Keyring):
        return []
    return [backend]


def describe_backend(backend: KeyringBackend) -> str:
    module = type(backend).__module__
    if module.startswith("keyring.backends.Windows"):
        return QCoreApplication.translate("PasswordStore", "Windows Credential Manager")
    if module.startswith("keyring.backends.macOS"):
        return QCoreApplication.translate("PasswordStore", "the macOS Keychain")
    if module.startswith(("keyring.backends.SecretService", "keyring.backends.libsecret")):
        return QCoreApplication.translate(
            "PasswordStore", "your desktop's password store (Secret Service, for example GNOME Keyring)"
        )
    if module.startswith("keyring.backends.kwallet"):
        return QCoreApplication.translate("PasswordStore", "KDE Wallet")
    return QCoreApplication.translate("PasswordStore", "the password store “{name}”").format(
        name=getattr(backend, "name", type(backend).__name__)
    )


class PasswordStore:
    """One service name per provider; the username is the full address, as in the mail program."""

    def __init__(self, service: str, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend

    def _keyring(self) -> KeyringBackend | None:
        try:
            if self._backend is not None:
                backend = self._backend
            else:
                import keyring

                backend = keyring.get_keyring()
        except Exception as exc:  # a broken keyring configuration must not stop the wizard
            log.warning("keyring is unusable: %s", type(exc).__name__)
            return None
        return backend if _usable(backend) else None

    def where(self) -> str | None:
        """A human name for where a remembered password goes; None when this computer has no usable store."""
        backend = self._keyring()
        if backend is None:
            return None
        return describe_backend(_usable(backend)[0])

    def load(self, username: str) -> str | None:
        backend = self._keyring()
        if backend is None:
            return None
        try:
            return backend.get_password(self.service, username)
        except Exception as exc:
            log.warning("reading the password store failed: %s", type(exc).__name__)
            return None

    def save(self, username: str, password: str) -> str:
        """Stores the password; returns where. Raises PasswordStoreError with a human message."""
        backend = self._keyring()
        if backend is None:
            raise PasswordStoreError(
                QCoreApplication.translate(
                    "PasswordStore", "This computer has no password store that the assistant can use."
                )
            )
        try:
            backend.set_password(self.service, username, password)
        except Exception as exc:
            log.warning("saving to the password store failed: %s", type(exc).__name__)
            raise PasswordStoreError(
                QCoreApplication.translate("PasswordStore", "The password could not be saved in {where}.").format(
                    where=describe_backend(backend)
                )
            ) from None
        return describe_backend(_usable(backend)[0])

    def delete(self, username: str) -> None:
        """Forgets a remembered password; nothing to forget is fine."""
        backend = self._keyring()
        if backend is None:
            return
        from keyring.errors import PasswordDeleteError

        try:
            backend.delete_password(self.service, username)
        except PasswordDeleteError:
            return
        except Exception as exc:
            log.warning("removing from the password store failed: %s", type(exc).__name__)

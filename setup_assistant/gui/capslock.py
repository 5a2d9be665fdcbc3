"""A best-effort Caps Lock hint for the password field.

Qt has no portable way to read the Caps Lock state, so this infers it from what is typed: a letter whose case
disagrees with the Shift key ("A" without Shift, "a" with Shift) means Caps Lock is on; a letter whose case
agrees means it is off. Digits and symbols say nothing, and pressing the Caps Lock key flips a known state.
On Windows the real state is read from the OS (GetKeyState) instead. The hint can be wrong for keyboard
layouts without letter case, and it is unknown until the first letter is typed; it is a hint, nothing more.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent


def infer_caps_lock(text: str, shift: bool) -> bool | None:
    """True/False when one typed character tells the Caps Lock state, None when it cannot."""
    if len(text) != 1 or text.lower() == text.upper():
        return None
    return text.isupper() != shift


def _windows_caps_lock() -> bool | None:
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined,unused-ignore]
        return bool(user32.GetKeyState(0x14) & 1)  # VK_CAPITAL, low bit: toggled on
    except (OSError, AttributeError):
        return None


class CapsLockWatcher(QObject):
    """Event filter for one line edit; emits `changed(on)` when its idea of the Caps Lock state changes."""

    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state: bool | None = None

    def _set(self, state: bool | None) -> None:
        if state is None or state == self.state:
            return
        self.state = state
        self.changed.emit(state)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            from_os = _windows_caps_lock()
            if from_os is not None:
                self._set(from_os)
            elif event.key() == Qt.Key.Key_CapsLock:
                if self.state is not None:
                    self._set(not self.state)
            else:
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._set(infer_caps_lock(event.text(), shift))
        elif event.type() == QEvent.Type.FocusIn:
            self._set(_windows_caps_lock())
        return False

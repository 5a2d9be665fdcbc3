"""HKEY_CURRENT_USER as far as the Outlook setup needs it: the values, regedit's .reg file format, and a small
adapter (the real winreg on Windows, an in-memory one everywhere else) so that what reads and writes Outlook's
registry is tested on every platform."""

from __future__ import annotations

import codecs
import enum
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from setup_assistant.core.i18n import Message, reason
from setup_assistant.core.os_errors import os_reason


def _hkcu(key: str, name: str | None = None) -> str:
    """A value's (or key's) full name as regedit shows it, for a message."""
    return "HKCU\\" + key + ("\\" + name if name is not None else "")


REG_HEADER = "Windows Registry Editor Version 5.00"


class RegistryError(Exception):
    """The registry could not be read or changed; nothing this call changed is left behind."""


class RegistryKind(enum.StrEnum):
    SZ = "REG_SZ"
    EXPAND_SZ = "REG_EXPAND_SZ"
    DWORD = "REG_DWORD"
    BINARY = "REG_BINARY"  # classic Outlook keeps its account strings as UTF-16LE bytes of this kind


@dataclass(frozen=True)
class RegistryValue:
    key: str  # below HKEY_CURRENT_USER
    name: str
    kind: RegistryKind
    data: str | int | bytes


def setup_reg(values: Sequence[RegistryValue]) -> bytes:
    """A regedit file that sets the values."""
    return _reg_file([(v.key, v.name, v) for v in values])


def undo_reg(values: Sequence[RegistryValue], previous: Sequence[RegistryValue | None] | None = None) -> bytes:
    """A regedit file that removes the values, or puts back what was there before when that is known."""
    before = list(previous) if previous is not None else [None] * len(values)
    return _reg_file([(v.key, v.name, old) for v, old in zip(values, before, strict=True)])


def _reg_file(entries: Iterable[tuple[str, str, RegistryValue | None]]) -> bytes:
    """regedit's own export format: UTF-16 LE with a BOM, CRLF line ends, a blank line after each key."""
    grouped: dict[str, list[str]] = {}
    for key, name, value in entries:
        data = "-" if value is None else _reg_data(value)
        grouped.setdefault(key, []).append(f"{_reg_string(name)}={data}")
    lines = [REG_HEADER, ""]
    for key, assignments in grouped.items():
        lines += [f"[HKEY_CURRENT_USER\\{key}]", *assignments, ""]
    return codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def _reg_string(text: str) -> str:
    if any(c in text for c in "\r\n\x00"):
        raise ValueError(Message("a registry string in a .reg file cannot contain a line break"))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reg_data(value: RegistryValue) -> str:
    if value.kind is RegistryKind.DWORD:
        if not isinstance(value.data, int) or not 0 <= value.data <= 0xFFFFFFFF:
            raise ValueError(Message("{name}: a REG_DWORD must be a number from 0 to 4294967295", name=value.name))
        return f"dword:{value.data:08x}"
    if value.kind is RegistryKind.BINARY:
        if not isinstance(value.data, bytes):
            raise ValueError(Message("{name}: a REG_BINARY value must be bytes", name=value.name))
        return "hex:" + ",".join(f"{b:02x}" for b in value.data)
    if not isinstance(value.data, str):
        raise ValueError(Message("{name}: a {kind} value must be text", name=value.name, kind=value.kind.value))
    if value.kind is RegistryKind.EXPAND_SZ:
        raw = (value.data + "\x00").encode("utf-16-le")
        return "hex(2):" + ",".join(f"{b:02x}" for b in raw)
    return _reg_string(value.data)


# --- Registry adapter ----------------------------------------------------------------------------------


class Registry(Protocol):
    """HKEY_CURRENT_USER, as far as this assistant needs it."""

    def read(self, key: str, name: str) -> RegistryValue | None: ...

    def write(self, value: RegistryValue) -> None: ...

    def delete(self, key: str, name: str) -> None: ...

    def subkeys(self, key: str) -> list[str]:
        """The names of the keys directly below `key` (empty when it does not exist); for finding accounts."""
        ...


class MemoryRegistry:
    """An in-memory HKCU for tests; key and value names are case-insensitive, as in Windows."""

    def __init__(self, values: Iterable[RegistryValue] = ()) -> None:
        self._values: dict[tuple[str, str], RegistryValue] = {}
        for value in values:
            self.write(value)

    @staticmethod
    def _slot(key: str, name: str) -> tuple[str, str]:
        return key.lower(), name.lower()

    def read(self, key: str, name: str) -> RegistryValue | None:
        return self._values.get(self._slot(key, name))

    def write(self, value: RegistryValue) -> None:
        self._values[self._slot(value.key, value.name)] = value

    def delete(self, key: str, name: str) -> None:
        self._values.pop(self._slot(key, name), None)

    def values(self) -> list[RegistryValue]:
        return list(self._values.values())

    def subkeys(self, key: str) -> list[str]:
        prefix = key.rstrip("\\").lower() + "\\"
        names: dict[str, str] = {}
        for value in self._values.values():
            if value.key.lower().startswith(prefix):
                child = value.key[len(prefix) :].split("\\", 1)[0]
                names.setdefault(child.lower(), child)
        return sorted(names.values(), key=str.lower)


class WindowsRegistry:
    """The real HKEY_CURRENT_USER through winreg: no administrator rights needed."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise RegistryError(Message("the Windows registry exists only on Windows"))

    def read(self, key: str, name: str) -> RegistryValue | None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                    data, kind = winreg.QueryValueEx(handle, name)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise RegistryError(
                    Message("cannot read {value}: {why}", value=_hkcu(key, name), why=os_reason(exc))
                ) from None
            kinds = {
                winreg.REG_SZ: RegistryKind.SZ,
                winreg.REG_EXPAND_SZ: RegistryKind.EXPAND_SZ,
                winreg.REG_DWORD: RegistryKind.DWORD,
                winreg.REG_BINARY: RegistryKind.BINARY,
            }
            if kind not in kinds:
                raise RegistryError(
                    Message("{value} holds a kind of value this assistant does not change", value=_hkcu(key, name))
                )
            return RegistryValue(key, name, kinds[kind], data)
        raise RegistryError(Message("the Windows registry exists only on Windows"))

    def write(self, value: RegistryValue) -> None:
        if sys.platform == "win32":
            import winreg

            kinds = {
                RegistryKind.SZ: winreg.REG_SZ,
                RegistryKind.EXPAND_SZ: winreg.REG_EXPAND_SZ,
                RegistryKind.DWORD: winreg.REG_DWORD,
                RegistryKind.BINARY: winreg.REG_BINARY,
            }
            try:
                with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, value.key, 0, winreg.KEY_SET_VALUE) as handle:
                    winreg.SetValueEx(handle, value.name, 0, kinds[value.kind], value.data)
            except OSError as exc:
                raise RegistryError(
                    Message(
                        "cannot write {value}: {why}",
                        value=_hkcu(value.key, value.name),
                        why=os_reason(exc),
                    )
                ) from None
            return
        raise RegistryError(Message("the Windows registry exists only on Windows"))

    def delete(self, key: str, name: str) -> None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                    winreg.DeleteValue(handle, name)
            except FileNotFoundError:
                return
            except OSError as exc:
                raise RegistryError(
                    Message("cannot remove {value}: {why}", value=_hkcu(key, name), why=os_reason(exc))
                ) from None
            return
        raise RegistryError(Message("the Windows registry exists only on Windows"))

    def subkeys(self, key: str) -> list[str]:
        if sys.platform == "win32":
            import winreg

            names: list[str] = []
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                    count = winreg.QueryInfoKey(handle)[0]
                    names = [winreg.EnumKey(handle, i) for i in range(count)]
            except FileNotFoundError:
                return []
            except OSError as exc:
                raise RegistryError(Message("cannot list {key}: {why}", key=_hkcu(key), why=os_reason(exc))) from None
            return names
        raise RegistryError(Message("the Windows registry exists only on Windows"))


@dataclass(frozen=True)
class RegistryChange:
    """What apply_registry set, and what each value held before (None: it did not exist)."""

    values: tuple[RegistryValue, ...]
    previous: tuple[RegistryValue | None, ...]

    @property
    def changed(self) -> bool:
        return any(old != new for new, old in zip(self.values, self.previous, strict=True))

    def restore_reg(self) -> bytes:
        """A .reg file that puts every value back as it was before.

        Raises RegistryError when a value as it is now cannot be written into a .reg file (regedit has no way to
        say a line break): the caller asks for this before changing anything, so then nothing is changed."""
        try:
            return undo_reg(self.values, self.previous)
        except ValueError as exc:
            raise RegistryError(
                Message(
                    "a value Outlook has now cannot be saved in a restore file ({why}), so nothing was changed",
                    why=reason(exc),
                )
            ) from None


def planned_change(values: Sequence[RegistryValue], registry: Registry) -> RegistryChange:
    """What apply_registry would change, read before changing anything (for a restore file written first)."""
    return RegistryChange(tuple(values), tuple(registry.read(v.key, v.name) for v in values))


def apply_registry(values: Sequence[RegistryValue], registry: Registry) -> RegistryChange:
    """Sets the values; all or nothing: on a failure, what this call changed is put back."""
    previous = tuple(registry.read(v.key, v.name) for v in values)  # reads first: a refusal changes nothing
    done: list[tuple[RegistryValue, RegistryValue | None]] = []
    try:
        for value, old in zip(values, previous, strict=True):
            if old != value:
                registry.write(value)
                done.append((value, old))
    except RegistryError:
        for value, old in reversed(done):
            _put_back(registry, value, old)
        raise
    return RegistryChange(tuple(values), previous)


def restore_registry(change: RegistryChange, registry: Registry) -> None:
    """Undoes apply_registry: each value as it was before."""
    for value, old in zip(change.values, change.previous, strict=True):
        _put_back(registry, value, old)


def _put_back(registry: Registry, value: RegistryValue, old: RegistryValue | None) -> None:
    if old is None:
        registry.delete(value.key, value.name)
    else:
        registry.write(old)


# --- reading a .reg file back (what regedit would do with it) ---------------------------------------------


def parse_reg(data: bytes) -> list[tuple[str, str, RegistryValue | None]]:
    """The assignments of a regedit file this module wrote: (key, name, value or None for "remove").

    Reads exactly the forms _reg_file writes (strings, dword:, hex:, hex(2):, -), so that a restore file
    can be checked by applying it, as regedit would; raises ValueError on anything else.
    """
    text = data.decode("utf-16") if data.startswith(codecs.BOM_UTF16_LE) else data.decode("utf-8-sig")
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    if not lines or lines[0] != REG_HEADER:
        raise ValueError("not a regedit file")
    hive = "[HKEY_CURRENT_USER\\"
    key: str | None = None
    out: list[tuple[str, str, RegistryValue | None]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line.startswith("["):
            if not (line.startswith(hive) and line.endswith("]")):
                raise ValueError(f"only HKEY_CURRENT_USER keys are read: {line}")
            key = line[len(hive) : -1]
            continue
        if key is None or not line.startswith('"'):
            raise ValueError(f"unexpected line: {line}")
        name, rest = _read_reg_string(line)
        if not rest.startswith("="):
            raise ValueError(f"unexpected line: {line}")
        out.append((key, name, _read_reg_data(key, name, rest[1:])))
    return out


def _read_reg_string(text: str) -> tuple[str, str]:
    chars: list[str] = []
    i = 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            chars.append(text[i + 1])
            i += 2
            continue
        if c == '"':
            return "".join(chars), text[i + 1 :]
        chars.append(c)
        i += 1
    raise ValueError(f"unterminated string: {text}")


def _read_reg_data(key: str, name: str, text: str) -> RegistryValue | None:
    if text == "-":
        return None
    if text.startswith("dword:"):
        return RegistryValue(key, name, RegistryKind.DWORD, int(text[6:], 16))
    if text.startswith("hex(2):"):
        raw = bytes(int(b, 16) for b in text[7:].split(",") if b)
        return RegistryValue(key, name, RegistryKind.EXPAND_SZ, raw.decode("utf-16-le").rstrip("\x00"))
    if text.startswith("hex:"):
        return RegistryValue(key, name, RegistryKind.BINARY, bytes(int(b, 16) for b in text[4:].split(",") if b))
    if text.startswith('"'):
        value, rest = _read_reg_string(text)
        if rest:
            raise ValueError(f"unexpected text after a string: {text}")
        return RegistryValue(key, name, RegistryKind.SZ, value)
    raise ValueError(f"a kind of value this assistant does not read: {text}")


def apply_reg(data: bytes, registry: Registry) -> None:
    """Applies a regedit file written by this module (for restore files), as regedit would."""
    for key, name, value in parse_reg(data):
        if value is None:
            registry.delete(key, name)
        else:
            registry.write(value)

"""The language a person reads: chosen once per process, the system's by default, English when unsupported.

One process speaks one language. The core, the CLI and the instruction pages translate with gettext catalogs
(`resources/i18n/<lang>/LC_MESSAGES/setup_assistant.mo`); the wizard loads Qt's own catalogs
(`resources/i18n/setup_assistant_<lang>.qm`, found with `qt_catalog()`) for the language `current_language()`
names, so core and GUI always agree. Data never changes with the language: results keep English text, and only
what is shown to a person goes through `_()`.

Importing this module is cheap (no gettext, no subprocess, no ctypes until a language is needed), because the
wizard's first page imports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    import gettext

SUPPORTED: tuple[str, ...] = ("en", "es")
DEFAULT = "en"
DOMAIN = "setup_assistant"

_language: str | None = None  # None: not chosen yet, the system's on first use
_catalogs: dict[str, gettext.NullTranslations] = {}


def normalize(tag: str | None) -> str | None:
    """The supported language a locale name or language tag means ("es_AR.UTF-8", "es-419", "ES"), else None."""
    if not tag:
        return None
    base = tag.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED else None


def first_supported(tags: Iterable[str | None]) -> str | None:
    """The first of a person's preferred languages that this app speaks (their order is their preference)."""
    for tag in tags:
        code = normalize(tag)
        if code:
            return code
    return None


def _linux_preferences(environ: os._Environ[str] | dict[str, str]) -> list[str]:
    """gettext's order: LANGUAGE (a colon list), LC_ALL, LC_MESSAGES, LANG; "C"/"POSIX" means English.

    GNU gettext ignores LANGUAGE when the locale is "C", so do we.
    """
    locale_name = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    if locale_name.split(".", 1)[0] in ("C", "POSIX"):
        return ["en"]
    tags = [t for t in environ.get("LANGUAGE", "").split(":") if t] if locale_name else []
    return [*tags, locale_name] if locale_name else tags


def _windows_preferences() -> list[str]:
    """The Windows display languages, most preferred first (GetUserPreferredUILanguages; else the UI language)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    mui_language_name = 0x8
    count, size = wintypes.ULONG(0), wintypes.ULONG(0)
    get = kernel32.GetUserPreferredUILanguages
    if get(mui_language_name, ctypes.byref(count), None, ctypes.byref(size)) and size.value:
        buffer = ctypes.create_unicode_buffer(size.value)
        if get(mui_language_name, ctypes.byref(count), buffer, ctypes.byref(size)):
            names = ctypes.wstring_at(buffer, size.value)  # NUL-separated, ending in two NULs
            return [n for n in names.split("\0") if n]
    lang_id = int(kernel32.GetUserDefaultUILanguage())
    primary = lang_id & 0x3FF  # PRIMARYLANGID
    return {0x0A: ["es"], 0x09: ["en"]}.get(primary, [f"x-{primary:#x}"])


def _macos_preferences() -> list[str]:
    """macOS's preferred languages (System Settings > Language & Region), most preferred first."""
    try:
        return _macos_preferences_corefoundation()
    except (OSError, AttributeError, ValueError):
        pass
    import subprocess

    try:
        done = subprocess.run(
            ["/usr/bin/defaults", "read", "-g", "AppleLanguages"], capture_output=True, text=True, timeout=2
        )
    except (OSError, subprocess.SubprocessError):
        return []
    # An old-style plist array: ( "es-419", "en-US" )
    return [w.strip().strip('"') for w in done.stdout.strip().strip("()").split(",") if w.strip()]


def _macos_preferences_corefoundation() -> list[str]:
    import ctypes

    cf = ctypes.cdll.LoadLibrary("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
    cf.CFLocaleCopyPreferredLanguages.restype = ctypes.c_void_p
    cf.CFArrayGetCount.restype = ctypes.c_long
    cf.CFArrayGetCount.argtypes = [ctypes.c_void_p]
    cf.CFArrayGetValueAtIndex.restype = ctypes.c_void_p
    cf.CFArrayGetValueAtIndex.argtypes = [ctypes.c_void_p, ctypes.c_long]
    cf.CFStringGetCString.restype = ctypes.c_bool
    cf.CFStringGetCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_long, ctypes.c_uint32]
    cf.CFRelease.argtypes = [ctypes.c_void_p]
    utf8 = 0x08000100
    array = cf.CFLocaleCopyPreferredLanguages()
    if not array:
        return []
    try:
        names = []
        for i in range(cf.CFArrayGetCount(array)):
            buffer = ctypes.create_string_buffer(64)
            if cf.CFStringGetCString(cf.CFArrayGetValueAtIndex(array, i), buffer, len(buffer), utf8):
                names.append(buffer.value.decode("utf-8"))
        return names
    finally:
        cf.CFRelease(array)


def system_preferences(platform: str | None = None) -> list[str]:
    """The system's preferred languages as it names them, most preferred first (possibly empty)."""
    platform = platform or sys.platform
    try:
        if platform == "win32":
            return _windows_preferences()
        if platform == "darwin":
            return _macos_preferences()
    except (OSError, AttributeError, ValueError):
        return []
    return _linux_preferences(os.environ)


def system_language() -> str:
    """The first of the system's preferred languages that the app speaks, else English."""
    return first_supported(system_preferences()) or DEFAULT


def set_language(code: str | None) -> str:
    """Chooses the language for this process: a code ("es", "es_MX"...), or None for the system's.

    A language the app does not speak falls back to English. Returns the language now in use.
    """
    global _language
    _language = (normalize(code) if code else system_language()) or DEFAULT
    return _language


def current_language() -> str:
    """The language in use (the system's until `set_language` is called)."""
    return _language or set_language(None)


def catalog_dir() -> Path:
    """Where the compiled catalogs live (`resources/i18n`), from source, a wheel or the bundle alike."""
    from setup_assistant.core.resources import resource_path

    return resource_path("i18n")


def qt_catalog(code: str | None = None) -> Path | None:
    """The wizard's compiled Qt catalog for a language (`setup_assistant_<lang>.qm`), if it ships one."""
    path = catalog_dir() / f"{DOMAIN}_{code or current_language()}.qm"
    return path if path.is_file() else None


def _catalog() -> gettext.NullTranslations:
    code = current_language()
    found = _catalogs.get(code)
    if found is None:
        import gettext

        found = gettext.translation(DOMAIN, localedir=str(catalog_dir()), languages=[code], fallback=True)
        _catalogs[code] = found
    return found


def _(message: str) -> str:
    """`message` in the current language (the English text itself when there is no translation)."""
    if current_language() == DEFAULT:
        return message
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language."""
    if current_language() == DEFAULT:
        return singular if n == 1 else plural
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for extraction without translating it yet (translated where it is shown)."""
    return message


def translated(messages: Sequence[str]) -> list[str]:
    """Each of a list of marked (`N_`) messages, in the current language."""
    return [_(m) for m in messages]


class Message(str):
    """A sentence that is data and text at once: as a `str` it is the English text (JSON, logs and reports never
    change with the language), and `human()` is the same sentence in the current language, for a person.

    The template is the English msgid with `{named}` fields; a field's value may itself be a Message, which is
    translated with it. Extracted like `_()`.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Self:
        english = template.format_map({k: _value(v, human=False) for k, v in params.items()}) if params else template
        made = super().__new__(cls, english)
        made.template = template
        made.params = params
        return made

    def human(self) -> str:
        translated = _(self.template)
        return (
            translated.format_map({k: _value(v, human=True) for k, v in self.params.items()})
            if self.params
            else translated
        )


class PluralMessage(Message):
    """A Message whose wording depends on a count: `PluralMessage("{n} file", "{n} files", n, n=n)`.

    As a `str` it is the English singular or plural; `human()` picks the current language's form for `n`.
    Extracted like `ngettext()`.
    """

    plural: str
    quantity: int

    def __new__(cls, singular: str, plural: str, count: int, **params: object) -> Self:
        template = singular if count == 1 else plural
        made = super().__new__(cls, template, **params)
        made.template = singular
        made.plural = plural
        made.quantity = count
        return made

    def human(self) -> str:
        translated = ngettext(self.template, self.plural, self.quantity)
        return (
            translated.format_map({k: _value(v, human=True) for k, v in self.params.items()})
            if self.params
            else translated
        )


class Listing(Message):
    """Parts one after another ("code signing, time stamping"; "reason one; reason two"): English as data, each
    part in the person's language when shown. The separators are punctuation, the same in every language."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, parts: Sequence[str], separator: str = ", ") -> Self:
        made = super().__new__(cls, separator.join(str(p) for p in parts))
        made.parts = tuple(parts)
        made.separator = separator
        return made

    def human(self) -> str:
        return self.separator.join(_value(p, human=True) for p in self.parts)


def listing(parts: Sequence[str], separator: str = ", ", *, and_last: bool = False) -> str:
    """Parts as one text (a part alone as itself, none as ""); with `and_last`, "a, b and c" in each language."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    if and_last:
        parts = [*parts[:-2], Message("{first} and {second}", first=parts[-2], second=parts[-1])]
        if len(parts) == 1:
            return parts[0]
    return Listing(parts, separator)


def _value(value: object, *, human: bool) -> str:
    if isinstance(value, Message):
        return value.human() if human else str(value)
    return str(value)


def human(text: object) -> str:
    """What a person reads for a result's text: a Message in the current language, anything else as it is.

    An exception raised with a Message (`ProfileWriteError(Message(...))`) reads as that Message: its str() stays
    the English sentence for logs and JSON.
    """
    if isinstance(text, BaseException):
        text = reason(text)
    return text.human() if isinstance(text, Message) else str(text)


def reason(exc: BaseException) -> str:
    """An error's sentence as data: the Message it was raised with (so it can be put into another Message and
    still be translated where shown), else its English text."""
    message = exc.args[0] if len(exc.args) == 1 else None
    return message if isinstance(message, Message) else str(exc)

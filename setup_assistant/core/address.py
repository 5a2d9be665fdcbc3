"""The person's email address, which is also their username (the guide: "your full email address").

Messages are written for the person typing, not for a programmer: they say what is wrong.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from setup_assistant.core.i18n import Message, human


class AddressError(ValueError):
    """The text is not a usable email address: str() is the English sentence (logs), `human()` the same sentence
    in the person's language, for the person typing it."""

    def human(self) -> str:
        return human(self.args[0]) if self.args else str(self)


@dataclass(frozen=True)
class EmailAddress:
    local: str
    domain: str  # as typed, lower case: "bücher.example" typed so stays Unicode, "xn--bcher-kva.example" stays
    ascii_domain: str  # IDNA form for DNS and servers, e.g. "xn--bcher-kva.example"

    @property
    def address(self) -> str:
        """The address as the person's username: local part kept as typed, domain lower-cased."""
        return f"{self.local}@{self.domain}"

    @property
    def ascii_address(self) -> str:
        return f"{self.local}@{self.ascii_domain}"

    @property
    def username(self) -> str:
        return self.address

    @property
    def short_username(self) -> str:
        """The webmail login (the guide: "logging in with your short username")."""
        return self.local

    def __str__(self) -> str:
        return self.address


_MAX_INPUT = 320

# Characters that show as nothing (or as a blank) but make another address: Unicode's format characters
# (category Cf: zero-width space and joiners, bidi controls, soft hyphen, word joiner, BOM, tags...) and these,
# which are letters or marks by category but invisible in practice.
_INVISIBLE_EXTRAS = frozenset(
    {
        0x034F,  # combining grapheme joiner
        0x115F,  # Hangul choseong filler
        0x1160,  # Hangul jungseong filler
        0x17B4,  # Khmer vowel inherent aq
        0x17B5,  # Khmer vowel inherent aa
        0x180B,  # Mongolian free variation selectors 1-3 and 4
        0x180C,
        0x180D,
        0x180F,
        0x2800,  # Braille pattern blank
        0x3164,  # Hangul filler
        0xFFA0,  # halfwidth Hangul filler
        *range(0xFE00, 0xFE10),  # variation selectors 1-16
        *range(0xE0100, 0xE01F0),  # variation selectors 17-256
    }
)


def invisible_character(text: str) -> str | None:
    """The first invisible or formatting character in `text`, named like "U+200B ZERO WIDTH SPACE"; None if none."""
    for char in text:
        if unicodedata.category(char) == "Cf" or ord(char) in _INVISIBLE_EXTRAS:
            return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"
    return None


def parse_address(text: object) -> EmailAddress:
    """Parses what a person typed. Never raises anything but AddressError, whatever the input."""
    if not isinstance(text, str):
        raise AddressError(Message("Please type your email address."))
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if not value:
        raise AddressError(Message("Please type your email address."))
    if len(value) > _MAX_INPUT:
        raise AddressError(Message("That is too long to be an email address."))
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise AddressError(Message("The address contains a control character; please type it again."))
    invisible = invisible_character(value)
    if invisible is not None:
        raise AddressError(
            Message(
                "The address contains an invisible character ({character}), probably pasted along with it; "
                "please type the address again instead of pasting it.",
                character=invisible,
            )
        )
    if "@" not in value:
        raise AddressError(Message("There is no @ in that address: type it in full, like name@your-domain.org."))
    if any(c.isspace() for c in value):
        raise AddressError(Message("An email address cannot contain spaces."))
    if value.count("@") > 1:
        raise AddressError(Message("There is more than one @ in that address."))
    local, _, domain = value.partition("@")
    if not local:
        raise AddressError(Message("There is nothing before the @: your name part is missing."))
    if not domain:
        raise AddressError(Message("There is nothing after the @: the domain (like your-domain.org) is missing."))
    if domain.startswith("[") or _looks_like_ip(domain):
        raise AddressError(Message("Use your address with its domain name, not an IP address."))
    if "." not in domain.strip("."):
        raise AddressError(
            Message("The domain '{domain}' has no dot; it should look like your-domain.org.", domain=domain)
        )
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise AddressError(Message("The domain '{domain}' has a misplaced dot.", domain=domain))
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError(Message("The part before the @ has a misplaced dot."))
    # Imported here: compiling its patterns costs ~20 ms, which the wizard's first paint should not wait for.
    import email_validator
    import idna

    try:
        result = email_validator.validate_email(
            value, check_deliverability=False, allow_smtputf8=True, allow_quoted_local=False
        )
    except email_validator.EmailNotValidError as exc:
        raise AddressError(_humanize(str(exc))) from None
    except (UnicodeError, ValueError, idna.IDNAError):
        raise AddressError(Message("The domain is not a valid domain name.")) from None
    ascii_domain = (result.ascii_domain or result.domain).lower()
    # A domain typed in ASCII (xn--... included) is the person's username as typed: the validator would show
    # punycode as Unicode, and a server that stores the xn-- form would then be sent another username.
    shown = domain.lower() if domain.isascii() else result.domain.lower()
    return EmailAddress(local=result.local_part, domain=shown, ascii_domain=ascii_domain)


def _looks_like_ip(domain: str) -> bool:
    parts = domain.split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)


def _humanize(message: str) -> str:
    message = message.strip()
    if not message.endswith("."):
        message += "."
    return message[0].upper() + message[1:] if message else "That is not a valid email address."


def validation_message(text: str) -> str | None:
    """None when the text is a usable address, otherwise the sentence to show beside the field."""
    try:
        parse_address(text)
    except AddressError as exc:
        return exc.human()
    return None

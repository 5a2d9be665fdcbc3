"""The person's email address, which is also their username (the guide: "your full email address").

Messages are written for the person typing, not for a programmer: they say what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass


class AddressError(ValueError):
    """The text is not a usable email address; str() is a sentence for the person typing it."""


@dataclass(frozen=True)
class EmailAddress:
    local: str
    domain: str  # as typed (lower case, Unicode kept), e.g. "bücher.example"
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


def parse_address(text: object) -> EmailAddress:
    """Parses what a person typed. Never raises anything but AddressError, whatever the input."""
    if not isinstance(text, str):
        raise AddressError("Please type your email address.")
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if not value:
        raise AddressError("Please type your email address.")
    if len(value) > _MAX_INPUT:
        raise AddressError("That is too long to be an email address.")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise AddressError("The address contains a control character; please type it again.")
    if "@" not in value:
        raise AddressError("There is no @ in that address: type it in full, like name@your-domain.org.")
    if any(c.isspace() for c in value):
        raise AddressError("An email address cannot contain spaces.")
    if value.count("@") > 1:
        raise AddressError("There is more than one @ in that address.")
    local, _, domain = value.partition("@")
    if not local:
        raise AddressError("There is nothing before the @: your name part is missing.")
    if not domain:
        raise AddressError("There is nothing after the @: the domain (like your-domain.org) is missing.")
    if domain.startswith("[") or _looks_like_ip(domain):
        raise AddressError("Use your address with its domain name, not an IP address.")
    if "." not in domain.strip("."):
        raise AddressError(f"The domain '{domain}' has no dot; it should look like your-domain.org.")
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise AddressError(f"The domain '{domain}' has a misplaced dot.")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError("The part before the @ has a misplaced dot.")
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
        raise AddressError("The domain is not a valid domain name.") from None
    ascii_domain = result.ascii_domain or result.domain
    return EmailAddress(local=result.local_part, domain=result.domain.lower(), ascii_domain=ascii_domain.lower())


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
        return str(exc)
    return None

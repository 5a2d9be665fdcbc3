"""Address parsing: real addresses accepted, the rest refused with a sentence that says what is wrong."""

from __future__ import annotations

import random
import string

import pytest

from setup_assistant.core.address import AddressError, parse_address, validation_message


@pytest.mark.parametrize(
    ("text", "address", "ascii_domain"),
    [
        ("jane.doe@example.org", "jane.doe@example.org", "example.org"),
        ("Jane.Doe+news@Example.ORG", "Jane.Doe+news@example.org", "example.org"),
        ("  jane@example.org\n", "jane@example.org", "example.org"),
        ("<jane@example.org>", "jane@example.org", "example.org"),
        ("mailto:jane@example.org", "jane@example.org", "example.org"),
        ("jane@bücher.example", "jane@bücher.example", "xn--bcher-kva.example"),
        ("jane@xn--bcher-kva.example", "jane@xn--bcher-kva.example", "xn--bcher-kva.example"),  # kept as typed
        ("jane@XN--BCHER-KVA.Example", "jane@xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("straße@bücher.example", "straße@bücher.example", "xn--bcher-kva.example"),
        ("o'brien@sub.example.co.uk", "o'brien@sub.example.co.uk", "sub.example.co.uk"),
    ],
)
def test_real_addresses_are_accepted(text: str, address: str, ascii_domain: str) -> None:
    parsed = parse_address(text)
    assert parsed.address == address
    assert parsed.username == address  # the guide: the username is the full address
    assert parsed.ascii_domain == ascii_domain
    assert parsed.short_username == address.split("@")[0]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "type your email"),
        ("   ", "type your email"),
        ("jane.example.org", "no @"),
        ("jane@@example.org", "more than one @"),
        ("@example.org", "nothing before the @"),
        ("jane@", "nothing after the @"),
        ("jane@localhost", "no dot"),
        ("jane@example..org", "misplaced dot"),
        ("jane.@example.org", "misplaced dot"),
        ("ja ne@example.org", "spaces"),
        ("jane at example.org", "no @"),
        ("jane@192.168.1.1", "IP address"),
        ("jane@[192.168.1.1]", "IP address"),
        ("jane\x00@example.org", "control character"),
        ("a" * 400 + "@example.org", "too long"),
        ("jane@-example.org", "hyphen"),
    ],
)
def test_bad_addresses_say_what_is_wrong(text: str, needle: str) -> None:
    with pytest.raises(AddressError) as info:
        parse_address(text)
    assert needle.lower() in str(info.value).lower()
    assert validation_message(text) == str(info.value)


def test_parsing_never_needs_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("address parsing touched the network")

    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)
    assert parse_address("jane@example.org").domain == "example.org"


def test_no_string_crashes_the_parser() -> None:
    rng = random.Random(1234)
    alphabet = string.printable + "@@..äöü€\u200b\ud7ff\U0001f600<>&\"'\\"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        try:
            parse_address(text)
        except AddressError as exc:
            assert str(exc)
    for value in (None, 42, b"jane@example.org", "\udcff@example.org"):
        with pytest.raises(AddressError):
            parse_address(value)


INVISIBLE = [
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\u2800",  # Braille pattern blank
    "\ufe0f",  # variation selector-16
    "\U000e0101",  # variation selector-18
    "\u180b",  # Mongolian free variation selector
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u3164",  # Hangul filler
    "\U000e0041",  # tag latin capital A
]


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("where", ["start", "local", "before-at", "domain", "end"])
def test_an_invisible_character_anywhere_is_refused_as_pasted(char: str, where: str) -> None:
    text = {
        "start": f"{char}jane@example.org",
        "local": f"ja{char}ne@example.org",
        "before-at": f"jane{char}@example.org",
        "domain": f"jane@exam{char}ple.org",
        "end": f"jane@example.org{char}",
    }[where]
    with pytest.raises(AddressError) as caught:
        parse_address(text)
    message = str(caught.value)
    assert "invisible character" in message and "pasted" in message, message
    assert f"U+{ord(char):04X}" in message


def test_visible_letters_and_marks_are_not_invisible() -> None:
    for text in ("jöhn@example.org", "jo\u0308hn@example.org", "jane@bücher.example", "δοκιμή@παράδειγμα.δοκιμή"):
        parse_address(text)

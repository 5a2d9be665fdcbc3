"""Finds English left in text that should be Spanish: words that only English uses, outside what may stay English.

What may stay English is skipped: anything quoted ('…', "…", «…», “…”, `…`), an English label in brackets after
its Spanish description ([Leave messages on server]), choices in braces, words in capitals (IMAP, FILE), URLs,
paths, addresses, host names, option names and status codes (any word with a dot, slash, @, colon, hyphen or digit
in it). What is left is read word by word; a word from the list below does not occur in Spanish prose, so finding
one means a sentence was not translated.
"""

from __future__ import annotations

import re

# Common English words that are not also Spanish words ("no", "a", "me", "has", "mail" of Apple Mail are left out).
_ENGLISH_ONLY_PROSE = """
    the and or of to for on at by with from into onto about after before while when where which what who whom whose
    this that these those there their they them it its is are was were be been being have had do does did done
    not cannot can't could would should will shall may might must your you yours our we us he she his her
    could't couldn't doesn't don't isn't wasn't won't
    server servers connection connect connected connecting answer answered answers refused reset failed failure
    certificate certificates trusted untrusted expired valid login logged logging password passwords
    port ports blocked found missing wrong right unknown unexpected already needed needs installed install removed
    remove written write wrote saved save file files folder folders profile profiles account accounts address
    addresses line lines skipped row rows reason because only also still yet then than
"""
ENGLISH_ONLY = frozenset(_ENGLISH_ONLY_PROSE.split())

_SKIPPED = [
    re.compile(r"`[^`]*`"),
    re.compile(r"«[^»]*»"),
    re.compile(r"“[^”]*”"),
    re.compile(r"‘[^’]*’"),
    re.compile(r'"[^"\n]*"'),
    re.compile(r"(?<![\w])'[^'\n]*'(?![\w])"),
    re.compile(r"\[[^\]\n]*\]"),
    re.compile(r"\{[^}\n]*\}"),
    re.compile(r"\b\w+://\S+"),
    re.compile(r"\bsetup-assistant(?: [a-z]+)?"),  # the command and its subcommand are names
]
_WORD = re.compile(r"[^\s()\[\]{},;¿?¡!…]+")


def english_words(text: str) -> list[str]:
    """The English-only words of `text`, in order, outside quotes, bracketed labels, URLs, paths and codes."""
    for pattern in _SKIPPED:
        text = pattern.sub(" ", text)
    found = []
    for token in _WORD.findall(text):
        word = token.rstrip(".:'’").lstrip("'‘")
        if not word or word.isupper() or any(c in word for c in "./\\@:-_=0123456789"):
            continue
        if word.lower() in ENGLISH_ONLY:
            found.append(word)
    return found


def english_lines(text: str) -> list[str]:
    """The lines of `text` that still hold English words (for an assertion message a person can act on)."""
    text = re.sub(r"(?<=\w)-\n\s+(?=\w)", "-", text)  # an option name a help page wrapped at its hyphen
    return [line for line in text.splitlines() if english_words(line)]

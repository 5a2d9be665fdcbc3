"""Text a server chose, made safe to show: invisible control characters become visible escapes.

A certificate's subject, a greeting or an error string can carry terminal escape sequences (ESC[2J clears a
volunteer's screen), other C0/C1 controls, or bidi controls that make text read differently from what it is.
Shown, each becomes `\\uXXXX`, which is also a JSON escape of the same character, so escaping JSON output
this way leaves its data exactly as the server sent it.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL (Unicode category Cc), the line and paragraph separators, and the bidi controls.
_ANY = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BUT_NEWLINES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible(text: str) -> str:
    """One line of server text with every control character shown as an escape (newlines too)."""
    return _ANY.sub(_escape, text)


def visible_lines(text: str) -> str:
    """Output text with control characters shown as escapes, except the newlines that make its lines."""
    return _BUT_NEWLINES.sub(_escape, text)

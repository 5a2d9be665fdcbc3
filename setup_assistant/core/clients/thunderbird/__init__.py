"""Thunderbird: its prefs.js syntax (prefs), and the autoconfig file and profile edits that set it up (writer)."""

"""The PySide6 wizard: a thin Qt layer over `setup_assistant.core` (no network or file-format logic here)."""

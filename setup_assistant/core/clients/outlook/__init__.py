"""Classic Outlook for Windows: the files that set it up (writer) and the registry they go through (registry)."""

"""NPOMail Setup Assistant: sets up a mail program for NPOMail and proves that it works."""

__version__ = "0.1.0"
APP_NAME = "NPOMail Setup Assistant"  # folders, the log, the report: one name everywhere

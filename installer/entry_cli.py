"""Frozen entry of `setup-assistant-cli`, the console program: the same CLI as `python -m setup_assistant`."""

import sys

from setup_assistant.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Frozen entry of `setup-assistant-cli`, the console program: the same CLI as `python -m setup_assistant`."""

import sys

from setup_assistant.cli import main
from setup_assistant.core.clients.thunderbird.nss_worker import WORKER_FLAG
from setup_assistant.core.clients.thunderbird.nss_worker import main as nss_worker

if __name__ == "__main__":
    # The child that saves a password into Thunderbird (logins.py) is this same program with one flag.
    sys.exit(nss_worker() if sys.argv[1:2] == [WORKER_FLAG] else main(sys.argv[1:]))

"""Frozen entry of `setup-assistant`, the windowed program.

With no arguments it goes straight to the wizard, skipping the command-line parser (building it imports every
subcommand); any argument (`--provider FILE`, `--version`, a command) goes through the full CLI.
"""

import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["--thunderbird-nss-worker"]:  # the child that saves a password into Thunderbird (logins.py)
        from setup_assistant.core.clients.thunderbird.nss_worker import main as nss_worker

        return nss_worker()
    if argv:
        from setup_assistant.cli import main as cli_main

        return cli_main(argv)
    from setup_assistant.gui.app import run_wizard

    return run_wizard(None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

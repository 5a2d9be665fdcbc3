"""`python -m setup_assistant` and the `setup-assistant` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from setup_assistant.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())

"""`python -m playground` and the micrograd-playground command."""

import sys

from playground.cli import run


def main() -> None:
    """Run the app with the command-line arguments and exit with its code."""
    sys.exit(run())


if __name__ == "__main__":
    main()

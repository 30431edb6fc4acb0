"""`python -m playground` and the micrograd-playground command."""

import os
import sys

# The network's matrices are tiny: BLAS threads only add hand-off latency and fight the GUI
# thread for the two cores, so use one (set before NumPy loads; a user's own setting wins).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from playground.cli import run  # after the BLAS setting above


def main() -> None:
    """Run the app with the command-line arguments and exit with its code."""
    sys.exit(run())


if __name__ == "__main__":
    main()

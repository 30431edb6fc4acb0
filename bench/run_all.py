"""Run every benchmark under bench/ in turn, each in its own process."""

import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    failed = 0
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        failed += subprocess.call([sys.executable, str(script)]) != 0
    sys.exit(1 if failed else 0)

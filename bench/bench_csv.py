"""Importing a 100,000-row dataset file: how fast it is read, and what the window feels.

1. Reading the text of 100,000 rows as the app writes them (x,y,label,split, floats at full
   precision) into checked arrays: playground.core.csv_read.parse_csv (also on the same
   file with a comment every 2,000 lines), against the same file read a line at a time by
   csv_format.parse_row (the reader's fallback, and what every line went through before),
   NumPy's C parser (np.loadtxt with a structured dtype) and the csv module with float and
   int on each field. Medians of several rounds, in this process.
2. The live window (offscreen) training TensorFlow Playground's default set-up imports the
   file: the import's time, how long the GUI thread is held by the commit (the points
   replaced, redrawn and sent to training), and the longest wait of a 5 ms timer during the
   import against the same time without one (the window stays responsive if they are close).
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app sets it (playground/__main__.py)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from private_home import close_unasked, use_private_home
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from playground.core.csv_format import Layout, fields_of, is_data, parse_row
from playground.core.csv_read import parse_csv
from playground.core.dataset import Dataset

ROWS = 100_000
ROUNDS = 5
TARGET_S = 0.5  # to read 100,000 rows
TIMER_MS = 5


def csv_file(path: Path) -> Dataset:
    """ROWS random points of two classes, saved at path; the dataset they came from."""
    rng = np.random.default_rng(0)
    dataset = Dataset(points=rng.uniform(-6, 6, (ROWS, 2)), labels=rng.integers(0, 2, ROWS))
    dataset.save_csv(path)
    return dataset


def line_at_a_time(text: str) -> list:
    """Every data row through csv_format.parse_row, one line after the other."""
    layout = Layout("label", True)
    return [parse_row(fields_of(line), layout, f"line {n}")
            for n, line in enumerate(text.splitlines()[1:], start=2) if is_data(line)]


def with_loadtxt(text: str) -> np.ndarray:
    dtype = [("x", "f8"), ("y", "f8"), ("label", "i8"), ("split", "U5")]
    return np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1, dtype=dtype)


def with_csv_module(text: str) -> list:
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return [(float(x), float(y), int(label), split == "test") for x, y, label, split in reader]


def median_s(read, text: str) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        read(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def reading(path: Path, saved: Dataset) -> None:
    text = path.read_text()
    rows = parse_csv(text, path.name)
    assert np.array_equal(rows.points, saved.points) and np.array_equal(rows.labels, saved.labels)
    ours = median_s(lambda t: parse_csv(t, path.name), text)
    print(f"reading {ROWS:,} rows ({len(text) / 2**20:.1f} MiB), medians of {ROUNDS}:")
    print(f"  {'csv_read.parse_csv (checked arrays)':42s} {1e3 * ours:7.1f} ms  "
          f"(target {1e3 * TARGET_S:.0f} ms: {'met' if ours <= TARGET_S else 'MISSED'})")
    lines = text.splitlines()
    noted = "\n".join(f"# part {i // 2000}\n{line}" if i and i % 2000 == 0 else line
                       for i, line in enumerate(lines))
    with_notes = median_s(lambda t: parse_csv(t, path.name), noted)
    print(f"  {'... with a comment every 2,000 lines':42s} {1e3 * with_notes:7.1f} ms")
    for name, read in (("a line at a time (csv_format.parse_row)", line_at_a_time),
                       ("np.loadtxt, structured dtype", with_loadtxt),
                       ("csv module + float/int per field", with_csv_module)):
        peer = median_s(read, text)
        print(f"  {name:42s} {1e3 * peer:7.1f} ms  ours {ours / peer:5.2f}x its time")


def window_import(path: Path) -> None:
    from playground.ui.main_window import MainWindow, Setup

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Setup(), remember_layout=False)
    window.resize(1400, 900)
    window.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(TIMER_MS)
    commit = []
    load_rows = window.dataset.load_rows

    def timed_load_rows(*args) -> None:
        start = time.perf_counter()
        load_rows(*args)
        commit.append(time.perf_counter() - start)

    window.dataset.load_rows = timed_load_rows
    window.toggle_play()

    def run_for(seconds: float) -> float:
        """The longest wait between two timer ticks over the next seconds, in ms."""
        ticks.clear()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
        return 1e3 * float(np.diff(ticks).max())

    run_for(1.0)  # warm up
    ended: list[bool] = []
    window.csv_import.finished.connect(ended.append)
    ticks.clear()
    start = time.perf_counter()
    window.open_dataset(str(path))
    while not ended:
        app.processEvents()
    took = time.perf_counter() - start
    during = 1e3 * float(np.diff(ticks).max())
    run_for(1.0)  # the first frames with the new points
    quiet = run_for(took)
    close_unasked(window)
    print(f"the window, training, imports {ROWS:,} rows:")
    print(f"  import {1e3 * took:.0f} ms, of which the commit held the GUI thread "
          f"{1e3 * commit[0]:.0f} ms")
    print(f"  longest wait of a {TIMER_MS} ms timer: {during:.0f} ms during the import, "
          f"{quiet:.0f} ms training without one")


def main() -> None:
    path = Path(use_private_home()) / "big.csv"
    saved = csv_file(path)
    reading(path, saved)
    window_import(path)


if __name__ == "__main__":
    main()

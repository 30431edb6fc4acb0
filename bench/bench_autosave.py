"""What an autosave costs the window: its share on the GUI thread against a frame (16.7 ms).

A 1000-point workspace after 20,000 epochs (a history of 20,001 entries), in the live window
(offscreen). On the GUI thread an autosave only gathers the workspace: the view settings and
the session's state, which the training thread copies between two steps while the GUI thread
waits. Encoding the JSON and the atomic write (fsync included) run on the writer thread; they
are timed too, to show what would have landed on the GUI thread. Medians of several rounds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from private_home import close_unasked, use_private_home
from PySide6.QtWidgets import QApplication

from playground.core.atomic import write_atomic
from playground.core.dataset import Dataset
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.workspace import Workspace, encode

FRAME_MS = 1000 / 60
POINTS = 1000
EPOCHS = 20_000
ROUNDS = 15


def trained_workspace() -> Workspace:
    """A 1000-point circle trained EPOCHS epochs with Adam on a 2-8-8-1 network."""
    dataset = Dataset()
    dataset.load_preset("circle", POINTS, 0.1, 1)
    session = TrainingSession(dataset.snapshot(), NetworkSpec(hidden=(8, 8),
                                                              activations=("tanh", "tanh")),
                              TrainingConfig(batch_size=100, optimizer="adam"))
    for _ in range(EPOCHS):
        session.train_epoch()
    return Workspace.of_session(dataset, session.state(), "max")


def main() -> None:
    from playground.ui.main_window import MainWindow
    from playground.ui.workspace_io import window_workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    home = use_private_home()
    window = MainWindow()
    window.show()
    window.files.show_opened(trained_workspace(), os.path.join(home, "big.json"))
    while window.loop.latest.epoch < EPOCHS:
        app.processEvents()
    gather, encoding, writing = [], [], []
    target = os.path.join(home, "autosave.json")
    for _ in range(ROUNDS):
        app.processEvents()
        start = time.perf_counter()
        workspace = window_workspace(window)
        gathered = time.perf_counter()
        data = encode(workspace)
        encoded = time.perf_counter()
        write_atomic(target, data)
        written = time.perf_counter()
        gather.append(1e3 * (gathered - start))
        encoding.append(1e3 * (encoded - gathered))
        writing.append(1e3 * (written - encoded))
    close_unasked(window)
    size = len(data) / 2**20
    print(f"workspace: {POINTS} points, {EPOCHS + 1} history entries, {size:.1f} MiB of JSON")
    for name, times, where in (("gather (GUI thread)", gather, "GUI"),
                               ("encode (writer thread)", encoding, "writer"),
                               ("atomic write + fsync (writer thread)", writing, "writer")):
        median = statistics.median(times)
        print(f"{name:38s} median {median:6.2f} ms = {median / FRAME_MS:5.2f} frames ({where})")


if __name__ == "__main__":
    main()

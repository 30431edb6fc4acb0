"""The live window's speed: epochs/s while redrawing, frames/s, and event-loop latency.

Runs the real MainWindow offscreen on TensorFlow Playground's default set-up (circle, 500
points, half for training, 2-4-2-1 tanh, batch 10, learning rate 0.03, squared error), at the
"max" speed. Its peers, measured in the same run: the bare TrainingSession stepping with no
window (the ceiling; rounds alternate with the window's so both see the same machine load), and
TensorFlow Playground, which trains one epoch per animation frame (at most 60 epochs/s). A
round at the default pace (one epoch per drawn frame) checks that every epoch is drawn, and a
set of rounds trains a 2-8-8-8-1 tanh network with the network view's 27 live thumbnails
against the bare session of the same network.

Then the problem types, each in its own window at max speed against its bare session and
NumPy by hand for the same network: 4-class blobs on 2-8-8-4 (held to the same targets), 8-class
blobs and the sin(x) fit (whose window draws its curve at 300 x 300).
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app sets it (playground/__main__.py)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pyqtgraph as pg
from numpy_reference import BLOBS_4, BLOBS_8, SINE, Workload
from private_home import close_unasked, use_private_home
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from playground.core.dataset import Dataset
from playground.core.pace import DEFAULT_SPEED, MAX_SPEED
from playground.core.session import TrainingSession
from playground.core.setup import Setup
from playground.core.spec import NetworkSpec
from playground.ui.main_window import MainWindow

ROUNDS = 5
TYPE_ROUNDS = 3  # of each problem type's window
NUMPY_EPOCHS = 40  # NumPy by hand's round, for its epochs/s
ROUND_S = 2.0  # each round: this long bare, then this long in the window
WARMUP_S = 0.3  # after play, before a window round is measured
# the latency probe asks to run this often; each tick wakes the GUI thread, which then needs
# the interpreter lock from the training thread, so a much faster probe slows what it measures
PROBE_INTERVAL_MS = 20
TF_PLAYGROUND_EPOCHS_PER_S = 60.0
TARGET_EPOCHS_PER_S = 300.0
TARGET_FRAMES_PER_S = 30.0
TARGET_P99_MS = 50.0
WINDOW_SIZE = (1440, 900)  # the app's default size on a large enough screen
TARGET_INSIDE_VS_BARE = 0.7  # the window with every neuron's thumbnail, against the bare session


class PaintCounter(QObject):
    """Counts paint events of one widget: the frames actually drawn."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class LatencyProbe(QObject):
    """A timer re-armed at every tick; how late each tick fires is the event loop's latency."""

    def __init__(self) -> None:
        super().__init__()
        self.delays_ms: list[float] = []
        self._due = 0.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire early
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._arm()

    def stop(self) -> None:
        self.timer.stop()

    def _arm(self) -> None:
        self._due = time.perf_counter() + PROBE_INTERVAL_MS / 1000
        self.timer.start(PROBE_INTERVAL_MS)

    def _tick(self) -> None:
        self.delays_ms.append(max(0.0, (time.perf_counter() - self._due) * 1000))
        self._arm()


def run_event_loop(app: QApplication, seconds: float) -> None:
    """Run the real event loop (app.exec) for seconds, as the app does."""
    QTimer.singleShot(int(seconds * 1000), app.exit)  # quit() would close the window
    app.exec()


def bare_round(session: TrainingSession) -> float:
    """Epochs per second of the TrainingSession stepping alone in this thread."""
    epoch0, start = session.epoch, time.perf_counter()
    while time.perf_counter() - start < ROUND_S:
        session.step()
    return (session.epoch - epoch0) / (time.perf_counter() - start)


def window_round(app: QApplication, window: MainWindow, paints: PaintCounter,
                 probe: LatencyProbe, network: PaintCounter | None = None) -> dict[str, float]:
    """Train in the shown window for ROUND_S; what the user sees."""
    window.toggle_play()
    run_event_loop(app, WARMUP_S)
    first, paints0, frames0 = window.loop.latest, paints.count, window.frames_drawn
    network0 = network.count if network is not None else 0
    drawn_epochs: list[int] = []

    def record_drawn_epoch() -> None:  # in the GUI thread, as frameDrawn is emitted
        drawn_epochs.append(window.drawn_result.epoch)

    window.frameDrawn.connect(record_drawn_epoch)
    probe.start()
    start = time.perf_counter()
    run_event_loop(app, ROUND_S)
    elapsed = time.perf_counter() - start
    last = window.loop.latest
    probe.stop()
    window.frameDrawn.disconnect(record_drawn_epoch)
    window.toggle_play()
    run_event_loop(app, 0.1)  # let the worker pause
    frames = window.frames_drawn - frames0
    return {"epochs": (last.epoch - first.epoch) / elapsed,
            "steps": (last.step - first.step) / elapsed,
            "paints": (paints.count - paints0) / elapsed,
            "epochs_per_frame": (last.epoch - first.epoch) / max(frames, 1),
            "network_paints": ((network.count - network0) / elapsed if network is not None
                               else 0.0),
            "skipped": sum(b - a - 1 for a, b in itertools.pairwise(drawn_epochs) if b > a)}


def measure(app: QApplication, setup: Setup) -> tuple[dict[str, float], MainWindow]:
    """ROUNDS rounds of the bare session and the window in turn; the medians and ratios."""
    dataset = Dataset(test_fraction=setup.test_fraction, seed=setup.data_seed)
    dataset.load_preset(setup.preset, setup.n_points, setup.noise, setup.data_seed)
    session = TrainingSession(dataset.snapshot(), setup.spec, setup.config)
    window = MainWindow(setup, remember_layout=False)
    window.resize(*WINDOW_SIZE)  # the offscreen screen is small: room for the thumbnails
    window.show()
    paints = PaintCounter(window.editor.overlay.heatmap_label)
    thumbnails = PaintCounter(window.network_view)
    probe = LatencyProbe()
    bare, live = [], []
    for _ in range(ROUNDS):
        bare.append(bare_round(session))
        live.append(window_round(app, window, paints, probe, thumbnails))
    p50, p99 = np.percentile(probe.delays_ms, [50, 99])
    return {"epochs": statistics.median(r["epochs"] for r in live),
            "steps": statistics.median(r["steps"] for r in live),
            "frames": statistics.median(r["paints"] for r in live),
            "network_frames": statistics.median(r["network_paints"] for r in live),
            "bare_epochs": statistics.median(bare),
            # each window round against the bare round just before it: same machine load
            "vs_bare": statistics.median(r["epochs"] / b for r, b in zip(live, bare,
                                                                         strict=True)),
            "p50": float(p50), "p99": float(p99), "paints": paints, "probe": probe}, window


def main() -> None:
    use_private_home()
    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication([])
    setup = Setup(speed=MAX_SPEED.name)  # TensorFlow Playground's defaults, flat out
    numbers, window = measure(app, setup)
    accuracy = window.loop.latest.test_accuracy
    window.training.set_speed(DEFAULT_SPEED)
    paced = window_round(app, window, numbers["paints"], numbers["probe"])
    close_unasked(window)
    epochs, frames, p99 = numbers["epochs"], numbers["frames"], numbers["p99"]
    every_epoch_drawn = paced["skipped"] == 0 and abs(paced["epochs_per_frame"] - 1) < 0.05
    ok = (epochs >= TARGET_EPOCHS_PER_S and frames >= TARGET_FRAMES_PER_S
          and p99 <= TARGET_P99_MS and every_epoch_drawn and paced["paints"] >= TARGET_FRAMES_PER_S)
    print("live window, offscreen, TF Playground default (circle 500, 2-4-2-1 tanh, batch 10); "
          f"medians of {ROUNDS} rounds of {ROUND_S:g} s")
    print(f"  epochs/s while redrawing  {epochs:8.1f}   target >= {TARGET_EPOCHS_PER_S:.0f}"
          f"   ({numbers['steps']:,.0f} steps/s)")
    print(f"  frames drawn/s            {frames:8.1f}   target >= {TARGET_FRAMES_PER_S:.0f}")
    print(f"  event-loop latency p50    {numbers['p50']:8.2f} ms")
    print(f"  event-loop latency p99    {p99:8.2f} ms  target <= {TARGET_P99_MS:.0f} ms")
    print(f"  test accuracy at the end  {100 * accuracy:8.1f} %")
    print("ratios (same run)")
    print(f"  vs TensorFlow Playground's ceiling ({TF_PLAYGROUND_EPOCHS_PER_S:.0f} epochs/s)"
          f"       {epochs / TF_PLAYGROUND_EPOCHS_PER_S:6.1f}x")
    print(f"  vs the bare TrainingSession, no window ({numbers['bare_epochs']:,.0f} epochs/s)"
          f"  {numbers['vs_bare']:6.2f}x")
    print(f"default pace ({DEFAULT_SPEED.label}), one round of {ROUND_S:g} s")
    print(f"  frames drawn/s            {paced['paints']:8.1f}   target >= "
          f"{TARGET_FRAMES_PER_S:.0f}")
    print(f"  epochs per drawn frame    {paced['epochs_per_frame']:8.2f}   target 1, "
          f"epochs never drawn: {paced['skipped']}  ({paced['epochs']:.1f} epochs/s)")

    # the network view's thumbnails on a deeper network: every neuron's output from the grid
    deep = Setup(speed=MAX_SPEED.name,
                 spec=NetworkSpec(hidden=(8, 8, 8), activations=("tanh",) * 3))
    inside, window = measure(app, deep)
    close_unasked(window)
    inside_ok = (inside["vs_bare"] >= TARGET_INSIDE_VS_BARE
                 and inside["frames"] >= TARGET_FRAMES_PER_S and inside["p99"] <= TARGET_P99_MS)
    print("the network view's thumbnails on, 2-8-8-8-1 tanh (27 thumbnails), same data; "
          f"medians of {ROUNDS} rounds")
    print(f"  epochs/s while redrawing  {inside['epochs']:8.1f}   bare session "
          f"{inside['bare_epochs']:,.0f}: {inside['vs_bare']:.2f}x, "
          f"target >= {TARGET_INSIDE_VS_BARE:g}x")
    print(f"  frames drawn/s            {inside['frames']:8.1f}   target >= "
          f"{TARGET_FRAMES_PER_S:.0f}  (network view {inside['network_frames']:.1f}/s)")
    print(f"  event-loop latency p99    {inside['p99']:8.2f} ms  target <= "
          f"{TARGET_P99_MS:.0f} ms  (p50 {inside['p50']:.2f} ms)")

    print("problem types at max speed, offscreen; medians of "
          f"{TYPE_ROUNDS} rounds of {ROUND_S:g} s")
    for workload in (BLOBS_4, BLOBS_8, SINE):
        met = problem_type_round(app, workload)
        ok = ok and (met or workload is not BLOBS_4)
    print("targets met" if ok and inside_ok else "TARGETS NOT MET")
    sys.exit(0 if ok and inside_ok else 1)


def numpy_epochs_per_second(workload: Workload) -> float:
    """NumPy by hand's epochs/s on the workload, best of three rounds."""
    reference = workload.reference()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(NUMPY_EPOCHS):
            reference.epoch()
        times.append(time.perf_counter() - start)
    return NUMPY_EPOCHS / min(times)


def problem_type_round(app: QApplication, workload: Workload) -> bool:
    """A workload's window against its bare session and NumPy by hand; True if the window
    meets the targets."""
    setup = Setup(problem=workload.kind, preset=workload.preset, n_classes=workload.n_classes,
                  n_points=workload.n_points, spec=workload.spec(), config=workload.config,
                  speed=MAX_SPEED.name)
    session = workload.session()
    window = MainWindow(setup)
    window.show()
    paints = PaintCounter(window.editor.overlay.heatmap_label)
    probe = LatencyProbe()
    bare, live, numpy = [], [], []
    for _ in range(TYPE_ROUNDS):
        bare.append(bare_round(session))
        live.append(window_round(app, window, paints, probe))
        numpy.append(numpy_epochs_per_second(workload))
    close_unasked(window)
    epochs = statistics.median(r["epochs"] for r in live)
    frames = statistics.median(r["paints"] for r in live)
    vs_bare = statistics.median(r["epochs"] / b for r, b in zip(live, bare, strict=True))
    vs_numpy = statistics.median(n / r["epochs"] for r, n in zip(live, numpy, strict=True))
    bare_vs_numpy = statistics.median(n / b for b, n in zip(bare, numpy, strict=True))
    p99 = float(np.percentile(probe.delays_ms, 99))
    ok = epochs >= TARGET_EPOCHS_PER_S and frames >= TARGET_FRAMES_PER_S and p99 <= TARGET_P99_MS
    print(f"  {workload.name}")
    print(f"    window {epochs:7.1f} epochs/s, {frames:5.1f} frames/s, p99 {p99:5.1f} ms;"
          f" {vs_bare:.2f}x the bare session's epochs/s ({statistics.median(bare):,.0f}); "
          f"time / NumPy by hand's: window {vs_numpy:.2f}x, bare session {bare_vs_numpy:.2f}x")
    return ok


if __name__ == "__main__":
    main()

"""The graph inspector's speed: building, laying out, panning and zooming, following training.

1. A 2-16-16-1 tanh network's single-sample loss, expanded into micrograd's * and + (about a
   thousand value nodes): the time to build it, lay it out and put it in the scene, then the
   view's repaint time while panning and zooming (offscreen, 1200x800), as frames per second.
2. One force-layout iteration on that graph and on bigger ones, against the frame budget.
3. Following training: the live window offscreen, training at its top speed (TensorFlow
   Playground's default set-up, and the 2-16-16-1 network with its graph expanded), with the
   inspector open and following against the same window with it closed, in alternating rounds
   (as bench_app.py does): the epochs per second the training thread keeps.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app sets it (playground/__main__.py)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pyqtgraph as pg
from private_home import close_unasked, use_private_home
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from engine.layers import Network
from playground.core.graph_display import display_graph
from playground.core.graph_layout import ForceLayout, force_bodies, layered_layout
from playground.core.inspection import Inspection
from playground.core.pace import MAX_SPEED
from playground.core.sample_graph import NetworkState, Sample, network_sample_graph
from playground.core.setup import Setup
from playground.core.spec import NetworkSpec
from playground.ui.graph_follow import FOLLOW_BUDGET
from playground.ui.graph_view import GraphView
from playground.ui.main_window import MainWindow

FRAMES = 60
TARGET_FRAMES_PER_S = 30.0
TARGET_FORCE_MS = 16.0
TARGET_FOLLOW_COST = 0.15
FOLLOW_ROUNDS = 6
FOLLOW_ROUND_S = 2.0
WARMUP_S = 0.3


def state_of(hidden: tuple[int, ...], seed: int = 0) -> NetworkState:
    network = Network(2, (*hidden, 1), ["tanh"] * len(hidden), rng=seed)
    return NetworkState(("x1", "x2"), ("tanh",) * len(hidden),
                        tuple((l.weight.data, l.bias.data) for l in network.layers), "mse", 0, 0)


def timed(fn, repeat: int = 5) -> float:
    """Median seconds of fn()."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def repaint_rate(app: QApplication, view: GraphView, action) -> float:
    """Frames per second of the view repainting after action(k), k = 0..FRAMES-1."""
    times = []
    for k in range(FRAMES):
        action(k)
        start = time.perf_counter()
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
        app.processEvents()
    return 1.0 / statistics.median(times)


def drawing(app: QApplication) -> bool:
    state = state_of((16, 16))
    sample = Sample((0.5, -1.5), 1, "training point 1")
    build = timed(lambda: network_sample_graph(state, sample, "elementary"))
    graph = network_sample_graph(state, sample, "elementary")
    display = display_graph(graph)
    view = GraphView()
    view.resize(1200, 800)
    view.show()
    sizes = view.node_sizes(graph, display)
    layout = timed(lambda: layered_layout(len(display), display.edges, sizes[:, 0], sizes[:, 1]))
    positions = layered_layout(len(display), display.edges, sizes[:, 0], sizes[:, 1])
    scene = timed(lambda: view.show_graph(graph, display, positions, sizes), repeat=3)
    numbers = timed(lambda: view.set_numbers(graph.data, graph.grad * (1 + 1e-3 * np.random.
                                                                        default_rng(0).random())))
    inspection = Inspection()
    inspection.set_level("elementary")
    inspection.set_sample(sample)
    inspection.set_network(state)
    nudged = [NetworkState(state.features, state.activations,
                           tuple((w * (1 + 1e-3 * k), b) for w, b in state.weights), state.loss,
                           k, 0) for k in range(1, 6)]
    follow = timed(lambda: [inspection.set_network(s) for s in nudged]) / len(nudged)
    print(f"2-16-16-1 tanh, one sample's loss in micrograd's * and +: {len(graph)} values, "
          f"{len(display)} drawn nodes, {len(display.edges)} drawn edges")
    print(f"  build the Value graph and backward   {1000 * build:7.1f} ms")
    print(f"  layered layout                       {1000 * layout:7.1f} ms")
    print(f"  make the scene                       {1000 * scene:7.1f} ms")
    print(f"  new numbers into the boxes in sight  {1000 * numbers:7.1f} ms")
    print(f"  new weights: graph, check, stepper   {1000 * follow:7.1f} ms (following training "
          f"takes them every {max(0.1, follow / FOLLOW_BUDGET):.2f} s)")
    ok = True
    for name, zoom in (("whole graph (texts hidden)", None), ("zoom 0.7, the loss end", 0.7),
                       ("zoom 1", 1.0)):
        view.fit(min_zoom=0.001) if zoom is None else view.fit(min_zoom=zoom)
        if zoom is not None:
            view.zoom_by(zoom / view.zoom())
        pan = repaint_rate(app, view, lambda k: view.horizontalScrollBar().setValue(
            view.horizontalScrollBar().value() + (15 if k % 20 < 10 else -15)))
        zoom_rate = repaint_rate(app, view, lambda k: view.zoom_by(1.03 if k % 20 < 10
                                                                   else 1 / 1.03))
        ok &= min(pan, zoom_rate) >= TARGET_FRAMES_PER_S
        print(f"  {name:28s} pan {pan:6.0f} frames/s, zoom {zoom_rate:6.0f} frames/s"
              f"   target >= {TARGET_FRAMES_PER_S:.0f}")
    view.close()
    return ok


def force_layout() -> bool:
    ok = True
    print("force-directed layout, one iteration (median of 20)")
    for hidden in ((16, 16), (24, 24), (32, 32), (32, 32, 32)):
        graph = network_sample_graph(state_of(hidden), Sample((0.5, -1.5), 1), "elementary")
        display = display_graph(graph)
        bodies, edges = force_bodies(display)
        sizes = np.full((len(display), 2), 40.0)
        positions = layered_layout(len(display), display.edges, sizes[:, 0], sizes[:, 1])
        layout = ForceLayout(positions[bodies], edges)
        layout.step()
        seconds = timed(layout.step, repeat=20)
        name = "-".join(map(str, (2, *hidden, 1)))
        if hidden == (16, 16):
            ok &= 1000 * seconds <= TARGET_FORCE_MS
        print(f"  {name:12s} {len(bodies):5d} moving nodes  {1000 * seconds:7.2f} ms"
              + (f"   target <= {TARGET_FORCE_MS:.0f} ms" if hidden == (16, 16) else ""))
    return ok


def run_event_loop(app: QApplication, seconds: float) -> None:
    QTimer.singleShot(int(seconds * 1000), app.exit)
    app.exec()


def epochs_per_second(app: QApplication, window: MainWindow) -> float:
    window.toggle_play()
    run_event_loop(app, WARMUP_S)
    first, start = window.worker.latest, time.perf_counter()
    run_event_loop(app, FOLLOW_ROUND_S)
    last, elapsed = window.worker.latest, time.perf_counter() - start
    window.toggle_play()
    run_event_loop(app, 0.1)
    return (last.epoch - first.epoch) / elapsed


def following(app: QApplication, name: str, setup: Setup, level: int) -> bool:
    window = MainWindow(setup)
    window.show()
    run_event_loop(app, 0.5)
    inspector = window.open_graph_inspector()
    inspector.level.setCurrentIndex(level)
    inspector._on_collapse_all(False)
    values = len(inspector.inspection.built.graph)
    busy = [0.0]  # seconds the GUI thread spent taking new weights into the graph
    take = inspector.follower._take

    def timed_take(state) -> None:
        start = time.perf_counter()
        take(state)
        busy[0] += time.perf_counter() - start

    inspector.follower._take = timed_take
    closed, open_, shares, updates = [], [], [], []
    for _ in range(FOLLOW_ROUNDS):
        inspector.hide()
        closed.append(epochs_per_second(app, window))
        inspector.show()
        taken, busy[0] = inspector.inspection.network.step, 0.0
        start = time.perf_counter()
        open_.append(epochs_per_second(app, window))
        shares.append(busy[0] / (time.perf_counter() - start))
        updates.append(inspector.inspection.network.step != taken)
    close_unasked(window)
    # each open round against the closed round just before it: the same machine load
    cost = 1.0 - statistics.median(o / c for o, c in zip(open_, closed, strict=True))
    print(f"  {name}: {values} values; {statistics.median(closed):6.0f} epochs/s closed, "
          f"{statistics.median(open_):6.0f} following: costs {100 * cost:4.1f}%"
          f"   target <= {100 * TARGET_FOLLOW_COST:.0f}%")
    print(f"    the GUI thread spends {100 * statistics.median(shares):.1f}% of its time taking "
          "new weights into the graph")
    return cost <= TARGET_FOLLOW_COST and all(updates)


def main() -> None:
    use_private_home()
    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication([])
    ok = drawing(app)
    ok &= force_layout()
    print(f"following training (medians of {FOLLOW_ROUNDS} alternating rounds of "
          f"{FOLLOW_ROUND_S:g} s)")
    flat_out = MAX_SPEED.name  # as fast as it trains: what following could slow down
    ok &= following(app, "TF Playground default, 2-4-2-1 tanh", Setup(speed=flat_out), level=0)
    big = NetworkSpec(hidden=(16, 16), activations=("tanh", "tanh"))
    ok &= following(app, "2-16-16-1 tanh, micrograd's * and +",
                    Setup(spec=big, speed=flat_out), level=1)
    print("targets met" if ok else "TARGETS NOT MET")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""A seeded monkey clicks, drags, types and changes settings while training: nothing may break.

Fails on any exception in a slot or paint handler (pytest-qt and the window's own reporter both
see them), any Qt warning, a dead training thread, or a window that disagrees with its model
afterwards. A failure prints the seed and the actions, so it replays.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from ui_monkey import Monkey

from playground.core.pace import MAX_SPEED

ACTIONS = 250
TIME_LIMIT_S = 25.0  # the monkey stops early on a slow machine; what it did still counts
TIMEOUT_MS = 20_000


def qt_problems(qtlog) -> list[str]:
    """Qt's warnings, but for the offscreen platform's note on size hints."""
    return [r.message for r in qtlog.records if "propagateSizeHints" not in r.message]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_use_while_training_breaks_nothing(qtbot, make_window, qtlog, seed):
    window = make_window(preset="circle", n_points=100)
    window.activateWindow()
    errors: list[str] = []
    window.exceptions.raised.connect(errors.append)
    window.training.speed_slider.setValue(window.training.speed_slider.slider.maximum())
    assert window.training.speed() == MAX_SPEED
    window.toggle_play()
    monkey = Monkey(qtbot, window, seed)
    start = time.perf_counter()
    while len(monkey.log) < ACTIONS and time.perf_counter() - start < TIME_LIMIT_S:
        monkey.act()
        assert window.worker_thread.is_running(), f"seed {seed}: {monkey.log[-5:]}"
    replay = f"seed {seed}, actions:\n" + "\n".join(monkey.log)
    assert errors == [], replay
    assert qt_problems(qtlog) == [], replay

    # paused, the training thread catches up with every change, and the window shows the model
    if window.running:
        window.toggle_play()
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)
    session = window.worker.session
    qtbot.waitUntil(lambda: session.data.version == window.dataset.version
                    and session.spec == window.designer.spec()
                    and session.config == window.training.config(), timeout=TIMEOUT_MS)
    dataset, overlay = window.dataset, window.editor.overlay
    shown = ~dataset.is_test | window.editor.show_test
    assert np.array_equal(overlay.shown_points, dataset.points[shown]), replay
    layers = session.network.layers
    assert [layer.weight.shape[1] for layer in layers[:-1]] == list(window.designer.spec().hidden)
    assert layers[0].weight.shape[0] == len(window.designer.spec().features)

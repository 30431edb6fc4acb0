"""A seeded monkey clicks, drags, types, changes settings, saves and opens while training:
nothing may break.

Fails on any exception in a slot or paint handler (pytest-qt and the window's own reporter both
see them), any Qt warning, a dead training thread, a save or an open that did not write or show
what it should, a window that disagrees with its model afterwards, or a thread left running
once it closed. A failure prints the seed and the actions, so it replays.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_monkey_files import WorkspaceMonkey, window_disagreements

from playground.core.pace import MAX_SPEED
from playground.core.problems import KINDS

SEEDS = (1, 2)  # seeds 1 to 10 pass; 1 and 3 found most of the bugs their tests now pin
ACTIONS = 500  # per seed; 12 to 20 s each on two shared cores
TIME_LIMIT_S = 45.0  # per seed: the monkey stops early on a slow machine; what it did counts
MIN_ACTIONS = 100  # ... but fewer in that time is a window that blocks, not a slow machine
TIMEOUT_MS = 20_000
# what the offscreen platform cannot do (a size hint, raising a window, a menu's keyboard grab)
PLATFORM_NOTE = "This plugin does not support"


def qt_problems(qtlog) -> list[str]:
    """Qt's warnings, but for the offscreen platform's notes on what it cannot do."""
    return [r.message for r in qtlog.records if PLATFORM_NOTE not in r.message]


def drawn_disagreements(window) -> list[str]:
    """Where the points drawn are not the dataset's, or the network not the designer's."""
    found = window_disagreements(window)
    dataset, overlay = window.dataset, window.editor.overlay
    shown = ~dataset.is_test | window.editor.show_test
    if not np.array_equal(overlay.shown_points, dataset.points[shown]):
        found.append(f"{len(overlay.shown_points)} points drawn, the dataset shows "
                     f"{int(shown.sum())} (or at other places)")
    elif not np.array_equal(overlay._styles % 2, dataset.is_test[shown]):  # hollow: a test point
        found.append("the points drawn are not split as the dataset's")
    spec, session = window.designer.spec(), window.worker.session
    layers = session.network.layers
    network = (layers[0].weight.shape[0], [layer.weight.shape[1] for layer in layers[:-1]],
               layers[-1].weight.shape[1])
    wanted = (len(spec.features), list(spec.hidden), window.problems.problem.output_size)
    if network != wanted:
        found.append(f"the network is {network} (inputs, hidden, outputs), the designer's "
                     f"{wanted}")
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_random_use_while_training_breaks_nothing(qtbot, make_window, qtlog, recwarn,
                                                  monkeypatch, tmp_path, seed):
    window = make_window(preset="circle", n_points=100)
    window.activateWindow()
    errors: list[str] = []
    window.exceptions.raised.connect(errors.append)
    window.training.speed_slider.setValue(window.training.speed_slider.slider.maximum())
    assert window.training.speed() == MAX_SPEED
    window.toggle_play()
    monkey = WorkspaceMonkey(qtbot, window, seed, monkeypatch, tmp_path)
    try:
        run_and_check(qtbot, window, monkey, errors, qtlog, seed)
        # a NumPy or Python warning, from the window's thread or the training one
        assert [f"{w.filename}:{w.lineno}: {w.message}" for w in recwarn] == []
    finally:
        monkey.finish()  # a Cancel would keep the window, and its thread, open
    # closed, no thread of the window is left: not the training one, not the autosave writer
    assert window.close()
    assert window.worker_thread.thread.isFinished() and not window.files.autosaver.busy
    assert threading.enumerate() == [threading.main_thread()]


def run_and_check(qtbot, window, monkey, errors: list[str], qtlog, seed: int) -> None:
    """The monkey's actions while training, then every check of the window against itself."""
    steps = 0  # optimization steps trained, over every session the monkey opened
    start = time.perf_counter()
    while monkey.done < ACTIONS and time.perf_counter() - start < TIME_LIMIT_S:
        session, before = window.loop.session, window.loop.latest.step
        monkey.act()
        if window.loop.session is session:
            steps += max(window.loop.latest.step - before, 0)
        assert window.worker_thread.is_running(), f"seed {seed}: {monkey.log[-5:]}"
    elapsed = time.perf_counter() - start
    print(f"seed {seed}: {monkey.done} actions in {elapsed:.1f} s, {steps} steps trained, "
          f"{monkey.opened} workspaces shown, {len(monkey.saved)} files saved, ends "
          f"{window.dataset.kind}")
    replay = f"seed {seed}, actions:\n" + "\n".join(monkey.log)
    assert errors == [], "\n".join(errors) + "\n" + replay
    assert qt_problems(qtlog) == [], replay
    assert monkey.mismatches == [], "\n".join(monkey.mismatches) + "\n" + replay
    # the monkey did what it says: every kind of action, and training ran meanwhile
    assert monkey.done >= MIN_ACTIONS, f"seed {seed}: {monkey.done} actions in {elapsed:.0f} s"
    assert {action.__name__ for _, action in monkey.actions} <= set(monkey.reached), \
        f"seed {seed}: only {sorted(monkey.reached)}"
    assert monkey.saved and monkey.opened and steps > 0, replay

    # paused, the training thread catches up with every change, and the window shows the model
    if window.running:
        window.toggle_play()
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)

    def caught_up() -> bool:
        session = window.worker.session  # an opened workspace's, once the loop took it
        return (session.data.version == window.dataset.version
                and session.spec == window.designer.spec()
                and session.config == window.training.config())

    qtbot.waitUntil(caught_up, timeout=TIMEOUT_MS)
    assert drawn_disagreements(window) == [], replay
    # ... and in every other problem type, switched to from where the monkey left the window
    for number, kind in enumerate(KINDS, start=1):
        QTest.keyClick(window.windowHandle(), getattr(Qt.Key, f"Key_{number}"),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.dataset.kind == kind, replay
        qtbot.waitUntil(caught_up, timeout=TIMEOUT_MS)
        assert drawn_disagreements(window) == [], f"{kind}: {replay}"

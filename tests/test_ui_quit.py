"""Quitting loses nothing that was saved: while training, while the unsaved-changes question is
up, while an autosave is being written on its thread, and when killed in the middle of a save.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
from dialogs import FileChoices, answer
from PySide6.QtWidgets import QMessageBox

from playground.core.atomic import write_atomic
from playground.core.pace import MAX_SPEED
from playground.core.workspace import load
from playground.ui import autosave
from playground.ui.workspace_io import capture_state

ROOT = Path(__file__).resolve().parent.parent
Button = QMessageBox.StandardButton
TIMEOUT_MS = 20_000


def training_window(qtbot, make_window):
    """A window training at full speed, trained a little."""
    window = make_window(preset="spiral", n_points=80)
    window.training.set_speed(MAX_SPEED)
    window.toggle_play()
    qtbot.waitUntil(lambda: window.loop.latest.epoch >= 2, timeout=TIMEOUT_MS)
    return window


def assert_opens_as_saved(qtbot, make_window, path: Path) -> None:
    """A new window shows the file: its points, network, settings and weights."""
    saved = load(path)
    window = make_window()
    assert window.files.open_path(str(path))
    assert np.array_equal(window.dataset.points, saved.dataset.points)
    assert window.designer.spec() == saved.spec and window.training.config() == saved.config
    qtbot.waitUntil(lambda: window.loop.session.data.version == window.dataset.version,
                    timeout=TIMEOUT_MS)
    weights = capture_state(window.loop).weights
    for (w, b), (sw, sb) in zip(weights, saved.session.weights, strict=True):
        assert np.array_equal(w, sw) and np.array_equal(b, sb)


@pytest.mark.parametrize("button", [Button.Save, Button.Discard, Button.Cancel])
def test_quitting_while_training_keeps_what_was_saved(qtbot, make_window, monkeypatch,
                                                     tmp_path, button):
    """Cancel keeps the window training; Discard closes and the file stays as saved; Save
    writes the newest work, then closes."""
    window = training_window(qtbot, make_window)
    path = tmp_path / "work.json"
    assert window.files.save_to(str(path))
    saved, saved_epoch = path.read_bytes(), int(load(path).session.history.epochs[-1])
    window.dataset.add_point(4.0, 4.0, 1)  # unsaved work, while training goes on
    qtbot.waitUntil(lambda: window.loop.latest.epoch >= saved_epoch + 2, timeout=TIMEOUT_MS)
    asked = answer(monkeypatch, button)
    closed = window.close()
    assert len(asked) == 1 and closed == (button != Button.Cancel)
    if button == Button.Cancel:
        assert window.isVisible() and window.loop.running and window.isWindowModified()
        assert path.read_bytes() == saved
        answer(monkeypatch, Button.Discard)
        assert window.close()
    assert window.worker_thread.thread.isFinished()
    if button == Button.Save:  # the newest: the point added, and training past the save
        newest = load(path)
        assert len(newest.dataset.points) == 81
        assert newest.session.history.epochs[-1] >= saved_epoch + 2
    else:
        assert path.read_bytes() == saved
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary left beside the file
    assert_opens_as_saved(qtbot, make_window, path)


def test_save_at_quit_with_the_file_dialog_cancelled_keeps_the_window(qtbot, make_window,
                                                                     monkeypatch, tmp_path):
    """An untitled window: Save asks where; cancelling that cancels the quit."""
    window = training_window(qtbot, make_window)
    window.dataset.add_point(4.0, 4.0, 1)
    dialogs = FileChoices(monkeypatch)  # answers '': the user cancels the dialog
    answer(monkeypatch, Button.Save)
    assert not window.close()
    assert dialogs.asked == ["Save workspace"] and window.isVisible() and window.loop.running
    assert not list(tmp_path.iterdir())
    dialogs.save_path = str(tmp_path / "kept.json")
    assert window.close()
    assert len(load(tmp_path / "kept.json").dataset.points) == 81


class SlowAutosave:
    """The autosave writer, held in the middle of its write until released (or 10 s)."""

    def __init__(self, monkeypatch) -> None:
        self.halfway = threading.Event()
        self.release = threading.Event()
        monkeypatch.setattr(autosave, "write_atomic", self._write)

    def _write(self, path, data: bytes) -> None:
        def chunks():
            yield data[:len(data) // 2]
            self.halfway.set()
            self.release.wait(10)
            yield data[len(data) // 2:]

        write_atomic(path, chunks())


def autosave_files() -> list[Path]:
    return sorted(autosave.data_folder().iterdir())


@pytest.mark.parametrize("end", ["discard", "system ends the app"])
def test_quitting_while_an_autosave_is_written(qtbot, make_window, monkeypatch, tmp_path, end):
    """The close waits for the writer: discarded, nothing is left; ended by the system, the
    autosave holds the newest work (written after the one under way) and nothing half."""
    window = training_window(qtbot, make_window)
    window.dataset.add_point(4.0, 4.0, 1)
    slow = SlowAutosave(monkeypatch)
    assert window.files.autosave()  # on the writer thread
    assert slow.halfway.wait(10) and window.files.autosaver.busy
    window.dataset.add_point(-4.0, 4.0, 0)  # newer than the autosave under way
    threading.Timer(0.3, slow.release.set).start()  # the disk catches up while closing
    if end == "discard":
        answer(monkeypatch, Button.Discard)
        assert window.close()
        assert autosave_files() == []
    else:
        slow.release.set()  # the last autosave is written whole at once
        window.files.end_session()
        assert not window.isVisible()
        files = [p for p in autosave_files() if p.suffix == ".json"]
        assert len(files) == 1 and len(load(files[0]).dataset.points) == 82
        assert [p.name for p in autosave_files() if p.suffix == ".tmp"] == []
    assert window.worker_thread.thread.isFinished() and not window.files.autosaver.busy


KILLED_IN_A_SAVE = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from playground.core import workspace
    from playground.core.atomic import write_atomic
    from playground.ui.main_window import MainWindow, Setup
    window = MainWindow(Setup(preset="xor", n_points=60))
    path = sys.argv[1]
    window.loop.step_epoch()
    while window.loop.latest.epoch < 1:
        app.processEvents()
    assert window.files.save_to(path)
    window.dataset.add_point(2.0, 2.0, 1)

    def slow_write(target, data):  # killed half way through the second save
        def chunks():
            yield data[:len(data) // 2]
            print("half", flush=True)
            time.sleep(120)
            yield data[len(data) // 2:]
        write_atomic(target, chunks())

    workspace.write_atomic = slow_write
    window.files.save_to(path)
""")


def test_a_kill_in_the_middle_of_a_save_leaves_the_saved_file(qtbot, make_window, tmp_path):
    path = tmp_path / "work.json"
    home = tmp_path / "home"  # the killed window's settings and autosave, not the user's
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-c", KILLED_IN_A_SAVE, str(path)],
                               stdout=subprocess.PIPE, cwd=ROOT, env=env)
    try:
        assert process.stdout.readline() == b"half\n"
        assert len(list(tmp_path.glob(".work.json.*.tmp"))) == 1  # the half-written one
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert len(load(path).dataset.points) == 60  # the first save, whole
    assert_opens_as_saved(qtbot, make_window, path)

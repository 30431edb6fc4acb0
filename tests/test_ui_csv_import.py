"""Importing a big CSV file in the window: read on a thread with a progress dialog, the window
drawing and training meanwhile, one undo step; a bad row, a cancel or closing the window leave
the dataset (and what was saved) as they were."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from imports import IMPORT_TIMEOUT_MS, import_csv
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

from playground.core.dataset import Dataset
from playground.core.workspace import load
from playground.ui import csv_import

N = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A 100,000-point two-class file with a split column."""
    rng = np.random.default_rng(11)
    path = tmp_path_factory.mktemp("import") / "big.csv"
    Dataset(points=rng.uniform(-6, 6, (N, 2)), labels=rng.integers(0, 2, N)).save_csv(path)
    return path


@pytest.fixture
def shown_at_once(monkeypatch):
    """The progress dialog shows as soon as an import starts, however quick it is."""
    monkeypatch.setattr(csv_import, "SHOW_AFTER_MS", 0)


class Gate:
    """read_csv held after its first block until the test opens the gate (or cancels)."""

    def __init__(self, monkeypatch) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()
        read = csv_import.read_csv

        def held(path, progress, cancelled):
            def report(done: int, total: int) -> None:
                progress(done, total)
                self.reached.set()
                while not (self.opened.wait(0.005) or cancelled()):
                    pass

            return read(path, report, cancelled)

        monkeypatch.setattr(csv_import, "read_csv", held)


def _state(window) -> tuple:
    ds = window.dataset
    return (ds.kind, ds.points.tolist(), ds.labels.tolist(), ds.is_test.tolist(), ds.version,
            ds.can_undo)


def _held_import(qtbot, window, gate: Gate, path) -> None:
    """Start importing path and wait until the reader is held with the dialog showing."""
    assert window.open_dataset(str(path))
    qtbot.waitUntil(lambda: gate.reached.is_set() and window.csv_import.dialog is not None
                    and window.csv_import.dialog.isVisible(), timeout=IMPORT_TIMEOUT_MS)


def test_a_big_file_shows_progress_while_the_window_draws_and_trains(
        qtbot, make_window, big, monkeypatch, shown_at_once):
    window = make_window(preset="xor", n_points=60)
    before = _state(window)
    window.toggle_play()
    qtbot.waitUntil(lambda: window.loop.latest.epoch > 0, timeout=IMPORT_TIMEOUT_MS)
    seen: list[tuple[str, int, int]] = []  # the dialog's label, value and maximum

    def look() -> None:
        dialog = window.csv_import.dialog
        if dialog is not None and dialog.isVisible():
            seen.append((dialog.labelText(), dialog.value(), dialog.maximum()))

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(5)
    gate = Gate(monkeypatch)  # the read held mid-file, so the test does not race a fast reader
    _held_import(qtbot, window, gate, big)
    # while the file is being read the event loop runs: the timer fires, frames are drawn and
    # training goes on
    ticks, frames, epoch = len(seen), window.frames_drawn, window.loop.latest.epoch
    qtbot.waitUntil(lambda: len(seen) >= ticks + 10 and window.frames_drawn >= frames + 3
                    and window.loop.latest.epoch > epoch, timeout=IMPORT_TIMEOUT_MS)
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS) as ended:
        gate.opened.set()
    assert ended.args == [True]
    timer.stop()
    # the dialog named the file and counted up to the file's lines
    assert seen and all(label.startswith("Reading big.csv") for label, _, _ in seen)
    values = [value for _, value, _ in seen]
    assert values == sorted(values) and {m for _, _, m in seen} <= {1, N + 1}
    assert len(window.dataset) == N and window.csv_import.dialog is None
    assert "Imported 100,000 points from big.csv" in window.statusBar().currentMessage()
    frames = window.frames_drawn  # and it goes on drawing and training, on 100,000 points
    qtbot.waitUntil(lambda: window.frames_drawn >= frames + 3, timeout=IMPORT_TIMEOUT_MS)
    window.inside.history.undo()  # Ctrl+Z: the points from before the import
    assert _state(window)[:4] == before[:4]


def test_a_quick_import_shows_no_dialog(qtbot, make_window, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_import, "SHOW_AFTER_MS", 1000)  # far longer than three lines take
    window = make_window(preset="xor", n_points=60)
    path = tmp_path / "three.csv"
    path.write_text("1,2,1\n-2,1,0\n3,3,1\n")
    shown = []
    window.csv_import._show_timer.timeout.connect(lambda: shown.append(True))
    assert import_csv(qtbot, window, path)
    qtbot.wait(1100)  # past the delay: the import's end stopped the dialog's timer
    assert shown == [] and window.csv_import.dialog is None
    assert len(window.dataset) == 3


def test_cancel_leaves_the_dataset_as_it_was(qtbot, make_window, big, monkeypatch,
                                             shown_at_once):
    window = make_window(preset="xor", n_points=60)
    window.dataset.add_point(1.0, 1.0, 1)
    before = _state(window)
    gate = Gate(monkeypatch)
    _held_import(qtbot, window, gate, big)
    cancel = window.csv_import.dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS) as ended:
        cancel.click()
    assert ended.args == [False] and window.csv_import.dialog is None
    assert _state(window) == before and not window.message.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_second_import_while_one_runs_is_refused_with_a_message(
        qtbot, make_window, big, tmp_path, monkeypatch, shown_at_once):
    window = make_window(preset="xor", n_points=60)
    other = tmp_path / "other.csv"
    other.write_text("1,2,1\n")
    gate = Gate(monkeypatch)
    _held_import(qtbot, window, gate, big)
    assert not window.open_dataset(str(other))
    assert "Still importing big.csv" in window.message.text()
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS) as ended:
        gate.opened.set()
    assert ended.args == [True] and len(window.dataset) == N  # the first one, not the second


def test_a_bad_row_names_its_line_and_column_and_nothing_is_imported(
        qtbot, make_window, big, tmp_path):
    window = make_window(preset="xor", n_points=60)
    before = _state(window)
    lines = big.read_text().splitlines()
    lines[50_000] = "0.5,-,1,train"  # line 50,001
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    assert not import_csv(qtbot, window, bad)
    text = window.message.text()
    assert "bad.csv, line 50001: y (column 2) must be a number, got '-'" in text
    assert _state(window) == before


def test_opening_a_workspace_during_an_import_drops_the_import(
        qtbot, make_window, big, tmp_path, monkeypatch, shown_at_once):
    window = make_window(preset="xor", n_points=40)
    saved = tmp_path / "work.json"
    assert window.files.save_to(str(saved))
    window.dataset.load_preset("circle", 30)  # unsaved: the question is answered Discard
    gate = Gate(monkeypatch)
    _held_import(qtbot, window, gate, big)
    thread = window.csv_import._thread
    assert window.files.open_path(str(saved))
    assert not thread.isRunning() and window.csv_import.dialog is None
    qtbot.wait(50)  # nothing of the file's is still on its way
    assert len(window.dataset) == 40 and window.dataset.preset.name == "xor"


def test_closing_during_an_import_joins_the_thread_and_saves_what_was_there(
        qtbot, make_window, big, tmp_path, monkeypatch, shown_at_once):
    window = make_window(preset="xor", n_points=40)
    saved = tmp_path / "work.json"
    assert window.files.save_to(str(saved))
    window.dataset.add_point(1.0, 1.0, 1)  # unsaved
    gate = Gate(monkeypatch)
    _held_import(qtbot, window, gate, big)
    thread = window.csv_import._thread

    def question(*args):  # while the person reads the question, the reader goes on
        gate.opened.set()
        qtbot.waitUntil(thread.isFinished, timeout=IMPORT_TIMEOUT_MS)
        qtbot.wait(100)  # its points are queued for the window, which holds them
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window.close()
    assert not window.isVisible() and window.csv_import.dialog is None
    assert len(load(saved).dataset.points) == 41  # the points on the plane, not the file's
    qtbot.wait(50)  # the held result was dropped with the import
    assert len(window.dataset) == 41


def test_cancelling_the_close_during_an_import_keeps_the_import(
        qtbot, make_window, big, monkeypatch, shown_at_once):
    window = make_window(preset="xor", n_points=40)
    window.dataset.add_point(1.0, 1.0, 1)  # unsaved
    gate = Gate(monkeypatch)
    _held_import(qtbot, window, gate, big)
    thread = window.csv_import._thread
    sizes = []

    def question(*args):  # the file is read in full while the question is up ...
        gate.opened.set()
        qtbot.waitUntil(thread.isFinished, timeout=IMPORT_TIMEOUT_MS)
        qtbot.wait(100)
        sizes.append(len(window.dataset))  # ... but what it asks about stays as it is
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS) as ended:
        window.close()
    assert sizes == [41] and window.isVisible()
    assert ended.args == [True] and len(window.dataset) == N  # the import lands after Cancel
    window.files.discard()
    window.close()


def test_a_csv_names_the_last_folder_only_once_its_points_are_in(qtbot, make_window,
                                                                   tmp_path):
    window = make_window(preset="xor", n_points=40)
    folder = window.settings.last_folder()
    good, bad = tmp_path / "good" / "ok.csv", tmp_path / "bad" / "broken.csv"
    for path, text in ((good, "1,2,1\n"), (bad, "1,x,1\n")):
        path.parent.mkdir()
        path.write_text(text)
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS):
        assert window.files.open_path(str(bad))  # started: the file is read on a thread
    assert window.settings.last_folder() == folder  # not a folder whose file failed
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS):
        assert window.files.open_path(str(good))
    assert window.settings.last_folder() == str(good.parent)


def test_the_system_ending_the_app_during_an_import_autosaves_what_was_there(
        qtbot, make_window, big, monkeypatch, shown_at_once):
    window = make_window(preset="xor", n_points=40)
    window.dataset.add_point(1.0, 1.0, 1)
    gate = Gate(monkeypatch)
    _held_import(qtbot, window, gate, big)
    thread = window.csv_import._thread
    window.files.end_session()  # SIGTERM, a logout
    assert not thread.isRunning() and not window.isVisible()
    assert len(load(window.files.autosaver.path).dataset.points) == 41

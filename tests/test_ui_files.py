"""Opening and saving datasets from the window: a bad file shows a message and loses nothing."""

from __future__ import annotations

import numpy as np
import pytest
from imports import IMPORT_TIMEOUT_MS, import_csv
from menus import file_menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from playground.ui.main_window import CSV_FILTER


@pytest.fixture
def window(make_window):
    return make_window(preset="xor", n_points=60)


def test_save_then_open_restores_points_labels_and_split(qtbot, window, tmp_path):
    path = tmp_path / "xor.csv"
    saved = (window.dataset.points.copy(), window.dataset.labels.copy(),
             window.dataset.is_test.copy())
    assert window.save_dataset(str(path))
    window.dataset.clear()
    assert len(window.dataset) == 0

    assert import_csv(qtbot, window, path)
    np.testing.assert_allclose(window.dataset.points, saved[0])
    np.testing.assert_array_equal(window.dataset.labels, saved[1])
    np.testing.assert_array_equal(window.dataset.is_test, saved[2])
    assert window.dataset.undo()  # opening a file is one undo step
    assert len(window.dataset) == 0


BAD_FILES = ["x,y,label\n1.0,2.0,1\n3.0,oops,0\n", "1,2,9\n", "\xff\xfe", "", "# notes\n"]


@pytest.mark.parametrize("content", BAD_FILES)
def test_a_malformed_file_shows_a_message_and_keeps_the_dataset(qtbot, window, tmp_path,
                                                                 content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content.encode("latin-1"))
    before = window.dataset.points.copy()

    assert not import_csv(qtbot, window, path)
    assert window.message.isVisibleTo(window)
    assert "Could not open the dataset" in window.message.text()
    np.testing.assert_array_equal(window.dataset.points, before)


def test_a_missing_file_or_unwritable_place_shows_a_message(qtbot, window, tmp_path):
    assert not import_csv(qtbot, window, tmp_path / "nowhere.csv")
    assert "Could not open" in window.message.text()
    assert not window.save_dataset(str(tmp_path / "no" / "such" / "dir.csv"))
    assert "Could not save" in window.message.text()


def open_through_the_menu(qtbot, window, monkeypatch, path) -> None:
    """File > Open, the dialog answering with path; waits for the import to end."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), CSV_FILTER)))
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS):
        file_menu_action(window, "Open").trigger()
    qtbot.wait(50)  # a frame or two: the plot repaints with whatever was loaded


def test_a_csv_with_a_huge_coordinate_is_refused_and_the_window_carries_on(
        qtbot, window, tmp_path, monkeypatch, qtlog):
    path = tmp_path / "huge.csv"
    path.write_text("1,2,1\n1e300,3,0\n-2,1,0\n")  # the file that crashed the window
    before = (window.dataset.points.copy(), window.dataset.version, window.dataset.can_undo)

    open_through_the_menu(qtbot, window, monkeypatch, path)
    assert window.message.isVisible()
    text = window.message.text()
    assert "line 2" in text and "x (column 1)" in text and "1e+300" in text
    assert "-10000 to 10000" in text  # what is accepted
    assert (window.dataset.points.tolist(), window.dataset.version,
            window.dataset.can_undo) == (before[0].tolist(), *before[1:])
    # the window goes on as before: the menu again, a click, a repaint
    open_through_the_menu(qtbot, window, monkeypatch, path)
    qtbot.mouseClick(window.editor.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.editor.viewport_pos(1.0, 1.0))
    assert len(window.dataset) == len(before[0]) + 1
    window.grab()
    assert [r.message for r in qtlog.records if "propagateSizeHints" not in r.message] == []


def test_an_opened_file_is_named_in_the_preset_box_until_a_preset_is_chosen(
        qtbot, window, tmp_path, monkeypatch):
    controls = window.data_controls
    path = tmp_path / "mine.csv"
    path.write_text("1,2,1\n-2,1,0\n3,3,1\n")
    open_through_the_menu(qtbot, window, monkeypatch, path)
    assert len(window.dataset) == 3 and not window.message.isVisible()
    assert controls.preset.currentText() == "mine.csv"
    assert controls.count.text() == "3 points: 1 training, 2 test"  # round(0.5 * 3) test
    # the preset's settings do not apply to a file's points
    assert not any(w.isEnabled() for w in (controls.points, controls.noise, controls.seed,
                                           controls.regenerate_button))
    controls.preset.setCurrentText("xor")
    assert controls.preset.currentText() == "xor" and len(window.dataset) == 60
    assert controls.preset.findText("mine.csv") < 0 and controls.points.isEnabled()
    window.dataset.undo()
    assert controls.preset.currentText() == "mine.csv" and len(window.dataset) == 3

"""Opening and saving datasets from the window: a bad file shows a message and loses nothing."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def window(make_window):
    return make_window(preset="xor", n_points=60)


def test_save_then_open_restores_points_labels_and_split(window, tmp_path):
    path = tmp_path / "xor.csv"
    saved = (window.dataset.points.copy(), window.dataset.labels.copy(),
             window.dataset.is_test.copy())
    assert window.save_dataset(str(path))
    window.dataset.clear()
    assert len(window.dataset) == 0

    assert window.open_dataset(str(path))
    np.testing.assert_allclose(window.dataset.points, saved[0])
    np.testing.assert_array_equal(window.dataset.labels, saved[1])
    np.testing.assert_array_equal(window.dataset.is_test, saved[2])
    assert window.dataset.undo()  # opening a file is one undo step
    assert len(window.dataset) == 0


BAD_FILES = ["x,y,label\n1.0,2.0,1\n3.0,oops,0\n", "1,2,7\n", "\xff\xfe", "", "# notes\n"]


@pytest.mark.parametrize("content", BAD_FILES)
def test_a_malformed_file_shows_a_message_and_keeps_the_dataset(window, tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content.encode("latin-1"))
    before = window.dataset.points.copy()

    assert not window.open_dataset(str(path))
    assert window.message.isVisibleTo(window)
    assert "Could not open the dataset" in window.message.text()
    np.testing.assert_array_equal(window.dataset.points, before)


def test_a_missing_file_or_unwritable_place_shows_a_message(window, tmp_path):
    assert not window.open_dataset(str(tmp_path / "nowhere.csv"))
    assert "Could not open" in window.message.text()
    assert not window.save_dataset(str(tmp_path / "no" / "such" / "dir.csv"))
    assert "Could not save" in window.message.text()

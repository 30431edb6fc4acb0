"""Dataset editing: points, undo/redo, validation, split, CSV, events, snapshots."""

from pathlib import Path

import numpy as np
import pytest

from playground.core.dataset import MAX_COORDINATE, Dataset
from playground.core.events import EventEmitter


def _state(ds: Dataset) -> tuple:
    """Everything an edit can change, as plain lists."""
    return (ds.points.tolist(), ds.labels.tolist(), ds.is_test.tolist(), ds.test_fraction)


def test_added_points_go_to_training_with_their_class() -> None:
    ds = Dataset()
    ds.load_preset("circle", 40, seed=1)
    ds.add_point(1.5, -2.0, 1)
    ds.add_point(0.0, 3.0, 0)
    assert len(ds) == 42
    assert ds.points[-2:].tolist() == [[1.5, -2.0], [0.0, 3.0]]
    assert ds.labels[-2:].tolist() == [1, 0]
    assert not ds.is_test[-2:].any()
    train_points, _ = ds.train_split()
    assert [1.5, -2.0] in train_points.tolist()


@pytest.mark.parametrize("x, y, label, message", [
    (float("nan"), 0.0, 1, "x must be a finite"),
    (0.0, float("inf"), 1, "y must be a finite"),
    (0.0, 0.0, 2, "label must be 0 or 1"),
    (0.0, 0.0, -1, "label must be 0 or 1"),
    ("1", 0.0, 0, "x must be a finite"),
])
def test_bad_points_are_rejected_and_leave_the_dataset_unchanged(x, y, label, message) -> None:
    ds = Dataset()
    ds.add_point(1.0, 1.0, 0)
    before = _state(ds)
    with pytest.raises(ValueError, match=message):
        ds.add_point(x, y, label)
    assert _state(ds) == before


def test_a_stroke_with_one_bad_point_adds_nothing() -> None:
    ds = Dataset()
    ds.add_point(1.0, 1.0, 0)
    before = _state(ds)
    with pytest.raises(ValueError, match="finite"):
        ds.add_points([[0.0, 0.0], [float("nan"), 1.0]], 1)
    with pytest.raises(ValueError, match="label"):
        ds.add_points([[0.0, 0.0]], 3)
    assert _state(ds) == before and ds.can_undo
    ds.undo()
    assert len(ds) == 0


def test_every_edit_undoes_and_redoes() -> None:
    ds = Dataset()
    history = [_state(ds)]
    ds.load_preset("xor", 30, noise=0.1, seed=2)
    history.append(_state(ds))
    ds.add_point(1.0, 2.0, 1)
    history.append(_state(ds))
    ds.add_points(np.array([[0.0, 0.0], [1.0, 1.0]]), 0)
    history.append(_state(ds))
    assert ds.remove_nearest(0.9, 1.1)
    history.append(_state(ds))
    ds.set_test_fraction(0.3)
    history.append(_state(ds))
    ds.clear()
    history.append(_state(ds))
    for expected in reversed(history[:-1]):
        assert ds.undo()
        assert _state(ds) == expected
    assert not ds.undo() and not ds.can_undo
    for expected in history[1:]:
        assert ds.redo()
        assert _state(ds) == expected
    assert not ds.redo() and not ds.can_redo


def test_a_new_edit_drops_the_redo_history() -> None:
    ds = Dataset()
    ds.add_point(1.0, 1.0, 0)
    ds.undo()
    assert ds.can_redo
    ds.add_point(2.0, 2.0, 1)
    assert not ds.can_redo
    assert ds.points.tolist() == [[2.0, 2.0]]


def test_a_drag_stroke_is_one_undo_step() -> None:
    ds = Dataset()
    ds.add_point(5.0, 5.0, 0)
    ds.add_points([[0.0, 0.0]], 1)
    ds.add_points([[0.1, 0.0], [0.2, 0.0]], 1, continue_stroke=True)
    ds.add_points([[0.3, 0.0]], 1, continue_stroke=True)
    assert len(ds) == 5
    ds.undo()
    assert ds.points.tolist() == [[5.0, 5.0]]


def test_remove_nearest_removes_the_closest_point_only() -> None:
    ds = Dataset()
    for x in (0.0, 1.0, 2.0):
        ds.add_point(x, 0.0, 1)
    assert ds.remove_nearest(1.2, 0.3)
    assert ds.points[:, 0].tolist() == [0.0, 2.0]
    assert not ds.remove_nearest(10.0, 10.0, max_distance=1.0)
    assert len(ds) == 2
    ds.clear()
    assert not ds.remove_nearest(0.0, 0.0)


def test_changed_fires_after_every_edit_undo_and_redo() -> None:
    ds = Dataset()
    seen: list[int] = []
    ds.changed.connect(lambda: seen.append(len(ds)))  # the dataset is updated when it fires
    ds.add_point(0.0, 0.0, 1)
    ds.load_preset("gauss", 10)
    ds.undo()
    ds.redo()
    ds.clear()
    assert seen == [1, 10, 1, 10, 0]
    with pytest.raises(ValueError):
        ds.add_point(float("nan"), 0.0, 1)
    ds.clear()  # clearing nothing is not an edit
    assert seen == [1, 10, 1, 10, 0]


def test_event_emitter_connect_disconnect() -> None:
    emitter = EventEmitter()
    calls: list[tuple] = []

    def record(*args: object) -> None:
        calls.append(args)

    emitter.connect(record)
    emitter.emit(1, "a")
    emitter.disconnect(record)
    emitter.emit(2)
    assert calls == [(1, "a")]


def test_split_fraction_is_exact_and_deterministic_per_seed() -> None:
    a, b, c = Dataset(test_fraction=0.3), Dataset(test_fraction=0.3), Dataset(test_fraction=0.3)
    a.load_preset("spiral", 200, seed=4)
    b.load_preset("spiral", 200, seed=4)
    c.load_preset("spiral", 200, seed=5)
    assert a.is_test.sum() == 60
    np.testing.assert_array_equal(a.is_test, b.is_test)
    assert not np.array_equal(a.is_test, c.is_test)
    a.set_test_fraction(0.9)
    assert a.is_test.sum() == 180
    assert len(a.test_split()[0]) == 180 and len(a.train_split()[0]) == 20


def test_split_fraction_outside_10_to_90_percent_is_rejected() -> None:
    ds = Dataset()
    for bad in (0.05, 0.95, float("nan")):
        with pytest.raises(ValueError, match="test fraction"):
            ds.set_test_fraction(bad)
    assert ds.test_fraction == 0.5


def test_arrays_are_read_only_and_snapshots_do_not_follow_edits() -> None:
    ds = Dataset()
    ds.load_preset("circle", 20)
    snap = ds.snapshot()
    with pytest.raises(ValueError):
        ds.points[0, 0] = 99.0
    ds.add_point(1.0, 1.0, 1)
    assert len(snap) == 20 and len(ds) == 21
    assert snap.version < ds.version
    train_points, train_labels = snap.train_split()
    assert len(train_points) == len(train_labels) == (~snap.is_test).sum()


def test_csv_round_trip_keeps_points_labels_and_split(tmp_path: Path) -> None:
    ds = Dataset(test_fraction=0.4)
    ds.load_preset("moons", 50, noise=0.2, seed=9)
    ds.add_point(0.1234567890123, -5.5, 1)
    path = tmp_path / "data.csv"
    ds.save_csv(path)
    loaded = Dataset()
    loaded.load_csv(path)
    np.testing.assert_array_equal(loaded.points, ds.points)  # bit for bit
    np.testing.assert_array_equal(loaded.labels, ds.labels)
    np.testing.assert_array_equal(loaded.is_test, ds.is_test)
    assert loaded.undo() and len(loaded) == 0  # loading is an undoable edit


def test_csv_without_split_column_is_split_by_the_fraction(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("# a comment\n" + "".join(f"{i},{-i},{i % 2}\n" for i in range(10)))
    ds = Dataset(test_fraction=0.2)
    ds.load_csv(path)
    assert len(ds) == 10 and ds.is_test.sum() == 2
    assert ds.labels.tolist() == [i % 2 for i in range(10)]


@pytest.mark.parametrize("text, line, message", [
    ("x,y,label\n1,2,0\n3,four,1\n", 3, r"y \(column 2\) must be a number, got 'four'"),
    ("x,y,label\n1,2,0\n\n3,4,9\n", 4, r"label \(column 3\) must be a whole number from 0 to 7"),
    ("x,y,label\n1,2,0\n3,4,-1\n", 3, r"label \(column 3\) must be a whole number"),
    ("1,2,0\n1,2\n", 2, "comma-separated"),
    ("x,y,label,split\n1,2,0,train\n1,2,0,validate\n", 3,
     r"split \(column 4\) must be train or test"),
    ("x,y,value\n1,2,0.5\n1,2,big\n", 3, r"value \(column 3\) must be a number"),
    ("x,y,value\n1,2,inf\n", 2, r"value \(column 3\) must be a finite number"),
    ("x,y,value\n1,2,3e5\n", 2, r"value \(column 3\) is 300000, outside"),
    ("x,y,split\n1,2,train\n1,2,val\n", 3, r"split \(column 3\) must be train or test"),
    ("x,y,label\nnan,2,0\n", 2, "finite"),
    # the file a user opened, and the window crashed: refused, saying what is accepted
    ("1,2,1\n1e300,3,0\n-2,1,0\n", 2,
     r"x \(column 1\) is 1e\+300, outside the accepted range -10000 to 10000"),
    ("x,y,label\n1,2,1\n3,-20000,0\n", 3, r"y \(column 2\) is -20000, outside"),
    ("x,y,colour\n", 1, "expected a header x,y,label"),
])
def test_malformed_csv_names_the_line_and_leaves_the_dataset_unchanged(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    ds = Dataset()
    ds.load_preset("circle", 12)
    before, version = _state(ds), ds.version
    with pytest.raises(ValueError, match=f"line {line}: .*{message}"):
        ds.load_csv(path)
    assert _state(ds) == before and ds.version == version


def test_bounds_cover_the_playground_square_and_every_point() -> None:
    ds = Dataset()
    assert ds.bounds() == (-6.0, 6.0, -6.0, 6.0)
    ds.add_point(10.0, -1.0, 1)
    ds.add_point(0.0, -8.0, 0)
    xmin, xmax, ymin, ymax = ds.bounds()
    assert xmin == -6.0 and xmax > 10.0 and ymin < -8.0 and ymax == 6.0


def test_the_coordinate_limit_is_inclusive_and_applies_to_every_way_in(tmp_path: Path) -> None:
    ds = Dataset()
    ds.add_point(MAX_COORDINATE, -MAX_COORDINATE, 1)  # the limit itself is fine
    before = _state(ds)
    with pytest.raises(ValueError, match=r"x is 10000\.5, outside the accepted range"):
        ds.add_point(MAX_COORDINATE + 0.5, 0.0, 0)
    with pytest.raises(ValueError, match=r"point 2: y is -1e\+300, outside"):
        ds.add_points([[0.0, 0.0], [1.0, -1e300]], 1)
    with pytest.raises(ValueError, match="outside the accepted range"):
        Dataset(points=np.array([[0.0, 2e4]]), labels=np.array([1]))
    assert _state(ds) == before


def test_cleared_history_leaves_nothing_to_undo_and_says_so() -> None:
    ds = Dataset()
    ds.load_preset("circle", 20)
    seen: list[bool] = []
    ds.changed.connect(lambda: seen.append(ds.can_undo))
    ds.clear_history()
    assert seen == [False] and not ds.can_undo and not ds.undo()
    assert len(ds) == 20  # the points stay
    ds.add_point(0.0, 0.0, 1)
    assert ds.undo() and len(ds) == 20 and not ds.can_undo


def test_an_opened_file_is_remembered_by_name_and_undo_brings_it_back(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("1,2,1\n-2,1,0\n")
    ds = Dataset()
    ds.load_preset("xor", 10)
    ds.load_csv(path)
    assert (ds.source, ds.preset) == ("mine.csv", None)
    ds.add_point(0.0, 0.0, 1)  # edits keep the name
    assert ds.source == "mine.csv"
    ds.load_preset("gauss", 10)
    assert ds.source is None and ds.preset.name == "gauss"
    ds.undo()
    assert ds.source == "mine.csv"

"""The dataset of every problem type: switching type, classes, values, samples, CSV per type."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from playground.core.dataset import Dataset
from playground.core.expression import ExpressionError
from playground.core.problems import Regression, SeveralClasses


def state(ds: Dataset) -> tuple:
    """Everything an edit can change, as plain values."""
    return (ds.kind, ds.n_classes, ds.points.tolist(), ds.labels.tolist(), ds.values.tolist(),
            ds.is_test.tolist())


def test_switching_type_is_one_undo_step_and_undo_switches_back() -> None:
    ds = Dataset()
    ds.load_preset("circle", 40, seed=1)
    binary = state(ds)
    ds.load_preset("blobs", 60, seed=2, kind="classes", n_classes=5)
    assert (ds.kind, ds.n_classes, len(ds)) == ("classes", 5, 60)
    assert set(ds.labels.tolist()) == set(range(5))
    assert ds.problem() == SeveralClasses(5)
    ds.load_preset("plane", 30, kind="regression")
    assert ds.kind == "regression" and ds.n_classes == 0 and ds.values.std() > 0
    ds.load_preset("sin", 25, kind="function", x_range=(0.0, 2.0))
    assert ds.kind == "function" and ds.preset.x_range == (0.0, 2.0)
    np.testing.assert_allclose(ds.points[:, 1], np.sin(ds.points[:, 0]))
    ds.undo()
    assert ds.kind == "regression"
    ds.undo()
    assert (ds.kind, ds.n_classes) == ("classes", 5)
    ds.undo()
    assert state(ds) == binary


def test_points_of_a_chosen_class_and_of_a_chosen_value() -> None:
    ds = Dataset()
    ds.load_preset("blobs", 20, kind="classes", n_classes=3)
    ds.add_point(1.0, 2.0, 2)
    assert ds.labels[-1] == 2 and not ds.is_test[-1]
    with pytest.raises(ValueError, match="label must be 0 to 2, got 3"):
        ds.add_point(0.0, 0.0, 3)
    ds.load_preset("plane", 10, kind="regression")
    ds.add_points([[0.0, 0.0], [1.0, 1.0]], value=-0.75)
    assert ds.values[-2:].tolist() == [-0.75, -0.75]
    before = state(ds)
    for bad, message in ((float("nan"), "value must be a finite"), (2e4, "value is 20000"),
                         ("1", "value must be a finite")):
        with pytest.raises(ValueError, match=message):
            ds.add_point(0.0, 0.0, value=bad)
    assert state(ds) == before
    ds.load_preset("sin", 10, kind="function")
    ds.add_point(0.5, 3.0)  # a function's point is the sample (x, y)
    points, truth = ds.train_split()
    assert [0.5, 3.0] in points.tolist() and 3.0 in truth.tolist()


def test_a_point_keeps_only_what_its_type_has() -> None:
    """Monkey seed 1: a click on two classes carried the editor's value (left from a
    regression), so the window held values its saved workspace did not."""
    ds = Dataset()
    ds.load_preset("circle", 10)
    ds.add_point(1.0, 1.0, 1, value=0.7)
    ds.add_points([[2.0, 2.0]], 0, value=-3.0)
    assert not ds.values.any() and ds.labels[-2:].tolist() == [1, 0]
    ds.load_preset("plane", 10, kind="regression")
    ds.add_point(1.0, 1.0, 1, value=0.5)
    assert not ds.labels.any() and ds.values[-1] == 0.5
    ds.load_preset("sin", 10, kind="function")
    ds.add_points([[0.5, 3.0]], 1, value=2.0)
    assert not ds.labels.any() and not ds.values.any()


def test_the_truth_is_the_class_the_value_or_y() -> None:
    ds = Dataset(points=[[1.0, 2.0], [3.0, 4.0]], labels=[0, 2], kind="classes", n_classes=3)
    assert ds.snapshot().truth.tolist() == [0, 2]
    ds = Dataset(points=[[1.0, 2.0]], values=[0.5], kind="regression")
    assert ds.snapshot().truth.tolist() == [0.5] and ds.problem() == Regression(1.0)
    ds = Dataset(points=[[1.0, 2.0]], values=[-3.5], kind="regression")
    assert ds.problem() == Regression(5.0)  # the colour scale reaches the largest value
    ds = Dataset(points=[[1.0, 2.0], [0.0, -1.0]], kind="function")
    assert ds.snapshot().truth.tolist() == [2.0, -1.0]


def test_the_class_count_redraws_a_preset_and_keeps_hand_made_points() -> None:
    ds = Dataset()
    ds.load_preset("spiral", 60, seed=3, kind="classes", n_classes=3)
    ds.set_classes(6)
    assert ds.n_classes == 6 and set(ds.labels.tolist()) == set(range(6))
    assert ds.preset.n_classes == 6
    ds.undo()
    assert ds.n_classes == 3
    ds.load_preset("yinyang", 30, kind="classes")
    assert ds.n_classes == 3  # yin-yang has its own three classes
    ds.clear()
    ds.add_point(0.0, 0.0, 2)
    ds.set_classes(5)
    assert ds.n_classes == 5 and len(ds) == 1
    ds.add_point(1.0, 0.0, 4)
    with pytest.raises(ValueError, match="points of class 5 are on the plane"):
        ds.set_classes(4)
    ds.load_preset("circle", 10, kind="binary")
    with pytest.raises(ValueError, match="only several classes"):
        ds.set_classes(4)


def test_a_refused_expression_or_an_undefined_range_leaves_the_data() -> None:
    ds = Dataset()
    ds.load_preset("sin", 20, kind="function")
    before = state(ds)
    with pytest.raises(ExpressionError, match="unknown name 'y'"):
        ds.load_preset("expression", 20, expression="sin(y)")
    with pytest.raises(ValueError, match=r"log\(x\) is not a finite number at x = .*choose a "
                                         "range where it is defined"):
        ds.load_preset("expression", 20, expression="log(x)", x_range=(-2.0, 2.0))
    with pytest.raises(ValueError, match="outside the accepted range"):
        ds.load_preset("expression", 20, expression="exp(x)", x_range=(0.0, 30.0))
    with pytest.raises(ValueError, match="low < high"):
        ds.load_preset("sin", 20, x_range=(2.0, 1.0))
    assert state(ds) == before
    ds.load_preset("expression", 20, expression="sin(3*x) + 0.3*x")
    np.testing.assert_allclose(ds.points[:, 1], np.sin(3 * ds.points[:, 0]) + 0.3 * ds.points[:, 0])
    assert ds.preset.expression == "sin(3*x) + 0.3*x"


def test_a_functions_view_spans_its_range_and_its_samples() -> None:
    ds = Dataset()
    ds.load_preset("sin", 50, kind="function", x_range=(-3.0, 3.0))
    xmin, xmax, ymin, ymax = ds.bounds()
    assert xmin < -3.0 and xmax > 3.0 and ymin < ds.points[:, 1].min() and ymax > 1.0 - 0.1
    ds.clear()
    xmin, xmax, ymin, ymax = ds.bounds()
    assert ymax - ymin >= 2.0


@pytest.mark.parametrize("kind, preset, header", [
    ("classes", "blobs", "x,y,label,split"),
    ("regression", "multigauss", "x,y,value,split"),
    ("function", "step", "x,y,split"),
])
def test_csv_round_trip_of_every_type(tmp_path: Path, kind: str, preset: str,
                                      header: str) -> None:
    ds = Dataset(test_fraction=0.3)
    ds.load_preset(preset, 40, noise=0.1, seed=4, kind=kind, n_classes=5)
    path = tmp_path / "data.csv"
    ds.save_csv(path)
    assert path.read_text().splitlines()[0] == header
    loaded = Dataset()
    loaded.load_csv(path)
    assert state(loaded) == state(ds)  # bit for bit, the type and the classes too


@pytest.mark.parametrize("text, kind, n_classes", [
    ("1,2,0\n3,4,1\n", "binary", 2),  # today's files stay two classes
    ("1,2,0\n3,4,4\n", "classes", 5),
    ("x,y,label\n1,2,0\n3,4,2\n", "classes", 3),
    ("x,y,value\n1,2,0.25\n3,4,-2\n", "regression", 0),
    ("x,y\n1,2\n3,4\n", "function", 0),
    ("1,2\n3,4\n", "function", 0),  # two numbers a line: samples of a function
    ("1,2,test\n3,4,train\n", "function", 0),
])
def test_a_files_columns_say_its_type(tmp_path: Path, text: str, kind: str,
                                      n_classes: int) -> None:
    path = tmp_path / "file.csv"
    path.write_text(text)
    ds = Dataset()
    ds.load_csv(path)
    assert (ds.kind, ds.n_classes, len(ds)) == (kind, n_classes, 2)


def test_labels_0_and_1_open_as_several_classes_when_those_are_chosen(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("1,2,0\n3,4,1\n")
    ds = Dataset()
    ds.load_preset("blobs", 10, kind="classes", n_classes=6)
    ds.load_csv(path)
    assert (ds.kind, ds.n_classes) == ("classes", 6)

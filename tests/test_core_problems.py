"""The problem types' conventions, one sample's loss graph, and that the session trains and
measures by them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import Tensor, Value
from engine.losses import LOSSES
from playground.core.dataset import Dataset
from playground.core.problems import (
    FUNCTION_OF_X,
    KINDS,
    TWO_CLASSES,
    Problem,
    Regression,
    SeveralClasses,
    problem_for,
    value_scale,
)
from playground.core.session import TrainingSession
from playground.core.shading import CLASS_NEUTRAL_LEVEL, class_level_count
from playground.core.spec import NetworkSpec, TrainingConfig

RNG = np.random.default_rng(5)
EVERY_LOSS = [(p, loss) for p in (TWO_CLASSES, SeveralClasses(3), SeveralClasses(8),
                                  Regression(2.0), FUNCTION_OF_X) for loss in p.losses]
NUMBER_TARGETS = [(p, loss) for p, loss in EVERY_LOSS if p.n_classes <= 2]  # not class indices


def test_targets_are_plus_minus_one_for_mse_and_hinge_and_zero_one_for_bce():
    labels = np.array([0, 1, 1, 0])
    np.testing.assert_array_equal(TWO_CLASSES.targets(labels, "mse"), [-1, 1, 1, -1])
    np.testing.assert_array_equal(TWO_CLASSES.targets(labels, "hinge"), [-1, 1, 1, -1])
    np.testing.assert_array_equal(TWO_CLASSES.targets(labels, "bce"), [0, 1, 1, 0])
    assert TWO_CLASSES.output_size == 1 and set(TWO_CLASSES.losses) == {"mse", "hinge", "bce"}


def test_several_classes_regression_and_functions_take_the_truth_as_target():
    labels = np.array([2, 0, 1])
    for loss in ("cross_entropy", "multiclass_hinge"):
        assert SeveralClasses(3).targets(labels, loss).tolist() == [2, 0, 1]
    assert SeveralClasses(5).output_size == 5 and SeveralClasses(5).name == "5 classes"
    for problem in (Regression(), FUNCTION_OF_X):
        assert problem.targets(np.array([0.5, -2.0]), "huber").tolist() == [0.5, -2.0]
        assert problem.output_size == 1 and problem.losses == ("mse", "mae", "huber")
    assert [problem_for(kind).kind for kind in KINDS] == list(KINDS)
    with pytest.raises(ValueError, match="3 to 8"):
        SeveralClasses(9)
    with pytest.raises(ValueError, match="does not fit regression"):
        Regression().check_loss("bce")


def test_accuracy_counts_the_points_on_their_side_of_zero():
    scores = np.array([[-2.0], [0.5], [-0.1], [3.0]])
    assert TWO_CLASSES.accuracy(scores, np.array([0, 1, 1, 1])) == 0.75


def test_class_metrics_per_class_and_the_confusion_matrix():
    outputs = np.array([[3.0, 0, 0], [0, 2, 0], [0, 2, 0], [0, 0, 1], [1, 0, 0]])  # (5, 3)
    labels = np.array([0, 1, 2, 2, 0])
    metrics = SeveralClasses(3).evaluate(outputs, labels, labels, "cross_entropy")
    assert metrics.accuracy == 0.8
    assert metrics.confusion == ((2, 0, 0), (0, 1, 0), (0, 1, 1))  # rows true, columns predicted
    assert metrics.per_class_accuracy == (1.0, 1.0, 0.5)
    assert math.isnan(metrics.r2) and math.isnan(metrics.rmse)
    few = SeveralClasses(4).evaluate(outputs[:, [0, 1, 2, 2]], labels, labels, "cross_entropy")
    assert math.isnan(few.per_class_accuracy[3])  # no point of class 4


def test_regression_metrics_r2_and_rmse():
    truth = np.array([1.0, 2.0, 3.0, 4.0])
    predicted = truth + np.array([0.5, -0.5, 0.5, -0.5])
    metrics = Regression().evaluate(predicted[:, None], truth, truth, "mse")
    assert metrics.rmse == pytest.approx(0.5)
    assert metrics.r2 == pytest.approx(1 - 0.25 / 1.25)  # 1 - error / variance
    assert metrics.loss == pytest.approx(0.25)
    flat = Regression().evaluate(np.ones((3, 1)), np.ones(3), np.ones(3), "mse")
    assert math.isnan(flat.r2) and flat.rmse == 0.0  # nothing to explain


def test_the_colour_scale_of_values():
    assert value_scale(np.array([0.2, -0.9])) == 1.0
    assert value_scale(np.array([1.5])) == 2.0
    assert value_scale(np.array([-30.0])) == 50.0
    assert value_scale(np.array([100.0])) == 100.0


def test_the_heatmap_shows_tanh_of_the_score_or_the_stretched_sigmoid_of_a_logit():
    scores = np.linspace(-5, 5, 11, dtype=np.float32)[:, None]
    np.testing.assert_allclose(TWO_CLASSES.shade(scores, "mse"), np.tanh(scores[:, 0]),
                               rtol=1e-6)
    sigmoid = 1 / (1 + np.exp(-scores[:, 0].astype(np.float64)))
    np.testing.assert_allclose(TWO_CLASSES.shade(scores, "bce"), 2 * sigmoid - 1, atol=1e-6)
    assert TWO_CLASSES.shade(scores, "bce").dtype == np.float32


def test_class_levels_show_the_predicted_class_paler_when_unsure():
    k = 4
    per_class = class_level_count(k)
    grid = np.array([[[9.0, 0, 0, 0], [0, 0, 0, 9.0], [0, 0, 0, 0], [0, 0, 1.0, 0]],
                     [[np.nan] * 4, [0, 5.0, 0, 5.0], [0, 0, 0, 0], [0, 0, 0, 0]]],
                    dtype=np.float32)  # (2 rows, 4 columns, 4 classes), row 0 at ymin
    levels = SeveralClasses(k).levels(grid, "cross_entropy")
    top, bottom = levels[0], levels[1]  # the image's row 0 is ymax: the grid's last row
    assert top[0] == CLASS_NEUTRAL_LEVEL
    assert per_class < top[1] < 2 * per_class - 1  # a tie of classes 1 and 3: the first, unsure
    assert bottom[0] == per_class - 1  # class 0, sure: its strongest level
    assert bottom[1] == 3 * per_class + per_class - 1  # class 3, sure
    assert bottom[2] == 0  # undecided: class 0's faintest level
    assert 2 * per_class < bottom[3] < 3 * per_class - 1  # class 2, somewhat sure


def test_regression_levels_follow_the_value_scale():
    grid = np.array([[[-2.0], [0.0], [2.0], [5.0]]], dtype=np.float32)  # (1, 4, 1)
    assert Regression(2.0).levels(grid, "mse").tolist() == [[0, 127, 255, 255]]


def network_outputs(problem: Problem, rng: np.random.Generator) -> tuple[list[Value], list]:
    """A sample's output Values and the same numbers as a list."""
    scores = (rng.normal(size=problem.output_size) * 2).tolist()
    return [Value(s, label=f"out{j + 1}") for j, s in enumerate(scores)], scores


def some_truth(problem: Problem, rng: np.random.Generator) -> float:
    if problem.n_classes:
        return int(rng.integers(0, problem.n_classes))
    return float(rng.normal())


@pytest.mark.parametrize(("problem", "loss"), EVERY_LOSS, ids=lambda v: str(v))
def test_one_samples_loss_graph_is_the_tensor_loss_on_that_sample(problem, loss):
    outputs, scores = network_outputs(problem, RNG)
    truth = some_truth(problem, RNG)
    target = problem.sample_target(truth, loss)
    graph = problem.sample_loss(outputs, target, loss)
    graph.backward()
    tensor = Tensor(np.array([scores]), requires_grad=True)  # (1, outputs)
    expected = problem.targets(np.array([truth]), loss)
    mean = problem.loss(np.array([scores]), expected, loss)
    assert graph.data == pytest.approx(mean, rel=1e-12)
    LOSSES[loss](tensor, expected).backward()  # the training loss node, for its gradient
    np.testing.assert_allclose([v.grad for v in outputs], tensor.grad[0], rtol=1e-10,
                               atol=1e-14)


@pytest.mark.parametrize(("problem", "loss"), NUMBER_TARGETS, ids=lambda v: str(v))
def test_the_target_may_be_a_value_node_for_the_inspector(problem, loss):
    outputs, _ = network_outputs(problem, RNG)
    target = Value(problem.sample_target(some_truth(problem, RNG), loss), label="y")
    graph = problem.sample_loss(outputs, target, loss)
    graph.backward()
    assert target in _nodes(graph) and all(np.isfinite(v.grad) for v in outputs)


def _nodes(root: Value) -> set[Value]:
    return set(root.topological_order())


def test_sample_loss_wants_the_problems_outputs():
    with pytest.raises(ValueError, match="3 classes needs 3 outputs, got 1"):
        SeveralClasses(3).sample_loss([Value(1.0)], 0, "cross_entropy")


@pytest.mark.parametrize("loss", ["mse", "hinge", "bce"])
def test_the_session_reports_the_problems_loss_and_accuracy(loss):
    data = Dataset(test_fraction=0.5)
    data.load_preset("xor", n_points=80, noise=0.1, seed=3)
    session = TrainingSession(data.snapshot(), NetworkSpec(), TrainingConfig(loss=loss))
    for _ in range(3):
        session.train_epoch()
    points, labels = data.test_split()
    outputs = session.network.predict(points, np.float64)  # features x1, x2 are the points
    expected = TWO_CLASSES.loss(outputs, TWO_CLASSES.targets(labels, loss), loss)
    assert session.latest.test_loss == pytest.approx(expected)
    assert session.latest.test_accuracy == TWO_CLASSES.accuracy(outputs, labels)
    assert session.latest.evaluation.test.accuracy == session.latest.test_accuracy

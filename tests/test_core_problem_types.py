"""Every problem type trained through the session as the app trains it, and switching type.

Seeded; each run stops once it reaches its mark, within a few seconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from playground.core.bounds import Bounds
from playground.core.dataset import Dataset, DatasetSnapshot
from playground.core.function_curve import curve_and_parts
from playground.core.session import TrainingSession
from playground.core.shading import BACKGROUND_LEVEL, CURVE_LEVELS, FAINT_POSITIVE_LEVEL
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.training_record import StepResult


def data(kind: str, preset: str, n_points: int = 500, noise: float = 0.0, n_classes: int = 4,
         **options: object) -> DatasetSnapshot:
    ds = Dataset(test_fraction=0.5)
    ds.load_preset(preset, n_points, noise, seed=0, kind=kind, n_classes=n_classes, **options)
    return ds.snapshot()


def spec(hidden: tuple[int, ...], features: tuple[str, ...] = ("x1", "x2"),
         activation: str = "tanh") -> NetworkSpec:
    return NetworkSpec(features=features, hidden=hidden, activations=(activation,) * len(hidden))


def train_until(session: TrainingSession, reached: Callable[[StepResult], bool],
                max_epochs: int) -> int:
    """Epochs trained until reached(result) (max_epochs + 1 if never)."""
    for epoch in range(1, max_epochs + 1):
        if reached(session.train_epoch()):
            return epoch
    return max_epochs + 1


def test_four_gaussian_blobs_reach_95_percent():
    session = TrainingSession(data("classes", "blobs", noise=0.1), spec((8, 8)),
                              TrainingConfig(loss="cross_entropy"))
    assert session.layer_sizes == (2, 8, 8, 4)
    assert train_until(session, lambda r: r.test_accuracy >= 0.95, 60) <= 60
    test = session.evaluation.test
    assert min(test.per_class_accuracy) > 0.85
    assert sum(map(sum, test.confusion)) == 250 and len(test.confusion) == 4


def test_a_three_arm_spiral_is_learned_by_2_16_16_3():
    session = TrainingSession(data("classes", "spiral", n_classes=3), spec((16, 16)),
                              TrainingConfig(loss="cross_entropy", optimizer="adam",
                                             learning_rate=0.01))
    assert session.layer_sizes == (2, 16, 16, 3)
    assert train_until(session, lambda r: r.test_accuracy >= 0.9, 300) <= 300


def test_yin_yang_reaches_90_percent():
    session = TrainingSession(data("classes", "yinyang"), spec((16, 16)),
                              TrainingConfig(loss="cross_entropy", optimizer="adam",
                                             learning_rate=0.01))
    assert session.problem.n_classes == 3
    assert train_until(session, lambda r: r.test_accuracy >= 0.9, 300) <= 300
    assert session.evaluation.test.per_class_accuracy[2] > 0.7  # the dots too


def test_the_multiclass_hinge_learns_too():
    session = TrainingSession(data("classes", "blobs", n_classes=5), spec((8,)),
                              TrainingConfig(loss="multiclass_hinge"))
    assert train_until(session, lambda r: r.test_accuracy >= 0.95, 60) <= 60


def test_sin_on_minus_pi_to_pi_to_a_squared_error_below_001():
    session = TrainingSession(data("function", "sin", x_range=(-math.pi, math.pi)),
                              spec((8,), features=("x",)), TrainingConfig(loss="mse"))
    assert math.isnan(session.latest.test_accuracy)
    assert train_until(session, lambda r: r.test_loss < 0.01, 400) <= 400
    assert session.evaluation.test.rmse == pytest.approx(math.sqrt(session.latest.test_loss))


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_tensorflow_playgrounds_plane_to_r2_above_095(loss):
    session = TrainingSession(data("regression", "plane"), spec((4,)), TrainingConfig(loss=loss))
    assert train_until(session, lambda r: r.evaluation.test.r2 >= 0.95, 150) <= 150
    assert session.evaluation.train.r2 > 0.9 and session.evaluation.test.rmse < 0.15


def test_features_and_losses_must_fit_the_problem():
    with pytest.raises(ValueError, match="unknown feature 'x1'; choose from x, x\\^2"):
        TrainingSession(data("function", "sin"), spec((4,)), TrainingConfig())
    with pytest.raises(ValueError, match="bce loss does not fit 4 classes"):
        TrainingSession(data("classes", "blobs"), spec((4,)), TrainingConfig(loss="bce"))
    session = TrainingSession(data("regression", "plane", 50), spec((4,)), TrainingConfig())
    with pytest.raises(ValueError, match="hinge loss does not fit regression"):
        session.set_config(TrainingConfig(loss="hinge"))
    with pytest.raises(ValueError, match="unknown feature 'x'"):
        session.set_spec(spec((4,), features=("x",)))
    with pytest.raises(ValueError, match="switch the problem type first"):
        session.set_data(data("classes", "blobs", 50))


def test_switching_problem_keeps_the_hidden_weights_and_starts_over():
    session = TrainingSession(data("binary", "circle", 100), spec((4, 3)), TrainingConfig())
    for _ in range(3):
        session.train_epoch()
    hidden = [w.copy() for w, _ in session.weights()[1:2]]  # the second hidden layer
    session.set_problem(data("classes", "blobs", 100, n_classes=5), spec((4, 3)),
                        TrainingConfig(loss="cross_entropy"))
    weights = session.weights()
    assert session.layer_sizes == (2, 4, 3, 5) and weights[-1][0].shape == (3, 5)
    np.testing.assert_array_equal(weights[1][0], hidden[0])
    assert session.epoch == 0 and len(session.history) == 1
    fresh = TrainingSession(data("classes", "blobs", 100, n_classes=5), spec((4, 3)),
                            TrainingConfig(loss="cross_entropy"))
    np.testing.assert_array_equal(weights[-1][0], fresh.weights()[-1][0])  # from the seed
    session.set_problem(data("function", "abs", 100), spec((4, 3), features=("x", "x^2")),
                        TrainingConfig(loss="huber"))
    assert session.layer_sizes == (2, 4, 3, 1)
    assert train_until(session, lambda r: r.evaluation.test.r2 > 0.9, 200) <= 200


def test_a_functions_picture_is_its_curve_over_the_parts_that_sum_to_it():
    session = TrainingSession(data("function", "sin", 50), spec((3,), features=("x",)),
                              TrainingConfig())
    x = np.linspace(-3, 3, 7)
    curve, parts, weights = curve_and_parts(session.network, ("x",), x)
    expected = session.network.predict(x[:, None], np.float64)[:, 0]
    np.testing.assert_allclose(curve, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(parts.sum(axis=0) + session.network.layers[-1].bias.data[0],
                               curve, rtol=1e-5, atol=1e-6)
    assert parts.shape == (3, 7) and weights.shape == (3,)

    session.set_spec(spec((3,), features=("x",), activation="linear"))
    layer0, output = session.network.layers  # make the curve y = x exactly
    layer0.weight.data[...] = [[1.0, 0.0, 0.0]]
    layer0.bias.data[...] = 0.0
    output.weight.data[...] = [[1.0], [0.5], [0.0]]
    output.bias.data[...] = 0.0
    bounds = Bounds(-1.0, 1.0, -1.0, 1.0)
    levels = session.plot_levels(bounds, 40)
    assert levels.shape == (40, 40) and levels.dtype == np.uint8
    diagonal = [levels[39 - i, i] for i in range(40)]  # y = x runs from bottom left to top right
    assert min(diagonal) >= CURVE_LEVELS[0]
    assert levels[0, 0] == BACKGROUND_LEVEL and levels[39, 39] == BACKGROUND_LEVEL
    assert levels[20, 20] >= CURVE_LEVELS[0]
    # the first part, 1 * x, is the curve itself; the second, 0.5 * 0: the middle row
    assert FAINT_POSITIVE_LEVEL in levels[:, 5].tolist()

"""The two-class problem's conventions, and that the session trains and measures by them."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.dataset import Dataset
from playground.core.problems import TWO_CLASSES
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig


def test_targets_are_plus_minus_one_for_mse_and_hinge_and_zero_one_for_bce():
    labels = np.array([0, 1, 1, 0])
    np.testing.assert_array_equal(TWO_CLASSES.targets(labels, "mse"), [-1, 1, 1, -1])
    np.testing.assert_array_equal(TWO_CLASSES.targets(labels, "hinge"), [-1, 1, 1, -1])
    np.testing.assert_array_equal(TWO_CLASSES.targets(labels, "bce"), [0, 1, 1, 0])
    assert TWO_CLASSES.output_size == 1 and set(TWO_CLASSES.losses) == {"mse", "hinge", "bce"}


def test_accuracy_counts_the_points_on_their_side_of_zero():
    scores = np.array([-2.0, 0.5, -0.1, 3.0])
    assert TWO_CLASSES.accuracy(scores, np.array([0, 1, 1, 1])) == 0.75


def test_the_heatmap_shows_tanh_of_the_score_or_the_stretched_sigmoid_of_a_logit():
    scores = np.linspace(-5, 5, 11, dtype=np.float32)
    np.testing.assert_allclose(TWO_CLASSES.shade(scores, "mse"), np.tanh(scores), rtol=1e-6)
    sigmoid = 1 / (1 + np.exp(-scores.astype(np.float64)))
    np.testing.assert_allclose(TWO_CLASSES.shade(scores, "bce"), 2 * sigmoid - 1, atol=1e-6)
    assert TWO_CLASSES.shade(scores, "bce").dtype == np.float32


@pytest.mark.parametrize("loss", ["mse", "hinge", "bce"])
def test_the_session_reports_the_problems_loss_and_accuracy(loss):
    data = Dataset(test_fraction=0.5)
    data.load_preset("xor", n_points=80, noise=0.1, seed=3)
    session = TrainingSession(data.snapshot(), NetworkSpec(), TrainingConfig(loss=loss))
    for _ in range(3):
        session.train_epoch()
    points, labels = data.test_split()
    scores = session.network.predict(points, np.float64)[:, 0]  # features x1, x2 are the points
    expected = TWO_CLASSES.loss(scores, TWO_CLASSES.targets(labels, loss), loss)
    assert session.latest.test_loss == pytest.approx(expected)
    assert session.latest.test_accuracy == TWO_CLASSES.accuracy(scores, labels)

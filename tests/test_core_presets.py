"""Preset datasets: shapes, labels, determinism, noise; and the feature maps."""

import numpy as np
import pytest

from playground.core.features import FEATURE_LABELS, FEATURES, feature_matrix
from playground.core.presets import PRESETS, generate


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("n_points", [0, 1, 7, 200])
def test_preset_shape_and_labels(name: str, n_points: int) -> None:
    points, labels = generate(name, n_points, noise=0.2, seed=3)
    assert points.shape == (n_points, 2) and points.dtype == np.float64
    assert labels.shape == (n_points,) and set(labels.tolist()) <= {0, 1}
    assert np.isfinite(points).all()


@pytest.mark.parametrize("name", PRESETS)
def test_preset_is_balanced_and_in_playground_range(name: str) -> None:
    points, labels = generate(name, 400, noise=0.0, seed=1)
    assert 0.3 < labels.mean() < 0.7
    assert np.abs(points).max() <= 6.5
    assert np.abs(points).max() >= 3.0  # spread over the plane, not a speck


@pytest.mark.parametrize("name", PRESETS)
def test_same_seed_same_points_other_seed_other_points(name: str) -> None:
    a = generate(name, 100, noise=0.1, seed=5)
    b = generate(name, 100, noise=0.1, seed=5)
    c = generate(name, 100, noise=0.1, seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not (np.array_equal(a[0], c[0]) and np.array_equal(a[1], c[1]))


def _nearest_neighbour_agreement(points: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of points whose nearest other point has the same label."""
    d = np.linalg.norm(points[:, None] - points[None], axis=-1)
    np.fill_diagonal(d, np.inf)
    return float((labels[d.argmin(axis=1)] == labels).mean())


@pytest.mark.parametrize("name", PRESETS)
def test_noise_mixes_the_classes(name: str) -> None:
    clean = _nearest_neighbour_agreement(*generate(name, 300, noise=0.0, seed=2))
    noisy = _nearest_neighbour_agreement(*generate(name, 300, noise=0.5, seed=2))
    assert clean > 0.9
    assert noisy < clean


def test_circle_is_inside_positive_outside_negative_without_noise() -> None:
    points, labels = generate("circle", 300, noise=0.0, seed=0)
    r = np.hypot(points[:, 0], points[:, 1])
    assert (r[labels == 1] < 2.5).all() and (r[labels == 0] > 3.5).all()


def test_xor_labels_by_quadrant_without_noise() -> None:
    points, labels = generate("xor", 300, noise=0.0, seed=0)
    np.testing.assert_array_equal(labels, (points[:, 0] * points[:, 1] > 0).astype(int))


def test_moons_match_sklearn_layout() -> None:
    points, labels = generate("moons", 100, noise=0.0, seed=0)
    outer = points[labels == 0] / 4 + [0.5, 0.25]  # back to sklearn's units
    np.testing.assert_allclose(np.hypot(*outer.T), 1.0)  # the outer moon is the unit half circle


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "triangle"}, "unknown preset"),
    ({"name": "circle", "noise": 0.7}, "noise"),
    ({"name": "circle", "noise": -0.1}, "noise"),
    ({"name": "circle", "n_points": -1}, "n_points"),
    ({"name": "circle", "n_points": 2.5}, "n_points"),
])
def test_bad_preset_arguments_are_rejected(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(**kwargs)


def test_feature_matrix_columns_follow_the_names() -> None:
    points = np.array([[1.0, 2.0], [-3.0, 0.5]])
    m = feature_matrix(points, ["x2", "x1*x2", "x1^2", "sin(x1)"])
    expected = np.array([[2.0, 2.0, 1.0, np.sin(1.0)], [0.5, -1.5, 9.0, np.sin(-3.0)]])
    np.testing.assert_allclose(m, expected)


def test_every_feature_has_a_label_and_a_column() -> None:
    assert set(FEATURE_LABELS) == set(FEATURES)
    m = feature_matrix(np.ones((5, 2)), list(FEATURES))
    assert m.shape == (5, len(FEATURES))


@pytest.mark.parametrize("names, message", [
    ([], "at least one"), (["x3"], "unknown feature"), (["x1", "x1"], "repeat")])
def test_bad_feature_lists_are_rejected(names: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        feature_matrix(np.ones((2, 2)), names)

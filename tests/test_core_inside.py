"""Seeing inside the network, headless: thumbnails, switched-off neurons, typed weights, hidden
space, gradient health, each point's loss, reshapes that name what they keep."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from engine.fused import network
from engine.tensor import Tensor
from playground.core.bounds import Bounds
from playground.core.dataset import Dataset, DatasetSnapshot
from playground.core.features import feature_matrix
from playground.core.health import HealthTrend, health_report
from playground.core.hidden_space import MAX_SHOWN, HiddenChoice, grid_line_rows
from playground.core.inside import InsideOptions, look_inside
from playground.core.loop import TrainingLoop
from playground.core.neuron_grids import CURVE_POINTS, THUMBNAIL_STRIDE
from playground.core.parameter_state import ParameterRef, parse_parameter_value
from playground.core.session import TrainingSession
from playground.core.shading import grid_levels
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.spec_edits import add_neuron, insert_layer, remove_layer, remove_neuron
from tests.gradcheck import check_grads

BOUNDS = Bounds(-6.0, 6.0, -6.0, 6.0)
RES = 20


def _data(name: str = "circle", n: int = 200) -> DatasetSnapshot:
    ds = Dataset(test_fraction=0.5)
    ds.load_preset(name, n, 0.0, 0)
    return ds.snapshot()


def _session(hidden=(4, 3), activations=("tanh", "tanh"), **config) -> TrainingSession:
    return TrainingSession(_data(), NetworkSpec(hidden=hidden, activations=activations),
                           TrainingConfig(**config))


def _grid_points(resolution: int = RES) -> np.ndarray:
    xs = np.linspace(BOUNDS.xmin, BOUNDS.xmax, resolution)
    ys = np.linspace(BOUNDS.ymin, BOUNDS.ymax, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def _hidden_by_hand(session: TrainingSession, x: np.ndarray, layer: int) -> np.ndarray:
    """Hidden layer `layer`'s outputs (N, n) for inputs x, computed layer by layer."""
    h = x
    for i, ((w, b), act) in enumerate(zip(session.weights(), session.spec.activations,
                                          strict=False)):
        h = getattr(Tensor(h @ w + b), act)().data
        if i == layer:
            return h
    raise AssertionError("no such layer")


# ---- the engine's mask ------------------------------------------------------------------------

@pytest.mark.parametrize("activations", [("tanh", "linear"), ("relu", "sigmoid", "linear"),
                                         ("gelu", "linear")])
def test_a_masked_network_has_the_gradients_of_a_zeroed_neuron(activations):
    rng = np.random.default_rng(3)
    sizes = [3, 4, 3, 2][:len(activations) + 1]
    arrays = [rng.normal(size=(5, 3))]
    for fan_in, fan_out in itertools.pairwise(sizes):
        arrays += [rng.normal(size=(fan_in, fan_out)) * 0.5, rng.normal(size=fan_out) * 0.5]
    masks = [np.array([1.0, 0.0, 1.0, 1.0]), *[None] * (len(activations) - 1)]
    check_grads(lambda x, *p: network(x, p, activations, masks), *arrays, rng=rng)
    x, *params = [Tensor(a, requires_grad=True) for a in arrays]
    out = network(x, params, activations, masks)
    (out * out).sum().backward()
    assert np.all(params[0].grad[:, 1] == 0) and params[1].grad[1] == 0  # into neuron 2
    assert np.all(params[2].grad[1] == 0)  # out of it


# ---- thumbnails -------------------------------------------------------------------------------

def test_a_neurons_thumbnail_is_its_activation_on_the_grid():
    session = _session()
    session.train_epoch()
    inside = look_inside(session, BOUNDS, RES, InsideOptions(health=False), HealthTrend())
    hidden = _hidden_by_hand(session, _grid_points(), layer=0)  # (res*res, 4), tanh
    thin = hidden.reshape(RES, RES, 4)[::THUMBNAIL_STRIDE, ::THUMBNAIL_STRIDE]  # (10, 10, 4)
    n_inputs = 2
    for j in range(4):
        expected = grid_levels(thin[:, :, j].astype(np.float32))
        np.testing.assert_allclose(inside.neuron_levels[n_inputs + j], expected, atol=1)
    # the output node is shaded as the main heatmap is
    shaded = session.problem.shade(session.decision_grid(BOUNDS, RES), session.config.loss)
    main = shaded[::THUMBNAIL_STRIDE, ::THUMBNAIL_STRIDE]
    np.testing.assert_allclose(inside.neuron_levels[-1], grid_levels(main), atol=1)
    assert inside.neuron_levels.shape == (2 + 4 + 3 + 1, RES // 2, RES // 2)


def test_the_focused_neuron_comes_at_full_resolution():
    session = _session(hidden=(3,), activations=("relu",))
    inside = look_inside(session, BOUNDS, RES, InsideOptions(focus=(1, 2)), HealthTrend())
    relu = _hidden_by_hand(session, _grid_points(), layer=0)[:, 2]  # (res*res,)
    scaled = relu / max(np.abs(relu).max(), 1e-12)  # a ReLU thumbnail: by its largest value
    expected = grid_levels(scaled.reshape(RES, RES).astype(np.float32))
    np.testing.assert_allclose(inside.focus_levels, expected, atol=1)
    assert look_inside(session, BOUNDS, RES, InsideOptions(focus=(1, 5)),
                       HealthTrend()).focus_levels is None  # no such neuron


# ---- switching a neuron off -------------------------------------------------------------------

def test_switching_a_neuron_off_is_zeroing_it_and_it_comes_back_unchanged():
    session = _session(hidden=(4,), activations=("tanh",))
    session.train_epoch()
    x = feature_matrix(_grid_points(), ("x1", "x2"))
    before = session.weights()
    (w1, b1), (w2, b2) = before
    hidden = np.tanh(x @ w1 + b1)
    hidden[:, 2] = 0.0  # what switching neuron 3 off must give
    session.set_switched_off(0, 2, True)
    np.testing.assert_allclose(session.network.predict(x, np.float64), hidden @ w2 + b2,
                               rtol=1e-9, atol=1e-12)
    for _ in range(3):
        session.train_epoch()
    (w1_off, b1_off), (w2_off, _) = session.weights()
    assert np.array_equal(w1_off[:, 2], w1[:, 2]) and b1_off[2] == b1[2]  # kept as they were
    assert np.array_equal(w2_off[2], w2[2])
    assert not np.array_equal(w1_off[:, 0], w1[:, 0])  # the others trained on
    session.set_switched_off(0, 2, False)
    assert session.switched_off == frozenset()
    full = np.tanh(x @ w1_off + b1_off) @ w2_off + session.weights()[1][1]
    np.testing.assert_allclose(session.network.predict(x, np.float64), full, rtol=1e-9)


def test_a_switched_off_neuron_stays_off_through_a_reshape_that_keeps_it():
    session = _session(hidden=(4, 3))
    session.set_switched_off(1, 1, True)
    session.set_spec(*remove_neuron(session.spec, 1, 0))  # the neuron before it goes
    assert session.switched_off == {(1, 0)}
    session.set_spec(*remove_layer(session.spec, 0))
    assert session.switched_off == {(0, 0)}
    with pytest.raises(ValueError, match="no neuron 9"):
        session.set_switched_off(0, 8, True)


# ---- typed weights ----------------------------------------------------------------------------

def test_a_typed_weight_changes_the_prediction_by_what_the_arithmetic_says():
    session = _session(hidden=(4,), activations=("tanh",))
    session.train_epoch()
    x = feature_matrix(_grid_points(), ("x1", "x2"))
    (w1, b1), (w2, _) = session.weights()
    hidden = np.tanh(x @ w1 + b1)  # (N, 4)
    before = session.network.predict(x, np.float64)[:, 0]
    session.set_parameter(ParameterRef(1, 3, 0), w2[3, 0] + 0.5)  # the output's weight from h4
    after = session.network.predict(x, np.float64)[:, 0]
    np.testing.assert_allclose(after - before, 0.5 * hidden[:, 3], rtol=1e-9, atol=1e-12)
    session.set_parameter(ParameterRef(1, None, 0), session.weights()[1][1][0] - 1.0)  # bias
    np.testing.assert_allclose(session.network.predict(x, np.float64)[:, 0], after - 1.0)


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "1e400", "2e3", "", "1/3"])
def test_a_bad_typed_number_is_refused_and_changes_nothing(text):
    session = _session()
    before = session.weights()
    with pytest.raises(ValueError):
        session.set_parameter(ParameterRef(0, 0, 0), parse_parameter_value(text))
    for (w0, b0), (w1, b1) in zip(before, session.weights(), strict=True):
        assert np.array_equal(w0, w1) and np.array_equal(b0, b1)
    assert parse_parameter_value(" −0.25 ") == -0.25


def test_the_hover_reads_value_gradient_last_update_and_the_optimizers_moments():
    session = _session(optimizer="adam", learning_rate=0.01)
    session.train_epoch()
    state = session.parameter_state()
    ref = ParameterRef(1, 2, 1)
    rows = dict(state.describe(ref))
    w = session.weights()[1][0][2, 1]
    assert rows["value"] == w
    assert set(rows) == {"value", "gradient", "last update", "first moment (mean)",
                         "second moment (mean square)"}
    assert rows["second moment (mean square)"] > 0 and rows["last update"] != 0
    session.step()  # the copy does not follow the session
    assert state.value(ref) == w != session.weights()[1][0][2, 1]
    sgd = _session(optimizer="momentum")
    sgd.step()
    assert "velocity" in dict(sgd.parameter_state().describe(ref))


def test_the_last_update_is_what_the_step_changed():
    session = _session(optimizer="momentum")
    session.step()
    before = [w.copy() for w, _ in session.weights()]
    session.step()
    state = session.parameter_state()
    for (w_now, _), w_before, (update, _) in zip(session.weights(), before, state.updates,
                                                 strict=True):
        np.testing.assert_allclose(update, w_now - w_before, atol=1e-15)


# ---- reshapes from the view -------------------------------------------------------------------

def test_inserting_a_layer_keeps_the_layers_around_it_in_place():
    session = _session(hidden=(4, 3))
    session.train_epoch()
    (w1, b1), (_, b2), (w3, b3) = session.weights()
    session.set_spec(*insert_layer(session.spec, 1))  # 4 -> new 4 -> 3 -> 1
    assert session.spec.hidden == (4, 4, 3)
    after = session.weights()
    assert np.array_equal(after[0][0], w1) and np.array_equal(after[0][1], b1)
    assert np.array_equal(after[2][1], b2)  # layer 3 is the old layer 2: its biases stay
    assert np.array_equal(after[3][0], w3) and np.array_equal(after[3][1], b3)  # output


def test_removing_one_neuron_keeps_the_others_weights():
    session = _session(hidden=(4, 3))
    session.train_epoch()
    (w1, b1), (w2, b2), out = session.weights()
    session.set_spec(*remove_neuron(session.spec, 0, 1))
    (v1, c1), (v2, c2), out_after = session.weights()
    keep = [0, 2, 3]
    assert np.array_equal(v1, w1[:, keep]) and np.array_equal(c1, b1[keep])
    assert np.array_equal(v2, w2[keep]) and np.array_equal(c2, b2)
    assert np.array_equal(out_after[0], out[0])


def test_two_reshapes_posted_in_a_row_merge_into_one_that_knows_both():
    session = _session(hidden=(4, 3))
    _, (w2, _), _ = session.weights()
    loop = TrainingLoop(session)
    spec, lineage = insert_layer(session.spec, 0)  # new, 4, 3
    loop.post_spec(spec, lineage)
    loop.post_spec(*remove_neuron(spec, 1, 0))  # new, 4 without its first, 3
    loop.run_once()
    assert session.spec.hidden == (4, 3, 3)
    assert np.array_equal(session.weights()[2][0], w2[1:])  # old layer 2 reads neurons 2-4


def test_the_edits_keep_the_designers_limits():
    spec = NetworkSpec(hidden=(16, 1), activations=("tanh", "relu"))
    with pytest.raises(ValueError, match="most"):
        add_neuron(spec, 0)
    with pytest.raises(ValueError, match="one neuron"):
        remove_neuron(spec, 1, 0)
    full = NetworkSpec(hidden=(1,) * 6, activations=("tanh",) * 6)
    with pytest.raises(ValueError, match="most"):
        insert_layer(full, 2)
    assert insert_layer(spec, 2)[0].activations == ("tanh", "relu", "relu")


# ---- hidden space -----------------------------------------------------------------------------

def test_hidden_space_points_are_the_layers_activations_of_the_data():
    session = _session(hidden=(3, 2))
    session.train_epoch()
    choice = HiddenChoice(0, (0, 2))
    inside = look_inside(session, BOUNDS, RES, InsideOptions(hidden=choice), HealthTrend())
    space = inside.hidden
    data = session.data
    x = np.concatenate([data.train_split()[0], data.test_split()[0]])
    hidden = _hidden_by_hand(session, x, layer=0)  # (N, 3)
    np.testing.assert_allclose(space.points, hidden[:, [0, 2]], rtol=1e-5, atol=1e-6)
    assert list(space.labels) == [*data.train_split()[1], *data.test_split()[1]]
    # the grid lines are rows and columns of the plane, carried through the same layer
    grid_hidden = _hidden_by_hand(session, _grid_points(), 0).reshape(RES, RES, 3)
    row = grid_line_rows(RES)[3]
    np.testing.assert_allclose(space.lines[3], grid_hidden[row][:, [0, 2]], rtol=1e-5,
                               atol=1e-6)


def test_principal_components_span_the_layer_and_do_not_flip():
    session = _session(hidden=(5,), activations=("tanh",))
    session.train_epoch()
    options = InsideOptions(hidden=HiddenChoice(0, None))
    space = look_inside(session, BOUNDS, RES, options, HealthTrend()).hidden
    assert space.axes[0].startswith("PC 1 (")
    centred = space.points - space.points.mean(axis=0)
    assert np.var(centred[:, 0]) >= np.var(centred[:, 1])  # the first explains the most
    again = look_inside(session, BOUNDS, RES, options, HealthTrend()).hidden
    np.testing.assert_array_equal(again.points, space.points)


def test_a_large_dataset_shows_every_kth_point_in_the_hidden_space():
    n = 2 * MAX_SHOWN + 10  # every third point: MAX_SHOWN of them, or a few fewer
    session = TrainingSession(_data("spiral", n), NetworkSpec(hidden=(3,), activations=("tanh",)),
                              TrainingConfig())
    for neurons, health in itertools.product(((0, 2), None), (True, False)):
        # without the health panel, the pass over the data is made over the points shown only
        options = InsideOptions(hidden=HiddenChoice(0, neurons), health=health)
        inside = look_inside(session, BOUNDS, RES, options, HealthTrend())
        space = inside.hidden
        data = session.data
        x = np.concatenate([data.train_split()[0], data.test_split()[0]])[::3]
        labels = np.concatenate([data.train_split()[1], data.test_split()[1]])[::3]
        assert len(space.points) == len(x) <= MAX_SHOWN
        assert space.labels.tolist() == labels.tolist()
        if neurons is not None:
            hidden = _hidden_by_hand(session, x, layer=0)
            np.testing.assert_allclose(space.points, hidden[:, [0, 2]], rtol=1e-5, atol=1e-6)


def test_with_no_points_the_principal_components_are_the_grid_lines():
    """Monkey seed 3: a cleared dataset took the mean of no points (a NumPy warning, NaN)."""
    session = TrainingSession(Dataset().snapshot(), NetworkSpec(hidden=(5,),
                                                                activations=("tanh",)),
                              TrainingConfig())
    options = InsideOptions(hidden=HiddenChoice(0, None))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        space = look_inside(session, BOUNDS, RES, options, HealthTrend()).hidden
    assert space.points.shape == (0, 2) and np.isfinite(space.lines).all()
    assert np.var(space.lines[..., 0]) >= np.var(space.lines[..., 1]) > 0


# ---- gradient health --------------------------------------------------------------------------

def test_the_health_counts_dead_relus_on_a_network_built_to_have_them():
    session = _session(hidden=(8,), activations=("relu",))
    network_ = session.network
    network_.layers[0].bias.data[:7] = -1e3  # seven never fire on any point of the plane
    report = look_inside(session, BOUNDS, RES, InsideOptions(), HealthTrend()).health
    hidden = report.layers[0]
    assert (hidden.dead, hidden.neurons) == (7, 8)
    assert any("layer 1: 7 of 8 ReLUs are dead" in w and "leaky ReLU" in w
               for w in report.warnings)
    session.set_switched_off(0, 7, True)  # the live one: its zeros are not death
    session.set_switched_off(0, 0, True)  # nor is a dead one counted while it is off
    report = look_inside(session, BOUNDS, RES, InsideOptions(), HealthTrend()).health
    assert (report.layers[0].dead, report.layers[0].neurons) == (6, 6)


def test_the_health_sees_saturated_tanh_units_and_a_diverging_update():
    session = _session(hidden=(4,), activations=("tanh",), learning_rate=50.0)
    session.network.layers[0].weight.data[:] = 30.0  # |tanh| ~ 1 nearly everywhere
    session.step()
    trend = HealthTrend()
    report = look_inside(session, BOUNDS, RES, InsideOptions(), trend).health
    assert report.layers[0].saturated >= 3
    assert report.layers[1].update_ratio > 1
    assert report.warnings[0].startswith("update/weight ratio above 1")
    assert any("saturated" in w for w in report.warnings)
    assert report.trend.shape == (1, 2, 3)
    state = session.parameter_state()
    again = health_report(state, ("tanh",), [np.zeros((4, 0))], frozenset(), trend)
    assert again.trend.shape == (2, 2, 3) and again.layers[0].saturated == 0  # no points


# ---- each point's loss ------------------------------------------------------------------------

def test_each_points_loss_is_in_the_datasets_order():
    session = _session()
    session.train_epoch()
    inside = look_inside(session, BOUNDS, RES, InsideOptions(point_losses=True), HealthTrend())
    data = session.data
    x = feature_matrix(data.points, ("x1", "x2"))
    scores = session.network.predict(x, np.float64)[:, 0]
    expected = (scores - (2.0 * data.labels - 1)) ** 2  # squared error, targets -1/+1
    np.testing.assert_allclose(inside.point_losses, expected, rtol=1e-9)
    assert inside.data_version == data.version


def test_the_loop_sends_the_inside_when_asked_and_follows_posted_edits():
    session = _session()
    loop = TrainingLoop(session)
    loop.request_snapshot(BOUNDS, RES)
    loop.run_once()
    assert loop.take_snapshot().inside is None  # nobody asked
    loop.set_inside(InsideOptions())
    loop.post_parameter(ParameterRef(0, 0, 0), 0.125)
    loop.post_switch(0, 1, True)
    loop.request_snapshot(BOUNDS, RES)
    loop.run_once()
    inside = loop.take_snapshot().inside
    assert inside.parameters.value(ParameterRef(0, 0, 0)) == 0.125
    assert inside.switched_off == {(0, 1)} and inside.neuron_levels is not None


def _typed_session(kind: str, preset: str, n_classes: int = 2, features=("x1", "x2"),
                   loss: str | None = None) -> TrainingSession:
    ds = Dataset(test_fraction=0.5, kind=kind, n_classes=max(n_classes, 2))
    ds.load_preset(preset, 60, 0.1, 0, kind=kind, n_classes=n_classes)
    snapshot = ds.snapshot()
    config = TrainingConfig(loss=loss or snapshot.problem().default_loss)
    return TrainingSession(snapshot, NetworkSpec(features=features, hidden=(3,),
                                                 activations=("tanh",)), config)


def test_a_functions_thumbnails_are_each_neurons_curve_over_x():
    session = _typed_session("function", "sin", features=("x", "x^2"))
    inside = look_inside(session, BOUNDS, RES, InsideOptions(health=False), HealthTrend())
    assert inside.neuron_levels.shape == (2 + 3 + 1, CURVE_POINTS)  # inputs, hidden, output
    x = np.linspace(BOUNDS.xmin, BOUNDS.xmax, CURVE_POINTS)
    features = feature_matrix(np.column_stack([x, 0 * x]), ("x", "x^2"))  # (points, 2)
    (w, b), _ = session.weights()
    hidden = np.tanh(features @ w + b)  # (points, 3), already in [-1, 1]
    expected = np.clip((hidden.T + 1) * 127.5, 0, 255)  # (3, points) as uint8 levels
    np.testing.assert_allclose(inside.neuron_levels[2:5], expected, atol=1)
    assert inside.focus_levels is None  # a curve has no heatmap to show in the plot


def test_each_output_of_several_classes_shows_its_softmax_probability():
    session = _typed_session("classes", "blobs", n_classes=3)
    inside = look_inside(session, BOUNDS, RES, InsideOptions(health=False), HealthTrend())
    grid = session.grid_outputs(BOUNDS, RES)[-1]  # (3, res*res)
    odds = np.exp(grid - grid.max(axis=0))
    probability = odds / odds.sum(axis=0)  # (3, res*res)
    thin = probability.reshape(3, RES, RES)[:, ::THUMBNAIL_STRIDE, ::THUMBNAIL_STRIDE]
    expected = grid_levels((2 * thin - 1).astype(np.float32))  # (3, side, side)
    np.testing.assert_allclose(inside.neuron_levels[-3:], expected, atol=1)


@pytest.mark.parametrize("kind, preset, n_classes, loss", [
    ("classes", "blobs", 3, "cross_entropy"), ("classes", "blobs", 3, "multiclass_hinge"),
    ("regression", "plane", 0, "huber"), ("regression", "plane", 0, "mae")])
def test_each_points_loss_is_its_own_share_of_the_mean_for_every_type(kind, preset, n_classes,
                                                                      loss):
    session = _typed_session(kind, preset, n_classes, loss=loss)
    inside = look_inside(session, BOUNDS, RES, InsideOptions(health=False, point_losses=True),
                         HealthTrend())
    train = ~session.data.is_test
    assert inside.point_losses[train].mean() == pytest.approx(session.latest.train_loss)
    assert inside.point_losses[~train].mean() == pytest.approx(session.latest.test_loss)

"""TrainingSession: learning, live changes between steps, divergence, decision grid."""

from dataclasses import replace

import numpy as np
import pytest

from playground.core.dataset import Dataset, DatasetSnapshot
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig


def _data(name: str = "circle", n_points: int = 200, noise: float = 0.0,
          seed: int = 0) -> DatasetSnapshot:
    ds = Dataset(test_fraction=0.5)
    ds.load_preset(name, n_points, noise, seed)
    return ds.snapshot()


def _session(spec: NetworkSpec | None = None, data: DatasetSnapshot | None = None,
             **config: object) -> TrainingSession:
    return TrainingSession(_data() if data is None else data, spec or NetworkSpec(),
                           TrainingConfig(**config))


def _weights(session: TrainingSession) -> list[tuple[np.ndarray, np.ndarray]]:
    return session.weights()


def _train_until(session: TrainingSession, accuracy: float, max_epochs: int) -> int:
    """Epochs trained until the test accuracy reaches accuracy (max_epochs + 1 if never)."""
    for epoch in range(1, max_epochs + 1):
        if session.train_epoch().test_accuracy >= accuracy:
            return epoch
    return max_epochs + 1


def test_circle_reaches_95_percent_test_accuracy_with_tf_playground_defaults() -> None:
    session = _session(data=_data("circle", 500, noise=0.1))  # 2-4-2-1 tanh, lr 0.03, mse
    assert session.latest.test_accuracy < 0.8  # it starts out guessing
    assert _train_until(session, 0.95, max_epochs=300) <= 300
    assert session.history.train_loss[-1] < session.history.train_loss[0] / 3


def test_xor_is_learned_from_the_x1_times_x2_feature() -> None:
    spec = NetworkSpec(features=("x1", "x2", "x1*x2"), hidden=(2,), activations=("tanh",))
    session = _session(spec, _data("xor", 300, noise=0.05), learning_rate=0.03)
    assert _train_until(session, 0.95, max_epochs=100) <= 100


@pytest.mark.parametrize("optimizer, loss", [("momentum", "hinge"), ("adam", "bce"),
                                             ("sgd", "bce")])
def test_every_optimizer_and_loss_learns_the_gaussians(optimizer: str, loss: str) -> None:
    session = _session(data=_data("gauss", 200), optimizer=optimizer, loss=loss,
                       learning_rate=0.01 if optimizer == "adam" else 0.03)
    assert _train_until(session, 0.95, max_epochs=50) <= 50


def test_steps_epochs_and_history_count_up() -> None:
    session = _session(batch_size=7)  # 100 training points: 15 steps per epoch, the last short
    results = [session.step() for _ in range(31)]
    assert [r.step for r in results] == list(range(1, 32))
    assert session.epoch == 2 and session.steps == 31
    assert list(session.history.epochs) == [0, 1, 2] and list(session.history.steps) == [0, 15, 30]
    # the epoch-end metrics are carried between evaluations
    assert results[14].train_loss == results[28].train_loss != results[29].train_loss


def test_same_seed_trains_identically_and_another_seed_does_not() -> None:
    a, b, c = _session(seed=3), _session(seed=3), _session(seed=4)
    for s in (a, b, c):
        for _ in range(3):
            s.train_epoch()
    assert a.history.train_loss == b.history.train_loss
    assert a.history.train_loss != c.history.train_loss


def test_set_config_applies_the_new_learning_rate_at_the_next_step_without_reset() -> None:
    slow, fast = _session(), _session()
    for s in (slow, fast):
        for _ in range(12):
            s.step()
    before = _weights(fast)
    fast.set_config(replace(fast.config, learning_rate=0.3))  # 10x
    slow.step()
    fast.step()
    assert fast.steps == 13 and fast.history.train_loss[0] == slow.history.train_loss[0]
    for (w_slow, _), (w_fast, _), (w0, _) in zip(_weights(slow), _weights(fast), before,
                                                 strict=True):
        np.testing.assert_allclose(w_fast - w0, 10 * (w_slow - w0), rtol=1e-9, atol=1e-15)


def test_set_config_keeps_momentum_when_the_optimizer_stays_and_weights_when_it_changes() -> None:
    kept, restarted = _session(optimizer="momentum"), _session(optimizer="momentum")
    for s in (kept, restarted):
        for _ in range(5):
            s.step()
    before = _weights(kept)
    kept.set_config(replace(kept.config, learning_rate=0.05))
    restarted.set_config(replace(restarted.config, optimizer="sgd"))
    for (w0, _), (w1, _) in zip(before, _weights(restarted), strict=True):
        np.testing.assert_array_equal(w0, w1)  # switching optimizer keeps the weights
    restarted.set_config(replace(restarted.config, optimizer="momentum", learning_rate=0.05))
    kept.step(), restarted.step()
    # the kept velocity adds 0.9 * the previous steps to the update; a restarted one does not
    moved = [_weights(s)[0][0] - before[0][0] for s in (kept, restarted)]
    assert np.abs(moved[0] - moved[1]).max() > 1e-6


def test_l2_regularization_shrinks_the_weights() -> None:
    plain, decayed = _session(), _session(regularization="l2", reg_rate=0.05)
    for s in (plain, decayed):
        for _ in range(30):
            s.train_epoch()
    norm = [sum(float((w**2).sum()) for w, _ in _weights(s)) for s in (plain, decayed)]
    assert norm[1] < 0.7 * norm[0]


def test_adding_a_hidden_layer_keeps_every_existing_weight_exactly() -> None:
    session = _session()
    for _ in range(3):
        session.train_epoch()
    before = _weights(session)
    session.set_spec(NetworkSpec(hidden=(4, 2, 2), activations=("tanh", "tanh", "relu")))
    after = _weights(session)
    assert len(after) == 4 and after[2][0].shape == (2, 2)
    for (w0, b0), (w1, b1) in zip(before[:2], after[:2], strict=True):  # the hidden layers
        np.testing.assert_array_equal(w0, w1)
        np.testing.assert_array_equal(b0, b1)
    np.testing.assert_array_equal(before[2][0], after[3][0])  # the output layer
    np.testing.assert_array_equal(before[2][1], after[3][1])
    assert session.spec_changes == [session.epoch] and session.epoch == 3  # training goes on
    assert np.isfinite(session.step().batch_loss)


def test_widening_a_layer_keeps_the_overlapping_block() -> None:
    session = _session()
    session.train_epoch()
    before = _weights(session)
    session.set_spec(NetworkSpec(hidden=(6, 2), activations=("tanh", "tanh")))
    after = _weights(session)
    np.testing.assert_array_equal(after[0][0][:, :4], before[0][0])  # old neurons of layer 1
    np.testing.assert_array_equal(after[1][0][:4], before[1][0])  # their outgoing weights
    np.testing.assert_array_equal(after[2][0], before[2][0])
    assert np.abs(after[0][0][:, 4:]).max() > 0  # new neurons start from the seed, not zero


def test_toggling_a_feature_keeps_the_rows_of_the_other_features() -> None:
    session = _session()
    session.train_epoch()
    before = _weights(session)
    session.set_spec(NetworkSpec(features=("x1", "x1^2", "x2")))
    after = _weights(session)
    assert after[0][0].shape == (3, 4)
    np.testing.assert_array_equal(after[0][0][0], before[0][0][0])  # x1's row
    np.testing.assert_array_equal(after[0][0][2], before[0][0][1])  # x2's row
    for (w0, b0), (w1, b1) in zip(before[1:], after[1:], strict=True):
        np.testing.assert_array_equal(w0, w1)
        np.testing.assert_array_equal(b0, b1)
    assert session.step().step == session.steps  # trains on the three features


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_a_diverging_step_restores_the_best_weights_and_says_so() -> None:
    session = _session(learning_rate=10.0)  # squared error at this rate blows up
    epoch_weights = {0: _weights(session)}  # weights at each epoch end
    for _ in range(400):
        steps, history = session.steps, session.history.train_loss[:]
        result = session.step()
        if result.diverged:
            break
        epoch_weights.setdefault(session.epoch, _weights(session))
    assert result.diverged, "expected lr 10 to diverge"
    assert "Lower the learning rate" in result.message
    # the rate the run diverged at, which a later change of the rate leaves as it was
    assert f"at step {steps + 1} at learning rate 10 " in result.message
    assert session.steps == steps and session.history.train_loss == history  # nothing lost
    losses = session.history.train_loss
    best = losses.index(min(losses))
    assert f"epoch {best}" in result.message
    for (w0, b0), (w1, b1) in zip(epoch_weights[best], _weights(session), strict=True):
        np.testing.assert_array_equal(w0, w1)
        np.testing.assert_array_equal(b0, b1)
    assert session.latest.train_loss == min(losses)
    session.set_config(replace(session.config, learning_rate=0.01))
    for _ in range(30):
        assert not session.step().diverged  # training goes on from there


def test_decision_grid_shape_range_and_orientation() -> None:
    session = _session(NetworkSpec(features=("x2",), hidden=(), activations=()))
    layer = session.network.layers[0]
    layer.weight.data[...] = 1.0  # the output is y itself
    layer.bias.data[...] = 0.0
    grid = session.decision_grid((-6.0, 6.0, -3.0, 3.0), resolution=50)
    assert grid.shape == (50, 50, 1) and grid.dtype == np.float32  # the raw output
    np.testing.assert_allclose(grid[0], -3.0, rtol=1e-5)  # row 0 is ymin
    np.testing.assert_allclose(grid[-1], 3.0, rtol=1e-5)
    assert (np.diff(grid[:, 0, 0]) > 0).all()
    levels = session.plot_levels((-6.0, 6.0, -3.0, 3.0), resolution=50)
    assert levels.shape == (50, 50) and levels.dtype == np.uint8
    # the picture's row 0 is ymax: tanh(3) shown near blue (255), tanh(-3) near orange (0)
    assert levels[0, 0] == round((np.tanh(3.0) + 1) * 127.5) and levels[-1, 0] < 2


def test_decision_grid_columns_run_along_x_and_follow_training() -> None:
    session = _session(NetworkSpec(features=("x1",), hidden=(), activations=()))
    layer = session.network.layers[0]
    layer.weight.data[...] = 1.0
    layer.bias.data[...] = 0.0
    grid = session.decision_grid((-2.0, 2.0, -6.0, 6.0), resolution=20)[..., 0]
    assert (np.diff(grid[5]) > 0).all() and np.ptp(grid[:, 5]) == 0
    layer.weight.data[...] = -1.0
    assert (np.diff(session.decision_grid((-2.0, 2.0, -6.0, 6.0), 20)[5, :, 0]) < 0).all()


def test_set_data_takes_effect_at_the_next_step() -> None:
    session = _session()
    for _ in range(5):
        session.step()
    session.set_data(_data("xor", 60))
    assert session.steps == 5 and session.latest.train_accuracy != 0
    for _ in range(3):
        result = session.step()
    assert result.step == 8 and session.epoch == 1  # 30 training points, batch 10


def test_reset_gives_the_seeds_weights_and_clears_history() -> None:
    fresh = _session()
    session = _session()
    for _ in range(4):
        session.train_epoch()
    session.set_spec(NetworkSpec(hidden=(3,), activations=("relu",)))
    session.set_spec(NetworkSpec())
    session.reset()
    assert session.steps == session.epoch == 0 and session.spec_changes == []
    assert session.history.train_loss == fresh.history.train_loss
    for (w0, _), (w1, _) in zip(fresh.weights(), session.weights(), strict=True):
        np.testing.assert_array_equal(w0, w1)


def test_no_training_points_reports_instead_of_failing() -> None:
    empty = Dataset().snapshot()
    session = _session(data=empty)
    result = session.step()
    assert result.step == 0 and "no training points" in result.message
    assert np.isnan(result.train_loss) and np.isnan(result.test_loss)
    assert session.plot_levels((-1, 1, -1, 1), 4).shape == (4, 4)


"""TrainingSession: trains a tensor Network on a dataset snapshot, one minibatch per step.

The step path is kept lean for speed: the feature matrices and targets are computed when the
data, features or loss change, each epoch permutes them once so minibatches are slices, and
all parameters live in one flat buffer (FlatParameters) so the optimizer update and the
divergence check are one NumPy call each. The full train and test splits are evaluated only at
the end of an epoch, where the best weights so far are checkpointed for divergence to go back to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from engine.layers import Network
from engine.losses import PER_SAMPLE, per_sample_losses, terms_targets
from engine.optim import SGD, Adam, AdamW, Optimizer
from engine.training_step import TrainingStep
from playground.core.bounds import Bounds
from playground.core.dataset import DatasetSnapshot
from playground.core.features import check_features, feature_matrix
from playground.core.flat import FlatParameters
from playground.core.function_curve import function_picture
from playground.core.network_edits import NetworkEdits
from playground.core.problems import Evaluation, Problem, SplitMetrics, mean_of
from playground.core.reshape import Lineage, carried_neurons, carry_over, carry_over_by_lineage
from playground.core.session_saving import SessionSaving
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.training_record import History, StepResult

MOMENTUM = 0.9  # the "momentum" optimizer is SGD with this momentum


@dataclass(frozen=True)
class _Split:
    """One split, ready for the network: features, targets in the loss's convention, truth."""

    x: np.ndarray  # (N, F) float64 feature matrix
    y: np.ndarray  # (N,) targets (Problem.targets: -1/+1 or 0/1, class indices, values)
    truth: np.ndarray  # (N,) labels, values or a function's y, for the metrics


class TrainingSession(NetworkEdits, SessionSaving):
    """A network, its optimizer and its data; step() trains on one minibatch.

    The data's problem type (Problem, from the snapshot) fixes how truths become targets, the
    output layer's size, the losses that fit and the metrics.
    """

    def __init__(self, snapshot: DatasetSnapshot, spec: NetworkSpec,
                 config: TrainingConfig) -> None:
        self.problem: Problem = snapshot.problem()
        self._check_fit(self.problem, spec, config)
        self._data = snapshot
        self._spec = spec
        self._config = config
        # (hidden layer, neuron) pairs whose output is held at zero: the network's state, kept
        # across resets and reshapes (see set_switched_off)
        self._switched_off: frozenset[tuple[int, int]] = frozenset()
        self._edits = 0  # counts switches of neurons and other edits (grid_outputs' cache)
        self._prepare_data()
        self.reset()

    # ---- reading ----------------------------------------------------------------------------

    @property
    def spec(self) -> NetworkSpec:
        """The network's current shape."""
        return self._spec

    @property
    def config(self) -> TrainingConfig:
        """The training settings in use."""
        return self._config

    @property
    def data(self) -> DatasetSnapshot:
        """The data trained on."""
        return self._data

    def set_data_version(self, version: int) -> None:
        """Say which edit of the window's dataset the data is (an opened workspace's, once the
        dataset holds it); nothing trained changes."""
        self._data = replace(self._data, version=version)

    @property
    def network(self) -> Network:
        """The tensor network (for the inspector's scalar_graph; do not train it elsewhere)."""
        return self._network

    @property
    def latest(self) -> StepResult:
        """The current metrics as a StepResult, without stepping."""
        return self._result(math.nan)

    @property
    def evaluation(self) -> Evaluation:
        """Every metric of both splits at the last evaluation."""
        return self._evaluation

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per layer from the input features to the outputs."""
        return (len(self._spec.features), *self._spec.hidden, self.problem.output_size)

    def weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """A copy of every layer's weight (fan_in, fan_out) and bias (fan_out,), input first."""
        return [(layer.weight.data.copy(), layer.bias.data.copy())
                for layer in self._network.layers]

    # ---- training ---------------------------------------------------------------------------

    def step(self) -> StepResult:
        """One optimization step on the next minibatch; evaluates the splits after an epoch.

        A diverging step makes NumPy warn about overflow. To silence that, run the training
        loop inside ``np.errstate(over="ignore", invalid="ignore")``: entering it per step would
        cost a tenth of the step.
        """
        n_train = len(self._train.y)
        if n_train == 0:
            return self._result(math.nan, message="no training points: add some to train")
        if self._cursor >= n_train:
            self._shuffle()
        start = self._cursor
        stop = self._cursor = min(start + self._config.batch_size, n_train)
        params = self._params
        # the loss and its gradients (written, not added) by the tensor engine's rules, no graph
        batch_loss = self._training_step(self._x_epoch[start:stop], self._y_epoch[start:stop],
                                         self._loss_terms)
        if not math.isfinite(batch_loss):
            return self._diverge(batch_loss)
        self._add_penalty_gradient()
        np.copyto(params.before_update, params.data)
        self._optimizer.step()
        if self._held is not None:
            self._hold_switched_off()
        if not params.all_finite():
            return self._diverge(batch_loss)
        self.steps += 1
        if stop == n_train:
            self.epoch += 1
            self._evaluate()
        return self._result(batch_loss)

    def train_epoch(self) -> StepResult:
        """Step until the epoch count goes up (or a step diverges); the last step's result."""
        target = self.epoch + 1
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported instead
            result = self.step()
            while self.epoch < target and not result.diverged and len(self._train.y):
                result = self.step()
        return result

    def reset(self) -> None:
        """Fresh weights and minibatch order from the seed; history and counters cleared."""
        self._install(self._build_network(self._spec))
        self._start_over()

    def _start_over(self) -> None:
        """Counters, history and minibatch order from the start, for the installed network."""
        self.steps = 0
        self.epoch = 0
        self.spec_changes: list[int] = []  # epochs at which the network changed shape
        self.history = History()
        self._order_rng = np.random.default_rng((self._config.seed, 1))
        self._cursor = len(self._train.y)  # the first step starts an epoch
        self._evaluate(new_baseline=True)

    # ---- changes between steps --------------------------------------------------------------

    def set_config(self, config: TrainingConfig) -> None:
        """Use these settings from the next step; optimizer state survives if its kind does.

        A new seed applies at the next reset().
        """
        config.validate()
        self.problem.check_loss(config.loss)
        old, self._config = self._config, config
        if config.loss != old.loss:
            self._prepare_data()
            self._cursor = len(self._train.y)
            self._evaluate(record=False, new_baseline=True)  # losses are not comparable
        if config.optimizer != old.optimizer:
            self._optimizer = self._make_optimizer()
        self._optimizer.lr = config.learning_rate

    def set_spec(self, spec: NetworkSpec, lineage: Lineage | None = None) -> None:
        """Reshape the network, keeping the weights of unchanged parts; records the epoch.

        lineage (from the network view) says which old layer and neuron each new one continues;
        None matches them by position.
        """
        spec.validate()
        check_features(spec.features, self.problem.features)
        if spec == self._spec:
            return
        old_spec, self._spec = self._spec, spec
        network = self._build_network(spec)
        new_layers = [(layer.weight.data, layer.bias.data) for layer in network.layers]
        if lineage is None:
            carry_over(old_spec, self.weights(), spec, new_layers)
        else:
            carry_over_by_lineage(old_spec, self.weights(), spec, new_layers, lineage)
        self._switched_off = carried_neurons(old_spec, spec, lineage, self._switched_off)
        self._install(network)
        if spec.features != old_spec.features:
            self._prepare_data()
            self._cursor = len(self._train.y)
        self.spec_changes.append(self.epoch)
        self._evaluate(record=False, new_baseline=True)

    def set_data(self, snapshot: DatasetSnapshot) -> None:
        """Train on this data from the next step (a new epoch starts over it).

        ValueError if its problem needs other outputs or inputs: switch with set_problem.
        """
        problem = snapshot.problem()
        if (problem.kind, problem.output_size) != (self.problem.kind, self.problem.output_size):
            raise ValueError(f"the data is a problem of {problem.name}, the network's of "
                             f"{self.problem.name}: switch the problem type first")
        self.problem = problem  # a regression's colour scale may have changed
        self._data = snapshot
        self._prepare_data()
        self._cursor = len(self._train.y)
        self._evaluate(record=False, new_baseline=True)

    def set_problem(self, snapshot: DatasetSnapshot, spec: NetworkSpec,
                    config: TrainingConfig) -> None:
        """Switch problem type (or class count): the data, the input features and the loss
        change together, since each must fit the others.

        Hidden layers keep their weights where the shapes allow; the output layer starts from
        the seed (its outputs mean something new) and the history starts over (the losses of
        another problem do not compare).
        """
        problem = snapshot.problem()
        self._check_fit(problem, spec, config)
        old_spec, old_layers = self._spec, self.weights()
        self.problem, self._data, self._spec, self._config = problem, snapshot, spec, config
        network = self._build_network(spec)
        new_layers = [(layer.weight.data, layer.bias.data) for layer in network.layers]
        old_layers[-1] = (new_layers[-1][0].copy(), new_layers[-1][1].copy())  # a fresh output
        carry_over(old_spec, old_layers, spec, new_layers)
        self._switched_off = carried_neurons(old_spec, spec, None, self._switched_off)
        self._prepare_data()
        self._install(network)
        self._start_over()

    # ---- output -----------------------------------------------------------------------------

    def plot_levels(self, bounds: Bounds, resolution: int = 100) -> np.ndarray:
        """What the window draws under the points, as uint8 colour levels (res, res), row 0 at
        ymax: the problem's heatmap over the plane, or a function's curve over x with each
        part the output layer sums (playground.core.shading)."""
        if not self.problem.on_plane:
            return function_picture(self._network, self._spec.features, bounds, resolution)
        grid = self.decision_grid(bounds, resolution)  # (res, res, outputs)
        return self.problem.levels(grid, self._config.loss)

    def decision_grid(self, bounds: Bounds, resolution: int = 100) -> np.ndarray:
        """(res, res, outputs) float32 network outputs over bounds; row 0 is ymin, column 0
        xmin. A view of the grid pass (grid_outputs): copy it to keep it."""
        outputs = self.grid_outputs(bounds, resolution)[-1].T  # (res*res, outputs)
        return outputs.reshape(resolution, resolution, -1)

    def grid_outputs(self, bounds: Bounds, resolution: int = 100) -> list[np.ndarray]:
        """ONE float32 pass over the grid: the features (F, res*res), then every layer's output
        (fan_out, res*res); row j of an array is neuron j over the grid, its row-major order
        decision_grid's. The decision grid and every neuron's thumbnail read the same pass: it
        is made once per weights, however many read it. Do not change the arrays, and copy
        what you keep: the next pass writes over them (new arrays each time cost as much as an
        activation, at 40 passes a second)."""
        xmin, xmax, ymin, ymax = bounds
        key = (bounds, resolution, self._spec.features)
        if self._grid_key != key:
            xs = np.linspace(xmin, xmax, resolution)
            ys = np.linspace(ymin, ymax, resolution)
            gx, gy = np.meshgrid(xs, ys)  # (res, res) each, gy constant along a row
            points = np.column_stack([gx.ravel(), gy.ravel()])  # (res*res, 2)
            self._grid_features = feature_matrix(points, self._spec.features, np.float32)
            self._grid_key = key
        # the weights' bytes, not a step count: whatever wrote them, the pass follows
        weights_key = (key, self._params.data.tobytes(), self._edits)
        if self._grid_pass_key != weights_key:
            n, sizes = len(self._grid_features), self.layer_sizes[1:]
            if [b.shape for b in self._grid_buffers] != [(k, n) for k in sizes]:
                self._grid_buffers = [np.empty((k, n), np.float32) for k in sizes]
            self._grid_pass = self._network.layer_outputs(self._grid_features, np.float32,
                                                          out=self._grid_buffers)
            self._grid_pass_key = weights_key
        return self._grid_pass

    def predict(self, points: np.ndarray) -> np.ndarray:
        """The network's raw outputs (N, outputs) for points (N, 2), in float64 (the exports
        reproduce these)."""
        return self._network.predict(feature_matrix(points, self._spec.features), np.float64)

    # ---- internals --------------------------------------------------------------------------

    @staticmethod
    def _check_fit(problem: Problem, spec: NetworkSpec, config: TrainingConfig) -> None:
        """Raise ValueError unless the spec's features and the loss fit the problem."""
        spec.validate()
        config.validate()
        check_features(spec.features, problem.features)
        problem.check_loss(config.loss)

    def _prepare_data(self) -> None:
        """Feature matrices and targets of both splits, for the current features and loss."""
        self._loss_terms = PER_SAMPLE[self._config.loss]
        splits = []
        for points, truth in (self._data.train_split(), self._data.test_split()):
            splits.append(_Split(feature_matrix(points, self._spec.features),
                                 self.problem.targets(truth, self._config.loss), truth))
        self._train, self._test = splits
        self._all_x = np.concatenate([self._train.x, self._test.x])  # (N_train + N_test, F)
        self._all_y = np.concatenate([self._train.y, self._test.y])  # (N_train + N_test,)
        self._grid_key: tuple | None = None  # features may have changed
        self._grid_pass_key: tuple | None = None
        self._grid_buffers: list[np.ndarray] = []  # the grid pass's arrays, written over each time

    def _shuffle(self) -> None:
        """Start an epoch: the training split in a new order, so minibatches are slices."""
        self._take_epoch_order(self._order_rng.permutation(len(self._train.y)), cursor=0)

    def _take_epoch_order(self, order: np.ndarray, cursor: int) -> None:
        """Train on the training split in this order (N,), from minibatch row cursor."""
        self._epoch_order = order
        self._x_epoch = self._train.x[order]  # (N, F)
        targets = self._train.y[order]  # (N,), as the loss's terms read them against (N, K)
        self._y_epoch = terms_targets(self._config.loss, targets,
                                      (len(targets), self.problem.output_size), np.float64)
        self._cursor = cursor

    def _build_network(self, spec: NetworkSpec) -> Network:
        """A new network of this shape with weights from the seed."""
        return Network(len(spec.features), (*spec.hidden, self.problem.output_size),
                       list(spec.activations), rng=self._config.seed)

    def _install(self, network: Network) -> None:
        """Train this network from the next step, with a fresh optimizer."""
        self._network = network
        self._params = FlatParameters(network)
        params = self._params
        self._training_step = TrainingStep(network, params.blocks(params.data),
                                           params.blocks(params.grad))
        self._optimizer = self._make_optimizer()
        self._apply_switched_off()

    def _make_optimizer(self) -> Optimizer:
        """The configured optimizer over the flat parameters."""
        config = self._config
        if config.optimizer == "adam":
            return Adam([self._params], lr=config.learning_rate)
        if config.optimizer == "adamw":
            return AdamW([self._params], lr=config.learning_rate)
        momentum = MOMENTUM if config.optimizer == "momentum" else 0.0
        return SGD([self._params], lr=config.learning_rate, momentum=momentum)

    def _add_penalty_gradient(self) -> None:
        """Add the L1 or L2 penalty's gradient on the weights (biases are not penalised)."""
        config = self._config
        if config.regularization == "none" or config.reg_rate == 0.0:
            return
        params = self._params
        if config.regularization == "l2":
            # d/dw of rate * w**2; 0 for the biases
            params.grad += (2.0 * config.reg_rate) * (params.data * params.is_weight)
        else:
            # d/dw of rate * |w|
            params.grad += config.reg_rate * (np.sign(params.data) * params.is_weight)

    def _evaluate(self, record: bool = True, new_baseline: bool = False) -> None:
        """The loss and the problem's metrics on both full splits; appended to the history
        when record.

        The weights with the lowest training loss are checkpointed for divergence to go back
        to; new_baseline forgets the old best (network, data or loss changed).
        """
        n_train = len(self._train.y)
        metrics = []
        # one graph-free pass over both splits at once, and one of their losses
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = self._network.predict(self._all_x, np.float64)  # (N_train + N_test, K)
            losses = per_sample_losses(self._config.loss, outputs, self._all_y)  # (N,) both
            for split, rows in ((self._train, slice(0, n_train)),
                                (self._test, slice(n_train, None))):
                metrics.append(SplitMetrics() if len(split.y) == 0 else self.problem.metrics(
                    mean_of(losses[rows]), outputs[rows], split.truth))
        train, test = metrics
        self._evaluation = Evaluation(train, test)
        self._train_loss, self._train_accuracy = train.loss, train.accuracy
        self._test_loss, self._test_accuracy = test.loss, test.accuracy
        if new_baseline:
            self._best_loss, self._best_epoch = math.inf, self.epoch
        if self._train_loss < self._best_loss:  # False for nan
            self._best_loss, self._best_epoch = self._train_loss, self.epoch
            self._params.save_checkpoint()
        if record:
            h = self.history
            h.steps.append(self.steps)
            h.epochs.append(self.epoch)
            h.train_loss.append(self._train_loss)
            h.test_loss.append(self._test_loss)
            h.train_accuracy.append(self._train_accuracy)
            h.test_accuracy.append(self._test_accuracy)

    def _diverge(self, batch_loss: float) -> StepResult:
        """Put back the best epoch's weights and a fresh optimizer; say what to do."""
        self._params.restore_checkpoint()
        self._params.zero_grad()  # the diverged step's gradients belong to no weights now
        self._edits += 1
        if self._held is not None:
            self._hold_switched_off()
        self._optimizer = self._make_optimizer()  # its momentum or moments saw the bad values
        self._evaluate(record=False)
        # the rate of this step: a slider moved later must not change what the message says
        lr = self._config.learning_rate
        return self._result(batch_loss, diverged=True, message=(
            f"training diverged at step {self.steps + 1} at learning rate {lr:g} "
            f"(loss {batch_loss:g}); restored the weights of epoch {self._best_epoch} "
            f"(training loss {self._best_loss:.4g}). Lower the learning rate and play again."))

    def _result(self, batch_loss: float, diverged: bool = False, message: str = "") -> StepResult:
        """A StepResult with the current counters and the last evaluated metrics."""
        return StepResult(self.steps, self.epoch, batch_loss, self._train_loss,
                          self._test_loss, self._train_accuracy, self._test_accuracy,
                          diverged, message, self._evaluation)

    def __repr__(self) -> str:
        return (f"TrainingSession({self.problem.name}, {self.layer_sizes}, step={self.steps}, "
                f"epoch={self.epoch}, train_loss={self._train_loss:.4g})")

"""Training speed of playground.core.TrainingSession on TensorFlow Playground's default set-up.

Circle, 500 points, half for training, features x1 x2, 2-4-2-1 tanh, batch 10, SGD lr 0.03,
squared error: one epoch is 25 optimization steps. The session (tensor engine, pure Python) is
timed against the same epochs written by hand in NumPy, the least any Python loop over these
minibatches can cost, measured in the same run and interleaved so machine load hits both alike.
The TrainingLoop that drives the session in the window and headless (at max speed, as the
command line's --headless runs it) is timed beside them: its messages, goals and pacing should
cost next to nothing. Best of several rounds; targets: >= 7500 steps/s and >= 300 epochs/s.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import numpy as np

from engine.nn import init_layer
from playground.core.dataset import Dataset
from playground.core.loop import TrainingLoop
from playground.core.pace import MAX_SPEED
from playground.core.problems import TWO_CLASSES
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig

EPOCHS_PER_ROUND = 40
ROUNDS = 7
TARGET_STEPS_PER_S = 7500
TARGET_EPOCHS_PER_S = 300


class NumpyMinimum:
    """The same training written out by hand: forward, backward and SGD on plain arrays."""

    def __init__(self, x: np.ndarray, y: np.ndarray, sizes: tuple[int, ...], lr: float,
                 batch_size: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        layers = [init_layer(a, b, rng) for a, b in itertools.pairwise(sizes)]
        self.weights = [w for w, _ in layers]  # (fan_in, fan_out) each
        self.biases = [b for _, b in layers]  # (fan_out,) each
        self.x, self.y = x, y  # (N, 2), (N,) in {-1, +1}
        self.lr, self.batch_size = lr, batch_size
        self.rng = np.random.default_rng((seed, 1))

    def epoch(self) -> None:
        """One pass over shuffled minibatches of a 2-...-1 tanh network with squared error."""
        order = self.rng.permutation(len(self.y))
        x_epoch, y_epoch = self.x[order], self.y[order]
        weights, biases, lr = self.weights, self.biases, self.lr
        last = len(weights) - 1
        for start in range(0, len(y_epoch), self.batch_size):
            x = x_epoch[start:start + self.batch_size]  # (batch, 2)
            y = y_epoch[start:start + self.batch_size, None]  # (batch, 1)
            activations = [x]
            for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
                z = activations[-1] @ w + b  # (batch, fan_out)
                activations.append(z if i == last else np.tanh(z))
            grad = (2.0 / len(y)) * (activations[-1] - y)  # d mean((s - y)^2) / ds
            for i in range(last, -1, -1):
                if i != last:
                    grad = grad * (1.0 - activations[i + 1] ** 2)  # through tanh
                grad_w = activations[i].T @ grad  # (fan_in, fan_out)
                grad_b = grad.sum(axis=0)  # (fan_out,)
                if i:
                    grad = grad @ weights[i].T  # (batch, fan_in)
                weights[i] -= lr * grad_w
                biases[i] -= lr * grad_b


def time_round(run: Callable[[], None], timings: list[float]) -> None:
    """Time one round of run() and record it."""
    start = time.perf_counter()
    run()
    timings.append(time.perf_counter() - start)


def main() -> None:
    """Print steps/s and epochs/s of the session and of the NumPy minimum, and their ratio."""
    data = Dataset(test_fraction=0.5)
    data.load_preset("circle", n_points=500, noise=0.0, seed=0)
    spec, config = NetworkSpec(), TrainingConfig()
    session = TrainingSession(data.snapshot(), spec, config)
    points, labels = data.train_split()
    reference = NumpyMinimum(points, TWO_CLASSES.targets(labels, config.loss), spec.layer_sizes,
                             config.learning_rate, config.batch_size, config.seed)
    steps_per_epoch = -(-len(labels) // config.batch_size)

    def session_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            session.train_epoch()

    def numpy_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            reference.epoch()

    loop = TrainingLoop(TrainingSession(data.snapshot(), spec, config), MAX_SPEED)
    loop.running_changed.connect(lambda running: running or loop.stop())

    def loop_round() -> None:
        loop.train_epochs(EPOCHS_PER_ROUND)
        loop.run()  # until the pause at the goal

    session_round(), numpy_round(), loop_round()  # warm up
    session_times: list[float] = []
    numpy_times: list[float] = []
    loop_times: list[float] = []
    for _ in range(ROUNDS):
        time_round(session_round, session_times)
        time_round(numpy_round, numpy_times)
        time_round(loop_round, loop_times)
    epochs_s = EPOCHS_PER_ROUND / min(session_times)
    numpy_epochs_s = EPOCHS_PER_ROUND / min(numpy_times)
    loop_epochs_s = EPOCHS_PER_ROUND / min(loop_times)
    print(f"set-up: circle 500 points, {len(labels)} for training, {spec.layer_sizes} tanh, "
          f"batch {config.batch_size}, SGD lr {config.learning_rate}, mse; "
          f"{steps_per_epoch} steps per epoch; best of {ROUNDS} rounds of "
          f"{EPOCHS_PER_ROUND} epochs")
    print(f"{'':24}{'steps/s':>10}{'epochs/s':>10}")
    print(f"{'TrainingSession':24}{epochs_s * steps_per_epoch:>10.0f}{epochs_s:>10.1f}"
          "   (incl. epoch-end evaluation of both splits)")
    print(f"{'TrainingLoop, max speed':24}{loop_epochs_s * steps_per_epoch:>10.0f}"
          f"{loop_epochs_s:>10.1f}   (the session driven as the window and --headless do)")
    print(f"{'NumPy by hand':24}{numpy_epochs_s * steps_per_epoch:>10.0f}{numpy_epochs_s:>10.1f}"
          "   (training only)")
    print(f"session time / NumPy time: {numpy_epochs_s / epochs_s:.2f}x; "
          f"loop time / session time: {epochs_s / loop_epochs_s:.2f}x")
    ok = epochs_s * steps_per_epoch >= TARGET_STEPS_PER_S and epochs_s >= TARGET_EPOCHS_PER_S
    print(f"target >= {TARGET_STEPS_PER_S} steps/s and >= {TARGET_EPOCHS_PER_S} epochs/s: "
          f"{'met' if ok else 'NOT met'}")
    print(f"session after {session.epoch} epochs: test accuracy {session.latest.test_accuracy:.3f}")


if __name__ == "__main__":
    main()

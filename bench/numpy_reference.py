"""The benchmarks' common peer: training written out by hand in NumPy, and their workloads.

NumpyMinimum is the least any Python loop over these minibatches can cost: forward, backward
and SGD on plain arrays for a tanh network with squared error or softmax cross-entropy, the
same initial weights and minibatch order as the session's. WORKLOADS are the set-ups the
benchmarks time, each trained the way the app trains it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from engine.nn import init_layer
from playground.core.dataset import Dataset
from playground.core.features import feature_matrix
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig


@dataclass(frozen=True)
class Workload:
    """A dataset and the network and training that learn it."""

    name: str  # what the benchmark prints
    kind: str  # the problem type
    preset: str
    hidden: tuple[int, ...]
    features: tuple[str, ...] = ("x1", "x2")
    n_classes: int = 4
    n_points: int = 500
    config: TrainingConfig = field(default_factory=TrainingConfig)

    def dataset(self) -> Dataset:
        data = Dataset(test_fraction=0.5)
        data.load_preset(self.preset, self.n_points, 0.0, 0, kind=self.kind,
                         n_classes=self.n_classes, x_range=(-math.pi, math.pi))
        return data

    def spec(self) -> NetworkSpec:
        return NetworkSpec(features=self.features, hidden=self.hidden,
                           activations=("tanh",) * len(self.hidden))

    def session(self) -> TrainingSession:
        return TrainingSession(self.dataset().snapshot(), self.spec(), self.config)

    def reference(self) -> NumpyMinimum:
        """The same training by hand, on the session's targets."""
        data = self.dataset().snapshot()
        points, truth = data.train_split()
        problem = data.problem()
        config = self.config
        return NumpyMinimum(feature_matrix(points, self.features),
                            problem.targets(truth, config.loss),
                            (len(self.features), *self.hidden, problem.output_size),
                            config.learning_rate, config.batch_size, config.seed,
                            softmax=config.loss == "cross_entropy")


TF_DEFAULT = Workload("circle, 2-4-2-1 tanh, squared error", "binary", "circle", (4, 2))
BLOBS_4 = Workload("4-class blobs, 2-8-8-4 tanh, softmax cross-entropy", "classes", "blobs",
                   (8, 8), config=TrainingConfig(loss="cross_entropy"))
BLOBS_8 = Workload("8-class blobs, 2-8-8-8 tanh, softmax cross-entropy", "classes", "blobs",
                   (8, 8), n_classes=8, config=TrainingConfig(loss="cross_entropy"))
SINE = Workload("sin(x) on [-pi, pi], 1-8-8-1 tanh, squared error", "function", "sin", (8, 8),
                features=("x",))


class NumpyMinimum:
    """The same training written out by hand: forward, backward and SGD on plain arrays."""

    def __init__(self, x: np.ndarray, y: np.ndarray, sizes: tuple[int, ...], lr: float,
                 batch_size: int, seed: int, softmax: bool = False) -> None:
        rng = np.random.default_rng(seed)
        layers = [init_layer(a, b, rng) for a, b in itertools.pairwise(sizes)]
        self.weights = [w for w, _ in layers]  # (fan_in, fan_out) each
        self.biases = [b for _, b in layers]  # (fan_out,) each
        self.x = x  # (N, F)
        # (N, K) one-hot classes for softmax cross-entropy, else (N, 1) targets
        self.y = np.eye(sizes[-1])[y] if softmax else y.reshape(-1, 1)
        self.softmax = softmax
        self.lr, self.batch_size = lr, batch_size
        self.rng = np.random.default_rng((seed, 1))

    def epoch(self) -> None:
        """One pass over shuffled minibatches of a tanh network with a linear output."""
        order = self.rng.permutation(len(self.y))
        x_epoch, y_epoch = self.x[order], self.y[order]
        weights, biases, lr = self.weights, self.biases, self.lr
        last = len(weights) - 1
        for start in range(0, len(y_epoch), self.batch_size):
            x = x_epoch[start:start + self.batch_size]  # (batch, F)
            y = y_epoch[start:start + self.batch_size]  # (batch, K)
            activations = [x]
            for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
                z = activations[-1] @ w + b  # (batch, fan_out)
                activations.append(z if i == last else np.tanh(z))
            scores = activations[-1]
            if self.softmax:  # d mean(-log softmax[y]) / ds = (softmax - onehot) / batch
                e = np.exp(scores - scores.max(axis=1, keepdims=True))
                grad = (e / e.sum(axis=1, keepdims=True) - y) / len(y)
            else:  # d mean((s - y)^2) / ds
                grad = (2.0 / len(y)) * (scores - y)
            for i in range(last, -1, -1):
                if i != last:
                    grad = grad * (1.0 - activations[i + 1] ** 2)  # through tanh
                grad_w = activations[i].T @ grad  # (fan_in, fan_out)
                grad_b = grad.sum(axis=0)  # (fan_out,)
                if i:
                    grad = grad @ weights[i].T  # (batch, fan_in)
                weights[i] -= lr * grad_w
                biases[i] -= lr * grad_b

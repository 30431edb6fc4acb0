"""What the user shapes: the network (NetworkSpec) and how it trains (TrainingConfig)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from engine.activations import ACTIVATION_NAMES, ACTIVATIONS
from playground.core.features import check_features
from playground.core.limits import ACCEPTED
from playground.core.problems import KINDS, losses_of

OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam", "adamw")
# every problem type's losses (each type takes only its own: Problem.check_loss)
LOSS_NAMES: tuple[str, ...] = tuple(dict.fromkeys(n for kind in KINDS for n in losses_of(kind)))
REGULARIZATIONS: tuple[str, ...] = ("none", "l1", "l2")
# (what the designer shows, engine name) of every activation, from the engine's one registry
ACTIVATION_CHOICES: tuple[tuple[str, str], ...] = tuple((a.display, a.name)
                                                        for a in ACTIVATIONS.values())


def _is_whole(value: object) -> bool:
    """True for ints (Python or numpy), not bools."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    """True for finite real numbers, not bools."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class NetworkSpec:
    """The network's shape; valid by construction (ValueError otherwise)."""

    features: tuple[str, ...] = ("x1", "x2")  # input features, names from features.FEATURES
    hidden: tuple[int, ...] = (4, 2)  # neurons per hidden layer, input side first; may be empty
    activations: tuple[str, ...] = ("tanh", "tanh")  # one per hidden layer; the output is linear

    def __post_init__(self) -> None:
        # accept lists from callers but store tuples, so specs stay hashable and comparable
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "hidden", tuple(self.hidden))
        object.__setattr__(self, "activations", tuple(self.activations))
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a clear message if the shape is not buildable."""
        check_features(self.features)
        max_layers = ACCEPTED.hidden_layers[1]
        if len(self.hidden) > max_layers:
            raise ValueError(f"at most {max_layers} hidden layers, got {len(self.hidden)}")
        low, high = ACCEPTED.neurons
        for i, n in enumerate(self.hidden):
            if not (_is_whole(n) and low <= n <= high):
                raise ValueError(f"hidden layer {i + 1} needs {low} to {high} neurons, got {n!r}")
        if len(self.activations) != len(self.hidden):
            raise ValueError(f"{len(self.activations)} activations for "
                             f"{len(self.hidden)} hidden layers; give one per layer")
        for i, name in enumerate(self.activations):
            if name not in ACTIVATION_NAMES:
                raise ValueError(f"hidden layer {i + 1}: unknown activation {name!r}; "
                                 f"choose one of {', '.join(ACTIVATION_NAMES)}")

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per layer from the input features to one output (the session's
        layer_sizes have the problem's outputs)."""
        return (len(self.features), *self.hidden, 1)


@dataclass(frozen=True)
class TrainingConfig:
    """How the network trains; every field can change between two steps without a reset."""

    learning_rate: float = 0.03  # step size; the UI's slider runs from 1e-5 to 10
    batch_size: int = 10  # samples per optimization step (the last batch of an epoch may be short)
    optimizer: str = "sgd"  # "sgd", "momentum" (SGD, momentum 0.9), "adam" or "adamw" (decay 0.01)
    # two classes: "mse" and "hinge" train on labels -1/+1, "bce" on 0/1 (from logits); several
    # classes: "cross_entropy" (softmax) or "multiclass_hinge"; values: "mse", "mae", "huber"
    loss: str = "mse"
    regularization: str = "none"  # "none", "l1" or "l2" penalty on the weights (not the biases)
    reg_rate: float = 0.0  # strength of the penalty
    seed: int = 0  # seeds the initial weights and the order of the minibatches

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a clear message if a field is out of ACCEPTED's ranges."""
        if not (_is_finite(self.learning_rate) and self.learning_rate > ACCEPTED.learning_rate[0]):
            raise ValueError(f"learning rate must be a positive number, got {self.learning_rate!r}")
        if not (_is_whole(self.batch_size) and self.batch_size >= ACCEPTED.batch_size[0]):
            raise ValueError(f"batch size must be a whole number >= {ACCEPTED.batch_size[0]}, "
                             f"got {self.batch_size!r}")
        for field, value, allowed in (("optimizer", self.optimizer, OPTIMIZERS),
                                      ("loss", self.loss, LOSS_NAMES),
                                      ("regularization", self.regularization, REGULARIZATIONS)):
            if value not in allowed:
                raise ValueError(f"unknown {field} {value!r}; choose one of {', '.join(allowed)}")
        if not (_is_finite(self.reg_rate) and self.reg_rate >= ACCEPTED.reg_rate[0]):
            raise ValueError(f"regularization rate must be >= {ACCEPTED.reg_rate[0]:g}, "
                             f"got {self.reg_rate!r}")
        if not (_is_whole(self.seed) and self.seed >= ACCEPTED.seed[0]):
            raise ValueError(f"seed must be a whole number >= {ACCEPTED.seed[0]}, "
                             f"got {self.seed!r}")

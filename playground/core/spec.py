"""What the user shapes: the network (NetworkSpec) and how it trains (TrainingConfig)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from engine.activations import ACTIVATION_NAMES
from playground.core.features import check_features

OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam", "adamw")
LOSS_NAMES: tuple[str, ...] = ("mse", "hinge", "bce")
REGULARIZATIONS: tuple[str, ...] = ("none", "l1", "l2")
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 32


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
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden)}")
        for i, n in enumerate(self.hidden):
            if not (_is_whole(n) and 1 <= n <= MAX_NEURONS):
                raise ValueError(f"hidden layer {i + 1} needs 1 to {MAX_NEURONS} neurons, "
                                 f"got {n!r}")
        if len(self.activations) != len(self.hidden):
            raise ValueError(f"{len(self.activations)} activations for "
                             f"{len(self.hidden)} hidden layers; give one per layer")
        for i, name in enumerate(self.activations):
            if name not in ACTIVATION_NAMES:
                raise ValueError(f"hidden layer {i + 1}: unknown activation {name!r}; "
                                 f"choose one of {', '.join(ACTIVATION_NAMES)}")

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per layer from the input features to the single output."""
        return (len(self.features), *self.hidden, 1)


@dataclass(frozen=True)
class TrainingConfig:
    """How the network trains; every field can change between two steps without a reset."""

    learning_rate: float = 0.03  # step size; the UI's slider runs from 1e-5 to 10
    batch_size: int = 10  # samples per optimization step (the last batch of an epoch may be short)
    optimizer: str = "sgd"  # "sgd", "momentum" (SGD, momentum 0.9), "adam" or "adamw" (decay 0.01)
    loss: str = "mse"  # "mse" and "hinge" train on labels -1/+1, "bce" on 0/1 (from logits)
    regularization: str = "none"  # "none", "l1" or "l2" penalty on the weights (not the biases)
    reg_rate: float = 0.0  # strength of the penalty
    seed: int = 0  # seeds the initial weights and the order of the minibatches

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a clear message if a field is out of range."""
        if not (_is_finite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning rate must be a positive number, got {self.learning_rate!r}")
        if not (_is_whole(self.batch_size) and self.batch_size >= 1):
            raise ValueError(f"batch size must be a whole number >= 1, got {self.batch_size!r}")
        for field, value, allowed in (("optimizer", self.optimizer, OPTIMIZERS),
                                      ("loss", self.loss, LOSS_NAMES),
                                      ("regularization", self.regularization, REGULARIZATIONS)):
            if value not in allowed:
                raise ValueError(f"unknown {field} {value!r}; choose one of {', '.join(allowed)}")
        if not (_is_finite(self.reg_rate) and self.reg_rate >= 0):
            raise ValueError(f"regularization rate must be >= 0, got {self.reg_rate!r}")
        if not (_is_whole(self.seed) and self.seed >= 0):
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")

"""SessionState: everything a TrainingSession needs to train on exactly where it stopped.

The session hands one out (TrainingSession.state()) and is rebuilt from one
(TrainingSession.from_state()); a workspace file is its JSON form. Besides the weights it holds
what makes the next steps the same bit for bit: the counters, the minibatch order's random
generator, the current epoch's permutation and how far into it training got, the optimizer's
running averages, and the best epoch's weights that divergence goes back to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.optim import SGD, Adam, Optimizer
from playground.core.dataset import DatasetSnapshot
from playground.core.problems import Evaluation
from playground.core.spec import NetworkSpec, TrainingConfig

if TYPE_CHECKING:
    from playground.core.training_record import History

LayerWeights = tuple[np.ndarray, np.ndarray]  # W (fan_in, fan_out), b (fan_out,)
Reorder = Callable[[np.ndarray], np.ndarray]  # a flat (n_params,) array into another order, a copy


@dataclass(frozen=True)
class OptimizerState:
    """An optimizer's running state over the flat parameters, in their saved order (every
    weight, then every bias: flat.FlatParameters.to_saved)."""

    velocity: np.ndarray | None = None  # (n_params,) SGD with momentum's velocity
    m: np.ndarray | None = None  # (n_params,) Adam and AdamW's first moment
    v: np.ndarray | None = None  # (n_params,) ... and second moment
    t: int = 0  # Adam and AdamW's step count (their bias correction reads it)


@dataclass(frozen=True)
class SessionState:
    """A session between two steps: its data, shape, settings and training progress."""

    data: DatasetSnapshot
    spec: NetworkSpec
    config: TrainingConfig
    weights: list[LayerWeights]  # per layer, input side first (copies)
    steps: int  # optimization steps since the last reset
    epoch: int  # epochs since the last reset
    spec_changes: list[int]  # epochs at which the network changed shape
    order_rng: dict[str, Any]  # the minibatch order's numpy bit generator state (PCG64)
    epoch_order: np.ndarray | None  # (n_train,) this epoch's permutation; None: a new epoch next
    cursor: int  # training points of the epoch done (n_train when epoch_order is None)
    best_loss: float  # the lowest training loss since the baseline (inf: none yet)
    best_epoch: int  # the epoch it was reached at
    checkpoint: np.ndarray  # (n_params,) the flat weights of that epoch
    evaluation: Evaluation  # the metrics of both splits at the last evaluation
    optimizer: OptimizerState
    history: History  # one entry per evaluation (a copy)
    switched_off: frozenset[tuple[int, int]] = frozenset()  # (hidden layer, neuron) held at 0


def optimizer_state(optimizer: Optimizer, to_saved: Reorder) -> OptimizerState:
    """Copies of what an optimizer over one flat parameter carries from step to step, put in
    the saved order by to_saved."""
    if isinstance(optimizer, Adam):  # AdamW too
        return OptimizerState(m=to_saved(optimizer.m[0]), v=to_saved(optimizer.v[0]),
                              t=optimizer.t)
    if isinstance(optimizer, SGD) and optimizer.momentum:
        return OptimizerState(velocity=to_saved(optimizer.velocity[0]))
    return OptimizerState()


def load_optimizer_state(optimizer: Optimizer, state: OptimizerState, n_params: int,
                         from_saved: Reorder) -> None:
    """Put state into a fresh optimizer of the same kind, each array laid out again by
    from_saved; ValueError if it does not fit."""
    arrays = {"velocity": state.velocity, "m": state.m, "v": state.v}
    for name, values in arrays.items():
        if values is not None and np.shape(values) != (n_params,):
            raise ValueError(f"optimizer {name} has {np.size(values)} values for "
                             f"{n_params} parameters")
    if isinstance(optimizer, Adam):
        if state.m is None or state.v is None:
            raise ValueError("Adam needs its moments m and v")
        optimizer.m[0] = from_saved(np.array(state.m, np.float64))
        optimizer.v[0] = from_saved(np.array(state.v, np.float64))
        optimizer.t = int(state.t)
    elif isinstance(optimizer, SGD) and optimizer.momentum:
        if state.velocity is None:
            raise ValueError("SGD with momentum needs its velocity")
        optimizer.velocity[0] = from_saved(np.array(state.velocity, np.float64))


def check_fits(state: SessionState, layer_shapes: list[tuple[tuple[int, ...], tuple[int, ...]]],
               n_train: int, hidden: tuple[int, ...]) -> None:
    """ValueError naming what does not fit a network of these (weight, bias) shapes and hidden
    layer sizes, and data of n_train training points."""
    if len(state.weights) != len(layer_shapes):
        raise ValueError(f"{len(state.weights)} layers of weights for a network of "
                         f"{len(layer_shapes)} layers")
    for i, ((weight, bias), shapes) in enumerate(zip(state.weights, layer_shapes, strict=True)):
        if (np.shape(weight), np.shape(bias)) != shapes:
            raise ValueError(f"layer {i + 1}: weights {np.shape(weight)} and bias "
                             f"{np.shape(bias)} for a layer of {shapes[0]} and {shapes[1]}")
    for layer, neuron in sorted(state.switched_off):
        if not (0 <= layer < len(hidden) and 0 <= neuron < hidden[layer]):
            raise ValueError(f"no neuron {neuron + 1} in hidden layer {layer + 1} to switch off")
    if state.epoch_order is not None:
        order = np.asarray(state.epoch_order)  # (n_train,)
        if order.shape != (n_train,) or not np.array_equal(np.sort(order), np.arange(n_train)):
            raise ValueError(f"the epoch's order is not a permutation of the {n_train} "
                             "training points")
        if not 0 <= state.cursor <= n_train:
            raise ValueError(f"cursor {state.cursor} outside the {n_train} training points")


def order_generator(bit_generator_state: dict[str, Any]) -> np.random.Generator:
    """A generator in this saved state (PCG64's, as default_rng makes); ValueError if it is not."""
    rng = np.random.default_rng()
    try:
        rng.bit_generator.state = bit_generator_state
    except (TypeError, ValueError, KeyError, OverflowError) as error:
        raise ValueError(f"not a state of the minibatch order's generator: {error}") from None
    return rng

"""What the window sees inside the network, made with each snapshot on the training thread.

Two passes feed it all: the grid pass the decision heatmap is made from (every neuron's
thumbnail, the hidden space's grid lines) and one pass over the data (the hidden space's points,
each point's loss, dead and saturated units). Both are plain NumPy over the whole batch, and
the window gets uint8 levels and small copies only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.losses import per_sample_losses
from playground.core.bounds import Bounds
from playground.core.health import HealthReport, HealthTrend, health_report
from playground.core.hidden_space import (
    HiddenChoice,
    HiddenSpace,
    grid_lines,
    project,
    shown_stride,
)
from playground.core.neuron_grids import (
    CURVE_POINTS,
    INPUT,
    neuron_curves,
    neuron_levels,
    one_neuron_levels,
)
from playground.core.parameter_state import ParameterState
from playground.core.session import TrainingSession


@dataclass(frozen=True)
class InsideOptions:
    """What the window draws of the inside, so the snapshot computes only that."""

    thumbnails: bool = True  # every neuron's output over the plane (the network view)
    hidden: HiddenChoice | None = None  # the hidden-layer space, or None when not shown
    point_losses: bool = False  # each point's loss (points sized by it)
    health: bool = True  # the gradient-health panel
    focus: tuple[int, int] | None = None  # (column, neuron) the main plot shows; 0: inputs


@dataclass(frozen=True)
class InsideView:
    """The inside of the network at one snapshot; the parts not asked for are None."""

    parameters: ParameterState  # every weight and bias with gradient and optimizer state
    switched_off: frozenset[tuple[int, int]]  # (hidden layer, neuron) pairs held at zero
    activations: tuple[str, ...]  # of the hidden layers
    neuron_levels: np.ndarray | None  # (n_nodes, res, res) uint8, inputs first, row 0 at ymax
    hidden: HiddenSpace | None
    health: HealthReport | None
    point_losses: np.ndarray | None  # (N,) each point's loss, in the dataset's order
    data_version: int  # the dataset version the point losses belong to
    focus: tuple[int, int] | None = None  # the options' focus, if the network has it
    focus_levels: np.ndarray | None = None  # (res, res) uint8 of that neuron, row 0 at ymax


def look_inside(session: TrainingSession, bounds: Bounds, resolution: int,
                options: InsideOptions, trend: HealthTrend) -> InsideView:
    """The inside of session now, for options, from its grid pass over bounds and one pass over
    its data (made only if the hidden space, the point losses or the health need it)."""
    spec = session.spec
    problem, loss = session.problem, session.config.loss
    on_plane = problem.on_plane
    grid = session.grid_outputs(bounds, resolution) if on_plane or options.hidden else []
    kinds = (INPUT, *spec.activations)

    def shade_output(out: np.ndarray) -> np.ndarray:
        return problem.output_shades(out, loss)

    levels = None
    if options.thumbnails and on_plane:
        levels = neuron_levels(grid, kinds, resolution, shade_output)
    elif options.thumbnails:  # a function of x: each neuron's curve over x
        levels = neuron_curves(session.curve_outputs(bounds, CURVE_POINTS), kinds, shade_output)
    focus, focus_levels = options.focus, None
    if on_plane and focus is not None and focus[0] < len(grid) \
            and 0 <= focus[1] < len(grid[focus[0]]):
        focus_levels = one_neuron_levels(grid, kinds, resolution, shade_output, *focus)
    else:
        focus = None
    wants_data = options.hidden is not None or options.point_losses or options.health
    labels, is_test, targets = session.data_labels()
    # the hidden space alone shows at most MAX_SHOWN points: a pass over only those
    stride = 1 if options.point_losses or options.health else shown_stride(len(labels))
    data = session.data_outputs(stride) if wants_data else []
    labels, is_test = labels[::stride], is_test[::stride]
    state = session.parameter_state()
    hidden = None
    choice = options.hidden
    if choice is not None and _fits(choice, spec.hidden):
        layer = choice.layer + 1  # the passes' arrays start with the features
        hidden = project(choice, data[layer], grid_lines(grid[layer], resolution), labels,
                         is_test)
    health = None
    if options.health:
        n_train = int(np.count_nonzero(~is_test))
        health = health_report(state, spec.activations, [h[:, :n_train] for h in data[1:]],
                               session.switched_off, trend)
    losses = None
    if options.point_losses and len(targets):
        losses = in_dataset_order(per_sample_losses(session.config.loss, data[-1].T, targets),
                                  session.data.is_test)
    return InsideView(state, session.switched_off, spec.activations, levels, hidden, health,
                      losses, session.data.version, focus, focus_levels)


def _fits(choice: HiddenChoice, hidden: tuple[int, ...]) -> bool:
    """True if the network has the chosen layer and neurons."""
    if not 0 <= choice.layer < len(hidden):
        return False
    return choice.neurons is None or max(choice.neurons) < hidden[choice.layer]


def in_dataset_order(values: np.ndarray, is_test: np.ndarray) -> np.ndarray:
    """Values (N,) of the training then the test points, put back in the dataset's order."""
    out = np.empty(len(is_test))
    n_train = int(np.count_nonzero(~is_test))
    out[~is_test] = values[:n_train]
    out[is_test] = values[n_train:]
    return out

"""LoopMessages: what other threads tell a TrainingLoop, posted to its inbox, and the
snapshot it leaves in its outbox for them.

Every method here may be called from any thread and only posts a message (or takes the
snapshot); TrainingLoop (loop.py) reads the messages in its own thread between two steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playground.core.bounds import Bounds
from playground.core.dataset import DatasetSnapshot
from playground.core.inbox import Inbox
from playground.core.inside import InsideOptions
from playground.core.pace import Speed
from playground.core.parameter_state import ParameterRef
from playground.core.reshape import Lineage, compose_lineages
from playground.core.session_state import SessionState
from playground.core.snapshot import TrainingSnapshot
from playground.core.spec import NetworkSpec, TrainingConfig

if TYPE_CHECKING:
    from playground.core.session import TrainingSession

Reshape = tuple[NetworkSpec, Lineage | None]  # a new shape, and where its parts come from


def _merge_reshapes(waiting: Reshape, later: Reshape) -> Reshape:
    """One reshape for two posted in a row: the later shape, the lineage of both."""
    return later[0], compose_lineages(waiting[1], later[1])


class LoopMessages:
    """The thread-safe side of a TrainingLoop: an inbox of changes and commands, an outbox of
    one snapshot."""

    def __init__(self) -> None:
        self._inbox = Inbox()
        # the newest snapshot, waiting for the window to take it at its next frame
        self._outbox: TrainingSnapshot | None = None
        self._outbox_lock = threading.Lock()

    def post_data(self, data: DatasetSnapshot) -> None:
        """Train on data from the next step on."""
        self._inbox.post("data", data, replace=True)

    def post_spec(self, spec: NetworkSpec, lineage: Lineage | None = None) -> None:
        """Reshape the network before the next step, keeping the weights of unchanged parts
        (lineage: which old layer and neuron each new one continues; None: by position)."""
        self._inbox.post("spec", (spec, lineage), replace=True, merge=_merge_reshapes)

    def post_parameter(self, ref: ParameterRef, value: float) -> None:
        """Give one weight or bias this value before the next step (paused or training)."""
        self._inbox.post("parameter", (ref, value))

    def post_switch(self, layer: int, neuron: int, off: bool) -> None:
        """Switch hidden neuron (layer, neuron) off (its output held at zero) or on again."""
        self._inbox.post("switch", (layer, neuron, off))

    def set_inside(self, options: InsideOptions | None) -> None:
        """Make snapshots carry this much of the inside of the network (None: none of it)."""
        self._inbox.post("inside", options, replace=True)

    def post_config(self, config: TrainingConfig) -> None:
        """Use this learning rate, batch size, optimizer... from the next step on."""
        self._inbox.post("config", config, replace=True)

    def post_problem(self, data: DatasetSnapshot, spec: NetworkSpec,
                     config: TrainingConfig) -> None:
        """Switch problem type before the next step: the data, features and loss together.

        They replace any data, spec or config still waiting, which fit the old type only.
        """
        self._inbox.discard(("data", "spec", "config"))
        self._inbox.post("problem", (data, spec, config), replace=True)

    def post_reset(self) -> None:
        """New weights from the seed and an empty history, before the next step."""
        self._inbox.post("reset", replace=True)

    def set_speed(self, speed: Speed) -> None:
        """Train at this speed from the next step on (while playing, too)."""
        self._inbox.post("speed", speed, replace=True)

    def play(self) -> None:
        """Train at the chosen speed until paused."""
        self._inbox.post("play")

    def pause(self) -> None:
        """Stop training after the current step."""
        self._inbox.post("pause")

    def train_epochs(self, n: int) -> None:
        """Train at the chosen speed until n more epochs are done, then pause."""
        self._inbox.post("train", n)

    def step_epoch(self) -> None:
        """Train to the end of the next epoch at once, then pause."""
        self._inbox.post("step_epoch")

    def step_batch(self) -> None:
        """Train on one minibatch (one optimization step), then pause."""
        self._inbox.post("step_batch")

    def request_snapshot(self, bounds: Bounds, resolution: int) -> None:
        """Ask for a TrainingSnapshot of this area, made once there is something new to show.

        At an epochs-per-frame speed each request is one frame: the loop trains that many
        epochs, then makes the snapshot, so the pictures show every epoch.
        """
        self._inbox.post("snapshot", (Bounds(*bounds), resolution), replace=True)

    def take_snapshot(self) -> TrainingSnapshot | None:
        """The newest snapshot not taken yet, or None."""
        with self._outbox_lock:
            snapshot, self._outbox = self._outbox, None
        return snapshot

    def stop(self) -> None:
        """End run() once the messages before this one are handled."""
        self._inbox.post("stop")

    # ---- workspaces (from any thread) -----------------------------------------------------

    def post_session(self, session: TrainingSession) -> None:
        """Train this session (an opened workspace's) from the next step on, paused.

        Waiting changes (data, shape, settings, a problem type, a reset, a typed weight, a
        switched-off neuron) were meant for the old session: the new one has its own, so they
        are dropped, and changes posted after this one apply to it.
        """
        self._inbox.discard(("data", "spec", "config", "problem", "reset", "parameter",
                             "switch"))
        self._inbox.post("session", session)

    def request_state(self, deliver: Callable[[SessionState], Any]) -> None:
        """Have the loop's thread call deliver(session.state()) between two steps, once the
        messages posted before are applied (deliver runs in the loop's thread)."""
        self._inbox.post("state", deliver)

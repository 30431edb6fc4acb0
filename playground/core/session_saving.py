"""What a TrainingSession hands out and takes back for a workspace file: its SessionState.

A mixin of TrainingSession (playground/core/session.py), kept apart so each file has one job:
there, training; here, the copy of everything that makes the next steps the same bit for bit
(session_state.SessionState), and a session rebuilt from one. It reads and writes the session's
network, flat parameters, optimizer, minibatch order, counters, evaluation and switched-off
neurons.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import numpy as np

from playground.core.session_state import (
    SessionState,
    check_fits,
    load_optimizer_state,
    optimizer_state,
    order_generator,
)

if TYPE_CHECKING:
    from playground.core.session import TrainingSession


class SessionSaving:
    """TrainingSession's workspace side; see the module's docstring for what it touches."""

    def state(self) -> SessionState:
        """Everything needed to train on from here bit for bit, as copies."""
        n_train = len(self._train.y)
        mid_epoch = self._cursor < n_train  # else the next step starts an epoch anyway
        return SessionState(
            data=self._data, spec=self._spec, config=self._config, weights=self.weights(),
            steps=self.steps, epoch=self.epoch, spec_changes=list(self.spec_changes),
            order_rng=copy.deepcopy(self._order_rng.bit_generator.state),
            epoch_order=self._epoch_order.copy() if mid_epoch else None,
            cursor=self._cursor if mid_epoch else n_train,
            best_loss=self._best_loss, best_epoch=self._best_epoch,
            checkpoint=self._params.checkpoint(), evaluation=self._evaluation,
            optimizer=optimizer_state(self._optimizer, self._params.to_saved),
            history=self.history.copy(),
            switched_off=self._switched_off)

    @classmethod
    def from_state(cls, state: SessionState) -> TrainingSession:
        """A session that trains on exactly as the one the state came from; ValueError (naming
        what) if the state does not fit its own network or data."""
        session = cls(state.data, state.spec, state.config)
        session._load_state(state)
        return session

    def _load_state(self, state: SessionState) -> None:
        """Install a state's weights, optimizer, order and counters, once they are checked."""
        layers = self._network.layers
        check_fits(state, [(layer.weight.shape, layer.bias.shape) for layer in layers],
                   len(self._train.y), self._spec.hidden)
        for layer, (weight, bias) in zip(layers, state.weights, strict=True):
            layer.weight.data[...] = weight  # views into the flat buffer: assign in place
            layer.bias.data[...] = bias
        self._switched_off = frozenset(state.switched_off)
        self._apply_switched_off()  # holds the loaded values of what is switched off
        self._params.set_checkpoint(state.checkpoint)
        load_optimizer_state(self._optimizer, state.optimizer, len(self._params),
                             self._params.from_saved)
        self._order_rng = order_generator(state.order_rng)
        if state.epoch_order is None:
            self._cursor = len(self._train.y)
        else:
            self._take_epoch_order(np.array(state.epoch_order, dtype=np.int64), state.cursor)
        self.steps, self.epoch = state.steps, state.epoch
        self.spec_changes = list(state.spec_changes)
        self.history = state.history.copy()
        self._best_loss, self._best_epoch = state.best_loss, state.best_epoch
        self._evaluation = evaluation = state.evaluation
        self._train_loss, self._train_accuracy = evaluation.train.loss, evaluation.train.accuracy
        self._test_loss, self._test_accuracy = evaluation.test.loss, evaluation.test.accuracy

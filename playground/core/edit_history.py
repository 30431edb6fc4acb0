"""One undo and redo for the window: the dataset's edits and the network's, in the order made.

The dataset keeps its own undo stack (playground/core/dataset.py); this history keeps a marker
for each of its edits between the network's (a typed weight, a neuron switched off), so Ctrl+Z
takes back whichever came last. A network edit is undone by posting the old value to the
training loop, like any change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playground.core.dataset import Dataset
from playground.core.events import EventEmitter
from playground.core.parameter_state import ParameterRef

MAX_NETWORK_EDITS = 200  # network edits kept; the dataset keeps its own limit


@dataclass(frozen=True)
class ParameterEdit:
    """A weight or bias typed in: what it was and what it became."""

    ref: ParameterRef
    before: float
    after: float


@dataclass(frozen=True)
class SwitchEdit:
    """A hidden neuron switched off (off=True) or on again."""

    layer: int
    neuron: int
    off: bool


NetworkEdit = ParameterEdit | SwitchEdit
_DATASET = "dataset"  # the marker of one of the dataset's undo steps


class EditHistory:
    """Undo and redo across the dataset and the network; apply(edit, undo) carries out a
    network edit (undo=True: take it back)."""

    def __init__(self, dataset: Dataset, apply: Callable[[NetworkEdit, bool], None]) -> None:
        self._dataset = dataset
        self._apply = apply
        self._undo: list[NetworkEdit | str] = []
        self._redo: list[NetworkEdit | str] = []
        self._commits = dataset.commits
        self.network_changed = EventEmitter()  # a network edit was made, undone or redone
        dataset.changed.connect(self._on_dataset_changed)

    def clear(self) -> None:
        """Forget every edit, of the data and of the network (a workspace was opened: what it
        holds is where undo stops)."""
        self._undo.clear()
        self._redo.clear()
        self._commits = self._dataset.commits

    def record(self, edit: NetworkEdit) -> None:
        """Note a network edit just made (and carried out by the caller)."""
        self._undo.append(edit)
        self._redo.clear()
        self.network_changed.emit()
        network = [i for i, e in enumerate(self._undo) if e != _DATASET]
        if len(network) > MAX_NETWORK_EDITS:
            del self._undo[network[0]]

    def undo(self) -> bool:
        """Take back the last edit, of the data or of the network; False if there is none."""
        return self._travel(self._undo, self._redo, self._dataset.undo, undo=True)

    def redo(self) -> bool:
        """Make the last undone edit again; False if there is none."""
        return self._travel(self._redo, self._undo, self._dataset.redo, undo=False)

    def forget_network_edits(self) -> None:
        """Drop the network's edits (the weights were reset or the network reshaped: the old
        values no longer belong where they were)."""
        self._undo = [e for e in self._undo if e == _DATASET]
        self._redo = [e for e in self._redo if e == _DATASET]

    def _travel(self, source: list, target: list, dataset_step: Callable[[], bool],
                undo: bool) -> bool:
        while source:
            entry = source.pop()
            if entry == _DATASET:
                if not dataset_step():  # its history was cleared: the marker is stale
                    continue
            else:
                self._apply(entry, undo)
                self.network_changed.emit()
            target.append(entry)
            return True
        return False

    def _on_dataset_changed(self) -> None:
        commits = self._dataset.commits
        if commits > self._commits:  # a new edit (not an undo or a redo)
            self._undo.append(_DATASET)
            self._redo.clear()
        self._commits = commits

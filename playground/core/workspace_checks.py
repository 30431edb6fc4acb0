"""The checks a workspace file's types cannot express: lengths that agree, weights that fit the
network, labels 0 or 1, settings the app accepts. Each failure is a FieldError with the path of
the field in msgspec's style ("$.session.weights[1].weight").
"""

from __future__ import annotations

from array import array
from typing import Any

import msgspec
import numpy as np

from playground.core.dataset_state import (
    MAX_COORDINATE,
    MAX_TEST_FRACTION,
    MIN_TEST_FRACTION,
    PresetSettings,
    coordinate_problem,
)
from playground.core.limits import ACCEPTED
from playground.core.pace import SPEED_NAMES
from playground.core.presets import PRESETS
from playground.core.problems import Evaluation, SplitMetrics
from playground.core.session import History
from playground.core.session_state import (
    OptimizerState,
    SessionState,
    check_fits,
    order_generator,
)
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.workspace_format import (
    AdamDoc,
    AdamWDoc,
    DatasetDoc,
    HistoryDoc,
    MomentumDoc,
    RandomStateDoc,
    SessionDoc,
    SgdDoc,
    WorkspaceDoc,
)
from playground.core.workspace_model import AutosaveInfo, DatasetContent, ViewSettings, Workspace

OPTIMIZER_DOCS: dict[str, type] = {"sgd": SgdDoc, "momentum": MomentumDoc, "adam": AdamDoc,
                                   "adamw": AdamWDoc}


class FieldError(Exception):
    """What is wrong with one field (path in msgspec's style, "$.dataset.labels[3]")."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{message} - at `{path}`")
        self.path = path
        self.message = message


def checked_workspace(doc: WorkspaceDoc) -> Workspace:
    """The app's objects for a decoded document; FieldError for what types cannot say."""
    content = _dataset(doc.dataset)
    spec = _checked("$.network", lambda: NetworkSpec(doc.network.features, doc.network.hidden,
                                                     doc.network.activations))
    config = _checked("$.training", lambda: TrainingConfig(
        **msgspec.structs.asdict(doc.training)))
    if doc.speed not in SPEED_NAMES:
        raise FieldError("$.speed", f"unknown speed {doc.speed!r}; one of "
                                     f"{', '.join(SPEED_NAMES)}")
    view = ViewSettings(doc.view.log_scale, doc.view.discretize, doc.view.show_test)
    session = None
    if doc.session is not None:
        session = _session(doc.session, content, spec, config)
    autosave = None if doc.autosave is None else AutosaveInfo(doc.autosave.file,
                                                              doc.autosave.saved_at)
    return Workspace(content, spec, config, doc.speed, view, session, autosave)


def _checked(path: str, make: Any) -> Any:
    """make(), its ValueError reported at path."""
    try:
        return make()
    except ValueError as error:
        raise FieldError(path, str(error)) from None


def _dataset(doc: DatasetDoc) -> DatasetContent:
    n = len(doc.points)
    for name in ("labels", "test"):
        if len(getattr(doc, name)) != n:
            raise FieldError(f"$.dataset.{name}", f"{len(getattr(doc, name))} values for "
                                                   f"{n} points")
    points = np.array(doc.points, dtype=np.float64).reshape(n, 2)  # (N, 2)
    far = np.abs(points) > MAX_COORDINATE  # (N, 2); finite already
    if far.any():
        row, column = (int(i) for i in np.argwhere(far)[0])
        raise FieldError(f"$.dataset.points[{row}][{column}]",
                          f"{'xy'[column]} {coordinate_problem(float(points[row, column]))}")
    labels = np.array(doc.labels, dtype=np.int64)  # (N,)
    bad = np.flatnonzero((labels != 0) & (labels != 1))
    if len(bad):
        raise FieldError(f"$.dataset.labels[{bad[0]}]", f"a label is 0 or 1, not "
                                                         f"{labels[bad[0]]}")
    if not MIN_TEST_FRACTION <= doc.test_fraction <= MAX_TEST_FRACTION:
        raise FieldError("$.dataset.test_fraction", f"between {MIN_TEST_FRACTION} and "
                                                     f"{MAX_TEST_FRACTION}, not "
                                                     f"{doc.test_fraction!r}")
    preset = None
    if doc.preset is not None:
        p = doc.preset
        if p.name not in PRESETS:
            raise FieldError("$.dataset.preset.name", f"unknown preset {p.name!r}; one of "
                                                       f"{', '.join(PRESETS)}")
        low, high = ACCEPTED.noise
        if not low <= p.noise <= high:
            raise FieldError("$.dataset.preset.noise", f"between {low} and {high}, not "
                                                        f"{p.noise!r}")
        preset = PresetSettings(p.name, p.points, p.noise, p.seed)
    return DatasetContent(_frozen(points), _frozen(labels),
                          _frozen(np.array(doc.test, dtype=bool)), doc.test_fraction, doc.seed,
                          preset, doc.source)


def _frozen(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


def _session(doc: SessionDoc, content: DatasetContent, spec: NetworkSpec,
             config: TrainingConfig) -> SessionState:
    sizes = spec.layer_sizes
    if len(doc.weights) != len(sizes) - 1:
        raise FieldError("$.session.weights", f"{len(doc.weights)} layers for a network of "
                                               f"{len(sizes) - 1} ({' -> '.join(map(str, sizes))})")
    weights = []
    for i, (layer, fan_in, fan_out) in enumerate(zip(doc.weights, sizes, sizes[1:],
                                                     strict=False)):
        where = f"$.session.weights[{i}]"
        if len(layer.weight) != fan_in or any(len(row) != fan_out for row in layer.weight):
            raise FieldError(f"{where}.weight", f"weights that do not fit the network: layer "
                                                 f"{i + 1} takes {fan_in} rows of {fan_out}")
        if len(layer.bias) != fan_out:
            raise FieldError(f"{where}.bias", f"{len(layer.bias)} biases for {fan_out} "
                                               "neurons")
        weights.append((np.array(layer.weight, dtype=np.float64).reshape(fan_in, fan_out),
                        np.array(layer.bias, dtype=np.float64)))
    n_params = sum(w.size + b.size for w, b in weights)
    if len(doc.checkpoint) != n_params:
        raise FieldError("$.session.checkpoint", f"{len(doc.checkpoint)} values for "
                                                  f"{n_params} parameters")
    state = SessionState(
        data=content.snapshot(), spec=spec, config=config, weights=weights, steps=doc.steps,
        epoch=doc.epoch, spec_changes=list(doc.spec_changes),
        order_rng=_checked("$.session.order_rng", lambda: _random_state(doc.order_rng)),
        epoch_order=None if doc.epoch_order is None else np.array(doc.epoch_order, np.int64),
        cursor=doc.cursor, best_loss=float(doc.best_loss), best_epoch=doc.best_epoch,
        checkpoint=np.array(doc.checkpoint, dtype=np.float64),
        evaluation=Evaluation(
            SplitMetrics(float(doc.metrics.train_loss), float(doc.metrics.train_accuracy)),
            SplitMetrics(float(doc.metrics.test_loss), float(doc.metrics.test_accuracy))),
        optimizer=_optimizer(doc, config, n_params), history=_history(doc.history))
    n_train = int(np.count_nonzero(~content.is_test))
    layer_shapes = [(w.shape, b.shape) for w, b in weights]
    _checked("$.session.epoch_order", lambda: check_fits(state, layer_shapes, n_train,
                                                         spec.hidden))
    return state


def _random_state(doc: RandomStateDoc) -> dict[str, Any]:
    """numpy's state dict, checked by setting it on a generator."""
    state = {"bit_generator": doc.bit_generator, "state": {"state": doc.state, "inc": doc.inc},
             "has_uint32": doc.has_uint32, "uinteger": doc.uinteger}
    order_generator(state)
    return state


def _optimizer(doc: SessionDoc, config: TrainingConfig, n_params: int) -> OptimizerState:
    opt = doc.optimizer
    expected = OPTIMIZER_DOCS[config.optimizer]
    if type(opt) is not expected:
        saved = type(opt).__struct_config__.tag
        raise FieldError("$.session.optimizer.kind", f"the state of {saved!r} for training "
                                                      f"with {config.optimizer!r}")
    arrays = {name: np.array(getattr(opt, name), dtype=np.float64)
              for name in ("velocity", "m", "v") if hasattr(opt, name)}
    for name, values in arrays.items():
        if len(values) != n_params:
            raise FieldError(f"$.session.optimizer.{name}", f"{len(values)} values for "
                                                             f"{n_params} parameters")
    if "v" in arrays and (arrays["v"] < 0).any():
        raise FieldError("$.session.optimizer.v", "a mean of squared gradients below 0")
    return OptimizerState(t=getattr(opt, "t", 0), **arrays)


def _history(doc: HistoryDoc) -> History:
    columns = {}
    for name in doc.__struct_fields__:
        raw = getattr(doc, name)
        if len(raw) % 8:
            raise FieldError(f"$.session.history.{name}", f"{len(raw)} bytes, not whole "
                                                           "8-byte numbers")
        integer = name in ("steps", "epochs")
        values = np.frombuffer(raw, dtype="<i8" if integer else "<f8")
        if integer and (values < 0).any():
            raise FieldError(f"$.session.history.{name}", "a count below 0")
        columns[name] = array("q" if integer else "d",
                              values.astype(np.int64 if integer else np.float64).tobytes())
    lengths = [len(c) for c in columns.values()]
    if len(set(lengths)) > 1:
        raise FieldError("$.session.history", "columns of different lengths "
                                               f"({', '.join(map(str, lengths))})")
    return History(**columns)

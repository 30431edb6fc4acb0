"""The checks a workspace file's types cannot express: lengths that agree, weights that fit the
network and its problem's outputs, labels within the class count, values and coordinates the
plot can show, presets and settings the app accepts. Each failure is a FieldError with the path
of the field in msgspec's style ("$.session.weights[1].weight").
"""

from __future__ import annotations

from array import array
from typing import Any

import msgspec
import numpy as np

from playground.core.dataset_state import (
    MAX_COORDINATE,
    MAX_TEST_FRACTION,
    MAX_VALUE,
    MIN_TEST_FRACTION,
    PresetSettings,
    class_range,
    coordinate_problem,
    value_problem,
)
from playground.core.expression import ExpressionError, parse_function
from playground.core.features import check_features
from playground.core.hidden_space import HiddenChoice
from playground.core.limits import ACCEPTED
from playground.core.pace import SPEED_NAMES
from playground.core.presets import EXPRESSION, PRESETS_BY_KIND, check_range
from playground.core.problems import (
    MAX_CLASSES,
    MIN_CLASSES,
    Evaluation,
    SplitMetrics,
)
from playground.core.session_state import (
    OptimizerState,
    SessionState,
    check_fits,
    order_generator,
)
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.training_record import History
from playground.core.workspace_format import (
    AdamDoc,
    AdamWDoc,
    DatasetDoc,
    HistoryDoc,
    MomentumDoc,
    NetworkDoc,
    PresetDoc,
    RandomStateDoc,
    SessionDoc,
    SgdDoc,
    SplitMetricsDoc,
    ViewDoc,
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
    problem = _checked("$.dataset.classes", lambda: content.snapshot().problem())
    spec = _checked("$.network", lambda: NetworkSpec(doc.network.features, doc.network.hidden,
                                                     doc.network.activations))
    _checked("$.network.features", lambda: check_features(spec.features, problem.features))
    switched_off = _switched_off(doc.network, spec)
    config = _checked("$.training", lambda: TrainingConfig(
        **msgspec.structs.asdict(doc.training)))
    _checked("$.training.loss", lambda: problem.check_loss(config.loss))
    if doc.speed not in SPEED_NAMES:
        raise FieldError("$.speed", f"unknown speed {doc.speed!r}; one of "
                                     f"{', '.join(SPEED_NAMES)}")
    view = _view(doc.view, spec)
    session = None
    if doc.session is not None:
        sizes = (len(spec.features), *spec.hidden, problem.output_size)
        session = _session(doc.session, content, spec, config, sizes, problem.n_classes,
                           switched_off)
    autosave = None if doc.autosave is None else AutosaveInfo(doc.autosave.file,
                                                              doc.autosave.saved_at)
    return Workspace(content, spec, config, doc.speed, view, session, autosave, switched_off)


def _checked(path: str, make: Any) -> Any:
    """make(), its ValueError reported at path."""
    try:
        return make()
    except ValueError as error:
        raise FieldError(path, str(error)) from None


def _dataset(doc: DatasetDoc) -> DatasetContent:
    n = len(doc.points)
    kind, classes = doc.kind, doc.kind in ("binary", "classes")
    n_classes = _class_count(kind, doc.classes, "$.dataset.classes")
    lengths = {"labels": n if classes else 0, "values": n if kind == "regression" else 0,
               "test": n}
    for name, wanted in lengths.items():
        got = len(getattr(doc, name))
        if got != wanted:
            what = f"for {n} points" if wanted else f"where {kind} has none"
            raise FieldError(f"$.dataset.{name}", f"{got} values {what}")
    points = np.array(doc.points, dtype=np.float64).reshape(n, 2)  # (N, 2)
    far = np.abs(points) > MAX_COORDINATE  # (N, 2); finite already
    if far.any():
        row, column = (int(i) for i in np.argwhere(far)[0])
        raise FieldError(f"$.dataset.points[{row}][{column}]",
                          f"{'xy'[column]} {coordinate_problem(float(points[row, column]))}")
    labels = np.array(doc.labels, dtype=np.int64) if classes else np.zeros(n, np.int64)  # (N,)
    bad = np.flatnonzero((labels < 0) | (labels >= n_classes)) if classes else []
    if len(bad):
        raise FieldError(f"$.dataset.labels[{bad[0]}]", f"a label is {class_range(n_classes)}, "
                                                         f"not {labels[bad[0]]}")
    values = np.array(doc.values, dtype=np.float64) if doc.values else np.zeros(n)  # (N,)
    far = np.flatnonzero(np.abs(values) > MAX_VALUE)
    if len(far):
        raise FieldError(f"$.dataset.values[{far[0]}]",
                         f"a value {value_problem(float(values[far[0]]))}")
    if not MIN_TEST_FRACTION <= doc.test_fraction <= MAX_TEST_FRACTION:
        raise FieldError("$.dataset.test_fraction", f"between {MIN_TEST_FRACTION} and "
                                                     f"{MAX_TEST_FRACTION}, not "
                                                     f"{doc.test_fraction!r}")
    preset = None if doc.preset is None else _preset(doc.preset, kind)
    return DatasetContent(_frozen(points), _frozen(labels),
                          _frozen(np.array(doc.test, dtype=bool)), doc.test_fraction, doc.seed,
                          preset, doc.source, kind, n_classes, _frozen(values))


def _class_count(kind: str, classes: int, path: str) -> int:
    """The class count of a type: 2 for binary, 3 to 8 for classes, 0 for the value types."""
    wanted = {"binary": (2, 2), "classes": (MIN_CLASSES, MAX_CLASSES)}.get(kind, (0, 0))
    if not wanted[0] <= classes <= wanted[1]:
        allowed = " to ".join(map(str, dict.fromkeys(wanted)))
        raise FieldError(path, f"{kind} has {allowed} classes, not {classes}")
    return classes


def _preset(p: PresetDoc, kind: str) -> PresetSettings:
    where = "$.dataset.preset"
    if p.kind != kind:
        raise FieldError(f"{where}.kind", f"a preset of {p.kind} for data of {kind}")
    names = PRESETS_BY_KIND[kind] + ((EXPRESSION,) if kind == "function" else ())
    if p.name not in names:
        raise FieldError(f"{where}.name", f"unknown preset {p.name!r} for {kind}; one of "
                                           f"{', '.join(names)}")
    low, high = ACCEPTED.noise
    if not low <= p.noise <= high:
        raise FieldError(f"{where}.noise", f"between {low} and {high}, not {p.noise!r}")
    n_classes = _class_count(kind, p.classes, f"{where}.classes")
    x_range = _checked(f"{where}.x_range", lambda: check_range(p.x_range))
    if p.expression:
        try:  # parsed, never run: a whitelisted tree of our own (expression.py)
            parse_function(p.expression)
        except ExpressionError as error:
            raise FieldError(f"{where}.expression", f"a formula that cannot be used: "
                                                     f"{error.message} (column "
                                                     f"{error.column})") from None
    return PresetSettings(p.name, p.points, p.noise, p.seed, kind, n_classes, p.expression,
                          x_range)


def _switched_off(doc: NetworkDoc, spec: NetworkSpec) -> frozenset[tuple[int, int]]:
    for i, (layer, neuron) in enumerate(doc.switched_off):
        if not (layer < len(spec.hidden) and neuron < spec.hidden[layer]):
            raise FieldError(f"$.network.switched_off[{i}]", f"no neuron {neuron + 1} in hidden "
                                                              f"layer {layer + 1}")
    return frozenset(map(tuple, doc.switched_off))


def _view(doc: ViewDoc, spec: NetworkSpec) -> ViewSettings:
    choice = None
    if doc.hidden_choice is not None:
        c = doc.hidden_choice
        if c.layer >= len(spec.hidden):
            raise FieldError("$.view.hidden_choice.layer", f"no hidden layer {c.layer + 1}")
        if c.neurons is not None and (c.neurons[0] >= c.neurons[1]
                                      or c.neurons[1] >= spec.hidden[c.layer]):
            raise FieldError("$.view.hidden_choice.neurons", f"not two neurons of hidden layer "
                                                              f"{c.layer + 1}, lowest first")
        choice = HiddenChoice(c.layer, None if c.neurons is None else tuple(c.neurons))
    return ViewSettings(doc.log_scale, doc.discretize, doc.show_test, doc.show_parts,
                        doc.point_losses, doc.hidden_space, choice)


def _frozen(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


def _session(doc: SessionDoc, content: DatasetContent, spec: NetworkSpec,
             config: TrainingConfig, sizes: tuple[int, ...], n_classes: int,
             switched_off: frozenset[tuple[int, int]]) -> SessionState:
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
        evaluation=Evaluation(_split_metrics(doc.evaluation.train, "train", n_classes),
                              _split_metrics(doc.evaluation.test, "test", n_classes)),
        optimizer=_optimizer(doc, config, n_params), history=_history(doc.history),
        switched_off=switched_off)
    n_train = int(np.count_nonzero(~content.is_test))
    layer_shapes = [(w.shape, b.shape) for w, b in weights]
    _checked("$.session.epoch_order", lambda: check_fits(state, layer_shapes, n_train,
                                                         spec.hidden))
    return state


def _split_metrics(doc: SplitMetricsDoc, split: str, k: int) -> SplitMetrics:
    """One split's metrics; the per-class ones have k classes (or none: an empty split, a
    file of version 1, a value type)."""
    where = f"$.session.evaluation.{split}"
    if len(doc.per_class_accuracy) not in (0, k):
        raise FieldError(f"{where}.per_class_accuracy", f"{len(doc.per_class_accuracy)} "
                                                         f"values for {k} classes")
    if doc.confusion and (len(doc.confusion) != k or any(len(r) != k for r in doc.confusion)):
        raise FieldError(f"{where}.confusion", f"not {k} rows of {k} counts")
    return SplitMetrics(float(doc.loss), float(doc.accuracy),
                        tuple(float(v) for v in doc.per_class_accuracy),
                        tuple(tuple(row) for row in doc.confusion), float(doc.r2),
                        float(doc.rmse))


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

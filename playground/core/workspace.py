"""Workspace files: the whole of a person's work (data, network, settings, training) in one file.

A workspace is one JSON file (workspace_format's schema): decoded by msgspec into typed
Structs, then checked here for what types cannot say, every error naming the file and the path
of the bad field. Nothing a file holds is executed. Older formats are upgraded step by step
(workspace_migrations), a newer one is refused with a clear message, and every write is atomic.
"""

from __future__ import annotations

import math
import os
from array import array
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np

from playground.core.atomic import write_atomic
from playground.core.dataset import (
    MAX_COORDINATE,
    MAX_TEST_FRACTION,
    MIN_TEST_FRACTION,
    Dataset,
    DatasetSnapshot,
    PresetSettings,
    coordinate_problem,
)
from playground.core.limits import ACCEPTED
from playground.core.pace import SPEED_NAMES
from playground.core.presets import PRESETS
from playground.core.session import History, TrainingSession
from playground.core.session_state import (
    Metrics,
    OptimizerState,
    SessionState,
    check_fits,
    order_generator,
)
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.workspace_format import (
    APP_ID,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    AdamDoc,
    AdamWDoc,
    AutosaveDoc,
    DatasetDoc,
    Header,
    HistoryDoc,
    LayerDoc,
    MetricsDoc,
    MomentumDoc,
    NetworkDoc,
    PresetDoc,
    RandomStateDoc,
    SessionDoc,
    SgdDoc,
    TrainingDoc,
    ViewDoc,
    WorkspaceDoc,
)
from playground.core.workspace_migrations import MIGRATIONS

SUFFIX = ".json"
_OPTIMIZER_DOCS: dict[str, type] = {"sgd": SgdDoc, "momentum": MomentumDoc, "adam": AdamDoc,
                                     "adamw": AdamWDoc}


class WorkspaceError(ValueError):
    """A workspace file that cannot be read: the message names the file and what is wrong."""


@dataclass(frozen=True)
class DatasetContent:
    """A dataset as a workspace holds it (Dataset.replace_all takes these fields)."""

    points: np.ndarray  # (N, 2) float64
    labels: np.ndarray  # (N,) int64 in {0, 1}
    is_test: np.ndarray  # (N,) bool
    test_fraction: float
    seed: int
    preset: PresetSettings | None = None
    source: str | None = None

    @classmethod
    def of(cls, dataset: Dataset) -> DatasetContent:
        """What dataset holds now (its arrays are read-only: shared, not copied)."""
        return cls(dataset.points, dataset.labels, dataset.is_test, dataset.test_fraction,
                   dataset.seed, dataset.preset, dataset.source)

    def snapshot(self) -> DatasetSnapshot:
        """The data for a TrainingSession."""
        return DatasetSnapshot(self.points, self.labels, self.is_test)

    def dataset(self) -> Dataset:
        """A new Dataset holding this content (no undo history)."""
        dataset = Dataset(test_fraction=self.test_fraction, seed=self.seed)
        dataset.replace_all(self.points, self.labels, self.is_test, self.test_fraction,
                            self.seed, self.preset, self.source)
        dataset.clear_history()
        return dataset


@dataclass(frozen=True)
class ViewSettings:
    """How the window shows the work (workspace_format.ViewDoc)."""

    log_scale: bool = False
    discretize: bool = False
    show_test: bool = True


@dataclass(frozen=True)
class AutosaveInfo:
    """What an autosave belongs to."""

    file: str | None  # the workspace file, None for an untitled one
    saved_at: str  # ISO 8601 with the UTC offset


@dataclass(frozen=True)
class Workspace:
    """Everything a workspace file holds, as the app's own objects."""

    dataset: DatasetContent
    spec: NetworkSpec
    config: TrainingConfig
    speed: str = "1/frame"  # a name from pace.SPEED_NAMES
    view: ViewSettings = field(default_factory=ViewSettings)
    session: SessionState | None = None  # None: fresh weights from the seed
    autosave: AutosaveInfo | None = None

    @classmethod
    def of_session(cls, dataset: Dataset, state: SessionState, speed: str,
                   view: ViewSettings = ViewSettings()) -> Workspace:
        """The workspace of a session's state: its data (with the dataset's preset, split
        settings and file name), shape, settings and training."""
        data = state.data
        content = DatasetContent(data.points, data.labels, data.is_test, dataset.test_fraction,
                                 dataset.seed, dataset.preset, dataset.source)
        return cls(content, state.spec, state.config, speed, view, state)

    def training_session(self) -> TrainingSession:
        """The session to train on: as saved, or fresh from the seed."""
        if self.session is None:
            return TrainingSession(self.dataset.snapshot(), self.spec, self.config)
        return TrainingSession.from_state(self.session)


# ---- writing ------------------------------------------------------------------------------


def encode(workspace: Workspace) -> bytes:
    """The workspace as JSON bytes (format FORMAT_VERSION), one top-level key a line."""
    doc = _document(workspace)
    lines = [f'"{name}": '.encode() + msgspec.json.encode(getattr(doc, name))
             for name in doc.__struct_fields__]
    return b"{\n" + b",\n".join(lines) + b"\n}\n"


def save(path: str | os.PathLike[str], workspace: Workspace) -> None:
    """Write the workspace to path atomically; OSError if it cannot be written."""
    write_atomic(path, encode(workspace))


def _number(value: float) -> float | str:
    """A float for JSON: finite as is, else "nan", "inf" or "-inf"."""
    if math.isfinite(value):
        return float(value)
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _column(values: array) -> bytes:
    """A history column as little-endian int64 or float64 bytes (base64 in the JSON)."""
    kind = "<i8" if values.typecode == "q" else "<f8"
    return np.frombuffer(values, dtype=kind[1:]).astype(kind).tobytes()


def _document(ws: Workspace) -> WorkspaceDoc:
    data = ws.dataset
    preset = data.preset
    session = None
    if ws.session is not None:
        session = _session_document(ws.session)
    autosave = None if ws.autosave is None else AutosaveDoc(ws.autosave.file,
                                                            ws.autosave.saved_at)
    return WorkspaceDoc(
        app=APP_ID, format_version=FORMAT_VERSION,
        dataset=DatasetDoc(
            points=[tuple(p) for p in data.points.tolist()], labels=data.labels.tolist(),
            test=data.is_test.tolist(), test_fraction=float(data.test_fraction),
            seed=int(data.seed),
            preset=None if preset is None else PresetDoc(preset.name, preset.n_points,
                                                         float(preset.noise), preset.seed),
            source=data.source),
        network=NetworkDoc(list(ws.spec.features), list(ws.spec.hidden),
                           list(ws.spec.activations)),
        training=TrainingDoc(**{name: getattr(ws.config, name)
                                for name in TrainingDoc.__struct_fields__}),
        speed=ws.speed,
        view=ViewDoc(ws.view.log_scale, ws.view.discretize, ws.view.show_test),
        session=session, autosave=autosave)


def _session_document(state: SessionState) -> SessionDoc:
    optimizer = state.optimizer
    kind = state.config.optimizer
    doc_type = _OPTIMIZER_DOCS[kind]
    if kind == "momentum":
        optimizer_doc: Any = doc_type(optimizer.velocity.tolist())
    elif kind in ("adam", "adamw"):
        optimizer_doc = doc_type(optimizer.m.tolist(), optimizer.v.tolist(), optimizer.t)
    else:
        optimizer_doc = doc_type()
    h = state.history
    m = state.metrics
    rng = state.order_rng
    return SessionDoc(
        weights=[LayerDoc(w.tolist(), b.tolist()) for w, b in state.weights],
        steps=state.steps, epoch=state.epoch, spec_changes=list(state.spec_changes),
        order_rng=RandomStateDoc(rng["bit_generator"], rng["state"]["state"],
                                 rng["state"]["inc"], rng["has_uint32"], rng["uinteger"]),
        epoch_order=None if state.epoch_order is None else state.epoch_order.tolist(),
        cursor=state.cursor, best_loss=_number(state.best_loss), best_epoch=state.best_epoch,
        checkpoint=state.checkpoint.tolist(),
        metrics=MetricsDoc(_number(m.train_loss), _number(m.train_accuracy),
                           _number(m.test_loss), _number(m.test_accuracy)),
        optimizer=optimizer_doc,
        history=HistoryDoc(*(_column(c) for c in (h.steps, h.epochs, h.train_loss,
                                                   h.test_loss, h.train_accuracy,
                                                   h.test_accuracy))))


# ---- reading ------------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> Workspace:
    """The workspace in the file at path; WorkspaceError (naming the file) for anything wrong."""
    name = os.fspath(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise WorkspaceError(f"{name}: the file is {size / 2**20:.0f} MiB, more than a "
                                 f"workspace can be ({MAX_FILE_BYTES / 2**20:.0f} MiB)")
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise WorkspaceError(f"{name}: could not read the file: "
                             f"{error.strerror or error}") from None
    return decode(data, name)


def decode(data: bytes, source: str = "workspace") -> Workspace:
    """The workspace in data (the bytes of a file named source); WorkspaceError otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkspaceError(f"{source}: more than {MAX_FILE_BYTES / 2**20:.0f} MiB, too large "
                             "for a workspace")
    try:
        return _workspace(_current_document(data, source))
    except _FieldError as error:
        raise WorkspaceError(f"{source}: {error.message} - at `{error.path}`") from None
    except msgspec.ValidationError as error:
        raise WorkspaceError(f"{source}: {error}") from None
    except msgspec.DecodeError as error:
        raise WorkspaceError(f"{source}: not a workspace file ({error})") from None
    except RecursionError:
        raise WorkspaceError(f"{source}: not a workspace file (nested too deeply)") from None


class _FieldError(Exception):
    """What is wrong with one field (path in msgspec's style, "$.dataset.labels[3]")."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{message} - at `{path}`")
        self.path = path
        self.message = message


def _current_document(data: bytes, source: str) -> WorkspaceDoc:
    """The file as a current-format document, upgraded from an older format if need be."""
    try:
        header = msgspec.json.decode(data, type=Header)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise WorkspaceError(f"{source}: not a workspace file ({error})") from None
    if header.app != APP_ID:
        what = "no" if header.app is None else f"{header.app!r} as its"
        raise WorkspaceError(f"{source}: not a micrograd playground workspace (it has {what} "
                             '"app")')
    version = header.format_version
    if version is None:
        raise WorkspaceError(f'{source}: no "format_version"; not a workspace file')
    if version > FORMAT_VERSION:
        raise WorkspaceError(f"{source}: made by a newer version of micrograd playground "
                             f"(format {version}; this one reads up to {FORMAT_VERSION})")
    if version == FORMAT_VERSION:
        return msgspec.json.decode(data, type=WorkspaceDoc)
    doc: Any = msgspec.json.decode(data)
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise WorkspaceError(f"{source}: format {version} is not one this version of "
                                 f"micrograd playground knows (it reads formats "
                                 f"{min(MIGRATIONS)} to {FORMAT_VERSION})")
        old = doc if step.schema is None else msgspec.convert(doc, step.schema)
        try:
            doc = step.upgrade(old)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise WorkspaceError(f"{source}: not a valid format {version} file "
                                 f"({type(error).__name__}: {error})") from None
        version += 1
    return msgspec.convert(doc, WorkspaceDoc)


def _workspace(doc: WorkspaceDoc) -> Workspace:
    """The app's objects for a decoded document, after the checks types cannot express."""
    content = _dataset(doc.dataset)
    spec = _checked("$.network", lambda: NetworkSpec(doc.network.features, doc.network.hidden,
                                                     doc.network.activations))
    config = _checked("$.training", lambda: TrainingConfig(
        **msgspec.structs.asdict(doc.training)))
    if doc.speed not in SPEED_NAMES:
        raise _FieldError("$.speed", f"unknown speed {doc.speed!r}; one of "
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
        raise _FieldError(path, str(error)) from None


def _dataset(doc: DatasetDoc) -> DatasetContent:
    n = len(doc.points)
    for name in ("labels", "test"):
        if len(getattr(doc, name)) != n:
            raise _FieldError(f"$.dataset.{name}", f"{len(getattr(doc, name))} values for "
                                                   f"{n} points")
    points = np.array(doc.points, dtype=np.float64).reshape(n, 2)  # (N, 2)
    far = np.abs(points) > MAX_COORDINATE  # (N, 2); finite already
    if far.any():
        row, column = (int(i) for i in np.argwhere(far)[0])
        raise _FieldError(f"$.dataset.points[{row}][{column}]",
                          f"{'xy'[column]} {coordinate_problem(float(points[row, column]))}")
    labels = np.array(doc.labels, dtype=np.int64)  # (N,)
    bad = np.flatnonzero((labels != 0) & (labels != 1))
    if len(bad):
        raise _FieldError(f"$.dataset.labels[{bad[0]}]", f"a label is 0 or 1, not "
                                                         f"{labels[bad[0]]}")
    if not MIN_TEST_FRACTION <= doc.test_fraction <= MAX_TEST_FRACTION:
        raise _FieldError("$.dataset.test_fraction", f"between {MIN_TEST_FRACTION} and "
                                                     f"{MAX_TEST_FRACTION}, not "
                                                     f"{doc.test_fraction!r}")
    preset = None
    if doc.preset is not None:
        p = doc.preset
        if p.name not in PRESETS:
            raise _FieldError("$.dataset.preset.name", f"unknown preset {p.name!r}; one of "
                                                       f"{', '.join(PRESETS)}")
        low, high = ACCEPTED.noise
        if not low <= p.noise <= high:
            raise _FieldError("$.dataset.preset.noise", f"between {low} and {high}, not "
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
        raise _FieldError("$.session.weights", f"{len(doc.weights)} layers for a network of "
                                               f"{len(sizes) - 1} ({' -> '.join(map(str, sizes))})")
    weights = []
    for i, (layer, fan_in, fan_out) in enumerate(zip(doc.weights, sizes, sizes[1:],
                                                     strict=False)):
        where = f"$.session.weights[{i}]"
        if len(layer.weight) != fan_in or any(len(row) != fan_out for row in layer.weight):
            raise _FieldError(f"{where}.weight", f"weights that do not fit the network: layer "
                                                 f"{i + 1} takes {fan_in} rows of {fan_out}")
        if len(layer.bias) != fan_out:
            raise _FieldError(f"{where}.bias", f"{len(layer.bias)} biases for {fan_out} "
                                               "neurons")
        weights.append((np.array(layer.weight, dtype=np.float64).reshape(fan_in, fan_out),
                        np.array(layer.bias, dtype=np.float64)))
    n_params = sum(w.size + b.size for w, b in weights)
    if len(doc.checkpoint) != n_params:
        raise _FieldError("$.session.checkpoint", f"{len(doc.checkpoint)} values for "
                                                  f"{n_params} parameters")
    state = SessionState(
        data=content.snapshot(), spec=spec, config=config, weights=weights, steps=doc.steps,
        epoch=doc.epoch, spec_changes=list(doc.spec_changes),
        order_rng=_checked("$.session.order_rng", lambda: _random_state(doc.order_rng)),
        epoch_order=None if doc.epoch_order is None else np.array(doc.epoch_order, np.int64),
        cursor=doc.cursor, best_loss=float(doc.best_loss), best_epoch=doc.best_epoch,
        checkpoint=np.array(doc.checkpoint, dtype=np.float64),
        metrics=Metrics(float(doc.metrics.train_loss), float(doc.metrics.train_accuracy),
                        float(doc.metrics.test_loss), float(doc.metrics.test_accuracy)),
        optimizer=_optimizer(doc, config, n_params), history=_history(doc.history))
    n_train = int(np.count_nonzero(~content.is_test))
    layer_shapes = [(w.shape, b.shape) for w, b in weights]
    _checked("$.session.epoch_order", lambda: check_fits(state, layer_shapes, n_train))
    return state


def _random_state(doc: RandomStateDoc) -> dict[str, Any]:
    """numpy's state dict, checked by setting it on a generator."""
    state = {"bit_generator": doc.bit_generator, "state": {"state": doc.state, "inc": doc.inc},
             "has_uint32": doc.has_uint32, "uinteger": doc.uinteger}
    order_generator(state)
    return state


def _optimizer(doc: SessionDoc, config: TrainingConfig, n_params: int) -> OptimizerState:
    opt = doc.optimizer
    expected = _OPTIMIZER_DOCS[config.optimizer]
    if type(opt) is not expected:
        saved = type(opt).__struct_config__.tag
        raise _FieldError("$.session.optimizer.kind", f"the state of {saved!r} for training "
                                                      f"with {config.optimizer!r}")
    arrays = {name: np.array(getattr(opt, name), dtype=np.float64)
              for name in ("velocity", "m", "v") if hasattr(opt, name)}
    for name, values in arrays.items():
        if len(values) != n_params:
            raise _FieldError(f"$.session.optimizer.{name}", f"{len(values)} values for "
                                                             f"{n_params} parameters")
    if "v" in arrays and (arrays["v"] < 0).any():
        raise _FieldError("$.session.optimizer.v", "a mean of squared gradients below 0")
    return OptimizerState(t=getattr(opt, "t", 0), **arrays)


def _history(doc: HistoryDoc) -> History:
    columns = {}
    for name in doc.__struct_fields__:
        raw = getattr(doc, name)
        if len(raw) % 8:
            raise _FieldError(f"$.session.history.{name}", f"{len(raw)} bytes, not whole "
                                                           "8-byte numbers")
        integer = name in ("steps", "epochs")
        values = np.frombuffer(raw, dtype="<i8" if integer else "<f8")
        if integer and (values < 0).any():
            raise _FieldError(f"$.session.history.{name}", "a count below 0")
        columns[name] = array("q" if integer else "d",
                              values.astype(np.int64 if integer else np.float64).tobytes())
    lengths = [len(c) for c in columns.values()]
    if len(set(lengths)) > 1:
        raise _FieldError("$.session.history", "columns of different lengths "
                                               f"({', '.join(map(str, lengths))})")
    return History(**columns)

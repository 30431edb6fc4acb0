"""Workspace files: the whole of a person's work (data, network, settings, training) in one file.

A workspace is one JSON file (workspace_format's schema): decoded by msgspec into typed
Structs, then checked (workspace_checks) for what types cannot say, every error naming the
file and the path of the bad field. Nothing a file holds is executed. Older formats are
upgraded step by step (workspace_migrations), a newer one is refused with a clear message, and
every write is atomic. The objects a workspace holds are in workspace_model.
"""

from __future__ import annotations

import math
import os
from array import array
from typing import Any

import msgspec
import numpy as np

from playground.core.atomic import write_atomic
from playground.core.problems import SplitMetrics
from playground.core.session_state import SessionState
from playground.core.workspace_checks import OPTIMIZER_DOCS, FieldError, checked_workspace
from playground.core.workspace_format import (
    APP_ID,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    AutosaveDoc,
    DatasetDoc,
    EvaluationDoc,
    Header,
    HiddenChoiceDoc,
    HistoryDoc,
    LayerDoc,
    NetworkDoc,
    PresetDoc,
    RandomStateDoc,
    SessionDoc,
    SplitMetricsDoc,
    TrainingDoc,
    ViewDoc,
    WorkspaceDoc,
)
from playground.core.workspace_migrations import MIGRATIONS
from playground.core.workspace_model import AutosaveInfo, DatasetContent, ViewSettings, Workspace

__all__ = ["SUFFIX", "AutosaveInfo", "DatasetContent", "ViewSettings", "Workspace",
           "WorkspaceError", "decode", "encode", "load", "save"]
SUFFIX = ".json"


class WorkspaceError(ValueError):
    """A workspace file that cannot be read: the message names the file and what is wrong."""


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
    session = None
    if ws.session is not None:
        session = _session_document(ws.session)
    autosave = None if ws.autosave is None else AutosaveDoc(ws.autosave.file,
                                                            ws.autosave.saved_at)
    return WorkspaceDoc(
        app=APP_ID, format_version=FORMAT_VERSION, dataset=_dataset_document(ws.dataset),
        network=NetworkDoc(list(ws.spec.features), list(ws.spec.hidden),
                           list(ws.spec.activations), sorted(ws.switched_off)),
        training=TrainingDoc(**{name: getattr(ws.config, name)
                                for name in TrainingDoc.__struct_fields__}),
        speed=ws.speed, view=_view_document(ws.view), session=session, autosave=autosave)


def _dataset_document(data: DatasetContent) -> DatasetDoc:
    p = data.preset
    preset = None if p is None else PresetDoc(p.name, p.n_points, float(p.noise), p.seed,
                                              p.kind, p.n_classes, p.expression,
                                              tuple(map(float, p.x_range)))
    classes = data.kind in ("binary", "classes")
    values = data.values if data.kind == "regression" and data.values is not None else None
    return DatasetDoc(
        kind=data.kind, classes=int(data.n_classes),
        points=[tuple(p) for p in data.points.tolist()],
        labels=data.labels.tolist() if classes else [],
        values=[] if values is None else values.tolist(),
        test=data.is_test.tolist(), test_fraction=float(data.test_fraction),
        seed=int(data.seed), preset=preset, source=data.source)


def _view_document(view: ViewSettings) -> ViewDoc:
    choice = view.hidden_choice
    return ViewDoc(view.log_scale, view.discretize, view.show_test, view.show_parts,
                   view.point_losses, view.hidden_space,
                   None if choice is None else HiddenChoiceDoc(choice.layer, choice.neurons))


def _split_document(metrics: SplitMetrics) -> SplitMetricsDoc:
    return SplitMetricsDoc(_number(metrics.loss), _number(metrics.accuracy),
                           [_number(v) for v in metrics.per_class_accuracy],
                           [list(row) for row in metrics.confusion],
                           _number(metrics.r2), _number(metrics.rmse))


def _session_document(state: SessionState) -> SessionDoc:
    optimizer = state.optimizer
    kind = state.config.optimizer
    doc_type = OPTIMIZER_DOCS[kind]
    if kind == "momentum":
        optimizer_doc: Any = doc_type(optimizer.velocity.tolist())
    elif kind in ("adam", "adamw"):
        optimizer_doc = doc_type(optimizer.m.tolist(), optimizer.v.tolist(), optimizer.t)
    else:
        optimizer_doc = doc_type()
    h = state.history
    rng = state.order_rng
    return SessionDoc(
        weights=[LayerDoc(w.tolist(), b.tolist()) for w, b in state.weights],
        steps=state.steps, epoch=state.epoch, spec_changes=list(state.spec_changes),
        order_rng=RandomStateDoc(rng["bit_generator"], rng["state"]["state"],
                                 rng["state"]["inc"], rng["has_uint32"], rng["uinteger"]),
        epoch_order=None if state.epoch_order is None else state.epoch_order.tolist(),
        cursor=state.cursor, best_loss=_number(state.best_loss), best_epoch=state.best_epoch,
        checkpoint=state.checkpoint.tolist(),
        evaluation=EvaluationDoc(_split_document(state.evaluation.train),
                                 _split_document(state.evaluation.test)),
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
        return checked_workspace(_current_document(data, source))
    except FieldError as error:
        raise WorkspaceError(f"{source}: {error.message} - at `{error.path}`") from None
    except msgspec.ValidationError as error:
        raise WorkspaceError(f"{source}: {error}") from None
    except msgspec.DecodeError as error:
        raise WorkspaceError(f"{source}: not a workspace file ({error})") from None
    except RecursionError:
        raise WorkspaceError(f"{source}: not a workspace file (nested too deeply)") from None


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



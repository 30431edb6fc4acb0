"""Upgrades of older workspace files, one step per format version, to the current one.

MIGRATIONS[n] turns a version-n document into a version-(n + 1) one. A step may name the
schema of its version (a Struct): the document is then checked against it first, so an old
file with a bad field gets the same "- at `$.path`" message as a current one. A step without
one works on the raw JSON (the fields it keeps are checked by the next version's schema);
every step's output is checked again by the next step, and the last by the current schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from playground.core.presets import DEFAULT_RANGE
from playground.core.workspace_format import MAX_POINTS, Count, Finite, Name


@dataclass(frozen=True)
class Migration:
    """One step: the old version's schema (None: take the raw JSON) and the upgrade."""

    schema: type | None
    upgrade: Callable[[Any], dict[str, Any]]


# ---- version 0: the draft format before the first release, the dataset as the CSV's rows


class _TrainingV0(msgspec.Struct, forbid_unknown_fields=True):
    lr: Finite  # renamed learning_rate in version 1
    batch_size: Count
    optimizer: Name
    loss: Name
    regularization: Name
    reg_rate: Finite
    seed: Count


class _NetworkV0(msgspec.Struct, forbid_unknown_fields=True):
    features: list[Name]
    hidden: list[int]
    activations: list[Name]


class WorkspaceV0(msgspec.Struct, forbid_unknown_fields=True):
    """Version 0: rows of x, y, label, split; settings; no trained state."""

    app: Literal["micrograd-playground"]
    format_version: Literal[0]
    rows: Annotated[list[tuple[Finite, Finite, int, Literal["train", "test"]]],
                    msgspec.Meta(max_length=MAX_POINTS)]
    test_fraction: Finite
    seed: Count
    network: _NetworkV0
    training: _TrainingV0
    speed: Name


def _v0_to_v1(doc: WorkspaceV0) -> dict[str, Any]:
    """Rows become the dataset's columns; lr becomes learning_rate; default view settings."""
    training = msgspec.structs.asdict(doc.training)
    training["learning_rate"] = training.pop("lr")
    return {
        "app": doc.app, "format_version": 1,
        "dataset": {"points": [[x, y] for x, y, _, _ in doc.rows],
                    "labels": [label for _, _, label, _ in doc.rows],
                    "test": [split == "test" for *_, split in doc.rows],
                    "test_fraction": doc.test_fraction, "seed": doc.seed},
        "network": msgspec.structs.asdict(doc.network), "training": training,
        "speed": doc.speed,
    }


# ---- version 1: two classes only, the last evaluation's losses and accuracies


def _v1_to_v2(doc: Any) -> Any:
    """Two classes become the problem type "binary"; no neuron is switched off; the last
    evaluation keeps its losses and accuracies (the per-class numbers and the confusion
    matrix come with the next epoch's evaluation).

    Only what has the shape of version 1 is upgraded: anything else is left for the version 2
    schema to name with its path.
    """
    if not isinstance(doc, dict):
        return doc
    dataset = _object(doc, "dataset")
    dataset.update(kind="binary", classes=2, values=[])
    _object(dataset, "preset").update(kind="binary", classes=2, expression="",
                                      x_range=list(DEFAULT_RANGE))
    _object(doc, "network")["switched_off"] = []
    session = _object(doc, "session")
    metrics = session.pop("metrics", None)
    if isinstance(metrics, dict):
        session["evaluation"] = {split: {
            "loss": metrics.get(f"{split}_loss"), "accuracy": metrics.get(f"{split}_accuracy"),
            "per_class_accuracy": [], "confusion": [], "r2": "nan", "rmse": "nan"}
            for split in ("train", "test")}
    doc["format_version"] = 2
    return doc


def _object(doc: dict[str, Any], key: str) -> dict[str, Any]:
    """doc[key] if it is a JSON object, else a throwaway one (nothing to upgrade there)."""
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


MIGRATIONS: dict[int, Migration] = {0: Migration(WorkspaceV0, _v0_to_v1),
                                    1: Migration(None, _v1_to_v2)}

"""Upgrades of older workspace files, one step per format version, to the current one.

MIGRATIONS[n] turns a version-n document into a version-(n + 1) one. A step may name the
schema of its version (a Struct): the document is then checked against it first, so an old
file with a bad field gets the same "- at `$.path`" message as a current one. Every step's
output is checked again by the next step, and the last by the current schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from playground.core.workspace_format import (
    MAX_POINTS,
    Count,
    Finite,
    Name,
    NetworkDoc,
)


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


class WorkspaceV0(msgspec.Struct, forbid_unknown_fields=True):
    """Version 0: rows of x, y, label, split; settings; no trained state."""

    app: Literal["micrograd-playground"]
    format_version: Literal[0]
    rows: Annotated[list[tuple[Finite, Finite, int, Literal["train", "test"]]],
                    msgspec.Meta(max_length=MAX_POINTS)]
    test_fraction: Finite
    seed: Count
    network: NetworkDoc
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


MIGRATIONS: dict[int, Migration] = {0: Migration(WorkspaceV0, _v0_to_v1)}

"""Workspace files: every field round-trips, training goes on bit for bit, bad files are refused."""

from __future__ import annotations

import json
from dataclasses import fields

import msgspec
import numpy as np
import pytest

from playground.core.dataset import Dataset
from playground.core.headless import train_headless
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.workspace import (
    ViewSettings,
    Workspace,
    WorkspaceError,
    decode,
    encode,
    load,
    save,
)
from playground.core.workspace_format import FORMAT_VERSION, MAX_FILE_BYTES, TrainingDoc

SPEC = NetworkSpec(("x1", "x2", "x1*x2"), (5, 3), ("tanh", "relu"))


def trained(optimizer: str = "adam", steps: int = 77, preset: str = "spiral",
            test_fraction: float = 0.3) -> tuple[Dataset, TrainingSession]:
    dataset = Dataset(test_fraction=test_fraction)
    dataset.load_preset(preset, 150, 0.1, 4)
    config = TrainingConfig(learning_rate=0.02, batch_size=8, optimizer=optimizer,
                            loss="hinge", regularization="l2", reg_rate=0.001, seed=3)
    session = TrainingSession(dataset.snapshot(), SPEC, config)
    for _ in range(steps):  # stops in the middle of an epoch: the order and cursor matter
        session.step()
    return dataset, session


def history_arrays(session: TrainingSession) -> dict[str, list]:
    h = session.history
    return {f.name: list(getattr(h, f.name)) for f in fields(h)}


def assert_same_training(a: TrainingSession, b: TrainingSession) -> None:
    assert history_arrays(a) == history_arrays(b)  # exact: float == float
    for (wa, ba), (wb, bb) in zip(a.weights(), b.weights(), strict=True):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
    assert a.latest == b.latest and a.spec_changes == b.spec_changes


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "adamw"])
def test_training_on_after_opening_is_bit_for_bit_the_same(tmp_path, optimizer):
    dataset, session = trained(optimizer)
    session.set_spec(NetworkSpec(("x1", "x2", "x1*x2"), (5, 4), ("tanh", "relu")))  # a marker
    for _ in range(31):
        session.step()
    path = tmp_path / "work.json"
    save(path, Workspace.of_session(dataset, session.state(), "max"))

    opened = load(path).training_session()
    train_headless(session, 12, progress=lambda line: None)  # through the loop, as headless
    train_headless(opened, 12, progress=lambda line: None)
    assert_same_training(session, opened)
    assert session.epoch >= 12 and len(session.spec_changes) == 1


def test_the_divergence_checkpoint_survives_a_save(tmp_path):
    """After opening, a diverging step goes back to the same best epoch as without saving."""
    dataset, session = trained("sgd", steps=200)
    save(tmp_path / "w.json", Workspace.of_session(dataset, session.state(), "max"))
    opened = load(tmp_path / "w.json").training_session()
    hot = TrainingConfig(**{**session.config.__dict__, "learning_rate": 1e6})
    for s in (session, opened):
        s.set_config(hot)
    results = [[s.train_epoch() for _ in range(6)] for s in (session, opened)]
    assert any(r.diverged for r in results[0]) and results[0] == results[1]
    assert_same_training(session, opened)


def test_every_field_round_trips(tmp_path):
    dataset, session = trained("momentum")
    dataset.add_point(1.25, -2.5, 1)  # a hand-added point after the preset
    session.set_data(dataset.snapshot())
    session.step()
    view = ViewSettings(log_scale=True, discretize=True, show_test=False)
    workspace = Workspace.of_session(dataset, session.state(), "10/s", view)
    save(tmp_path / "w.json", workspace)
    back = load(tmp_path / "w.json")

    for name in ("points", "labels", "is_test"):
        assert np.array_equal(getattr(back.dataset, name), getattr(dataset, name))
    assert (back.dataset.test_fraction, back.dataset.seed, back.dataset.preset,
            back.dataset.source) == (dataset.test_fraction, dataset.seed, dataset.preset, None)
    assert (back.spec, back.config, back.speed, back.view) == (SPEC, session.config, "10/s",
                                                               view)
    a, b = workspace.session, back.session
    for name in ("steps", "epoch", "spec_changes", "order_rng", "cursor", "best_loss",
                 "best_epoch"):
        assert getattr(a, name) == getattr(b, name), name
    for split in ("train", "test"):
        saved, read = getattr(a.evaluation, split), getattr(b.evaluation, split)
        assert (saved.loss, saved.accuracy) == (read.loss, read.accuracy)
    assert np.array_equal(a.epoch_order, b.epoch_order)
    assert np.array_equal(a.checkpoint, b.checkpoint)
    assert np.array_equal(a.optimizer.velocity, b.optimizer.velocity)
    assert history_arrays(session) == {f.name: list(getattr(b.history, f.name))
                                       for f in fields(b.history)}


def test_a_csv_source_and_no_training_round_trip():
    dataset = Dataset()
    dataset.replace_all(np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([0, 1]),
                        np.array([False, True]), 0.5, 9, source="mine.csv")
    workspace = Workspace.of_session(dataset, TrainingSession(
        dataset.snapshot(), NetworkSpec(), TrainingConfig()).state(), "1/frame")
    plain = Workspace(workspace.dataset, workspace.spec, workspace.config)  # no session
    back = decode(encode(plain))
    assert back.session is None and back.dataset.source == "mine.csv"
    fresh = back.training_session()
    assert fresh.epoch == 0 and fresh.latest == TrainingSession(
        dataset.snapshot(), NetworkSpec(), TrainingConfig()).latest


def test_every_training_setting_has_a_field_in_the_file():
    assert list(TrainingDoc.__struct_fields__) == [f.name for f in fields(TrainingConfig)]


def document(tmp_path) -> dict:
    dataset, session = trained("adam", steps=30)
    return json.loads(encode(Workspace.of_session(dataset, session.state(), "max")))


def refused(doc: dict, tmp_path, *expected: str) -> str:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(WorkspaceError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for part in expected:
        assert part in message, message
    return message


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["dataset"]["points"][3].__setitem__(0, "x"),
     ["Expected `float`, got `str`", "$.dataset.points[3][0]"]),
    (lambda d: d["dataset"]["points"][3].__setitem__(1, 1e300),
     ["$.dataset.points[3][1]", "outside the accepted range"]),
    (lambda d: d["dataset"]["labels"].__setitem__(2, 7), ["$.dataset.labels[2]", "0 or 1"]),
    (lambda d: d["dataset"]["labels"].pop(), ["$.dataset.labels", "149 values for 150"]),
    (lambda d: d["network"].__setitem__("hidden", [5, 99]), ["$.network", "hidden layer 2"]),
    (lambda d: d["training"].__setitem__("optimizer", "rmsprop"), ["$.training", "rmsprop"]),
    (lambda d: d["training"].pop("loss"), ["missing required field `loss`", "$.training"]),
    (lambda d: d["training"].__setitem__("typo", 1), ["unknown field `typo`", "$.training"]),
    (lambda d: d.__setitem__("speed", "warp"), ["$.speed", "warp"]),
    (lambda d: d["session"]["weights"][1]["weight"].pop(),
     ["$.session.weights[1].weight", "do not fit the network", "5 rows of 3"]),
    (lambda d: d["session"]["weights"][0]["bias"].append(0.5),
     ["$.session.weights[0].bias", "6 biases for 5"]),
    (lambda d: d["session"].__setitem__("weights", d["session"]["weights"][:2]),
     ["$.session.weights", "2 layers for a network of 3"]),
    (lambda d: d["session"]["checkpoint"].append(1.0), ["$.session.checkpoint"]),
    (lambda d: d["session"]["optimizer"]["m"].pop(), ["$.session.optimizer.m"]),
    (lambda d: d["session"]["optimizer"]["v"].__setitem__(0, -1.0),
     ["$.session.optimizer.v", "below 0"]),
    (lambda d: d["session"]["optimizer"].__setitem__("kind", "momentum"),
     ["$.session.optimizer"]),
    (lambda d: d["session"].__setitem__("epoch_order", [0] * 105),
     ["$.session.epoch_order", "not a permutation"]),
    (lambda d: d["session"]["order_rng"].__setitem__("bit_generator", "MT19937"),
     ["$.session.order_rng.bit_generator"]),
    (lambda d: d["session"]["history"].__setitem__("train_loss", "AAAA"),
     ["$.session.history.train_loss", "not whole 8-byte numbers"]),
    (lambda d: d["session"].__setitem__("steps", -1), ["$.session.steps", ">= 0"]),
    (lambda d: d["session"].__setitem__("steps", 10**40), ["$.session.steps"]),
    (lambda d: d["session"]["metrics"].__setitem__("train_loss", "lots"),
     ["$.session.metrics.train_loss"]),
])
def test_a_bad_field_is_named_with_its_path(tmp_path, change, expected):
    doc = document(tmp_path)
    change(doc)
    refused(doc, tmp_path, *expected)


def test_nan_is_refused_where_numbers_must_be_finite(tmp_path):
    doc = document(tmp_path)
    text = json.dumps(doc).replace('"weights": [{"weight": [[', '"weights": [{"weight": [[NaN, ',
                                                               1)
    path = tmp_path / "nan.json"
    path.write_text(text)
    with pytest.raises(WorkspaceError, match="malformed"):
        load(path)
    doc["session"]["weights"][0]["weight"][0][0] = "nan"
    refused(doc, tmp_path, "$.session.weights[0].weight[0][0]")


def test_a_file_from_a_newer_version_says_so(tmp_path):
    doc = document(tmp_path)
    doc["format_version"] = FORMAT_VERSION + 1
    message = refused(doc, tmp_path)
    assert message.endswith(f"made by a newer version of micrograd playground (format "
                            f"{FORMAT_VERSION + 1}; this one reads up to {FORMAT_VERSION})")


@pytest.mark.parametrize("content, expected", [
    (b"\xff\xfe\x00garbage", "not a workspace file"),
    (b'{"app": "something-else", "format_version": 1}', "not a micrograd playground workspace"),
    (b'{"app": "micrograd-playground"}', 'no "format_version"'),
    (b"[1, 2, 3]", "not a workspace file"),
    (b"", "not a workspace file"),
    (b"[" * 100_000 + b"]" * 100_000, "not a workspace file"),
])
def test_what_is_no_workspace_at_all_is_refused(tmp_path, content, expected):
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    with pytest.raises(WorkspaceError, match=expected):
        load(path)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(WorkspaceError, match="MiB, more than a workspace can be"):
        load(path)
    with pytest.raises(WorkspaceError, match="could not read the file"):
        load(tmp_path / "missing.json")


def test_a_huge_array_is_refused(tmp_path):
    doc = document(tmp_path)
    doc["dataset"]["points"] = [[0.0, 0.0]] * 100_001
    refused(doc, tmp_path, "$.dataset.points", "length <= 100000")


VERSION_0 = {
    "app": "micrograd-playground", "format_version": 0,
    "rows": [[1.0, 2.0, 1, "train"], [-1.5, 0.25, 0, "test"], [3.0, -2.0, 0, "train"]],
    "test_fraction": 0.4, "seed": 2,
    "network": {"features": ["x1", "x2"], "hidden": [3], "activations": ["relu"]},
    "training": {"lr": 0.1, "batch_size": 2, "optimizer": "sgd", "loss": "mse",
                 "regularization": "none", "reg_rate": 0.0, "seed": 5},
    "speed": "max",
}


def test_a_version_0_file_is_migrated(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(VERSION_0))
    workspace = load(path)
    assert workspace.dataset.points.tolist() == [[1.0, 2.0], [-1.5, 0.25], [3.0, -2.0]]
    assert workspace.dataset.labels.tolist() == [1, 0, 0]
    assert workspace.dataset.is_test.tolist() == [False, True, False]
    assert workspace.config.learning_rate == 0.1  # "lr" in version 0
    assert workspace.spec.hidden == (3,) and workspace.session is None
    assert workspace.view == ViewSettings()
    resaved = json.loads(encode(workspace))
    assert resaved["format_version"] == FORMAT_VERSION


def test_a_bad_version_0_file_names_the_field(tmp_path):
    doc = json.loads(json.dumps(VERSION_0))
    doc["rows"][1][3] = "validation"
    message = refused(doc, tmp_path, "$.rows[1][3]")
    assert "validation" in message


def test_loading_never_changes_anything_on_failure(tmp_path):
    """The loader builds new objects only: a refused file leaves a dataset as it was."""
    dataset, session = trained()
    before = (dataset.points.copy(), dataset.version, session.state().steps)
    doc = document(tmp_path)
    doc["session"]["weights"][0]["bias"] = []
    refused(doc, tmp_path)
    assert np.array_equal(dataset.points, before[0]) and dataset.version == before[1]
    assert session.steps == before[2]


def test_the_json_is_plain_and_readable():
    dataset, session = trained(steps=3)
    text = encode(Workspace.of_session(dataset, session.state(), "max")).decode()
    top = json.loads(text)
    assert top["app"] == "micrograd-playground" and top["format_version"] == FORMAT_VERSION
    assert list(top) == ["app", "format_version", "dataset", "network", "training", "speed",
                         "view", "session", "autosave"]
    assert len(text.splitlines()) == len(top) + 2  # a top-level key a line
    assert msgspec.json.decode(text.encode())["network"]["hidden"] == [5, 3]

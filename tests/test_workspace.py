"""Workspace files: every field round-trips, training goes on bit for bit, bad files are refused."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import msgspec
import numpy as np
import pytest
from problem_sessions import KINDS, problem_session

from playground.core.dataset import Dataset
from playground.core.headless import train_headless
from playground.core.hidden_space import HiddenChoice
from playground.core.problems import Evaluation, SplitMetrics
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


def history_arrays(session: TrainingSession) -> dict[str, bytes]:
    """Every history column's bytes: exact, and a NaN (no accuracy for values) equals itself."""
    return history_bytes(session.history)


def history_bytes(history) -> dict[str, bytes]:
    return {f.name: getattr(history, f.name).tobytes() for f in fields(history)}


def same_numbers(a, b) -> bool:
    """Equal, NaN equal to NaN (a metric that does not apply, an empty split)."""
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                          equal_nan=True)


def assert_same_evaluation(a: Evaluation, b: Evaluation) -> None:
    for split_a, split_b in zip(a, b, strict=True):
        for name in SplitMetrics._fields:
            assert same_numbers(getattr(split_a, name), getattr(split_b, name)), name


def assert_same_training(a: TrainingSession, b: TrainingSession) -> None:
    assert history_arrays(a) == history_arrays(b)  # exact: float == float
    for (wa, ba), (wb, bb) in zip(a.weights(), b.weights(), strict=True):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
    assert same_numbers(a.latest[:7], b.latest[:7]) and a.spec_changes == b.spec_changes
    assert_same_evaluation(a.evaluation, b.evaluation)
    assert a.switched_off == b.switched_off


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


@pytest.mark.parametrize("switched_off", [(), ((0, 1), (1, 0))], ids=["all on", "two off"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_problem_type_trains_on_bit_for_bit(tmp_path, kind, switched_off):
    dataset, session = problem_session(kind, "momentum", switched_off=switched_off)
    path = tmp_path / f"{kind}.json"
    save(path, Workspace.of_session(dataset, session.state(), "max"))
    opened = load(path).training_session()
    assert opened.problem == session.problem and opened.switched_off == frozenset(switched_off)
    assert_same_training(session, opened)  # as saved
    train_headless(session, 9, progress=lambda line: None)
    train_headless(opened, 9, progress=lambda line: None)
    assert_same_training(session, opened)
    if switched_off:  # the held neurons' weights did not move, and come back as they were
        layer, neuron = switched_off[0]
        saved = load(path).session.weights[layer][0][:, neuron]
        assert np.array_equal(opened.weights()[layer][0][:, neuron], saved)


def test_the_divergence_checkpoint_survives_a_save(tmp_path):
    """After opening, a diverging step goes back to the same best epoch as without saving."""
    dataset, session = trained("sgd", steps=200)
    save(tmp_path / "w.json", Workspace.of_session(dataset, session.state(), "max"))
    opened = load(tmp_path / "w.json").training_session()
    hot = TrainingConfig(**{**session.config.__dict__, "learning_rate": 1e6})
    for s in (session, opened):
        s.set_config(hot)
    results = [[s.train_epoch() for _ in range(6)] for s in (session, opened)]
    assert any(r.diverged for r in results[0])
    assert [r[:9] for r in results[0]] == [r[:9] for r in results[1]]
    assert_same_training(session, opened)


def assert_round_trip(dataset: Dataset, session: TrainingSession, workspace: Workspace,
                      back: Workspace) -> None:
    data = back.dataset
    for name in ("points", "labels", "values", "is_test"):
        assert np.array_equal(getattr(data, name), getattr(dataset, name)), name
    assert (data.kind, data.n_classes, data.test_fraction, data.seed, data.preset,
            data.source) == (dataset.kind, dataset.n_classes, dataset.test_fraction,
                             dataset.seed, dataset.preset, dataset.source)
    assert (back.spec, back.config, back.speed, back.view, back.switched_off) == (
        workspace.spec, workspace.config, workspace.speed, workspace.view,
        workspace.switched_off)
    a, b = workspace.session, back.session
    for name in ("steps", "epoch", "spec_changes", "order_rng", "cursor", "best_loss",
                 "best_epoch", "switched_off"):
        assert getattr(a, name) == getattr(b, name), name
    assert_same_evaluation(a.evaluation, b.evaluation)
    assert np.array_equal(a.epoch_order, b.epoch_order)
    assert np.array_equal(a.checkpoint, b.checkpoint)
    for name in ("velocity", "m", "v"):
        assert same_numbers(getattr(a.optimizer, name), getattr(b.optimizer, name))
    assert a.optimizer.t == b.optimizer.t
    assert history_arrays(session) == history_bytes(b.history)


def test_every_field_round_trips(tmp_path):
    dataset, session = trained("momentum")
    dataset.add_point(1.25, -2.5, 1)  # a hand-added point after the preset
    session.set_data(dataset.snapshot())
    session.step()
    view = ViewSettings(log_scale=True, discretize=True, show_test=False, show_parts=True,
                        point_losses=True, hidden_space=True,
                        hidden_choice=HiddenChoice(1, (0, 2)))
    workspace = Workspace.of_session(dataset, session.state(), "10/s", view)
    save(tmp_path / "w.json", workspace)
    back = load(tmp_path / "w.json")
    assert back.spec == SPEC and back.view == view
    assert_round_trip(dataset, session, workspace, back)


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_of_each_problem_type_round_trips(tmp_path, kind):
    dataset, session = problem_session(kind, "adamw", switched_off=((1, 2),))
    if kind == "function":  # a typed formula and its range
        dataset.load_preset("expression", 90, 0.05, 7, expression="x * sin(3 * x)",
                            x_range=(-2.5, 4.0))
        session.set_data(dataset.snapshot())
    elif kind == "regression":
        dataset.add_point(0.5, -0.25, value=3.75)  # a hand-made value
        session.set_data(dataset.snapshot())
    session.step()
    view = ViewSettings(point_losses=True, hidden_space=True, hidden_choice=HiddenChoice(0))
    workspace = Workspace.of_session(dataset, session.state(), "max", view)
    save(tmp_path / "w.json", workspace)
    back = load(tmp_path / "w.json")
    assert_round_trip(dataset, session, workspace, back)
    assert back.dataset.snapshot().problem() == dataset.problem()
    if kind == "function":
        assert back.dataset.preset.expression == "x * sin(3 * x)"
        assert back.dataset.preset.x_range == (-2.5, 4.0)
    if kind == "classes":
        assert back.dataset.n_classes == 3 and len(back.session.evaluation.test.confusion) == 3


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
    (lambda d: d["session"]["evaluation"]["train"].__setitem__("loss", "lots"),
     ["$.session.evaluation.train.loss"]),
    (lambda d: d["session"]["evaluation"]["test"]["per_class_accuracy"].append(0.5),
     ["$.session.evaluation.test.per_class_accuracy", "3 values for 2 classes"]),
    (lambda d: d["session"]["evaluation"]["test"]["confusion"][1].pop(),
     ["$.session.evaluation.test.confusion", "not 2 rows of 2"]),
    (lambda d: d["dataset"].__setitem__("kind", "ranking"), ["$.dataset.kind", "ranking"]),
    (lambda d: d["dataset"].__setitem__("classes", 5), ["$.dataset.classes", "binary has 2"]),
    (lambda d: d["dataset"].__setitem__("values", [1.0] * 150),
     ["$.dataset.values", "150 values where binary has none"]),
    (lambda d: d["dataset"]["preset"].__setitem__("kind", "function"),
     ["$.dataset.preset.kind", "a preset of function for data of binary"]),
    (lambda d: d["dataset"]["preset"].__setitem__("name", "plane"),
     ["$.dataset.preset.name", "unknown preset 'plane' for binary"]),
    (lambda d: d["dataset"]["preset"].__setitem__("x_range", [2.0, -2.0]),
     ["$.dataset.preset.x_range", "low < high"]),
    (lambda d: d["dataset"]["preset"].__setitem__("expression", "__import__('os')"),
     ["$.dataset.preset.expression", "cannot be used"]),
    (lambda d: d["dataset"]["preset"].__setitem__("expression", "9**9**9"),
     ["$.dataset.preset.expression"]),
    (lambda d: d["network"].__setitem__("features", ["x", "x^2"]),
     ["$.network.features", "unknown feature 'x'"]),
    (lambda d: d["training"].__setitem__("loss", "cross_entropy"),
     ["$.training.loss", "does not fit two classes"]),
    (lambda d: d["network"]["switched_off"].append([1, 3]),
     ["$.network.switched_off[0]", "no neuron 4 in hidden layer 2"]),
    (lambda d: d["network"]["switched_off"].append([0, -1]),
     ["$.network.switched_off[0][1]", ">= 0"]),
    (lambda d: d["view"].__setitem__("hidden_choice", {"layer": 2, "neurons": None}),
     ["$.view.hidden_choice.layer", "no hidden layer 3"]),
    (lambda d: d["view"].__setitem__("hidden_choice", {"layer": 0, "neurons": [3, 1]}),
     ["$.view.hidden_choice.neurons", "lowest first"]),
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


VERSION_1 = Path(__file__).parent / "data" / "version-1.json"  # written by format 1's app


def test_a_version_1_file_is_migrated_and_trains_on_as_it_would_have(tmp_path):
    """A file the previous release wrote (two classes, no switch-offs, the last evaluation's
    losses only) opens as two classes and trains on as it would have: to rounding, as the
    engine's sums have changed order since (a training step adds the bias in its product)."""
    workspace = load(VERSION_1)
    data = workspace.dataset
    assert (data.kind, data.n_classes, len(data.points), data.preset.name) == ("binary", 2, 16,
                                                                               "xor")
    assert data.preset.kind == "binary" and data.preset.expression == ""
    assert workspace.view == ViewSettings(log_scale=True) and workspace.switched_off == set()
    evaluation = workspace.session.evaluation
    assert (evaluation.train.loss, evaluation.test.accuracy) == (0.765435676676369, 0.5)
    assert evaluation.train.confusion == ()  # the next evaluation brings it
    # the session it was written from, made again: the same data, network and steps
    dataset = Dataset(test_fraction=0.25)
    dataset.load_preset("xor", 16, 0.1, 5)
    session = TrainingSession(dataset.snapshot(), NetworkSpec(("x1", "x2"), (3,), ("tanh",)),
                              TrainingConfig(learning_rate=0.1, batch_size=4,
                                             optimizer="momentum", loss="mse", seed=2))
    for _ in range(7):
        session.step()
    opened = workspace.training_session()
    train_headless(session, 5, progress=lambda line: None)
    train_headless(opened, 5, progress=lambda line: None)
    for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        np.testing.assert_allclose(getattr(opened.history, name), getattr(session.history, name),
                                   rtol=1e-9)
    for (wa, ba), (wb, bb) in zip(session.weights(), opened.weights(), strict=True):
        np.testing.assert_allclose(wb, wa, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(bb, ba, rtol=1e-9, atol=1e-12)
    save(tmp_path / "again.json", workspace)  # written as the current format
    assert json.loads((tmp_path / "again.json").read_text())["format_version"] == FORMAT_VERSION


def test_a_bad_version_1_file_names_the_field(tmp_path):
    doc = json.loads(VERSION_1.read_text())
    doc["dataset"]["labels"][3] = 2
    refused(doc, tmp_path, "$.dataset.labels[3]", "0 or 1")
    doc = json.loads(VERSION_1.read_text())
    doc["network"] = ["x1", "x2"]
    refused(doc, tmp_path, "$.network", "Expected `object`")


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

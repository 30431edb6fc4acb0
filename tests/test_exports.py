"""Exports: each script, run on its own in a subprocess, predicts what the app predicts."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from problem_sessions import KINDS, problem_session

from engine.activations import ACTIVATION_NAMES
from playground.core.dataset import Dataset
from playground.core.export_script import SCRIPT_KINDS, script_source, write_script
from playground.core.exports import TrainedNetwork, history_csv, write_history, write_weights
from playground.core.features import FUNCTION_FEATURES, PLANE_FEATURES
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig

TOLERANCE = {"numpy": 1e-9, "micrograd": 1e-9, "pytorch": 1e-6}  # PyTorch runs in float32
# what each script may import: its library and the standard library, nothing else
RUNNER = textwrap.dedent("""
    import json, runpy, sys
    points = json.load(open(sys.argv[1]))
    outputs = {}
    for script in sys.argv[2:]:
        predict = runpy.run_path(script)["predict"]
        outputs[script] = [[float(v) for v in row] for row in predict(points)]
    json.dump(outputs, sys.stdout)
""")


def trained_session(activation: str, features=("x1", "x2"), steps: int = 60) -> tuple:
    dataset = Dataset()
    dataset.load_preset("moons", 120, 0.1, 2)
    spec = NetworkSpec(features, (5, 3), (activation, "tanh"))
    session = TrainingSession(dataset.snapshot(), spec, TrainingConfig(learning_rate=0.01,
                                                                       seed=1))
    for _ in range(steps):
        session.step()
    return dataset, session


def run_scripts(kind: str, scripts: list, points: np.ndarray, tmp_path) -> dict:
    """Each script's predict(points), computed in a fresh interpreter with only its library."""
    points_file = tmp_path / "points.json"
    points_file.write_text(json.dumps(points.tolist()))
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    argv = [sys.executable, str(runner), str(points_file), *map(str, scripts)]
    if kind == "micrograd":  # its script must run without NumPy: make importing it fail
        argv[1:1] = ["-c", "import sys; sys.modules['numpy'] = None; sys.argv = sys.argv[1:]; "
                           "exec(open(sys.argv[0]).read())"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("kind", SCRIPT_KINDS)
def test_every_activation_exports_and_predicts_as_the_app(tmp_path, kind):
    """The registry is walked: a new activation without a form in each script fails here."""
    skip_without(kind)
    expected, scripts = {}, []
    for activation in ACTIVATION_NAMES:
        dataset, session = trained_session(activation)
        path = tmp_path / f"{kind}_{activation}.py"
        write_script(path, kind, TrainedNetwork.of(session.state()))
        scripts.append(path)
        expected[str(path)] = session.predict(dataset.points)  # (N, 1)
    outputs = run_scripts(kind, scripts, dataset.points, tmp_path)
    for script, want in expected.items():
        got = np.array(outputs[script])
        assert got.shape == want.shape == (len(dataset), 1)
        np.testing.assert_allclose(got, want, rtol=TOLERANCE[kind], atol=TOLERANCE[kind],
                                   err_msg=script)


def skip_without(kind: str) -> None:
    """Skip a flavour whose library is not installed (PyTorch, micrograd are optional)."""
    module = {"pytorch": "torch", "micrograd": "micrograd"}.get(kind)
    if module is not None and importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def app_points(dataset) -> np.ndarray:
    """What a script's predict takes for the dataset: (N, 2) points, or a function's x (N, 1)."""
    return dataset.points[:, :1] if dataset.kind == "function" else dataset.points


@pytest.mark.parametrize("kind", SCRIPT_KINDS)
def test_every_problem_type_and_input_feature_exports_and_predicts_as_the_app(tmp_path, kind):
    """Each type with all of its features and a switched-off neuron: the script's predict
    gives the session's outputs, k of them for k classes."""
    skip_without(kind)
    cases = {}
    for problem in KINDS:
        features = FUNCTION_FEATURES if problem == "function" else PLANE_FEATURES
        dataset, session = problem_session(problem, steps=40, features=features,
                                           switched_off=((0, 1),),
                                           activations=("tanh", "sigmoid"))
        path = tmp_path / f"{kind}_{problem}.py"
        write_script(path, kind, TrainedNetwork.of(session.state()))
        cases[problem] = (path, dataset, session.predict(dataset.points))
    outputs = {problem: run_scripts(kind, [path], app_points(dataset), tmp_path)[str(path)]
               for problem, (path, dataset, _) in cases.items()}
    for problem, (path, dataset, want) in cases.items():
        got = np.array(outputs[problem])
        outputs_of_type = 3 if problem == "classes" else 1
        assert got.shape == want.shape == (len(dataset), outputs_of_type), problem
        np.testing.assert_allclose(got, want, rtol=TOLERANCE[kind], atol=TOLERANCE[kind],
                                   err_msg=str(path))


def test_a_switched_off_neuron_adds_nothing_to_the_export():
    """The export predicts what the app predicts with the neuron off, not what it would with
    it on (the test of the scripts above could not tell the two apart otherwise)."""
    dataset, session = problem_session("binary", steps=40, activations=("sigmoid", "tanh"))
    on = session.predict(dataset.points)
    session.set_switched_off(0, 2, True)
    off = session.predict(dataset.points)
    assert not np.allclose(on, off)  # a sigmoid's output is 0.5 at rest: off is not 0 in
    network = TrainedNetwork.of(session.state())
    assert network.switched_off == ((0, 2),)
    assert not network.layers[1].weight[2].any() and session.weights()[1][0][2].any()
    namespace: dict = {}
    exec(compile(script_source("numpy", network), "exported.py", "exec"), namespace)
    np.testing.assert_allclose(namespace["predict"](dataset.points), off, rtol=1e-12,
                               atol=1e-12)
    assert "Switched off in the app" in script_source("micrograd", network)


@pytest.mark.parametrize("problem", KINDS)
def test_the_scripts_pass_ruff(tmp_path, problem):
    _, session = problem_session(problem, steps=5, switched_off=((1, 0),))
    for kind in SCRIPT_KINDS:
        write_script(tmp_path / f"{kind}.py", kind, TrainedNetwork.of(session.state()))
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
                           "--select", "E,F,W", "--line-length", "100", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_script_names_the_network_and_runs_by_itself(tmp_path):
    _, session = trained_session("relu")
    source = script_source("numpy", TrainedNetwork.of(session.state()))
    assert source.startswith('"""A 2-5-3-1 network made in micrograd playground')
    assert "def predict(points):" in source and "import pickle" not in source
    compile(source, "exported.py", "exec")
    path = tmp_path / "run_me.py"
    path.write_text(source)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.count("[") >= 2


def test_the_micrograd_script_adds_activations_the_lecture_way():
    _, session = trained_session("gelu")
    source = script_source("micrograd", TrainedNetwork.of(session.state()))
    assert "from micrograd.engine import Value" in source
    assert "out = Value(x * s, (self,), 'gelu')" in source and "out._backward = _backward" in source


def test_unknown_script_kinds_are_refused():
    _, session = trained_session("tanh", steps=1)
    with pytest.raises(ValueError, match="choose one of numpy, pytorch, micrograd"):
        script_source("julia", TrainedNetwork.of(session.state()))


def test_the_weights_file_holds_each_layer(tmp_path):
    dataset, session = trained_session("elu")
    write_weights(tmp_path / "w.json", TrainedNetwork.of(session.state()))
    doc = json.loads((tmp_path / "w.json").read_text())
    assert doc["features"] == ["x1", "x2"] and doc["sizes"] == [2, 5, 3, 1]
    assert (doc["problem"], doc["inputs"], doc["switched_off"]) == ("binary", ["x1", "x2"], [])
    assert [layer["activation"] for layer in doc["layers"]] == ["elu", "tanh", "linear"]
    # the file's own formula gives the app's outputs
    h = dataset.points
    act = {"elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))), "tanh": np.tanh,
           "linear": lambda z: z}
    for layer in doc["layers"]:
        h = act[layer["activation"]](h @ np.array(layer["weight"]) + np.array(layer["bias"]))
    np.testing.assert_allclose(h, session.predict(dataset.points), rtol=1e-12, atol=1e-12)


def test_a_weights_file_says_what_a_function_and_several_classes_take_and_give(tmp_path):
    for problem, inputs, sizes in (("function", ["x"], [3, 5, 3, 1]),
                                   ("classes", ["x1", "x2"], [3, 5, 3, 3])):
        _, session = problem_session(problem, steps=10, switched_off=((1, 2),))
        write_weights(tmp_path / "w.json", TrainedNetwork.of(session.state()))
        doc = json.loads((tmp_path / "w.json").read_text())
        assert (doc["problem"], doc["inputs"], doc["sizes"]) == (problem, inputs, sizes)
        assert doc["switched_off"] == [[1, 2]] and "outputs" in doc
        assert not np.array(doc["layers"][2]["weight"])[2].any()


def test_the_loss_history_csv_has_a_row_per_evaluation(tmp_path):
    dataset = Dataset(test_fraction=0.1)
    dataset.load_preset("xor", 20, 0.0, 1)
    session = TrainingSession(dataset.snapshot(), NetworkSpec(), TrainingConfig())
    for _ in range(3):
        session.train_epoch()
    write_history(tmp_path / "loss.csv", session.history)
    lines = (tmp_path / "loss.csv").read_text().splitlines()
    assert lines[0] == "epoch,step,train_loss,test_loss,train_accuracy,test_accuracy"
    assert len(lines) == 1 + len(session.history) == 5
    epoch, step, train_loss, *_ = lines[-1].split(",")
    assert (int(epoch), int(step)) == (3, session.steps)
    assert float(train_loss) == session.history.train_loss[-1]  # exact
    empty = Dataset()
    nothing = TrainingSession(empty.snapshot(), NetworkSpec(), TrainingConfig())
    assert history_csv(nothing.history).splitlines()[1] == "0,0,,,,"  # NaN: empty cells
    assert math.isnan(nothing.history.train_loss[0])

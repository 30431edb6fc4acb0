"""The command line's problem types: --problem, --classes, --expression, --range, the presets
by name, --data of every type, and the report's metrics of each type."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from playground.cli import parse_args, run, setup_from_args


def setup_of(*argv: str):
    return setup_from_args(parse_args(list(argv)))


def test_the_problem_type_comes_from_the_flag_or_what_the_others_imply():
    setup = setup_of("--problem", "classes", "--classes", "5", "--dataset", "spiral")
    assert (setup.problem, setup.n_classes, setup.preset) == ("classes", 5, "spiral")
    assert setup.config.loss == "cross_entropy"  # the type's default loss
    assert setup_of("--dataset", "spiral").problem == "binary"  # as before
    assert setup_of("--dataset", "blobs").problem == "classes"
    assert setup_of("--classes", "3").preset == "blobs"
    regression = setup_of("--dataset", "multigauss", "--loss", "huber")
    assert (regression.problem, regression.config.loss) == ("regression", "huber")
    function = setup_of("--problem", "function")
    assert (function.preset, function.spec.features, function.config.loss) == ("sin", ("x",),
                                                                              "mse")
    typed = setup_of("--expression", "sin(3*x) + 0.3*x", "--range", "-2,2.5")
    assert (typed.problem, typed.preset, typed.expression) == ("function", "expression",
                                                               "sin(3*x) + 0.3*x")
    assert typed.x_range == (-2.0, 2.5)
    assert setup_of("--range", "-1,1", "--dataset", "step").x_range == (-1.0, 1.0)
    default = setup_of()
    assert (default.problem, default.preset, default.config.loss) == ("binary", "circle", "mse")


@pytest.mark.parametrize("text, kind, n_classes", [
    ("x,y,label\n1,2,0\n3,4,3\n", "classes", 4),
    ("x,y,value\n1,2,0.5\n3,4,-1\n", "regression", 0),
    ("x,y\n1,2\n3,4\n", "function", 0),
])
def test_a_data_files_columns_choose_the_type(tmp_path: Path, text, kind, n_classes):
    path = tmp_path / "d.csv"
    path.write_text(text)
    setup = setup_of("--data", str(path))
    assert setup.problem == kind and setup.dataset().n_classes == n_classes
    if kind == "function":
        assert setup.spec.features == ("x",)


@pytest.mark.parametrize("argv, complaint", [
    (["--problem", "circles"], "argument --problem: invalid choice"),
    (["--classes", "9"], "argument --classes: must be between 3 and 8"),
    (["--classes", "4", "--problem", "binary"], "argument --classes: needs --problem classes"),
    (["--dataset", "plane", "--problem", "classes"],
     "argument --dataset: plane is no preset of several classes; choose from blobs"),
    (["--dataset", "sin", "--expression", "x**2"], "give --dataset or --expression"),
    (["--expression", "sin(y)"], "argument --expression: unknown name 'y'"),
    (["--expression", "__import__('os')"], "argument --expression: unknown function"),
    (["--expression", "9**9**9"], "argument --expression: 9**9**9 is not a finite number"),
    (["--expression", "x**2", "--problem", "regression"], "needs --problem function"),
    (["--range", "2,1"], "argument --range: needs low < high"),
    (["--range", "a,b"], "argument --range: expected two numbers"),
    (["--range", "0,1e9"], "within -10000 to 10000"),
    (["--dataset", "plane", "--loss", "bce"], "argument --loss: bce does not fit regression"),
    (["--classes", "3", "--loss", "mse"], "mse does not fit several classes"),
    (["--problem", "function", "--features", "x1,x2"],
     "argument --features: unknown feature 'x1'; choose from x, x^2"),
    (["--dataset", "circle", "--features", "x^3"], "unknown feature 'x^3'"),
])
def test_flags_that_do_not_fit_the_type_exit_2_with_one_line(capsys, argv, complaint):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert complaint in err and err.count("\n") == 1, err


def test_a_range_where_the_function_is_undefined_exits_2(capsys):
    assert_exit_2 = pytest.raises(SystemExit)
    with assert_exit_2 as exit_info:
        run(["--expression", "sqrt(x)", "--range", "-1,1", "--headless", "--epochs", "1"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "sqrt(x) is not a finite number at x = " in err and err.count("\n") == 1


def test_a_files_type_must_fit_the_flags(tmp_path: Path, capsys):
    path = tmp_path / "values.csv"
    path.write_text("x,y,value\n1,2,0.5\n")
    with pytest.raises(SystemExit):
        run(["--data", str(path), "--features", "x", "--headless", "--epochs", "1"])
    assert "unknown feature 'x'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(["--data", str(path), "--problem", "binary", "--headless", "--epochs", "1"])
    assert "holds data of regression, not of two classes" in capsys.readouterr().err


def headless_report(tmp_path: Path, *argv: str) -> dict:
    path = tmp_path / "r.json"
    assert run([*argv, "--headless", "--report", str(path)]) == 0
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_report_of_several_classes(tmp_path: Path):
    document = headless_report(tmp_path, "--dataset", "blobs", "--classes", "5", "--points",
                               "200", "--layers", "8", "--epochs", "30")
    final = document["final"]
    assert document["setup"]["data"] | {"classes": 5, "problem": "classes"} == \
        document["setup"]["data"]
    assert len(final["per_class_accuracy"]) == 5 and final["test_accuracy"] > 0.8
    confusion = final["confusion"]  # rows: true class, columns: predicted
    assert len(confusion) == 5 and all(len(row) == 5 for row in confusion)
    assert sum(map(sum, confusion)) == 100  # the test split
    assert [row[i] / sum(row) for i, row in enumerate(confusion)] == final["per_class_accuracy"]
    assert sum(row[i] for i, row in enumerate(confusion)) / 100 == final["test_accuracy"]
    assert "r2" not in final


@pytest.mark.parametrize("argv", [
    ("--dataset", "plane", "--layers", "4"),
    ("--expression", "abs(x) - 1", "--range", "-2,2", "--layers", "6"),
])
def test_the_report_of_values(tmp_path: Path, argv):
    document = headless_report(tmp_path, *argv, "--points", "200", "--epochs", "40")
    final = document["final"]
    assert 0.5 < final["r2"] <= 1 and 0.5 < final["train_r2"] <= 1
    assert final["rmse"] == pytest.approx(math.sqrt(final["test_loss"]))  # mse: RMSE squared
    assert final["train_rmse"] == pytest.approx(math.sqrt(final["train_loss"]))
    assert final["test_accuracy"] is None and "confusion" not in final
    assert set(document["test_accuracy"]) == {None}
    data = document["setup"]["data"]
    if data["problem"] == "function":
        assert data["expression"] == "abs(x) - 1" and data["range"] == [-2.0, 2.0]

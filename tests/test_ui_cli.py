"""The command line: set-ups from arguments, clear errors with exit code 2, screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import parse_args, setup_from_args

ROOT = Path(__file__).resolve().parent.parent


def test_arguments_make_the_window_setup():
    args = parse_args(["--dataset", "spiral", "--points", "300", "--noise", "0.2",
                       "--layers", "8,8,3", "--activation", "relu", "--lr", "0.1",
                       "--seed", "7"])
    setup = setup_from_args(args)
    assert (setup.preset, setup.n_points, setup.noise, setup.data_seed) == ("spiral", 300, 0.2, 7)
    assert setup.spec.hidden == (8, 8, 3) and setup.spec.activations == ("relu",) * 3
    assert setup.config.learning_rate == 0.1 and setup.config.seed == 7
    assert setup_from_args(parse_args(["--layers", "none"])).spec.hidden == ()


@pytest.mark.parametrize("argv, complaint", [
    (["--dataset", "donut"], "invalid choice"),
    (["--points", "5"], "argument --points: must be between 10 and 1000"),
    (["--points", "many"], "argument --points: must be a whole number"),
    (["--noise", "0.9"], "argument --noise: must be between 0 and 0.5"),
    (["--layers", "4,x"], "separated by commas"),
    (["--layers", "4,0"], "1 to 16 neurons"),
    (["--layers", "1,1,1,1,1,1,1"], "at most 6 hidden layers"),
    (["--activation", "swish"], "invalid choice"),
    (["--lr", "0"], "argument --lr: must be between"),
    (["--lr", "nan"], "argument --lr: must be between"),
    (["--seed", "-1"], "argument --seed: must be between 0 and 99999"),
    (["--seed", "99999999999999999999"], "argument --seed: must be between 0 and 99999"),
    (["--epochs", "-3"], "argument --epochs: must be >= 0"),
    (["--screenshot", "picture.gif"], "screenshot must end in"),
    (["--screenshot", "/no/such/dir/x.png"], "does not exist"),
])
def test_bad_values_exit_2_with_a_clear_message(capsys, argv, complaint):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert complaint in capsys.readouterr().err


def test_epochs_and_screenshot_train_save_a_png_and_exit_0(tmp_path):
    picture = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "playground", "--dataset", "xor", "--points", "100",
         "--epochs", "5", "--screenshot", str(picture)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert "QThread" not in done.stderr


def test_a_screenshot_run_leaves_no_work_to_restore(tmp_path):
    """Its training is not a person's work: no autosave for the next start to offer back."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(  # long enough for the window to count the training as changes
        [sys.executable, "-m", "playground", "--speed", "10/s", "--epochs", "10",
         "--screenshot", str(tmp_path / "shot.png")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "data").rglob("*.json")) == []


def test_bad_value_from_the_real_command_exits_2():
    done = subprocess.run([sys.executable, "-m", "playground", "--lr", "100"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "argument --lr: must be between" in done.stderr


def test_the_window_starts_with_the_data_file_and_the_speed_of_the_command_line(
        make_window, tmp_path):
    path = tmp_path / "three.csv"
    path.write_text("x,y,label,split\n1,2,1,train\n-2,1,0,train\n0.5,-1,1,test\n",
                    encoding="utf-8")
    setup = setup_from_args(parse_args(["--data", str(path), "--speed", "10/s"]))
    window = make_window(**vars(setup))
    assert window.dataset.points.tolist() == [[1.0, 2.0], [-2.0, 1.0], [0.5, -1.0]]
    assert window.dataset.is_test.tolist() == [False, False, True]
    assert window.loop.speed.name == "10/s" and window.training.speed().name == "10/s"

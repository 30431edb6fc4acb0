"""Training speed of playground.core.TrainingSession on TensorFlow Playground's default set-up,
and on the problem types' own: 8-class blobs and fitting sin(x).

Circle, 500 points, half for training, features x1 x2, 2-4-2-1 tanh, batch 10, SGD lr 0.03,
squared error: one epoch is 25 optimization steps. The session (tensor engine, pure Python) is
timed against the same epochs written by hand in NumPy, the least any Python loop over these
minibatches can cost, measured in the same run and interleaved so machine load hits both alike.
The TrainingLoop that drives the session in the window and headless (at max speed, as the
command line's --headless runs it) is timed beside them: its messages, goals and pacing should
cost next to nothing. Best of several rounds; targets: >= 7500 steps/s and >= 300 epochs/s.
8-class blobs (2-8-8-8, softmax cross-entropy) and sin(x) (1-8-8-1, squared error) are each
timed the same way against NumPy by hand for the same network.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from numpy_reference import BLOBS_8, SINE, TF_DEFAULT, Workload

from playground.core.loop import TrainingLoop
from playground.core.pace import MAX_SPEED

EPOCHS_PER_ROUND = 40
ROUNDS = 7
TARGET_STEPS_PER_S = 7500
TARGET_EPOCHS_PER_S = 300


def time_round(run: Callable[[], None], timings: list[float]) -> None:
    """Time one round of run() and record it."""
    start = time.perf_counter()
    run()
    timings.append(time.perf_counter() - start)


def epochs_per_second(workload: Workload) -> tuple[float, float, int]:
    """Best epochs/s of the session and of NumPy by hand on a workload, and steps per epoch."""
    session, reference = workload.session(), workload.reference()

    def session_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            session.train_epoch()

    def numpy_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            reference.epoch()

    session_round(), numpy_round()  # warm up
    session_times: list[float] = []
    numpy_times: list[float] = []
    for _ in range(ROUNDS):
        time_round(session_round, session_times)
        time_round(numpy_round, numpy_times)
    steps_per_epoch = -(-len(reference.y) // workload.config.batch_size)
    return (EPOCHS_PER_ROUND / min(session_times), EPOCHS_PER_ROUND / min(numpy_times),
            steps_per_epoch)


def main() -> None:
    """Print steps/s and epochs/s of the session and of the NumPy minimum, and their ratio."""
    workload = TF_DEFAULT
    session, reference = workload.session(), workload.reference()
    config, spec = workload.config, workload.spec()
    steps_per_epoch = -(-len(reference.y) // config.batch_size)

    def session_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            session.train_epoch()

    def numpy_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            reference.epoch()

    loop = TrainingLoop(workload.session(), MAX_SPEED)
    loop.running_changed.connect(lambda running: running or loop.stop())

    def loop_round() -> None:
        loop.train_epochs(EPOCHS_PER_ROUND)
        loop.run()  # until the pause at the goal

    session_round(), numpy_round(), loop_round()  # warm up
    session_times: list[float] = []
    numpy_times: list[float] = []
    loop_times: list[float] = []
    for _ in range(ROUNDS):
        time_round(session_round, session_times)
        time_round(numpy_round, numpy_times)
        time_round(loop_round, loop_times)
    epochs_s = EPOCHS_PER_ROUND / min(session_times)
    numpy_epochs_s = EPOCHS_PER_ROUND / min(numpy_times)
    loop_epochs_s = EPOCHS_PER_ROUND / min(loop_times)
    print(f"set-up: circle 500 points, {len(reference.y)} for training, {spec.layer_sizes} tanh, "
          f"batch {config.batch_size}, SGD lr {config.learning_rate}, mse; "
          f"{steps_per_epoch} steps per epoch; best of {ROUNDS} rounds of "
          f"{EPOCHS_PER_ROUND} epochs")
    print(f"{'':24}{'steps/s':>10}{'epochs/s':>10}")
    print(f"{'TrainingSession':24}{epochs_s * steps_per_epoch:>10.0f}{epochs_s:>10.1f}"
          "   (incl. epoch-end evaluation of both splits)")
    print(f"{'TrainingLoop, max speed':24}{loop_epochs_s * steps_per_epoch:>10.0f}"
          f"{loop_epochs_s:>10.1f}   (the session driven as the window and --headless do)")
    print(f"{'NumPy by hand':24}{numpy_epochs_s * steps_per_epoch:>10.0f}{numpy_epochs_s:>10.1f}"
          "   (training only)")
    print(f"session time / NumPy time: {numpy_epochs_s / epochs_s:.2f}x; "
          f"loop time / session time: {epochs_s / loop_epochs_s:.2f}x")
    ok = epochs_s * steps_per_epoch >= TARGET_STEPS_PER_S and epochs_s >= TARGET_EPOCHS_PER_S
    print(f"target >= {TARGET_STEPS_PER_S} steps/s and >= {TARGET_EPOCHS_PER_S} epochs/s: "
          f"{'met' if ok else 'NOT met'}")
    print(f"session after {session.epoch} epochs: test accuracy {session.latest.test_accuracy:.3f}")
    print("problem types (250 training points, batch 10, SGD lr 0.03; best of "
          f"{ROUNDS} rounds of {EPOCHS_PER_ROUND} epochs)")
    for other in (BLOBS_8, SINE):
        epochs_s, numpy_epochs_s, steps = epochs_per_second(other)
        print(f"  {other.name}: session {epochs_s:.1f} epochs/s ({epochs_s * steps:,.0f} "
              f"steps/s), NumPy by hand {numpy_epochs_s:.1f}; session time / NumPy time: "
              f"{numpy_epochs_s / epochs_s:.2f}x")


if __name__ == "__main__":
    main()

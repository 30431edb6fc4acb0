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


def best_epochs_per_second(rounds: dict[str, Callable[[], None]]) -> dict[str, float]:
    """Epochs/s of each round (EPOCHS_PER_ROUND epochs), best of ROUNDS, interleaved so that
    machine load hits them alike, after one warm-up each."""
    times: dict[str, list[float]] = {name: [] for name in rounds}
    for run in rounds.values():
        run()
    for _ in range(ROUNDS):
        for name, run in rounds.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: EPOCHS_PER_ROUND / min(t) for name, t in times.items()}


def epoch_rounds(workload: Workload) -> dict[str, Callable[[], None]]:
    """A round of the workload's session and one of NumPy by hand."""
    session, reference = workload.session(), workload.reference()

    def session_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            session.train_epoch()

    def numpy_round() -> None:
        for _ in range(EPOCHS_PER_ROUND):
            reference.epoch()

    return {"session": session_round, "numpy": numpy_round}


def main() -> None:
    """Print steps/s and epochs/s of the session and of the NumPy minimum, and their ratio."""
    workload = TF_DEFAULT
    config, spec = workload.config, workload.spec()
    steps_per_epoch = -(-workload.n_points // 2 // config.batch_size)
    loop = TrainingLoop(workload.session(), MAX_SPEED)
    loop.running_changed.connect(lambda running: running or loop.stop())

    def loop_round() -> None:
        loop.train_epochs(EPOCHS_PER_ROUND)
        loop.run()  # until the pause at the goal

    speeds = best_epochs_per_second({**epoch_rounds(workload), "loop": loop_round})
    epochs_s, numpy_epochs_s, loop_epochs_s = speeds["session"], speeds["numpy"], speeds["loop"]
    print(f"set-up: circle 500 points, {workload.n_points // 2} for training, "
          f"{spec.layer_sizes} tanh, "
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
    print(f"loop's session after {loop.session.epoch} epochs: test accuracy "
          f"{loop.session.latest.test_accuracy:.3f}")
    print("problem types (250 training points, batch 10, SGD lr 0.03; best of "
          f"{ROUNDS} rounds of {EPOCHS_PER_ROUND} epochs)")
    for other in (BLOBS_8, SINE):
        speeds = best_epochs_per_second(epoch_rounds(other))
        epochs_s, numpy_epochs_s = speeds["session"], speeds["numpy"]
        print(f"  {other.name}: session {epochs_s:.1f} epochs/s ({epochs_s * steps_per_epoch:,.0f}"
              f" steps/s), NumPy by hand {numpy_epochs_s:.1f}; session time / NumPy time: "
              f"{numpy_epochs_s / epochs_s:.2f}x")


if __name__ == "__main__":
    main()

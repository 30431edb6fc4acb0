"""TrainingLoop without Qt or threads: driven by run_once() and a fake clock, nothing sleeps."""

from __future__ import annotations

import math
import threading
from dataclasses import replace

import numpy as np
import pytest

from playground.core.bounds import Bounds
from playground.core.dataset import Dataset
from playground.core.inbox import Inbox
from playground.core.loop import SNAPSHOT_DELAY_S, STEPS_PER_BATCH, TrainingLoop
from playground.core.pace import DEFAULT_SPEED, MAX_SPEED, SPEEDS, speed_named
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig

AREA = (Bounds(-6.0, 6.0, -6.0, 6.0), 8)  # a small decision grid: (bounds, resolution)
STEPS_PER_EPOCH = 10  # 100 training points in minibatches of 10


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Recorder:
    """Everything a loop announces, in order."""

    def __init__(self, loop: TrainingLoop) -> None:
        self.events: list[tuple[str, object]] = []
        loop.running_changed.connect(lambda running: self.events.append(("running", running)))
        loop.halted.connect(lambda message: self.events.append(("halted", message)))
        loop.errored.connect(lambda message: self.events.append(("errored", message)))

    def of(self, kind: str) -> list[object]:
        return [value for k, value in self.events if k == kind]


def make_loop(speed=MAX_SPEED, learning_rate: float = 0.03,
              **config) -> tuple[TrainingLoop, FakeClock, Recorder]:
    data = Dataset(test_fraction=0.5)
    data.load_preset("circle", n_points=200, noise=0.0, seed=0)
    session = TrainingSession(data.snapshot(), NetworkSpec(),
                              TrainingConfig(learning_rate=learning_rate, **config))
    clock = FakeClock()
    loop = TrainingLoop(session, speed, clock=clock)
    return loop, clock, Recorder(loop)


def run_until_paused(loop: TrainingLoop, clock: FakeClock, limit: int = 10_000) -> None:
    """run_once until training pauses, moving the clock on by each wait it asks for."""
    loop.run_once()
    for _ in range(limit):
        if not loop.running:
            return
        wait = loop.run_once()
        if 0 < wait < math.inf:
            clock.advance(wait)
    raise AssertionError("training did not pause")


# ---- commands ---------------------------------------------------------------------------


def test_play_trains_until_pause_which_stops_before_the_next_step():
    loop, _, seen = make_loop()
    loop.play()
    assert loop.session.steps == 0  # posting only: the loop's thread does the work
    loop.run_once()
    assert loop.running and loop.session.steps == STEPS_PER_BATCH
    loop.run_once()
    assert loop.session.steps == 2 * STEPS_PER_BATCH and loop.latest.step == loop.session.steps
    loop.pause()
    loop.run_once()
    loop.run_once()
    assert not loop.running and loop.session.steps == 2 * STEPS_PER_BATCH
    assert seen.of("running") == [True, False]


def test_step_epoch_trains_exactly_one_epoch_at_once_even_in_slow_motion():
    loop, _, seen = make_loop(speed=speed_named("1/s"))
    loop.step_epoch()
    run_until_paused(loop, FakeClock())  # a clock that never moves: no step waits for it
    assert loop.session.epoch == 1 and loop.session.steps == STEPS_PER_EPOCH
    loop.step_epoch()
    run_until_paused(loop, FakeClock())
    assert loop.session.epoch == 2 and seen.of("running") == [True, False, True, False]


def test_step_batch_trains_one_minibatch_and_the_picture_shows_it():
    loop, _, _ = make_loop()
    loop.request_snapshot(*AREA)
    loop.run_once()
    assert loop.take_snapshot().result.step == 0
    loop.request_snapshot(*AREA)
    loop.step_batch()
    loop.run_once()
    assert not loop.running and loop.session.steps == 1 and loop.session.epoch == 0
    snapshot = loop.take_snapshot()  # made at the pause, with no delay
    assert snapshot is not None and snapshot.result.step == 1


def test_train_epochs_pauses_at_the_goal_with_one_history_entry_per_epoch():
    loop, clock, _ = make_loop()
    loop.train_epochs(7)
    run_until_paused(loop, clock)
    assert loop.session.epoch == 7 and len(loop.session.history) == 8
    loop.train_epochs(0)  # already there: nothing to train
    loop.run_once()
    assert not loop.running and loop.session.epoch == 7


def test_stop_ends_run_and_a_message_wakes_a_waiting_loop():
    loop, _, _ = make_loop()
    thread = threading.Thread(target=loop.run)
    thread.start()
    try:
        loop.step_epoch()  # wakes the loop from its wait for messages
        for _ in range(500):
            if loop.session.epoch == 1 and not loop.running:
                break
            threading.Event().wait(0.01)
        assert loop.session.epoch == 1 and loop.session.steps == STEPS_PER_EPOCH
    finally:
        loop.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


# ---- pace ---------------------------------------------------------------------------------


def test_speeds_run_from_slow_motion_to_max_with_one_epoch_per_frame_the_default():
    assert SPEEDS[0].steps_per_second == 1.0 and SPEEDS[-1].is_max
    assert DEFAULT_SPEED.epochs_per_frame == 1
    rates = [s.steps_per_second for s in SPEEDS if s.steps_per_second]
    frames = [s.epochs_per_frame for s in SPEEDS if s.epochs_per_frame]
    assert rates == sorted(rates) and frames == sorted(frames)
    with pytest.raises(ValueError, match="choose one of 1/s"):
        speed_named("fast")


def test_steps_per_second_follow_the_clock_without_bursts():
    loop, clock, _ = make_loop(speed=speed_named("10/s"))
    loop.play()
    wait = loop.run_once()
    assert loop.session.steps == 1 and wait == pytest.approx(0.1)  # the first step at once
    clock.advance(0.06)
    assert loop.run_once() == pytest.approx(0.04) and loop.session.steps == 1
    clock.advance(0.04)
    loop.run_once()
    assert loop.session.steps == 2
    for _ in range(30):  # three seconds in tenths: three times ten steps
        clock.advance(0.1)
        loop.run_once()
    assert loop.session.steps == 32
    clock.advance(5.0)  # the loop was held up: one step, then the pace again
    loop.run_once()
    loop.run_once()
    assert loop.session.steps == 33


def test_one_epoch_per_frame_trains_one_epoch_per_snapshot_request():
    loop, clock, _ = make_loop(speed=DEFAULT_SPEED)
    loop.play()
    assert loop.run_once() == math.inf and loop.session.steps == 0  # no frame asked for yet
    drawn = []
    for _ in range(5):  # what the window does each frame: take the snapshot, ask for the next
        loop.request_snapshot(*AREA)
        while (snapshot := loop.take_snapshot()) is None:
            wait = loop.run_once()
            clock.advance(min(wait, SNAPSHOT_DELAY_S))
        drawn.append(snapshot.result.epoch)
        assert loop.run_once() == math.inf  # and then waits for the next frame
    assert drawn == [1, 2, 3, 4, 5] and loop.session.epoch == 5


def test_one_epoch_per_frame_waits_for_the_window_to_take_the_last_frame():
    loop, clock, _ = make_loop(speed=DEFAULT_SPEED)
    loop.play()
    loop.request_snapshot(*AREA)
    for _ in range(50):
        loop.run_once()
        clock.advance(SNAPSHOT_DELAY_S)
    assert loop.session.epoch == 1
    loop.request_snapshot(*AREA)  # the window's next frame asked before taking epoch 1
    for _ in range(50):
        loop.run_once()
        clock.advance(SNAPSHOT_DELAY_S)
    assert loop.session.epoch == 1  # epoch 2 would replace epoch 1 before it was drawn
    assert loop.take_snapshot().result.epoch == 1
    loop.request_snapshot(*AREA)
    for _ in range(50):
        loop.run_once()
        clock.advance(SNAPSHOT_DELAY_S)
    assert loop.take_snapshot().result.epoch == 2


def test_several_epochs_per_frame_and_a_change_of_speed_while_playing():
    loop, clock, _ = make_loop(speed=speed_named("3/frame"))
    loop.play()
    loop.request_snapshot(*AREA)
    for _ in range(100):
        loop.run_once()
    assert loop.session.epoch == 3  # the frame's epochs, then nothing until the next request
    loop.set_speed(MAX_SPEED)
    loop.run_once()
    assert loop.speed == MAX_SPEED and loop.session.steps == 3 * STEPS_PER_EPOCH + STEPS_PER_BATCH
    clock.advance(SNAPSHOT_DELAY_S)
    loop.run_once()
    assert loop.take_snapshot().result.step == loop.session.steps


# ---- changes ------------------------------------------------------------------------------


def test_changes_apply_between_steps_never_during_one():
    loop, _, _ = make_loop()
    session = loop.session
    during = []
    real_step = session.step

    def step():
        # what a GUI thread may do at any moment: post a change while a step runs
        loop.post_config(replace(session.config, learning_rate=0.01 * (len(during) + 1)))
        config = session.config
        result = real_step()
        during.append(session.config is config)
        return result

    session.step = step
    loop.play()
    for _ in range(5):
        loop.run_once()
    assert len(during) >= 5 and all(during)
    assert session.config.learning_rate == pytest.approx(0.01 * (len(during) - 1))


def test_one_inbox_keeps_commands_in_order_and_a_dragged_slider_applies_once():
    loop, _, seen = make_loop()
    session = loop.session
    applied = []
    real_set_config = session.set_config
    session.set_config = lambda config: (applied.append(config), real_set_config(config))
    loop.play()
    for i in range(50):  # a dragged learning-rate slider
        loop.post_config(replace(session.config, learning_rate=0.001 * (i + 1)))
    loop.pause()
    loop.run_once()
    assert [c.learning_rate for c in applied] == [0.05]
    assert session.steps == 0 and seen.of("running") == [True, False]  # play, then pause


def test_a_reset_before_a_step_then_the_step_trains_one_epoch_from_zero():
    loop, clock, _ = make_loop()
    loop.train_epochs(4)
    run_until_paused(loop, clock)
    loop.post_reset()
    loop.step_epoch()
    run_until_paused(loop, clock)
    assert loop.session.epoch == 1
    loop.step_epoch()
    loop.post_reset()  # the step's "one more epoch" counts from the reset
    run_until_paused(loop, clock)
    assert loop.session.epoch == 1 and len(loop.session.history) == 2


def test_the_inbox_replaces_a_waiting_change_in_its_place():
    inbox = Inbox()
    inbox.post("config", 1, replace=True)
    inbox.post("play")
    inbox.post("config", 2, replace=True)
    inbox.post("pause")
    assert [tuple(m) for m in inbox.take()] == [("config", 2), ("play", None), ("pause", None)]
    assert len(inbox) == 0 and inbox.take() == []


def test_new_data_and_a_new_shape_reach_the_next_step():
    loop, _, _ = make_loop()
    loop.play()
    loop.run_once()
    data = Dataset(test_fraction=0.5)
    data.load_preset("xor", n_points=60, noise=0.0, seed=1)
    loop.post_data(data.snapshot())
    loop.post_spec(NetworkSpec(hidden=(3,), activations=("relu",)))
    loop.run_once()
    assert len(loop.session.data) == 60 and loop.session.spec.hidden == (3,)
    assert loop.session.spec_changes == [0] and loop.running


# ---- snapshots ----------------------------------------------------------------------------


def test_snapshots_carry_the_new_history_and_come_only_when_something_changed():
    loop, clock, _ = make_loop()
    loop.request_snapshot(*AREA)
    loop.run_once()
    first = loop.take_snapshot()
    assert first.history_start == 0 and first.epochs == (0,) and first.levels.shape == (8, 8)
    loop.request_snapshot(*AREA)
    loop.run_once()
    assert loop.take_snapshot() is None  # paused and nothing new
    loop.request_snapshot(Bounds(-1.0, 1.0, -1.0, 1.0), 8)
    loop.run_once()
    assert loop.take_snapshot().bounds == Bounds(-1.0, 1.0, -1.0, 1.0)  # a new area is new
    loop.train_epochs(2)
    loop.request_snapshot(*AREA)
    run_until_paused(loop, clock)
    loop.run_once()
    last = loop.take_snapshot()
    assert last.history_start == 1 and last.epochs == (1, 2)
    assert last.result.epoch == 2 and len(last.weights) == 3


def test_while_training_a_snapshot_waits_for_the_window_to_go_idle():
    loop, clock, _ = make_loop()
    loop.play()
    loop.request_snapshot(*AREA)
    assert loop.run_once() == 0.0 and loop.take_snapshot() is None
    clock.advance(SNAPSHOT_DELAY_S)
    loop.run_once()
    assert loop.take_snapshot().result.step == loop.latest.step


# ---- divergence and errors -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_pauses_names_the_rate_it_diverged_at_and_training_goes_on():
    loop, clock, seen = make_loop(learning_rate=10.0)
    loop.play()
    run_until_paused(loop, clock)
    [message] = seen.of("halted")
    assert "at learning rate 10 " in message and "Lower the learning rate" in message
    assert seen.of("running") == [True, False]
    loop.post_config(replace(loop.session.config, learning_rate=0.03))
    loop.request_snapshot(*AREA)
    loop.run_once()
    assert all(np.isfinite(w).all() for w, _ in loop.take_snapshot().weights)
    assert "at learning rate 10 " in message  # the message did not follow the slider
    steps = loop.session.steps
    loop.play()
    loop.run_once()
    assert loop.session.steps == steps + STEPS_PER_BATCH and loop.running


def test_an_exception_in_a_step_is_reported_and_pauses_the_loop_which_carries_on():
    loop, _, seen = make_loop()
    real_step = loop.session.step
    calls = []

    def failing_step():
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return real_step()

    loop.session.step = failing_step
    loop.play()
    loop.run_once()
    assert seen.of("errored") == ["RuntimeError: boom"] and not loop.running
    assert seen.of("running") == [True, False] and loop.session.steps == 2
    loop.play()
    loop.run_once()
    assert loop.running and loop.session.steps == 2 + STEPS_PER_BATCH


def test_a_refused_change_is_reported_and_the_messages_after_it_still_apply():
    loop, _, seen = make_loop()

    def refuse(spec):
        raise ValueError("no such network")

    loop.session.set_spec = refuse
    loop.post_spec(NetworkSpec(hidden=(3,), activations=("tanh",)))
    loop.play()
    loop.run_once()
    assert seen.of("errored") == ["ValueError: no such network"]
    assert loop.running and loop.session.spec.hidden == (4, 2)  # the old network trains on


def test_every_step_reaches_a_step_listener():
    loop, clock, _ = make_loop()
    results = []
    loop.on_step = results.append
    loop.train_epochs(2)
    run_until_paused(loop, clock)
    assert [r.step for r in results] == list(range(1, 2 * STEPS_PER_EPOCH + 1))
    assert results[-1].epoch == 2


def test_run_can_run_again_after_a_stop():
    loop, _, _ = make_loop()
    loop.running_changed.connect(lambda running: running or loop.stop())
    for epochs in (3, 6):
        loop.train_epochs(3)
        loop.run()  # in this thread, until the pause at the goal stops it
        assert loop.session.epoch == epochs and not loop.running


# ---- switching problem type -------------------------------------------------------------


def test_a_problem_switch_replaces_the_changes_waiting_for_the_old_type():
    loop, _, seen = make_loop()
    old = Dataset(test_fraction=0.5)
    old.load_preset("xor", 40)
    loop.post_data(old.snapshot())  # waiting: two-class data, features x1 x2, mse
    loop.post_spec(NetworkSpec(hidden=(3,), activations=("relu",)))
    new = Dataset(test_fraction=0.5)
    new.load_preset("sin", 60, kind="function")
    function_spec = NetworkSpec(features=("x", "x^2"), hidden=(5,), activations=("tanh",))
    loop.post_problem(new.snapshot(), function_spec, TrainingConfig(loss="huber"))
    loop.step_epoch()
    loop.request_snapshot(*AREA)
    loop.run_once()
    assert seen.of("errored") == []
    session = loop.session
    assert session.problem.kind == "function" and session.spec == function_spec
    assert session.epoch == 1 and session.config.loss == "huber"
    snapshot = loop.take_snapshot()
    assert snapshot.history_start == 0 and snapshot.epochs == (0, 1)
    assert snapshot.levels.shape == (AREA[1], AREA[1])


def test_after_a_switch_the_old_types_data_is_refused_with_a_message():
    loop, _, seen = make_loop()
    new = Dataset(test_fraction=0.5)
    new.load_preset("blobs", 40, kind="classes", n_classes=3)
    loop.post_problem(new.snapshot(), NetworkSpec(), TrainingConfig(loss="cross_entropy"))
    loop.run_once()
    old = Dataset(test_fraction=0.5)
    old.load_preset("circle", 40)
    loop.post_data(old.snapshot())
    loop.run_once()
    assert "switch the problem type first" in seen.of("errored")[0]
    assert loop.session.problem.n_classes == 3

"""TrainingLoop: steps a TrainingSession at the chosen speed, between messages from other threads.

Another thread (the window's, or none for the command line) posts changes and commands; the
loop's own thread runs run(), which reads them between two steps, never in the middle of one,
trains at the chosen Speed, and makes a TrainingSnapshot when the window asks for one. What
happens comes out as plain callbacks (running_changed, halted, errored, on_step): the Qt worker
turns them into signals, the command line prints them. Qt-free, and the clock is injected, so
the tests drive it with run_once() and a fake clock, without threads or sleeping.
"""

from __future__ import annotations

import math
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from playground.core.bounds import Bounds
from playground.core.dataset import DatasetSnapshot
from playground.core.events import EventEmitter
from playground.core.health import HealthTrend
from playground.core.inside import InsideOptions, look_inside
from playground.core.loop_messages import LoopMessages, Reshape
from playground.core.pace import DEFAULT_SPEED, MAX_SPEED, Speed
from playground.core.parameter_state import ParameterRef
from playground.core.session import TrainingSession
from playground.core.session_state import SessionState
from playground.core.snapshot import take_snapshot
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.training_record import StepResult

# Steps run back to back between two full reads of the inbox (well under a millisecond); between
# them only its length is looked at, so a pause still stops the next step.
STEPS_PER_BATCH = 8
# While training, a requested snapshot is made this long after the request, when the window
# has painted the last one and gone idle: made at once, the decision grid's NumPy calls (which
# let go of the interpreter lock) and the window's painting take the lock from each other and
# both run several times slower. The picture is this much older, well within a frame.
SNAPSHOT_DELAY_S = 0.010
# While training, the inside of the network (thumbnails, hidden space, health) goes out with a
# snapshot at most this often: the window draws it at 10 Hz, and it costs more than the rest
INSIDE_INTERVAL_S = 0.1
HEALTH_EVERY = 4  # ... and the gradient health with every fourth of them (2.5 Hz) while training


class Goal(NamedTuple):
    """Where a run of steps pauses by itself: at an epoch or a step count."""

    count: str  # "epoch" or "step": which of the session's counters
    target: int  # pause once the counter reaches it
    paced: bool  # True: at the chosen speed (train N epochs); False: at once (a step button)


class TrainingLoop(LoopMessages):
    """Trains a session as told: play, pause, step, train N epochs, at a chosen speed.

    The methods posting changes and commands (LoopMessages) may be called from any thread;
    the session itself is touched by the loop's thread alone.
    """

    def __init__(self, session: TrainingSession, speed: Speed = DEFAULT_SPEED,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.session = session
        self.latest: StepResult = session.latest  # the newest step, written by the loop only
        self.running_changed = EventEmitter()  # (running: bool): started or paused
        self.halted = EventEmitter()  # (message: str): diverged or no data; paused
        self.errored = EventEmitter()  # (message: str): an exception; paused, the loop goes on
        # called after every step when set: one call per step, so a plain attribute, not an
        # EventEmitter, and None costs one comparison
        self.on_step: Callable[[StepResult], Any] | None = None
        super().__init__()
        self._clock = clock
        # the state below is the loop thread's own
        self._speed = speed
        self._running = False
        self._stopped = False
        self._goal: Goal | None = None
        self._next_step_at = 0.0  # clock time of the next paced step (steps per second)
        self._frame_goal: int | None = None  # epochs per frame: the epoch that ends this frame
        self._request: tuple[Bounds, int] | None = None  # a snapshot asked for, not made yet
        self._not_before = 0.0  # clock time before which the requested snapshot waits
        self._last_request: tuple[Bounds, int] | None = None  # of the last snapshot made
        self._dirty = True  # the session changed since the last snapshot
        self._history_sent = 0  # history entries already in a snapshot
        self._inside: InsideOptions | None = None  # what of the inside snapshots carry
        self._health_trend = HealthTrend()
        self._inside_due = 0.0  # clock time from which a snapshot carries the inside again
        self._insides = 0  # snapshots that carried the inside
        self._handlers: dict[str, Callable[[Any], None]] = {
            "data": self._apply_data, "spec": self._apply_spec, "config": self._apply_config,
            "problem": self._apply_problem,
            "reset": self._apply_reset, "speed": self._apply_speed,
            "snapshot": self._accept_request, "play": self._play, "pause": self._pause,
            "train": self._train_epochs, "step_epoch": self._step_epoch,
            "step_batch": self._step_batch_command, "stop": self._stop,
            "inside": self._apply_inside, "parameter": self._apply_parameter,
            "switch": self._apply_switch, "session": self._apply_session,
            "state": self._deliver_state}

    # ---- from any thread ------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while training (a step or a run of steps pauses by itself at its goal)."""
        return self._running

    @property
    def speed(self) -> Speed:
        """The speed in use (a set_speed waiting in the inbox is not in use yet)."""
        return self._speed

    # ---- the loop's thread ----------------------------------------------------------------

    def run(self, yield_every: float | None = None) -> None:
        """Train and wait for messages until a stop(); exceptions become errored, not an end.

        yield_every: while training, let go of the interpreter lock at least this often
        (seconds), for another thread of this process (the window's); None: never, as a
        yield would only hand the CPU to other processes.
        """
        self._stopped = False
        # the session detects and reports non-finite steps itself; NumPy's overflow warnings
        # would only repeat that on stderr (errstate is per thread: the window's is untouched)
        with np.errstate(over="ignore", invalid="ignore"):
            last_yield = time.perf_counter()
            while not self._stopped:
                wait = self.run_once()
                if wait > 0 and not self._stopped:
                    self._inbox.wait(wait)  # lets go of the lock while it waits
                elif yield_every is not None:
                    now = time.perf_counter()
                    if now - last_yield > yield_every:
                        time.sleep(0)
                        last_yield = now

    def run_once(self) -> float:
        """Handle the messages, train a little, send a due snapshot; seconds until more is due.

        0 means at once; math.inf means nothing until the next message.
        """
        for kind, value in self._inbox.take() if len(self._inbox) else ():
            try:
                self._handlers[kind](value)
            except Exception as error:  # a refused change loses nothing: report and go on
                self._fail(error)
        try:
            wait = self._train() if self._running else math.inf
            return min(wait, self._send_snapshot_if_due())
        except Exception as error:
            self._fail(error)
            return 0.0

    # ---- messages -------------------------------------------------------------------------

    def _apply_data(self, data: DatasetSnapshot) -> None:
        self.session.set_data(data)
        self._dirty = True

    def _apply_spec(self, reshape: Reshape) -> None:
        spec, lineage = reshape
        if lineage is None:
            self.session.set_spec(spec)
        else:
            self.session.set_spec(spec, lineage)
        self._dirty = True

    def _apply_parameter(self, edit: tuple[ParameterRef, float]) -> None:
        self.session.set_parameter(*edit)
        self._dirty = True

    def _apply_switch(self, switch: tuple[int, int, bool]) -> None:
        self.session.set_switched_off(*switch)
        self._dirty = True

    def _apply_inside(self, options: InsideOptions | None) -> None:
        self._inside = options
        self._inside_due = 0.0  # the next snapshot shows what was asked for
        self._dirty = True

    def _apply_config(self, config: TrainingConfig) -> None:
        self.session.set_config(config)
        self._dirty = True

    def _apply_problem(self, change: tuple[DatasetSnapshot, NetworkSpec, TrainingConfig]) -> None:
        self._start_over(lambda: self.session.set_problem(*change))

    def _apply_reset(self, _: None) -> None:
        self._start_over(self.session.reset)

    def _start_over(self, restart: Callable[[], None]) -> None:
        """Run restart, after which the session counts from 0 with an empty history."""
        goal, session = self._goal, self.session
        done = 0 if goal is None else (session.epoch if goal.count == "epoch" else session.steps)
        restart()
        self._health_trend.clear()
        if goal is not None:  # "n more epochs" still means n more, counted from the restart
            self._goal = goal._replace(target=goal.target - done)
        self._history_sent = 0
        self._frame_goal = None
        self._dirty = True

    def _apply_speed(self, speed: Speed) -> None:
        self._speed = speed
        self._next_step_at = self._clock()
        self._frame_goal = None

    def _accept_request(self, request: tuple[Bounds, int]) -> None:
        self._request = request
        self._not_before = self._clock() + SNAPSHOT_DELAY_S

    def _play(self, _: None) -> None:
        self._goal = None
        self._set_running(True)

    def _pause(self, _: None) -> None:
        self._set_running(False)

    def _train_epochs(self, n: int) -> None:
        self._start_towards(Goal("epoch", self.session.epoch + int(n), paced=True))

    def _step_epoch(self, _: None) -> None:
        self._start_towards(Goal("epoch", self.session.epoch + 1, paced=False))

    def _step_batch_command(self, _: None) -> None:
        self._start_towards(Goal("step", self.session.steps + 1, paced=False))

    def _stop(self, _: None) -> None:
        self._stopped = True

    def _apply_session(self, session: TrainingSession) -> None:
        self._set_running(False)
        self.latest = session.latest  # before the session: a reader that sees it sees this
        self.session = session
        self._goal = None
        self._health_trend.clear()
        self._history_sent = 0  # the next snapshot carries the whole history
        self._frame_goal = None
        self._dirty = True
        with self._outbox_lock:  # the old session's picture is not to be drawn any more
            self._outbox = None

    def _deliver_state(self, deliver: Callable[[SessionState], Any]) -> None:
        deliver(self.session.state())

    def _start_towards(self, goal: Goal) -> None:
        """Train until goal (paused there already: nothing to do)."""
        self._goal = goal
        if self._reached(goal, self.session.epoch, self.session.steps):
            self._set_running(False)
        else:
            self._set_running(True)

    # ---- training -------------------------------------------------------------------------

    def _pace(self) -> Speed:
        """The speed of the steps now: a step button's goal goes at once, whatever the speed."""
        goal = self._goal
        return MAX_SPEED if goal is not None and not goal.paced else self._speed

    def _train(self) -> float:
        """Steps as the pace allows; seconds until the next one is due."""
        pace = self._pace()
        if pace.steps_per_second:
            now = self._clock()
            if now < self._next_step_at:
                return self._next_step_at - now
            self._step()
            interval = 1.0 / pace.steps_per_second
            # a step held up by more than an interval moves the schedule on: no burst after it
            due = self._next_step_at + interval
            self._next_step_at = due if due > now else now + interval
            return max(self._next_step_at - self._clock(), 0.0)
        if pace.epochs_per_frame:
            # a frame starts when the window asks for it and has taken the last one: a request
            # posted just before the last snapshot went out would otherwise start the next
            # frame's epochs, and the window would never see the last one
            if self._request is None or self._outbox is not None:
                return math.inf
            if self._frame_goal is None:
                self._frame_goal = self.session.epoch + pace.epochs_per_frame
            if self.session.epoch >= self._frame_goal:  # this frame's epochs are done
                return math.inf
            self._step_batch(self._frame_goal)
            return 0.0
        self._step_batch()
        return 0.0

    def _step_batch(self, epoch_limit: float = math.inf) -> None:
        """Up to STEPS_PER_BATCH steps, fewer if a message waits, training paused or the epoch
        reached epoch_limit."""
        inbox = self._inbox
        for _ in range(STEPS_PER_BATCH):
            result = self._step()
            if not self._running or len(inbox) or result.epoch >= epoch_limit:
                return

    def _step(self) -> StepResult:
        """One optimization step, and a pause if it halted or reached the goal."""
        result = self.session.step()
        self.latest = result
        self._dirty = True
        on_step = self.on_step
        if on_step is not None:
            on_step(result)
        if result.message:  # diverged (weights restored) or nothing to train on
            self._set_running(False)
            self.halted.emit(result.message)
        elif self._goal is not None and self._reached(self._goal, result.epoch, result.step):
            self._set_running(False)
        return result

    @staticmethod
    def _reached(goal: Goal, epoch: int, step: int) -> bool:
        return (epoch if goal.count == "epoch" else step) >= goal.target

    def _set_running(self, running: bool) -> None:
        if running == self._running:
            return
        self._running = running
        self._frame_goal = None
        if running:
            self._next_step_at = self._clock()  # the first paced step at once
        else:
            self._goal = None
            # the window's next picture must show where training stopped
            if self._request is None and self._last_request is not None:
                self._request = self._last_request
        self.running_changed.emit(running)

    def _fail(self, error: Exception) -> None:
        """Report an exception and pause; nothing here may raise again."""
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
        if self._running:
            self._running = False
            self._goal = None
            self.running_changed.emit(False)
        self.errored.emit(f"{type(error).__name__}: {error}")

    # ---- snapshots ------------------------------------------------------------------------

    def _send_snapshot_if_due(self) -> float:
        """Make the requested snapshot if it is due; else seconds until it is (math.inf: not
        until something changes)."""
        request = self._request
        if request is None or not (self._dirty or request != self._last_request):
            return math.inf
        if self._running:
            pace = self._pace()
            if pace.epochs_per_frame and (self._frame_goal is None
                                          or self.session.epoch < self._frame_goal):
                return math.inf  # the frame's epochs first
            wait = self._not_before - self._clock()
            if wait > 0:
                return wait
        self._send_snapshot(request)
        return math.inf

    def _send_snapshot(self, request: tuple[Bounds, int]) -> None:
        bounds, resolution = request
        self._request = None
        with self._outbox_lock:
            # an untaken snapshot is replaced: resend its losses too (from 0 after a reset)
            untaken = self._outbox
            start = self._history_sent
            if untaken is not None:
                start = min(start, untaken.history_start)
        inside, now = self._inside, self._clock()
        if inside is not None and (not self._running or now >= self._inside_due):
            self._insides += 1
            if self._running and self._insides % HEALTH_EVERY:
                inside = replace(inside, health=False)  # its sparklines move slowly
            inside = look_inside(self.session, bounds, resolution, inside, self._health_trend)
            self._inside_due = now + INSIDE_INTERVAL_S
        else:
            inside = None
        snapshot = take_snapshot(self.session, bounds, resolution, start, inside)
        with self._outbox_lock:
            self._outbox = snapshot
        self._history_sent = len(self.session.history)
        self._last_request = request
        self._dirty = False
        self._frame_goal = None

    def __repr__(self) -> str:
        state = "running" if self._running else "paused"
        return f"TrainingLoop({state}, speed={self._speed.name}, {self.session!r})"

"""The training worker: runs the core TrainingLoop on a QThread and turns its events into signals.

The loop (playground/core/loop.py) holds the logic: messages, pacing, goals, snapshots, errors.
What is here is what Qt needs, each measured with bench/bench_app.py (see the README's "Why the
window is drawn the way it is"):

- The window reads the loop's outbox (take_snapshot) and latest once per frame instead of
  receiving a queued signal per snapshot or per step: each wake-up of the GUI thread costs the
  training thread the interpreter lock.
- stepped is emitted only after emit_steps(True): an emit costs the loop's thread about a
  microsecond even with no receiver. Not by counting connections in connectNotify and
  disconnectNotify, nor by asking isSignalConnected at each step: Qt calls the first two, and
  takes its signal lock for the third, while PySide needs the interpreter lock inside, and
  both deadlocked the tests (Python run under Qt's lock; the two threads each holding one
  lock and waiting for the other's).
- The interpreter's switch interval is shortened while the thread runs, and the loop hands the
  lock over on its own every few milliseconds (YIELD_INTERVAL_S).
- The loop makes a requested snapshot 10 ms after the request (loop.SNAPSHOT_DELAY_S), once
  the window has painted and gone idle.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.core.loop import TrainingLoop
from playground.core.pace import DEFAULT_SPEED, Speed
from playground.core.session import TrainingSession
from playground.core.training_record import StepResult

# Python threads share one interpreter lock (the GIL). A thread that wants it waits for the
# switch interval (5 ms by default) before the holder must hand it over, and the GUI thread
# asks several times a frame (every slot and paint). While a worker runs, the interval is
# shortened, and the loop also hands the lock over on its own every YIELD_INTERVAL_S.
SWITCH_INTERVAL_S = 0.001
YIELD_INTERVAL_S = 0.002


class TrainingWorker(QObject):
    """The loop's events as Qt signals; commands go to the loop itself (worker.loop.play())."""

    stepped = Signal(object)  # StepResult, after every optimization step (after emit_steps)
    runningChanged = Signal(bool)  # training started (True) or paused (False)
    halted = Signal(str)  # the session could not step (diverged, no data): paused, and why
    errored = Signal(str)  # an exception, as a message; the loop pauses and carries on

    def __init__(self, session: TrainingSession, speed: Speed = DEFAULT_SPEED) -> None:
        super().__init__()
        self.loop = TrainingLoop(session, speed)
        # bound emits, called in the loop's thread: Qt queues them to the window's slots
        self.loop.running_changed.connect(self.runningChanged.emit)
        self.loop.halted.connect(self.halted.emit)
        self.loop.errored.connect(self.errored.emit)

    @property
    def session(self) -> TrainingSession:
        """The session the loop trains (touch it from the loop's thread only)."""
        return self.loop.session

    @property
    def latest(self) -> StepResult:
        """The newest step's result (written by the loop's thread)."""
        return self.loop.latest

    def emit_steps(self, on: bool) -> None:
        """Emit stepped after every step from now on (True), or stop (False); off at first."""
        self.loop.on_step = self.stepped.emit if on else None

    @Slot()
    def run(self) -> None:
        """Run the loop in this thread until loop.stop()."""
        self.loop.run(yield_every=YIELD_INTERVAL_S)


class WorkerThread:
    """Owns the QThread a TrainingWorker runs on; start() once, shutdown() before exit."""

    def __init__(self, worker: TrainingWorker) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName("training")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        self._switch_interval: float | None = None  # the interpreter's, restored at shutdown

    def start(self) -> None:
        """Start the thread; the worker's run() begins in it."""
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(SWITCH_INTERVAL_S, self._switch_interval))
        self.thread.start()

    def is_running(self) -> bool:
        """True while the thread has not finished."""
        return self.thread.isRunning()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stop the loop, end the thread and wait for it; True once it has finished."""
        self.worker.loop.stop()
        self.thread.quit()
        finished = self.thread.wait(timeout_ms)
        if finished and self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        return finished

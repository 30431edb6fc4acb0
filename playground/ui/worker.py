"""The training worker: a QObject on a QThread that steps a TrainingSession until told to stop."""

from __future__ import annotations

import queue
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QMetaMethod, QObject, QThread, Signal, Slot

from playground.core.changes import PendingChanges
from playground.core.dataset import DatasetSnapshot
from playground.core.session import StepResult, TrainingSession
from playground.core.shading import grid_levels
from playground.core.spec import NetworkSpec, TrainingConfig

Bounds = tuple[float, float, float, float]  # (xmin, xmax, ymin, ymax)
# Python threads share one interpreter lock (the GIL). A thread that wants it waits for the
# switch interval (5 ms by default) before the holder must hand it over, and the GUI thread
# asks several times a frame (every slot and paint). While a worker runs, the interval is
# shortened, and the worker also hands the lock over on its own every YIELD_INTERVAL_S.
SWITCH_INTERVAL_S = 0.001
YIELD_INTERVAL_S = 0.002
# steps run back to back between two full looks at the messages (well under a millisecond);
# between them only a quick "anything waiting?" is asked, so a pause still stops the next step
STEPS_PER_BATCH = 8
# While training, a requested snapshot is made this long after the request, when the window
# has painted the last one and gone idle: made at once, the decision grid's NumPy calls (which
# let go of the interpreter lock) and the window's painting take the lock from each other and
# both run several times slower. The picture is this much older, well within a frame.
SNAPSHOT_DELAY_S = 0.010


@dataclass(frozen=True)
class TrainingSnapshot:
    """What the window draws, taken by the worker at the drawing rate (not every step)."""

    result: StepResult  # the session's current metrics and counters
    levels: np.ndarray  # (res, res) uint8 colour level of the network's output, row 0 at ymin
    bounds: Bounds  # the area the levels cover
    history_start: int  # index in the session's history of the first entry below (0: anew)
    epochs: tuple[int, ...]  # new history entries: epoch of each evaluation
    train_losses: tuple[float, ...]
    test_losses: tuple[float, ...]
    spec_change_epochs: tuple[int, ...]  # epochs at which the network's shape changed
    features: tuple[str, ...]  # the network's input features
    weights: list[tuple[np.ndarray, np.ndarray]]  # copies: per layer weight (in, out), bias


class TrainingWorker(QObject):
    """Runs training steps in its thread; the GUI posts changes and commands between steps.

    Every public method except run() is called from the GUI thread and only posts a message;
    the session itself is touched by the worker thread alone.
    """

    stepped = Signal(object)  # StepResult, after every optimization step (when connected)
    runningChanged = Signal(bool)  # training started (True) or paused (False)
    halted = Signal(str)  # the session could not step (diverged, no data): paused, and why
    errored = Signal(str)  # an exception, as a message; the worker pauses and carries on

    def __init__(self, data: DatasetSnapshot, spec: NetworkSpec, config: TrainingConfig) -> None:
        super().__init__()
        self.changes = PendingChanges()
        # built here so a bad set-up raises to the caller; used by the worker thread only
        self.session = TrainingSession(data, spec, config)
        self._commands: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        # state below is the worker thread's own
        self._running = False
        self._until_epoch: int | None = None
        self._snapshot_request: tuple[Bounds, int] | None = None
        self._snapshot_not_before = 0.0  # perf_counter time; only while running
        self._last_bounds: tuple[Bounds, int] | None = None
        self._dirty = True  # the session changed since the last snapshot
        self._history_sent = 0  # history entries already sent to the window
        self.latest: StepResult = self.session.latest  # written by the worker thread only
        # the newest snapshot, waiting for the GUI's next frame: a queued signal would wake
        # the GUI thread a second time per frame, and each wake-up costs the worker the GIL
        self._outbox: TrainingSnapshot | None = None
        self._outbox_lock = threading.Lock()
        # connections to stepped, counted as Qt reports them: an emit from this thread costs a
        # fifth of the window's training speed even with no receiver (the window reads latest)
        self._stepped_connections = 0

    def connectNotify(self, signal: QMetaMethod) -> None:  # Qt's name
        """Count connections to stepped (Qt calls this on connect, in the connecting thread)."""
        if signal.name() == b"stepped":
            self._stepped_connections += 1

    def disconnectNotify(self, signal: QMetaMethod) -> None:  # Qt's name
        """Count disconnections from stepped."""
        if signal.name() == b"stepped":
            self._stepped_connections -= 1

    # ---- called from the GUI thread -------------------------------------------------------

    def post_data(self, data: DatasetSnapshot) -> None:
        """Train on data from the next step on."""
        self.changes.post_data(data)
        self._wake.set()

    def post_spec(self, spec: NetworkSpec) -> None:
        """Reshape the network before the next step, keeping the weights of unchanged parts."""
        self.changes.post_spec(spec)
        self._wake.set()

    def post_config(self, config: TrainingConfig) -> None:
        """Use this learning rate, batch size, optimizer... from the next step on."""
        self.changes.post_config(config)
        self._wake.set()

    def post_reset(self) -> None:
        """New weights from the seed and an empty history, before the next step."""
        self.changes.post_reset()
        self._wake.set()

    def play(self) -> None:
        """Train until paused."""
        self._command("play")

    def pause(self) -> None:
        """Stop training after the current step."""
        self._command("pause")

    def step_epoch(self) -> None:
        """Train one more epoch, then pause."""
        self._command("epochs", 1)

    def train_epochs(self, n: int) -> None:
        """Train until n more epochs are done, then pause."""
        self._command("epochs", n)

    def request_snapshot(self, bounds: Bounds, resolution: int) -> None:
        """Ask for a TrainingSnapshot of this area, made once there is something new to show."""
        self._command("snapshot", (tuple(bounds), resolution))

    def take_snapshot(self) -> TrainingSnapshot | None:
        """The newest snapshot not taken yet, or None."""
        with self._outbox_lock:
            snapshot, self._outbox = self._outbox, None
        return snapshot

    def stop(self) -> None:
        """End run() after the current step (the thread can then quit)."""
        self._stop.set()
        self._wake.set()

    def _command(self, name: str, arg: object = None) -> None:
        self._commands.put((name, arg))
        self._wake.set()

    # ---- the worker thread ----------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        """Step while running, sleep while paused, until stop(); errors become errored()."""
        # the session detects and reports non-finite steps itself; numpy's overflow warnings
        # would only repeat that on stderr (errstate is per thread, the GUI's is untouched)
        with np.errstate(over="ignore", invalid="ignore"):
            self._loop()

    def _loop(self) -> None:
        last_yield = time.perf_counter()
        while not self._stop.is_set():
            try:
                self._handle_messages()
                if self._running:
                    self._step_batch()
                elif not self._snapshot_due():
                    self._sleep_until_woken()
                    continue
                if self._snapshot_due():
                    self._send_snapshot()
            except Exception as error:  # report, pause, and stay alive for the next change
                if self._running:
                    self._running = False
                    self.runningChanged.emit(False)
                self.errored.emit(f"{type(error).__name__}: {error}")
            now = time.perf_counter()
            if now - last_yield > YIELD_INTERVAL_S:
                time.sleep(0)  # releases the interpreter lock for the GUI thread
                last_yield = now

    def _sleep_until_woken(self) -> None:
        """Wait for a message from the GUI thread (clearing first, so none is missed)."""
        self._wake.clear()
        if self._commands.empty() and self.changes.empty and not self._stop.is_set():
            self._wake.wait()

    def _handle_messages(self) -> None:
        while not self._commands.empty():
            name, arg = self._commands.get_nowait()
            if name == "play":
                self._until_epoch = None
                self._set_running(True)
            elif name == "pause":
                self._set_running(False)
            elif name == "epochs":
                self._until_epoch = self.session.epoch + int(arg)
                self._set_running(True)
            elif name == "snapshot":
                self._snapshot_request = arg
                self._snapshot_not_before = time.perf_counter() + SNAPSHOT_DELAY_S
        if not self.changes.empty:
            self._apply_changes()

    def _apply_changes(self) -> None:
        kinds = self.changes.apply_to(self.session)
        if "reset" in kinds:
            self._history_sent = 0
        self._dirty = True

    def _step_batch(self) -> None:
        for _ in range(STEPS_PER_BATCH):
            self._step()
            # a command or change waiting (pause, new data...) is handled before the next step
            if not (self._running and self._commands.empty() and self.changes.empty):
                return

    def _step(self) -> None:
        result = self.session.step()
        self.latest = result
        self._dirty = True
        if self._stepped_connections > 0:
            self.stepped.emit(result)
        if result.message:  # diverged (weights restored) or nothing to train on
            self._set_running(False)
            self.halted.emit(result.message)
        elif self._until_epoch is not None and result.epoch >= self._until_epoch:
            self._set_running(False)

    def _set_running(self, running: bool) -> None:
        if running == self._running:
            return
        self._running = running
        if not running:
            self._until_epoch = None
            # the window's next picture must show where training stopped
            if self._last_bounds is not None and self._snapshot_request is None:
                self._snapshot_request = self._last_bounds
            if self._snapshot_due():
                self._send_snapshot()
        self.runningChanged.emit(running)

    def _snapshot_due(self) -> bool:
        request = self._snapshot_request
        if request is None or not (self._dirty or request != self._last_bounds):
            return False
        return not self._running or time.perf_counter() >= self._snapshot_not_before

    def _send_snapshot(self) -> None:
        (bounds, resolution), self._snapshot_request = self._snapshot_request, None
        session = self.session
        history = session.history
        levels = grid_levels(session.decision_grid(bounds, resolution))
        with self._outbox_lock:
            # an untaken snapshot is replaced: resend its losses too (start 0 after a reset)
            untaken = self._outbox
            start = self._history_sent
            if untaken is not None:
                start = min(start, untaken.history_start)
            self._outbox = TrainingSnapshot(
                result=session.latest, levels=levels, bounds=bounds, history_start=start,
                epochs=tuple(history.epochs[start:]),
                train_losses=tuple(history.train_loss[start:]),
                test_losses=tuple(history.test_loss[start:]),
                spec_change_epochs=tuple(self.session.spec_changes),
                features=session.spec.features, weights=session.weights())
        self._history_sent = len(history)
        self._last_bounds = (bounds, resolution)
        self._dirty = False


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
        """Stop the worker, end the thread and wait for it; True once it has finished."""
        self.worker.stop()
        self.thread.quit()
        finished = self.thread.wait(timeout_ms)
        if finished and self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        return finished

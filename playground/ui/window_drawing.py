"""How the main window draws: each frame takes the training thread's newest snapshot into the
plot, the loss curve, the network panel and the status bar, and asks for the next one.

The slowly changing parts redraw less often: see the README's "Why the window is drawn the way
it is".
"""

from __future__ import annotations

from PySide6.QtCore import Slot

from playground.core.problems import TWO_CLASSES
from playground.core.sample_graph import NetworkState
from playground.core.snapshot import TrainingSnapshot

# Each repaint of a pyqtgraph plot calls back into Python a dozen times, and each call must
# win the interpreter lock back from the training thread: what changes slowly redraws less.
FRAME_INTERVAL_MS = 25  # redraw the decision heatmap at up to 40 Hz
LOSS_PLOT_EVERY = 4  # ... the loss curve every fourth frame (10 Hz)
NETWORK_VIEW_EVERY = 4  # ... and the network view, health and hidden space as often
STATUS_EVERY = 4  # ... and the status bar's numbers: laying out their text costs a fifth of a frame
GRID_RESOLUTION = 100  # heatmap cells per axis
FUNCTION_RESOLUTION = 300  # a function's curve picture: pixels per axis, near the plot's
# a hovered neuron's output, in [-1, 1], is shown on the two-class heatmap's diverging colours
NEURON_SHADING = TWO_CLASSES


class WindowDrawing:
    """The main window's drawing, as a part of MainWindow (it reads the window's widgets)."""

    drawn_snapshot: TrainingSnapshot | None  # the last one drawn
    _drawn_network: tuple[TrainingSnapshot, NetworkState] | None  # its state, made once

    @Slot()
    def redraw(self) -> None:
        """Draw the newest snapshot, refresh the status bar, ask the worker for the next one."""
        snapshot = self.loop.take_snapshot()
        if snapshot is not None:
            self._draw(snapshot)
        else:  # a quiet frame: catch up with what the busy ones skipped
            self.draw_pending()
        # the newest step comes from loop.latest, read once a frame: connecting to stepped
        # instead would cost a queued event (or a slot call) per step, thousands a second.
        # While running it is fresher than the picture; paused, the two agree.
        self.ticks += 1
        if self.ticks % STATUS_EVERY == 0 or not self.running:
            shown = self.loop.latest if self.running else self.drawn_result
            steps_per_epoch = max(1, -(-self._n_train // self._batch_size))
            self.status.show_result(shown, self.running, steps_per_epoch)
        # one request a frame: at an epochs-per-frame speed, each is one frame's epochs
        resolution = GRID_RESOLUTION if self.dataset.kind != "function" else FUNCTION_RESOLUTION
        self.loop.request_snapshot(self.editor.bounds(), resolution)
        if snapshot is not None:
            self.frameDrawn.emit()

    def _draw(self, snapshot: TrainingSnapshot) -> None:
        """Put a snapshot into the plots (they repaint when Qt next paints)."""
        self.loss_plot.update_history(snapshot.history_start, snapshot.epochs,
                                      snapshot.train_losses, snapshot.test_losses)
        self.frames_drawn += 1
        self.drawn_result = snapshot.result
        self._network_heatmap = (snapshot.levels, snapshot.bounds, snapshot.problem)
        if snapshot.inside is not None:
            self._inside_pending = snapshot.inside
        focus = self.inside.heatmap(snapshot.inside)
        if focus is None:
            self.editor.set_heatmap(*self._network_heatmap)
        elif snapshot.inside is not None:  # the hovered neuron's output, while it is hovered
            self.editor.set_heatmap(focus, snapshot.bounds, NEURON_SHADING)
        self.loss_plot.set_markers(snapshot.spec_change_epochs)
        if self.frames_drawn % LOSS_PLOT_EVERY == 0 or not self.running:
            self.loss_plot.redraw()
            if self.confusion.isVisible():
                self.confusion.show_evaluation(snapshot.result.evaluation)
        self.drawn_snapshot = snapshot
        if self.frames_drawn % NETWORK_VIEW_EVERY == 0 or not self.running:
            self._draw_inside()

    def draw_pending(self) -> None:
        """Draw the losses and the inside of the network that busy frames left for later."""
        self.loss_plot.redraw()  # a no-op unless losses came in since it was drawn
        self._draw_inside()

    def _draw_inside(self) -> None:
        """Show the newest inside of the network if it has not been shown yet."""
        if self._inside_pending is not None:
            self.inside.draw(self._inside_pending)
            self._inside_pending = None

    def show_network_heatmap(self) -> None:
        """The main plot shows the network's output again (a neuron is no longer hovered)."""
        if self._network_heatmap is not None:
            self.editor.set_heatmap(*self._network_heatmap)

    def drawn_network(self) -> NetworkState | None:
        """The weights last drawn with the features, activations, loss, problem and switched-off
        neurons they were trained with (all from the one snapshot), None before the first."""
        snapshot = self.drawn_snapshot
        if snapshot is None:
            return None
        cached = self._drawn_network
        if cached is None or cached[0] is not snapshot:
            result = snapshot.result
            state = NetworkState(snapshot.features, snapshot.activations,
                                 tuple(snapshot.weights), snapshot.loss, result.step,
                                 result.epoch, snapshot.problem, snapshot.switched_off)
            self._drawn_network = cached = (snapshot, state)
        return cached[1]

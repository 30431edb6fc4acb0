"""The force-directed layout, animated: a few iterations a frame until it settles."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Slot

from playground.core.graph_layout import ForceLayout, ForceSettings, force_bodies, place_ops
from playground.ui.graph_view import MIN_ZOOM, GraphView

TICK_MS = 33  # one frame
ITERATIONS_PER_TICK = 2
MAX_ASPECT = 2.0  # the forces see boxes at most this much wider than tall


class ForceAnimation(QObject):
    """Moves a GraphView's nodes by a ForceLayout; fits the view while the person has not."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        self.view = view
        self.layout: ForceLayout | None = None
        self._bodies = np.zeros(0, dtype=np.int64)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_tick)

    def start(self, settings: ForceSettings) -> None:
        """Lay out what the view shows, from where its nodes are now."""
        view = self.view
        self._bodies, edges = force_bodies(view.display)
        sizes = view.sizes[self._bodies]
        aspect = min(MAX_ASPECT, float(np.mean(sizes[:, 0]) / np.mean(sizes[:, 1])) ** 0.5)
        self.layout = ForceLayout(view.positions[self._bodies], edges, settings, aspect=aspect)
        self.timer.start()

    def set_settings(self, settings: ForceSettings) -> None:
        """New strengths: the layout warms up and moves again."""
        if self.layout is not None:
            self.layout.set_settings(settings)
            self.timer.start()

    def stop(self) -> None:
        """Stop moving (a new graph, another layout, the window closed)."""
        self.timer.stop()
        self.layout = None

    @property
    def running(self) -> bool:
        """True while the layout is still settling."""
        return self.timer.isActive()

    @Slot()
    def _on_tick(self) -> None:
        layout, view = self.layout, self.view
        if layout is None or view.display is None:
            self.timer.stop()
            return
        for _ in range(ITERATIONS_PER_TICK):
            layout.step()
        positions = view.positions.copy()
        positions[self._bodies] = layout.positions
        place_ops(view.display, positions, view.sizes)
        view.move_nodes(positions)
        if not view.user_moved:
            view.fit(min_zoom=MIN_ZOOM)
        if layout.settled:
            self.timer.stop()

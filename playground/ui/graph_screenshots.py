"""The README's pictures of the inspector, made by the app.

    python -m playground.ui.graph_screenshots [FOLDER]

Trains TensorFlow Playground's default network on the circle for a while, opens the inspector
on a training point and saves three pictures into the folder given (resources/ by default):
the layered layout, the force-directed layout settled, and a backward step in progress.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from playground.core.backprop_stepper import StepRecord
from playground.core.setup import Setup
from playground.ui.graph_inspector import GraphInspector
from playground.ui.main_window import MainWindow

EPOCHS = 100
SIZE = (1900, 1000)
WHOLE_GRAPH_ZOOM = 0.45  # the layered picture shows the whole default network, texts on


def wait(app: QApplication, until, timeout_s: float = 60.0) -> None:
    """Run the event loop until until() is true."""
    start = time.monotonic()
    while not until():
        if time.monotonic() - start > timeout_s:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let the window paint."""
    end = time.monotonic() + seconds
    wait(app, lambda: time.monotonic() > end)


def completes_a_sum(record: StepRecord | None) -> bool:
    """True for a step that adds the last of several products into a value's grad."""
    return record is not None and any(c.uses > 1 and c.arrived == c.uses
                                      for c in record.contributions)


def save(inspector: GraphInspector, path: Path) -> None:
    if not inspector.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"saved {path}")


def main(folder: str = "resources") -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Setup(preset="circle", noise=0.1))
    window.show()
    window.train_epochs(EPOCHS)
    wait(app, lambda: window.drawn_result.epoch >= EPOCHS and not window.running)
    settle(app)
    inspector = window.open_graph_inspector()
    inspector.resize(*SIZE)
    inspector.picker.index.setValue(7)
    settle(app)
    inspector.view.fit(min_zoom=WHOLE_GRAPH_ZOOM)
    settle(app)
    save(inspector, out / "inspector-layered.png")

    inspector.layout_choice.setCurrentIndex(1)
    inspector.tabs.setCurrentWidget(inspector.settings)
    wait(app, lambda: not inspector.force.running)
    settle(app)
    save(inspector, out / "inspector-force.png")

    inspector.layout_choice.setCurrentIndex(0)
    inspector.tabs.setCurrentWidget(inspector.stepper_panel)
    panel, stepper = inspector.stepper_panel, inspector.inspection.stepper
    panel.reset_grads()
    while stepper.position < stepper.total and not completes_a_sum(stepper.last):
        panel.step()
    settle(app)
    save(inspector, out / "inspector-backward.png")
    window.files.discard()  # pictures only: nothing to ask about or to offer back
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))

"""The window's workspace: what it holds, gathered into a Workspace, and a Workspace put back.

The session lives on the training thread, so its state is asked of the loop (taken between two
steps) while the window waits a few milliseconds; the rest (the view toggles, the speed, the
dataset's preset and file name) is the window's own.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from playground.core.limits import OFFERED
from playground.core.loop import TrainingLoop
from playground.core.pace import speed_named
from playground.core.session import TrainingSession
from playground.core.session_state import SessionState
from playground.core.workspace import AutosaveInfo, ViewSettings, Workspace
from playground.ui.network_designer import MAX_LAYERS, MAX_NEURONS

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

STATE_TIMEOUT_S = 5.0  # a step takes well under a millisecond; this is a stuck thread


def capture_state(loop: TrainingLoop, timeout: float = STATE_TIMEOUT_S) -> SessionState:
    """The session's state, taken by the loop's thread between two steps while this one waits;
    TimeoutError if the loop does not answer."""
    answer: list[SessionState] = []
    ready = threading.Event()

    def deliver(state: SessionState) -> None:  # runs in the loop's thread
        answer.append(state)
        ready.set()

    loop.request_state(deliver)
    if not ready.wait(timeout):
        raise TimeoutError("the training thread did not answer in time")
    return answer[0]


def view_settings(window: MainWindow) -> ViewSettings:
    """The window's view toggles."""
    controls = window.data_controls
    hidden = window.hidden_space_action.isChecked()
    return ViewSettings(log_scale=window.log_scale.isChecked(),
                        discretize=controls.discretize.isChecked(),
                        show_test=controls.show_test.isChecked(),
                        show_parts=controls.parts.isChecked(),
                        point_losses=window.point_loss_box.isChecked(),
                        hidden_space=hidden,
                        hidden_choice=window.inside.hidden_view.choice())


def show_view(window: MainWindow, view: ViewSettings) -> None:
    """Set the window's view toggles as view says."""
    controls = window.data_controls
    window.log_scale.setChecked(view.log_scale)
    controls.discretize.setChecked(view.discretize)
    controls.show_test.setChecked(view.show_test)
    controls.parts.setChecked(view.show_parts)
    window.point_loss_box.setChecked(view.point_losses)
    window.inside.hidden_view.set_choice(view.hidden_choice)
    window.hidden_space_action.setChecked(view.hidden_space)


def window_workspace(window: MainWindow, autosave: AutosaveInfo | None = None) -> Workspace:
    """Everything the window holds now, as a Workspace."""
    workspace = Workspace.of_session(window.dataset, capture_state(window.loop),
                                     window.training.speed().name, view_settings(window))
    return workspace if autosave is None else replace(workspace, autosave=autosave)


def unshowable(workspace: Workspace) -> str | None:
    """Why the window's controls cannot show this workspace (a file may hold more than they
    offer), or None."""
    spec, config = workspace.spec, workspace.config
    if len(spec.hidden) > MAX_LAYERS or any(n > MAX_NEURONS for n in spec.hidden):
        return (f"its network ({', '.join(map(str, spec.hidden))} neurons) is larger than the "
                f"designer's {MAX_LAYERS} layers of {MAX_NEURONS}")
    for name, value, (low, high) in (("batch size", config.batch_size, OFFERED.batch_size),
                                     ("seed", config.seed, OFFERED.seed)):
        if not low <= value <= high:
            return f"its {name} {value} is outside the window's {low:g} to {high:g}"
    return None


def show_workspace(window: MainWindow, workspace: Workspace) -> TrainingSession:
    """Put a workspace into the window: data, designer, controls, speed, view, training.

    The session it trains from now on is returned (the loop takes it over between two steps).
    ValueError, and the window stays as it was, if the controls cannot show it.
    """
    problem = unshowable(workspace)
    if problem:
        raise ValueError(f"the window cannot show this workspace: {problem}. Train it with "
                         "--headless instead")
    session = workspace.training_session()  # may refuse before anything changes
    window.loop.pause()
    window.training.set_running(False)
    window.running = False
    workspace.dataset.fill(window.dataset)  # the problem switch follows its type
    window.dataset.clear_history()  # the opened points are where undo stops
    # the snapshots' per-point parts (the points sized by their loss) are of this edit
    session.set_data_version(window.dataset.version)
    window.designer.set_spec(workspace.spec)
    window.training.set_config(workspace.config)
    window.training.set_speed(speed_named(workspace.speed))
    show_view(window, workspace.view)
    window.editor.fit_view()
    # last: the changes the controls posted above were for the old session and are dropped
    window.loop.post_session(session)
    window.inside.history.clear()  # the window's undo starts at the opened workspace
    window.message.hide()
    return session

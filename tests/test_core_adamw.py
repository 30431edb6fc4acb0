"""AdamW offered in the app: the spec accepts it and a session trains with it."""

from playground.core.dataset import Dataset
from playground.core.session import TrainingSession
from playground.core.spec import OPTIMIZERS, NetworkSpec, TrainingConfig


def test_a_session_with_adamw_learns_the_gaussians() -> None:
    assert "adamw" in OPTIMIZERS
    data = Dataset(test_fraction=0.5)
    data.load_preset("gauss", 200, 0.0, 0)
    session = TrainingSession(data.snapshot(), NetworkSpec(),
                              TrainingConfig(optimizer="adamw", learning_rate=0.01, loss="bce"))
    accuracy = [session.train_epoch().test_accuracy for _ in range(50)]
    assert max(accuracy) >= 0.95
    assert session.history.train_loss[-1] < session.history.train_loss[0]

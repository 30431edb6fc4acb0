"""NetworkSpec and TrainingConfig: defaults, normalisation and validation messages."""

import dataclasses

import pytest

from playground.core.spec import NetworkSpec, TrainingConfig


def test_defaults_are_tensorflow_playgrounds() -> None:
    spec, config = NetworkSpec(), TrainingConfig()
    assert spec.layer_sizes == (2, 4, 2, 1)
    assert spec.activations == ("tanh", "tanh")
    assert (config.learning_rate, config.batch_size, config.optimizer, config.loss) == \
        (0.03, 10, "sgd", "mse")


def test_lists_are_stored_as_tuples_so_specs_compare_and_hash() -> None:
    a = NetworkSpec(features=["x1", "x2"], hidden=[3], activations=["relu"])
    b = NetworkSpec(features=("x1", "x2"), hidden=(3,), activations=("relu",))
    assert a == b and hash(a) == hash(b)
    assert NetworkSpec(hidden=(), activations=()).layer_sizes == (2, 1)


def test_specs_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        NetworkSpec().hidden = (8,)  # type: ignore[misc]


@pytest.mark.parametrize("kwargs, message", [
    ({"features": ()}, "at least one input feature"),
    ({"features": ("x1", "z")}, "unknown feature 'z'"),
    ({"hidden": (4, 0), "activations": ("tanh", "tanh")}, "hidden layer 2 needs 1 to"),
    ({"hidden": (4, 2.5), "activations": ("tanh", "tanh")}, "hidden layer 2 needs"),
    ({"hidden": (4,), "activations": ("tanh", "tanh")}, "2 activations for 1 hidden"),
    ({"hidden": (4,), "activations": ("swish",)}, "unknown activation 'swish'"),
    ({"hidden": (2,) * 9, "activations": ("relu",) * 9}, "at most"),
])
def test_bad_network_specs_say_what_is_wrong(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        NetworkSpec(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"learning_rate": 0.0}, "learning rate"),
    ({"learning_rate": float("nan")}, "learning rate"),
    ({"batch_size": 0}, "batch size"),
    ({"batch_size": 2.0}, "batch size"),
    ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'"),
    ({"loss": "l2"}, "unknown loss"),
    ({"regularization": "dropout"}, "unknown regularization"),
    ({"reg_rate": -0.1}, "regularization rate"),
    ({"seed": -1}, "seed"),
])
def test_bad_training_configs_say_what_is_wrong(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TrainingConfig(**kwargs)


def test_replace_revalidates() -> None:
    config = TrainingConfig()
    assert dataclasses.replace(config, learning_rate=1.0).learning_rate == 1.0
    with pytest.raises(ValueError, match="learning rate"):
        dataclasses.replace(config, learning_rate=-1.0)

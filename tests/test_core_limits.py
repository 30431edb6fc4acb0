"""One table of limits: what the window offers lies within what the core accepts."""

from __future__ import annotations

from dataclasses import fields

import pytest

from playground.core.limits import ACCEPTED, OFFERED
from playground.core.spec import NetworkSpec, TrainingConfig


@pytest.mark.parametrize("name", [f.name for f in fields(OFFERED)])
def test_every_offered_range_lies_within_the_accepted_one(name):
    (low, high), (accepted_low, accepted_high) = getattr(OFFERED, name), getattr(ACCEPTED, name)
    assert accepted_low <= low <= high <= accepted_high


def test_the_largest_offered_network_and_settings_are_accepted():
    layers, neurons = OFFERED.hidden_layers[1], OFFERED.neurons[1]
    NetworkSpec(hidden=(neurons,) * layers, activations=("tanh",) * layers)
    TrainingConfig(learning_rate=OFFERED.learning_rate[1], batch_size=OFFERED.batch_size[1],
                   reg_rate=OFFERED.reg_rate[1], seed=OFFERED.seed[1])


def test_the_core_refuses_what_lies_beyond_its_table():
    too_many = ACCEPTED.hidden_layers[1] + 1
    with pytest.raises(ValueError, match=f"at most {ACCEPTED.hidden_layers[1]} hidden layers"):
        NetworkSpec(hidden=(2,) * too_many, activations=("tanh",) * too_many)
    with pytest.raises(ValueError, match=f"needs 1 to {ACCEPTED.neurons[1]} neurons"):
        NetworkSpec(hidden=(ACCEPTED.neurons[1] + 1,), activations=("tanh",))

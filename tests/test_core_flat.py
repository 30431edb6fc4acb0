"""FlatParameters: a layer's weight and bias are one block; saved state keeps its own order."""

from __future__ import annotations

import numpy as np

from engine.layers import Network
from playground.core.flat import FlatParameters


def network_and_copies() -> tuple[Network, list[tuple[np.ndarray, np.ndarray]]]:
    network = Network(3, (4, 2), "tanh", rng=5)
    for layer in network.layers:  # biases start at 0: give them values to tell apart
        layer.bias.data = layer.bias.data + np.arange(1.0, 1 + layer.bias.data.size)
    return network, [(layer.weight.data.copy(), layer.bias.data.copy())
                     for layer in network.layers]


def test_each_layer_is_one_block_the_tensors_read_and_write():
    network, before = network_and_copies()
    params = FlatParameters(network)
    for layer, block, grad, (weight, bias) in zip(network.layers, params.blocks(params.data),
                                                  params.blocks(params.grad), before,
                                                  strict=True):
        np.testing.assert_array_equal(block, np.vstack([weight, bias]))
        assert np.shares_memory(block, layer.weight.data)
        assert np.shares_memory(block, layer.bias.data)
        assert np.shares_memory(grad, layer.bias.grad)
    params.data += 1.0  # one call reaches every tensor
    np.testing.assert_array_equal(network.layers[1].bias.data, before[1][1] + 1.0)
    weights = np.concatenate([w.ravel() for w, _ in before])
    assert sorted(params.data[params.is_weight == 1] - 1.0) == sorted(weights)


def test_saved_state_lists_every_weight_then_every_bias():
    network, before = network_and_copies()
    params = FlatParameters(network)
    saved = np.concatenate([w.ravel() for w, _ in before] + [b.ravel() for _, b in before])
    np.testing.assert_array_equal(params.to_saved(params.data), saved)
    np.testing.assert_array_equal(params.from_saved(saved), params.data)
    np.testing.assert_array_equal(params.checkpoint(), saved)
    params.set_checkpoint(saved * 2)
    params.restore_checkpoint()
    np.testing.assert_array_equal(network.layers[0].weight.data, before[0][0] * 2)
    np.testing.assert_array_equal(network.layers[1].bias.data, before[1][1] * 2)

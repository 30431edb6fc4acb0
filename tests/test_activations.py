"""engine.activations: every activation on Value, on Tensor and through the fused layer and
network nodes, against finite differences and PyTorch; the registry the app reads."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from gradcheck import check_grads

from engine.activations import ACTIVATION_NAMES, ACTIVATIONS, IDENTITY, find_activation
from engine.fused import linear, network
from engine.tensor import Tensor
from engine.value import Value
from playground.core.spec import NetworkSpec

RNG = np.random.default_rng(99)
NAMES = [name for name, act in ACTIVATIONS.items() if act is not IDENTITY]
POINTS = [-4.0, -1.3, -0.4, -1e-3, 1e-3, 0.25, 0.9, 2.2, 6.0]  # clear of kinks by far more than h
PARAMS = {"leaky_relu": {"slope": 0.2}, "elu": {"alpha": 0.5}}  # a non-default value each


def batch(*shape: int) -> np.ndarray:
    """Values in [-3, 3] at least 0.05 from 0 (the kink of relu, leaky relu and ELU)."""
    return RNG.uniform(0.05, 3.0, shape) * RNG.choice([-1.0, 1.0], shape)


def check_tensor_grads(fn, *arrays: np.ndarray) -> None:
    """gradcheck.check_grads with this module's generator."""
    check_grads(fn, *arrays, rng=RNG)


@pytest.mark.parametrize("name", NAMES)
def test_value_activation_against_finite_differences(name: str) -> None:
    for params in ({}, PARAMS.get(name, {})):
        for x in POINTS:
            leaf = Value(x)
            getattr(leaf, name)(**params).backward()
            h = 1e-6 * max(abs(x), 1.0)
            up, down = (getattr(Value(x + h), name)(**params).data,
                        getattr(Value(x - h), name)(**params).data)
            assert leaf.grad == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-8), x


@pytest.mark.parametrize("name", NAMES)
def test_tensor_activation_against_finite_differences(name: str) -> None:
    for params in ({}, PARAMS.get(name, {})):
        check_tensor_grads(lambda a, params=params: getattr(a, name)(**params), batch(4, 3))
        # the layer pattern x @ w + b folds the activation into one node: the same gradients
        check_tensor_grads(lambda x, w, b, params=params: getattr(x @ w + b, name)(**params),
                           batch(5, 3), batch(3, 4) * 0.3, batch(4))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_fused_layer_and_network_against_finite_differences(name: str) -> None:
    x, w, b = batch(5, 3), batch(3, 4) * 0.3, batch(4)
    check_tensor_grads(lambda x, w, b: linear(x, w, b, name), x, w, b)
    acts = (name, "tanh", name)  # the pre-activation a layer keeps must be its own
    sizes = [3, 4, 3, 2]
    shapes = [s for fan_in, fan_out in itertools.pairwise(sizes) for s in ((fan_in, fan_out),
                                                                           (fan_out,))]
    arrays = [batch(6, 3), *(batch(*shape) * 0.5 for shape in shapes)]
    check_tensor_grads(lambda x, *params: network(x, params, acts), *arrays)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_scalar_array_and_fused_forms_agree(name: str) -> None:
    act = find_activation(name)
    z = np.array([*POINTS, -30.0, 0.0, 30.0])
    by_scalar = [act.scalar(float(v), **act.params) for v in z]
    np.testing.assert_allclose(act.array(z.copy(), None, **act.params),
                               [y for y, _ in by_scalar], rtol=1e-14, atol=1e-300)
    slopes = act.derivative(np.ones_like(z), act.array(z.copy(), None, **act.params), z,
                            **act.params)
    np.testing.assert_allclose(slopes, [d for _, d in by_scalar], rtol=1e-13, atol=1e-300)
    x, w, b = (Tensor(a) for a in (batch(5, 3), batch(3, 4), batch(4)))
    fused = linear(x, w, b, name).data
    np.testing.assert_allclose(fused, act.array(x.data @ w.data + b.data, None, **act.params),
                               rtol=1e-13)


@pytest.mark.parametrize("name", NAMES)
def test_long_arrays_agree_with_the_scalar_form_in_place_or_not(name: str) -> None:
    # an evaluation's layer holds thousands of values: tanh takes another path from LONG_TANH
    act = find_activation(name)
    z = np.concatenate([np.linspace(-30.0, 30.0, 4001), POINTS, [-0.0, 1e-300]])
    expected = [act.scalar(float(v), **act.params)[0] for v in z]
    np.testing.assert_allclose(act.array(z, None, **act.params), expected, rtol=1e-14,
                               atol=3e-16)
    inplace = z.copy()
    assert np.array_equal(act.array(inplace, inplace, **act.params),
                          act.array(z, None, **act.params))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(np.isfinite(act.array(np.linspace(-800.0, 800.0, 3001), None,
                                            **act.params)))


@pytest.mark.parametrize("name", NAMES)
def test_large_inputs_stay_finite_without_warnings(name: str) -> None:
    z = np.array([-700.0, -50.0, 50.0, 700.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is harmless
        t = Tensor(z, requires_grad=True)
        getattr(t, name)().sum().backward()
    assert np.all(np.isfinite(t.grad))
    for x in z:
        leaf = Value(float(x))
        getattr(leaf, name)().backward()
        assert np.isfinite(leaf.grad)


def torch_functions(torch) -> dict:
    """Each of our activations as PyTorch computes it."""
    f = torch.nn.functional
    return {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
            "leaky_relu": f.leaky_relu, "elu": f.elu,
            "gelu": lambda t: f.gelu(t, approximate="tanh"), "silu": f.silu,
            "softplus": f.softplus, "sin": torch.sin, "linear": lambda t: t}


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_against_pytorch(name: str) -> None:
    torch = pytest.importorskip("torch")
    reference = torch_functions(torch)[name]
    x, w, b = batch(8, 3), batch(3, 5), batch(5)  # |z| stays below softplus's threshold of 20
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    expected = reference(tx @ tw + tb)
    seed = RNG.normal(size=expected.shape)
    (expected * torch.tensor(seed)).sum().backward()
    ours = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    for out in (linear(*ours, name), network(ours[0], ours[1:], [name])):
        for t in ours:
            t.grad[...] = 0.0
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-14)
        (out * seed).sum().backward()
        for t, ref in zip(ours, (tx, tw, tb), strict=True):
            np.testing.assert_allclose(t.grad, ref.grad.numpy(), rtol=1e-11, atol=1e-13)
    if name != "linear":
        for v in POINTS:
            leaf, ref = Value(v), torch.tensor(v, dtype=torch.float64, requires_grad=True)
            out, ref_out = getattr(leaf, name)(), reference(ref)
            out.backward()
            ref_out.backward()
            assert out.data == pytest.approx(ref_out.item(), rel=1e-12, abs=1e-15)
            assert leaf.grad == pytest.approx(ref.grad.item(), rel=1e-12, abs=1e-15)


def test_parameters_by_position_or_name_and_bad_ones() -> None:
    x = Value(-2.0)
    assert x.leaky_relu(0.2).data == x.leaky_relu(slope=0.2).data == pytest.approx(-0.4)
    assert x.leaky_relu().data == pytest.approx(-0.02)  # the registry's default slope
    t = Tensor(np.array([-2.0, 3.0]))
    np.testing.assert_allclose(t.elu(alpha=2.0).data, [2.0 * np.expm1(-2.0), 3.0])
    with pytest.raises(TypeError, match="leaky_relu has no parameter 'alpha'"):
        x.leaky_relu(alpha=0.1)
    with pytest.raises(TypeError, match="leaky_relu takes 1 parameters, got 2"):
        t.leaky_relu(0.1, 0.2)
    with pytest.raises(TypeError, match="got 'slope' twice"):
        x.leaky_relu(0.1, slope=0.2)
    with pytest.raises(TypeError):
        x.tanh(0.5)  # tanh has no parameters
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of tanh, relu"):
        find_activation("swish")


def test_one_registry_gives_the_methods_names_and_the_spec() -> None:
    assert ACTIVATION_NAMES[:4] == ("tanh", "relu", "sigmoid", "leaky_relu")
    assert {"elu", "gelu", "silu", "softplus", "sin", "linear"} <= set(ACTIVATION_NAMES)
    assert len({a.display for a in ACTIVATIONS.values()}) == len(ACTIVATIONS)
    for name in NAMES:
        for engine_type in (Value, Tensor):
            method = getattr(engine_type, name)
            assert method.__doc__ == ACTIVATIONS[name].doc and method.__name__ == name
        assert getattr(Value(0.5), name)()._op == ACTIVATIONS[name].op
    assert not hasattr(Value, "linear")  # a linear layer has no activation node
    for name in ACTIVATION_NAMES:
        assert NetworkSpec(hidden=(3,), activations=(name,)).activations == (name,)

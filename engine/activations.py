"""Every activation in one table: names, the scalar form for Value, the array form for Tensor.

``ACTIVATIONS`` maps an engine name ("leaky_relu") to an ``Activation``. Value and Tensor get one
method per entry (``x.gelu()``); the fused layers, the network spec and the app's choices read
the same table, so adding an activation is one entry here (and its tests).

Each entry states its math three times, once per engine and once for backpropagation:
``scalar(x) -> (f(x), f'(x))`` on a float, ``array(z, out) -> f(z)`` on an ndarray and
``derivative(g, y, z) -> g * f'(z)``. Parameters (leaky ReLU's slope) are keyword arguments of all
three, with their defaults in ``params``. Where f'(z) follows from y = f(z) alone
(``from_output``), the tensor engine keeps only a layer's output; otherwise it keeps z as well.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from types import MappingProxyType

import numpy as np

# GELU in its tanh form (GPT-2's, torch's gelu(approximate="tanh")): NumPy has no erf for arrays
_GELU_SCALE = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715
FloatOrArray = float | np.ndarray


@dataclass(frozen=True)
class Activation:
    """One activation: its names, its math on floats and arrays, its parameters."""

    name: str  # the engine's name: a Value/Tensor method, a NetworkSpec and --activation value
    display: str  # shown in the network designer
    op: str  # the op of its Value node; capitalised, the start of a neuron's repr (ReLUNeuron)
    doc: str  # the one-line docstring of its Value and Tensor methods
    scalar: Callable[..., tuple[float, float]]  # (x, **params) -> (f(x), f'(x)) on floats
    array: Callable[..., np.ndarray]  # (z, out, **params) -> f(z); written into out if not None
    derivative: Callable[..., np.ndarray]  # (g, y, z, **params) -> g * f'(z); see from_output
    from_output: bool = False  # derivative reads y = f(z) only: z may be None, need not be kept
    params: Mapping[str, float] = field(default_factory=dict)  # defaults, e.g. {"slope": 0.01}
    # array and derivative with params bound, for the hot paths: (z, out), (g, y, z)
    forward: Callable[[np.ndarray, np.ndarray | None], np.ndarray] = field(init=False, repr=False)
    backward: Callable[..., np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # a read-only copy: an entry's defaults cannot change under the engines that share it
        params = MappingProxyType(dict(self.params))
        object.__setattr__(self, "params", params)
        bound = {"forward": self.array, "backward": self.derivative}
        for name, fn in bound.items():
            object.__setattr__(self, name, partial(fn, **params) if params else fn)

    def bind(self, *args: float, **kwargs: float) -> Activation:
        """This activation with other parameters, given in the order of params or by name."""
        if len(args) > len(self.params):
            raise TypeError(f"{self.name} takes {len(self.params)} parameters, got {len(args)}")
        given = dict(zip(self.params, args, strict=False))
        for key, value in kwargs.items():
            if key not in self.params:
                raise TypeError(f"{self.name} has no parameter {key!r}")
            if key in given:
                raise TypeError(f"{self.name} got {key!r} twice")
            given[key] = value
        return replace(self, params={**self.params, **given})


def scalar_sigmoid(x: float) -> float:
    """1 / (1 + exp(-x)) without overflow: exp is only ever taken of a non-positive number."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Elementwise logistic function of an array without overflow (scalar_sigmoid's formula)."""
    e = np.exp(-np.abs(x))
    r = 1 / (1 + e)
    return np.where(x >= 0, r, e * r)


def softplus(x: np.ndarray) -> np.ndarray:
    """Elementwise log(1 + exp(x)) of an array without overflow."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


# ---- the fast four: derivative from the output alone; written without a Python number in
# the arithmetic where it is hot (NumPy converts one per call, a third of a small op's cost)


def _identity_scalar(x: float) -> tuple[float, float]:
    return x, 1.0


def _relu_scalar(x: float) -> tuple[float, float]:
    return (x, 1.0) if x > 0 else (0.0, 0.0)  # the derivative at 0 is 0, as in micrograd


def _relu_derivative(g: np.ndarray, y: np.ndarray, z: None) -> np.ndarray:
    return g * np.sign(y)  # y = relu(z) >= 0, so sign(y) is the 0/1 slope (a float: no casting)


def _tanh_scalar(x: float) -> tuple[float, float]:
    t = math.tanh(x)
    return t, 1.0 - t * t


# glibc's tanh takes 19 ns a float64 against 7 for its exp, and NumPy calls it for float64
# arrays; float32 has a fast tanh of NumPy's own. From this many elements (an evaluation's
# 4,000 a layer) tanh from one exp is 1.6x faster; fewer (a minibatch's 80) cost less in one call.
LONG_TANH = 1000


def _tanh_array(z: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    if z.dtype != np.float64 or z.size < LONG_TANH:
        return np.tanh(z, out=out)
    # tanh(|z|) = (1 - e) / (1 + e) with e = exp(-2 |z|) in [0, 1]: no overflow; within 2.3e-16
    # of np.tanh, and the sign (of -0.0 too) copied from z
    e = np.abs(z)
    e *= -2.0
    np.exp(e, out=e)
    magnitude = np.subtract(1.0, e)
    e += 1.0
    magnitude /= e
    return np.copysign(magnitude, z, out=magnitude if out is None else out)


def _tanh_derivative(g: np.ndarray, y: np.ndarray, z: None) -> np.ndarray:
    return g - g * y * y  # g * (1 - y^2)


def _sigmoid_scalar(x: float) -> tuple[float, float]:
    s = scalar_sigmoid(x)
    return s, s * (1.0 - s)


def _sigmoid_derivative(g: np.ndarray, y: np.ndarray, z: None) -> np.ndarray:
    return g * (y - y * y)  # g * y * (1 - y)


# ---- the others read the pre-activation z


def _leaky_relu_scalar(x: float, slope: float) -> tuple[float, float]:
    return (x, 1.0) if x > 0 else (slope * x, slope)  # the derivative at 0 is slope


def _leaky_relu_array(z: np.ndarray, out: np.ndarray | None, slope: float) -> np.ndarray:
    return np.where(z > 0, z, slope * z)


def _leaky_relu_derivative(g: np.ndarray, y: np.ndarray, z: np.ndarray,
                           slope: float) -> np.ndarray:
    return np.where(z > 0, g, slope * g)


def _elu_scalar(x: float, alpha: float) -> tuple[float, float]:
    return (x, 1.0) if x > 0 else (alpha * math.expm1(x), alpha * math.exp(x))


def _elu_array(z: np.ndarray, out: np.ndarray | None, alpha: float) -> np.ndarray:
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))  # no exp of a large z


def _elu_derivative(g: np.ndarray, y: np.ndarray, z: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, g, g * (alpha * np.exp(np.minimum(z, 0))))


def _gelu_gate(x: FloatOrArray) -> tuple[FloatOrArray, FloatOrArray]:
    """GELU's tanh form as x * sigmoid(v): v and dv/dx, for a float or an array.

    0.5 (1 + tanh(u)) is sigmoid(2u): the same function, without the cancellation in 1 + tanh(u)
    that costs 0.5 x (1 + tanh(u)) its digits for negative x.
    """
    v = 2 * _GELU_SCALE * (x + _GELU_CUBIC * x**3)
    return v, 2 * _GELU_SCALE * (1 + 3 * _GELU_CUBIC * x * x)


def _gelu_scalar(x: float) -> tuple[float, float]:
    v, dv = _gelu_gate(x)
    s = scalar_sigmoid(v)
    return x * s, s + x * s * (1.0 - s) * dv


def _gelu_array(z: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    return z * sigmoid(_gelu_gate(z)[0])


def _gelu_derivative(g: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    v, dv = _gelu_gate(z)
    s = sigmoid(v)
    return g * (s + z * s * (1 - s) * dv)


def _silu_scalar(x: float) -> tuple[float, float]:
    s = scalar_sigmoid(x)
    return x * s, s * (1.0 + x * (1.0 - s))


def _silu_derivative(g: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return g * (s * (1 + z * (1 - s)))


def _softplus_scalar(x: float) -> tuple[float, float]:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x))), scalar_sigmoid(x)


def _sin_scalar(x: float) -> tuple[float, float]:
    return math.sin(x), math.cos(x)


IDENTITY = Activation(
    "linear", display="linear", op="linear", doc="x itself (no activation).",
    scalar=_identity_scalar, array=lambda z, out: z, derivative=lambda g, y, z: g,
    from_output=True)

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.name: a for a in (
    Activation(
        "tanh", display="tanh", op="tanh", doc="Hyperbolic tangent.",
        scalar=_tanh_scalar, array=_tanh_array,
        derivative=_tanh_derivative, from_output=True),
    Activation(
        "relu", display="ReLU", op="ReLU",
        doc="max(0, x); its derivative at exactly 0 is taken as 0.",
        scalar=_relu_scalar, array=lambda z, out: np.maximum(z, 0, out=out),
        derivative=_relu_derivative, from_output=True),
    Activation(
        "sigmoid", display="sigmoid", op="sigmoid",
        doc="1 / (1 + exp(-x)), without overflow for any x.",
        scalar=_sigmoid_scalar, array=lambda z, out: sigmoid(z),
        derivative=_sigmoid_derivative, from_output=True),
    Activation(
        "leaky_relu", display="leaky ReLU", op="LeakyReLU",
        doc="x for x > 0, else slope * x; the derivative at 0 is slope.",
        scalar=_leaky_relu_scalar, array=_leaky_relu_array, derivative=_leaky_relu_derivative,
        params={"slope": 0.01}),
    Activation(
        "elu", display="ELU", op="ELU", doc="x for x > 0, else alpha * (exp(x) - 1).",
        scalar=_elu_scalar, array=_elu_array, derivative=_elu_derivative,
        params={"alpha": 1.0}),
    Activation(
        "gelu", display="GELU", op="GELU",
        doc="0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), GELU's tanh form.",
        scalar=_gelu_scalar, array=_gelu_array, derivative=_gelu_derivative),
    Activation(
        "silu", display="SiLU (swish)", op="SiLU", doc="x * sigmoid(x), also called swish.",
        scalar=_silu_scalar, array=lambda z, out: z * sigmoid(z), derivative=_silu_derivative),
    Activation(
        "softplus", display="softplus", op="softplus",
        doc="log(1 + exp(x)), without overflow; its derivative is sigmoid(x).",
        scalar=_softplus_scalar, array=lambda z, out: softplus(z),
        derivative=lambda g, y, z: g * sigmoid(z)),
    Activation(
        "sin", display="sine", op="sin", doc="sin(x).",
        scalar=_sin_scalar, array=lambda z, out: np.sin(z, out=out),
        derivative=lambda g, y, z: g * np.cos(z)),
    IDENTITY,
)})
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)


def find_activation(name: str) -> Activation:
    """The activation called name, or a ValueError listing the known names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; "
                         f"choose one of {', '.join(ACTIVATION_NAMES)}") from None

"""Every activation written out in each exported script's language: NumPy, PyTorch, micrograd.

One entry per name in engine.activations.ACTIVATIONS (a test walks the registry, so a new
activation without its three forms fails it). Each form is the source of a function named
after the activation; the formulas are the engine's, so the scripts reproduce its outputs.
Parameters (leaky ReLU's slope, ELU's alpha) are filled in from the registry's defaults.
"""

from __future__ import annotations

from engine.activations import ACTIVATIONS

# the stable logistic function, for the activations built on it
NUMPY_SIGMOID = '''def _sigmoid(z):
    e = np.exp(-np.abs(z))  # exp of a non-positive number never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''

NUMPY: dict[str, str] = {
    "tanh": "def tanh(z):\n    return np.tanh(z)\n",
    "relu": "def relu(z):\n    return np.maximum(z, 0.0)\n",
    "sigmoid": "def sigmoid(z):\n    return _sigmoid(z)\n",
    "leaky_relu": "def leaky_relu(z):\n    return np.where(z > 0, z, {slope!r} * z)\n",
    "elu": "def elu(z):\n    return np.where(z > 0, z, {alpha!r} * np.expm1(np.minimum(z, 0)))\n",
    "gelu": ("def gelu(z):  # the tanh form, written as z * sigmoid(2u)\n"
             "    return z * _sigmoid(2 * math.sqrt(2 / math.pi) * (z + 0.044715 * z**3))\n"),
    "silu": "def silu(z):\n    return z * _sigmoid(z)\n",
    "softplus": ("def softplus(z):  # log(1 + exp(z)) without overflow\n"
                 "    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))\n"),
    "sin": "def sin(z):\n    return np.sin(z)\n",
    "linear": "def linear(z):\n    return z\n",
}
NUMPY_NEEDS_SIGMOID = ("sigmoid", "gelu", "silu")

# torch.nn modules (constructor calls); "Sine" is the script's own module
PYTORCH: dict[str, str] = {
    "tanh": "torch.nn.Tanh()",
    "relu": "torch.nn.ReLU()",
    "sigmoid": "torch.nn.Sigmoid()",
    "leaky_relu": "torch.nn.LeakyReLU(negative_slope={slope!r})",
    "elu": "torch.nn.ELU(alpha={alpha!r})",
    "gelu": 'torch.nn.GELU(approximate="tanh")',
    "silu": "torch.nn.SiLU()",
    "softplus": "torch.nn.Softplus()",
    "sin": "Sine()",
    "linear": "torch.nn.Identity()",
}
PYTORCH_SINE = '''class Sine(torch.nn.Module):
    """sin(x); torch.nn has no module for it."""

    def forward(self, x):
        return torch.sin(x)
'''

# micrograd's Value has relu only: the others are new ops written the lecture's way, an output
# Value with its own _backward closure
MICROGRAD_SIGMOID = '''def _sigmoid(x):
    if x >= 0:  # exp of a non-positive number never overflows
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)
'''


def _op(name: str, value: str, derivative: str, setup: str = "", comment: str = "") -> str:
    """A Value op: out = f(x) whose out._backward adds f'(x) * out.grad to x.grad."""
    setup = f"    {setup}\n" if setup else ""
    return (f"def {name}(self):{comment}\n"
            f"    x = self.data\n{setup}"
            f"    out = Value({value}, (self,), {name!r})\n\n"
            f"    def _backward():\n"
            f"        self.grad += ({derivative}) * out.grad\n\n"
            f"    out._backward = _backward\n"
            f"    return out\n")


MICROGRAD: dict[str, str] = {
    "tanh": _op("tanh", "math.tanh(x)", "1 - out.data**2"),
    "relu": "def relu(self):\n    return self.relu()  # micrograd's own\n",
    "sigmoid": _op("sigmoid", "_sigmoid(x)", "out.data * (1 - out.data)"),
    "leaky_relu": _op("leaky_relu", "x if x > 0 else {slope!r} * x",
                      "1.0 if x > 0 else {slope!r}"),
    "elu": _op("elu", "x if x > 0 else {alpha!r} * math.expm1(x)",
               "1.0 if x > 0 else {alpha!r} * math.exp(x)"),
    "gelu": _op("gelu", "x * s", "s + x * s * (1 - s) * _GELU * (1 + 3 * 0.044715 * x * x)",
                setup="s = _sigmoid(_GELU * (x + 0.044715 * x**3))",
                comment="  # the tanh form, as x * sigmoid(2u)"),
    "silu": _op("silu", "x * s", "s * (1 + x * (1 - s))", setup="s = _sigmoid(x)"),
    "softplus": _op("softplus", "max(x, 0.0) + math.log1p(math.exp(-abs(x)))", "_sigmoid(x)",
                    comment="  # log(1 + exp(x)) without overflow"),
    "sin": _op("sin", "math.sin(x)", "math.cos(x)"),
    "linear": "def linear(self):\n    return self\n",
}
MICROGRAD_GELU = "_GELU = 2 * math.sqrt(2 / math.pi)\n"
MICROGRAD_NEEDS_SIGMOID = ("sigmoid", "gelu", "silu", "softplus")


def activation_source(table: dict[str, str], name: str) -> str:
    """The source of one activation in a table, with the registry's parameter values."""
    return table[name].format(**ACTIVATIONS[name].params)

"""The trained network as a standalone Python script: NumPy, PyTorch, or micrograd itself.

Each script holds the weights and the input features, needs nothing but its library, and
defines predict(points): points (N, 2), rows of (x1, x2) on the plane, or (N, 1), rows of (x,)
for a function of x, to the network's (N, outputs) outputs (k scores for k classes), the same
as the app's to 1e-9 (NumPy, micrograd) or to float32's precision (PyTorch). The code
is made from names checked against the registries (features, activations) and floats written
with repr, which reads back exactly: nothing from a file is pasted into it.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence

from engine.activations import ACTIVATIONS
from playground.core.atomic import write_atomic
from playground.core.export_activations import (
    MICROGRAD,
    MICROGRAD_GELU,
    MICROGRAD_NEEDS_SIGMOID,
    MICROGRAD_SIGMOID,
    NUMPY,
    NUMPY_NEEDS_SIGMOID,
    NUMPY_SIGMOID,
    PYTORCH,
    PYTORCH_SINE,
    activation_source,
)
from playground.core.exports import OUTPUT_MEANINGS, TrainedNetwork
from playground.core.features import FEATURES

SCRIPT_KINDS: tuple[str, ...] = ("numpy", "pytorch", "micrograd")  # --script-kind's choices
WIDTH = 96  # characters per line of the weight tables
# every script, run by itself, prints the outputs for two points
_MAIN = '''

if __name__ == "__main__":
    print(predict({points}))
'''
_EXAMPLES = {("x1", "x2"): "[[0.0, 0.0], [1.0, -1.0]]", ("x",): "[[0.0], [1.0]]"}

# each feature of a point (x1, x2), or of a function's x, as an expression; {sin} and {cos}
# are the flavour's
FEATURE_CODE: dict[str, str] = {
    "x1": "x1", "x2": "x2", "x1^2": "x1**2", "x2^2": "x2**2", "x1*x2": "x1 * x2",
    "sin(x1)": "{sin}(x1)", "sin(x2)": "{sin}(x2)",
    "x": "x", "x^2": "x**2", "x^3": "x**3", "sin(x)": "{sin}(x)", "cos(x)": "{cos}(x)",
}


def script_source(kind: str, network: TrainedNetwork) -> str:
    """The script of this kind (one of SCRIPT_KINDS) for the network."""
    for name in network.features:
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r}")
    for layer in network.layers:
        if layer.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {layer.activation!r}")
    writers = {"numpy": _numpy, "pytorch": _pytorch, "micrograd": _micrograd}
    if kind not in writers:
        raise ValueError(f"unknown script kind {kind!r}; choose one of {', '.join(SCRIPT_KINDS)}")
    source = writers[kind](network) + _MAIN.format(points=_EXAMPLES[network.inputs])
    # the standard library's math only where an activation or a feature uses it
    return source.replace("{math}", "import math\n\n" if "math." in source else "", 1)


def write_script(path: str | os.PathLike[str], kind: str, network: TrainedNetwork) -> None:
    """Write the script atomically."""
    write_atomic(path, script_source(kind, network))


# ---- pieces every flavour shares ----------------------------------------------------------


def _docstring(network: TrainedNetwork, library: str, returns: str) -> str:
    sizes = "-".join(map(str, network.sizes))
    activations = ", ".join(layer.activation for layer in network.layers)
    trained = f"trained {network.epoch} epochs"
    if network.train_loss == network.train_loss:  # not NaN
        trained += f" to a training loss of {network.train_loss:.4g}"
    point = f"({', '.join(network.inputs)})"
    off = ""
    if network.switched_off:
        neurons = ", ".join(f"layer {layer + 1} neuron {neuron + 1}"
                            for layer, neuron in network.switched_off)
        off = (f"Switched off in the app (their outgoing weights are 0, so they add nothing): "
               f"{neurons}.")
    paragraphs = [f"Inputs: the features {', '.join(network.features)} of a point {point}; "
                  f"activations by layer: {activations}.",
                  f"predict(points) takes rows of {point} and returns {returns}: "
                  f"{OUTPUT_MEANINGS[network.problem]}.", off, f"Needs {library} only."]
    body = "\n".join(textwrap.fill(text, WIDTH) for text in paragraphs if text)
    return f'"""A {sizes} network made in micrograd playground ({trained}).\n\n{body}\n"""\n'



def _floats(values: Sequence[float], indent: str) -> str:
    """Comma-separated reprs (exact floats), wrapped at WIDTH."""
    return textwrap.fill(", ".join(repr(float(v)) for v in values), WIDTH,
                         initial_indent=indent, subsequent_indent=indent)


def _matrix(rows: Sequence[Sequence[float]], indent: str) -> str:
    """[[...], [...]] with a row per block of lines."""
    inner = ",\n".join(f"{indent} [\n{_floats(row, indent + '  ')}]" for row in rows)
    return f"[\n{inner}]"


def _features_function(network: TrainedNetwork, library: str, body: str) -> str:
    """body with {columns} (the features' code in library's sin and cos), {names}, {point}
    (what a row is), {width} (its length), {unpack} (the inputs from an array's columns) and
    {unpack_one} (from one point)."""
    columns = ", ".join(FEATURE_CODE[name].format(sin=f"{library}.sin", cos=f"{library}.cos")
                        for name in network.features)
    inputs = network.inputs
    names = ", ".join(inputs)
    unpack = f"{names} = {', '.join(f'points[:, {i}]' for i in range(len(inputs)))}"
    unpack_one = "x = float(point[0])" if inputs == ("x",) else \
        f"{names} = (float(v) for v in point)"
    return body.format(columns=columns, names=", ".join(network.features), point=f"({names})",
                       width=len(inputs), unpack=unpack, unpack_one=unpack_one)


def _table(name: str, entries: dict[str, str]) -> str:
    """`name = {...}` with an entry a line: names to the code of their values."""
    lines = "".join(f"    {key!r}: {code},\n" for key, code in entries.items())
    return f"{name} = {{\n{lines}}}\n\n\n"


def _activations(network: TrainedNetwork) -> list[str]:
    """The activation names the network uses, in first-use order."""
    return list(dict.fromkeys(layer.activation for layer in network.layers))


# ---- NumPy -------------------------------------------------------------------------------


def _numpy(network: TrainedNetwork) -> str:
    names = _activations(network)
    parts = [_docstring(network, "NumPy", "an (N, outputs) array"),
             "{math}import numpy as np\n\n",
             f"FEATURES = {list(network.features)!r}\n",
             "# per layer: weight (fan_in, fan_out), bias (fan_out,), activation; input first\n"
             "LAYERS = [\n"]
    for layer in network.layers:
        parts.append(f"    (np.array({_matrix(layer.weight.tolist(), '     ')}),\n"
                     f"     np.array([\n{_floats(layer.bias.tolist(), '      ')}]),\n"
                     f"     {layer.activation!r}),\n")
    parts.append("]\n\n\n")
    if any(name in NUMPY_NEEDS_SIGMOID for name in names):
        parts.append(NUMPY_SIGMOID + "\n\n")
    parts += [activation_source(NUMPY, name) + "\n\n" for name in names]
    parts.append(_table("ACTIVATIONS", {n: n for n in names}))
    parts.append(_features_function(network, "np", '''def features(points):
    """The network's inputs ({names}) for points (N, {width}), rows of {point}."""
    {unpack}
    return np.column_stack([{columns}])  # (N, F)


def predict(points):
    """The network's outputs (N, outputs) for points (N, {width}), rows of {point}."""
    h = features(np.asarray(points, dtype=np.float64).reshape(-1, {width}))
    for weight, bias, activation in LAYERS:
        h = ACTIVATIONS[activation](h @ weight + bias)
    return h
'''))
    return "".join(parts)


# ---- PyTorch -----------------------------------------------------------------------------


def _pytorch(network: TrainedNetwork) -> str:
    names = _activations(network)
    parts = [_docstring(network, "PyTorch", "an (N, outputs) float32 tensor"),
             "import torch\n\n",
             f"FEATURES = {list(network.features)!r}\n",
             "# per layer: weight rows (fan_in of fan_out), bias (fan_out), activation; input "
             "first\nLAYERS = [\n"]
    for layer in network.layers:
        parts.append(f"    ({_matrix(layer.weight.tolist(), '    ')},\n"
                     f"     [\n{_floats(layer.bias.tolist(), '      ')}],\n"
                     f"     {layer.activation!r}),\n")
    parts.append("]\n\n\n")
    if "sin" in names:
        parts.append(PYTORCH_SINE + "\n\n")
    parts.append(_table("ACTIVATIONS", {n: f"lambda: {activation_source(PYTORCH, n)}"
                                        for n in names}))
    parts.append('''def build():
    """A torch.nn.Sequential of Linear layers holding the weights, each with its activation."""
    modules = []
    for weight, bias, activation in LAYERS:
        linear = torch.nn.Linear(len(weight), len(bias))
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weight).T)  # torch keeps (fan_out, fan_in)
            linear.bias.copy_(torch.tensor(bias))
        modules += [linear, ACTIVATIONS[activation]()]
    return torch.nn.Sequential(*modules)


MODEL = build()


''')
    parts.append(_features_function(network, "torch", '''def features(points):
    """The network's inputs ({names}) for points (N, {width}), rows of {point}."""
    {unpack}
    return torch.stack([{columns}], dim=1)  # (N, F)


def predict(points):
    """The network's outputs (N, outputs) for points (N, {width}), rows of {point}."""
    points = torch.as_tensor(points, dtype=torch.float32).reshape(-1, {width})
    with torch.no_grad():
        return MODEL(features(points))
'''))
    return "".join(parts)


# ---- micrograd ---------------------------------------------------------------------------


def _micrograd(network: TrainedNetwork) -> str:
    names = _activations(network)
    parts = [_docstring(network, "micrograd", "a list of N lists of floats"),
             "{math}from micrograd.engine import Value\nfrom micrograd.nn import "
             "Module\n\n",
             f"FEATURES = {list(network.features)!r}\n",
             "# per layer: its activation and, per neuron, (weights, bias); input side first\n"
             "LAYERS = [\n"]
    for layer in network.layers:
        neurons = ",\n".join(f"      ([\n{_floats(column, '        ')}],\n"
                             f"       {float(bias)!r})"
                             for column, bias in zip(layer.weight.T.tolist(),
                                                     layer.bias.tolist(), strict=True))
        parts.append(f"    ({layer.activation!r}, [\n{neurons}]),\n")
    parts.append("]\n\n")
    if any(name in MICROGRAD_NEEDS_SIGMOID for name in names):
        parts.append("\n" + MICROGRAD_SIGMOID + "\n")
    if "gelu" in names:
        parts.append("\n" + MICROGRAD_GELU + "\n")
    parts.append("\n# micrograd's Value has relu only; the others are added the lecture's way\n")
    parts += [activation_source(MICROGRAD, name) + "\n\n" for name in names]
    parts.append(_table("ACTIVATIONS", {n: n for n in names}))
    parts.append('''class Neuron(Module):
    """micrograd's Neuron with given weights and any activation."""

    def __init__(self, weights, bias, activation):
        self.w = [Value(w) for w in weights]
        self.b = Value(bias)
        self.activation = activation

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return ACTIVATIONS[self.activation](act)

    def parameters(self):
        return self.w + [self.b]


class Layer(Module):
    def __init__(self, activation, neurons):
        self.neurons = [Neuron(w, b, activation) for w, b in neurons]

    def __call__(self, x):
        return [n(x) for n in self.neurons]

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP(Module):
    def __init__(self, layers):
        self.layers = [Layer(activation, neurons) for activation, neurons in layers]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


MODEL = MLP(LAYERS)


''')
    parts.append(_features_function(network, "math", '''def features(point):
    """The network's inputs ({names}) for one point {point}."""
    {unpack_one}
    return [{columns}]


def predict(points):
    """The network's outputs, one list per point {point}."""
    return [[out.data for out in MODEL(features(point))] for point in points]
'''))
    return "".join(parts)

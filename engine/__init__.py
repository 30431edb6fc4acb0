"""A from-scratch autograd engine: scalar ``Value`` (micrograd's API) and batched ``Tensor``."""

from engine.layers import Linear, Network
from engine.tensor import Tensor, no_grad
from engine.value import Value

__all__ = ["Linear", "Network", "Tensor", "Value", "no_grad"]

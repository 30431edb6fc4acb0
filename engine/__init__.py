"""A from-scratch autograd engine: scalar ``Value`` (micrograd's API) and batched ``Tensor``."""

from engine.value import Value

__all__ = ["Value"]

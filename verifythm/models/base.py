r"""Common interface of scalar-output models :math:`f(x;\theta)` and input validation.

A :class:`Model` maps a parameter vector :math:`\theta\in\mathbb{R}^p` and a batch of
inputs :math:`X\in\mathbb{R}^{n\times d}` (one input per row) to predictions, the
per-sample Jacobian with rows :math:`\nabla_\theta f(x_i;\theta)` and the per-sample
output Hessians :math:`\nabla^2_\theta f(x_i;\theta)`.  These are exactly the pieces of
the square-loss Hessian decomposition
:math:`H = G + \frac1n\sum_i e_i\nabla^2_\theta f(x_i;\theta)` (wang2023noise, Eq. (6)),
assembled by :class:`~verifythm.models.problems.SquareLossProblem`.

All arrays are float64; every public method validates its arguments and raises
``ValueError`` naming the offending one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_vector


def check_dim(value: object, name: str, *, minimum: int = 1) -> int:
    """Validate an integer size (``bool`` rejected) that is at least ``minimum``.

    Raises
    ------
    ValueError
        Naming ``name`` if ``value`` is not an integer ``>= minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}: expected an integer, got {value!r}")
    if int(value) < minimum:
        raise ValueError(f"{name}: must be >= {minimum}, got {value!r}")
    return int(value)


def check_inputs(X: ArrayLike, d: int, name: str = "X") -> Array:
    """Validate a batch of inputs: a finite ``(n, d)`` array with ``n >= 1``.

    Raises
    ------
    ValueError
        Naming ``name`` on NaN/inf, wrong dimensionality, no rows or wrong width.
    """
    Xa = as_finite(X, name, ndim=2)
    if Xa.shape[0] == 0:
        raise ValueError(f"{name}: needs at least one sample (row)")
    if Xa.shape[1] != d:
        raise ValueError(f"{name}: expected inputs of dimension {d} (shape (n, {d})), got shape {Xa.shape}")
    return Xa


def read_only(a: Array) -> Array:
    """Mark ``a`` read-only (in place) and return it."""
    a.flags.writeable = False
    return a


class Parametrized(ABC):
    """Sizes and argument validation shared by :class:`Model` and the classifiers.

    Subclasses give :attr:`input_dim` and :attr:`num_params`; :meth:`check_theta` and
    :meth:`check_inputs` validate against them.
    """

    @property
    @abstractmethod
    def input_dim(self) -> int:
        """Input dimension ``d``."""

    @property
    @abstractmethod
    def num_params(self) -> int:
        """Number of trainable parameters ``p``."""

    def check_theta(self, theta: ArrayLike, name: str = "theta") -> Array:
        """Validate a parameter vector of length :attr:`num_params`.

        Raises
        ------
        ValueError
            Naming ``name`` on NaN/inf, wrong dimensionality or length.
        """
        return check_vector(theta, self.num_params, name)

    def check_inputs(self, X: ArrayLike, name: str = "X") -> Array:
        """Validate a batch of inputs of shape ``(n, input_dim)``, ``n >= 1``."""
        return check_inputs(X, self.input_dim, name)


class StoredInputDim:
    """Mixin: :attr:`input_dim` is the validated constructor argument, kept in ``_d``."""

    _d: int

    @property
    def input_dim(self) -> int:
        """Input dimension ``d``."""
        return self._d


class OneParamPerInput(StoredInputDim):
    """Mixin for models built from ``input_dim`` alone with one parameter per input (``p = d``)."""

    def __init__(self, input_dim: int) -> None:
        self._d = check_dim(input_dim, "input_dim")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(input_dim={self._d})"

    @property
    def num_params(self) -> int:
        """``p = d``."""
        return self._d


class Model(Parametrized):
    r"""A scalar-output model :math:`f(x;\theta)`, :math:`x\in\mathbb{R}^d`, :math:`\theta\in\mathbb{R}^p`.

    Subclasses implement :meth:`_predict`, :meth:`_jacobian` and
    :meth:`_output_hessians` on validated arrays; the public methods validate and
    delegate.  :meth:`weighted_output_hessian` may be overridden with a cheaper
    formula that avoids forming ``n`` matrices of size ``p × p``.
    """

    @property
    def linear_in_params(self) -> bool:
        r"""Whether :math:`f` is linear in θ (then every output Hessian is zero)."""
        return False

    # ------------------------------------------------------------------ public API
    def predict(self, theta: ArrayLike, X: ArrayLike) -> Array:
        r"""Predictions :math:`f(x_i;\theta)`, shape ``(n,)``."""
        return self._predict(self.check_theta(theta), self.check_inputs(X))

    def jacobian(self, theta: ArrayLike, X: ArrayLike) -> Array:
        r"""Per-sample model Jacobian, shape ``(n, p)``, row ``i`` is :math:`\nabla_\theta f(x_i;\theta)`."""
        return self._jacobian(self.check_theta(theta), self.check_inputs(X))

    def output_hessians(self, theta: ArrayLike, X: ArrayLike) -> Array:
        r"""Per-sample output Hessians :math:`\nabla^2_\theta f(x_i;\theta)`, shape ``(n, p, p)``."""
        return self._output_hessians(self.check_theta(theta), self.check_inputs(X))

    def output_hessian(self, theta: ArrayLike, x: ArrayLike) -> Array:
        r"""Output Hessian :math:`\nabla^2_\theta f(x;\theta)` at one input ``x`` (shape ``(d,)``)."""
        xa = check_vector(x, self.input_dim, "x")
        return self._output_hessians(self.check_theta(theta), xa[None, :])[0]

    def weighted_output_hessian(self, theta: ArrayLike, X: ArrayLike, weights: ArrayLike) -> Array:
        r""":math:`\sum_i w_i\nabla^2_\theta f(x_i;\theta)`, shape ``(p, p)``.

        With :math:`w_i = e_i/n` this is the residual (second-order) term of the
        square-loss Hessian.
        """
        th = self.check_theta(theta)
        Xa = self.check_inputs(X)
        w = check_vector(weights, Xa.shape[0], "weights")
        return self._weighted_output_hessian(th, Xa, w)

    # ------------------------------------------------------------------ to implement
    @abstractmethod
    def _predict(self, theta: Array, X: Array) -> Array: ...

    @abstractmethod
    def _jacobian(self, theta: Array, X: Array) -> Array: ...

    @abstractmethod
    def _output_hessians(self, theta: Array, X: Array) -> Array: ...

    def _weighted_output_hessian(self, theta: Array, X: Array, w: Array) -> Array:
        if self.linear_in_params:
            return np.zeros((self.num_params, self.num_params))
        return np.einsum("i,ipq->pq", w, self._output_hessians(theta, X))

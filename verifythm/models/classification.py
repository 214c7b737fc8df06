r"""Binary logistic regression and multi-class softmax (cross-entropy) regression.

Both are linear in θ at the level of logits, :math:`z = Wx`, with the log-loss
:math:`\ell_i = -\sum_c y_{ic}\log p_c(x_i)` (li2019hessian, Eqs. (10)–(11), (19)).
Labels may be hard (class indices; 0/1 in the binary case) or soft (probability
vectors; e.g. label smoothing as in dexter2024precise, footnote 1).  Then

* :math:`\nabla\ell_i = (p_i - y_i)\otimes x_i`;
* :math:`\nabla^2\ell_i = (\mathrm{diag}(p_i) - p_ip_i^T)\otimes x_ix_i^T` — independent of the
  labels, PSD, and equal to the per-sample generalised Gauss–Newton / Fisher matrix
  because the logits are linear in θ and the softmax link is canonical;
* :math:`M = \frac1n\sum_i\nabla\ell_i\nabla\ell_i^T` (the second moment of stochastic
  gradients, li2019hessian Eq. (9)) and the residual :math:`H_p = M - H_f`
  (li2019hessian, Prop. 1 and Table 1).

The parameter of :class:`SoftmaxRegression` is the row-major flattening of
:math:`W\in\mathbb{R}^{k\times d}`, so the Kronecker products above are ``np.kron(A, xx^T)``.
"""

from __future__ import annotations

from abc import abstractmethod

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit, log_softmax, softmax

from verifythm.linalg.psd import Array, as_finite, check_vector
from verifythm.models.base import (
    OneParamPerInput,
    Parametrized,
    StoredInputDim,
    check_dim,
)


class Classifier(Parametrized):
    r"""A linear-logit classifier trained with the log-loss (cross-entropy).

    Subclasses implement the per-sample loss pieces on validated arrays; the
    public methods validate ``theta``, ``X`` and the labels.
    """

    @property
    @abstractmethod
    def num_classes(self) -> int:
        """Number of classes ``k`` (2 for binary logistic regression)."""

    @abstractmethod
    def check_labels(self, y: ArrayLike, n: int, name: str = "y") -> Array:
        """Validate labels for ``n`` samples and return them in canonical (soft) form."""

    def probabilities(self, theta: ArrayLike, X: ArrayLike) -> Array:
        """Predicted class probabilities (see the subclass for the shape)."""
        return self._probabilities(self.check_theta(theta), self.check_inputs(X))

    def per_sample_losses(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> Array:
        r"""Log-losses :math:`\ell_i`, shape ``(n,)`` (computed stably)."""
        th, Xa = self.check_theta(theta), self.check_inputs(X)
        return self._losses(th, Xa, self.check_labels(y, Xa.shape[0]))

    def per_sample_grads(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> Array:
        r"""Per-sample gradients :math:`\nabla\ell_i`, shape ``(n, p)``."""
        th, Xa = self.check_theta(theta), self.check_inputs(X)
        return self._grads(th, Xa, self.check_labels(y, Xa.shape[0]))

    def per_sample_hessians(self, theta: ArrayLike, X: ArrayLike) -> Array:
        r"""Per-sample Hessians :math:`\nabla^2\ell_i` (label-free), shape ``(n, p, p)``."""
        return self._hessians(self.check_theta(theta), self.check_inputs(X))

    def hessian(self, theta: ArrayLike, X: ArrayLike) -> Array:
        r"""Exact Hessian :math:`H_f = \frac1n\sum_i\nabla^2\ell_i` without forming ``n`` matrices."""
        return self._hessian(self.check_theta(theta), self.check_inputs(X))

    @abstractmethod
    def _probabilities(self, theta: Array, X: Array) -> Array: ...

    @abstractmethod
    def _losses(self, theta: Array, X: Array, Y: Array) -> Array: ...

    @abstractmethod
    def _grads(self, theta: Array, X: Array, Y: Array) -> Array: ...

    @abstractmethod
    def _hessians(self, theta: Array, X: Array) -> Array: ...

    @abstractmethod
    def _hessian(self, theta: Array, X: Array) -> Array: ...


class LogisticRegression(OneParamPerInput, Classifier):
    r"""Binary logistic regression, :math:`p_\theta(x) = 1/(1+e^{-x^T\theta})` (li2019hessian, Eq. (19)).

    Labels :math:`y_i\in[0,1]` (0/1 hard labels, or soft targets).  Per-sample loss
    :math:`y\log(1+e^{-z}) + (1-y)\log(1+e^{z})`, :math:`z = x^T\theta`; gradient
    :math:`(p-y)x`; Hessian :math:`p(1-p)xx^T` (li2019hessian, Table 1).

    Parameters
    ----------
    input_dim
        ``d >= 1`` (``p = d``).
    """

    @property
    def num_classes(self) -> int:
        """Always 2."""
        return 2

    def check_labels(self, y: ArrayLike, n: int, name: str = "y") -> Array:
        """Validate ``n`` labels in ``[0, 1]`` (shape ``(n,)``).

        Raises
        ------
        ValueError
            Naming ``name`` on a wrong shape, NaN/inf or values outside ``[0, 1]``.
        """
        ya = check_vector(y, n, name)
        if np.any(ya < 0) or np.any(ya > 1):
            raise ValueError(f"{name}: binary labels must lie in [0, 1]")
        return ya

    def _probabilities(self, theta: Array, X: Array) -> Array:
        """``(n,)`` probabilities of class 1."""
        return expit(X @ theta)

    def _losses(self, theta: Array, X: Array, Y: Array) -> Array:
        z = X @ theta
        return Y * np.logaddexp(0.0, -z) + (1.0 - Y) * np.logaddexp(0.0, z)

    def _grads(self, theta: Array, X: Array, Y: Array) -> Array:
        return (expit(X @ theta) - Y)[:, None] * X

    def _curvature(self, theta: Array, X: Array) -> Array:
        p = expit(X @ theta)
        return p * (1.0 - p)

    def _hessians(self, theta: Array, X: Array) -> Array:
        return self._curvature(theta, X)[:, None, None] * X[:, :, None] * X[:, None, :]

    def _hessian(self, theta: Array, X: Array) -> Array:
        H = (X * self._curvature(theta, X)[:, None]).T @ X / X.shape[0]
        return (H + H.T) / 2


class SoftmaxRegression(StoredInputDim, Classifier):
    r"""Multinomial (softmax) regression with cross-entropy (li2019hessian, Eqs. (10)–(11), linear logits).

    :math:`\theta = \mathrm{vec}(W)` row-major, :math:`W\in\mathbb{R}^{k\times d}`; logits
    :math:`z = Wx`.  Labels are class indices ``(n,)`` in ``0..k-1`` or soft targets
    ``(n, k)`` whose rows are probability vectors.  The Hessian is always singular:
    adding one vector to every row of :math:`W` leaves the model unchanged.

    Parameters
    ----------
    input_dim
        ``d >= 1``.
    num_classes
        ``k >= 2``.
    """

    def __init__(self, input_dim: int, num_classes: int) -> None:
        self._d = check_dim(input_dim, "input_dim")
        self._k = check_dim(num_classes, "num_classes", minimum=2)

    def __repr__(self) -> str:
        return f"SoftmaxRegression(input_dim={self._d}, num_classes={self._k})"

    @property
    def num_params(self) -> int:
        """``p = k d``."""
        return self._k * self._d

    @property
    def num_classes(self) -> int:
        """Number of classes ``k``."""
        return self._k

    def weights(self, theta: ArrayLike) -> Array:
        r"""θ reshaped to :math:`W\in\mathbb{R}^{k\times d}` (a copy)."""
        return self.check_theta(theta).reshape(self._k, self._d).copy()

    def check_labels(self, y: ArrayLike, n: int, name: str = "y") -> Array:
        """Validate labels and return them one-hot / soft, shape ``(n, k)``.

        Raises
        ------
        ValueError
            Naming ``name`` for non-integer or out-of-range class indices, soft labels
            that are negative or do not sum to 1, or a wrong shape.
        """
        ya = as_finite(y, name)
        if ya.ndim == 1:
            if ya.shape[0] != n:
                raise ValueError(f"{name}: expected {n} labels, got {ya.shape[0]}")
            if np.any(ya != np.round(ya)) or np.any(ya < 0) or np.any(ya >= self._k):
                raise ValueError(f"{name}: class indices must be integers in 0..{self._k - 1}")
            return np.eye(self._k)[ya.astype(int)]
        if ya.ndim == 2:
            if ya.shape != (n, self._k):
                raise ValueError(f"{name}: soft labels must have shape ({n}, {self._k}), got {ya.shape}")
            if np.any(ya < 0) or np.any(np.abs(ya.sum(axis=1) - 1.0) > 1e-9):
                raise ValueError(f"{name}: soft labels must be probability vectors (rows >= 0 summing to 1)")
            return ya
        raise ValueError(f"{name}: expected class indices (n,) or soft labels (n, k), got shape {ya.shape}")

    def _logits(self, theta: Array, X: Array) -> Array:
        return X @ theta.reshape(self._k, self._d).T  # (n, k)

    def _probabilities(self, theta: Array, X: Array) -> Array:
        """``(n, k)`` class probabilities."""
        return softmax(self._logits(theta, X), axis=1)

    def _losses(self, theta: Array, X: Array, Y: Array) -> Array:
        return -(Y * log_softmax(self._logits(theta, X), axis=1)).sum(axis=1)

    def _grads(self, theta: Array, X: Array, Y: Array) -> Array:
        R = softmax(self._logits(theta, X), axis=1) - Y  # (n, k)
        return (R[:, :, None] * X[:, None, :]).reshape(X.shape[0], -1)

    def _curvature(self, theta: Array, X: Array) -> Array:
        P = softmax(self._logits(theta, X), axis=1)
        return np.einsum("na,ab->nab", P, np.eye(self._k)) - P[:, :, None] * P[:, None, :]  # (n, k, k)

    def _hessians(self, theta: Array, X: Array) -> Array:
        A = self._curvature(theta, X)
        n, kd = X.shape[0], self.num_params
        return np.einsum("nab,nc,ne->nacbe", A, X, X).reshape(n, kd, kd)

    def _hessian(self, theta: Array, X: Array) -> Array:
        A = self._curvature(theta, X)
        kd = self.num_params
        H = np.einsum("nab,nc,ne->acbe", A, X, X).reshape(kd, kd) / X.shape[0]
        return (H + H.T) / 2

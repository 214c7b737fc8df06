r"""Training problems: a model with data :math:`(X, y)` at a point θ, and its derived matrices.

:class:`SquareLossProblem` (square loss, any :class:`~verifythm.models.base.Model`) and
:class:`CrossEntropyProblem` (log-loss, any
:class:`~verifythm.models.classification.Classifier`) share the :class:`Problem`
interface with the loss :math:`L = \frac1n\sum_i\ell_i`:

* ``per_sample_losses`` :math:`\ell_i`, ``loss``, ``per_sample_grads`` (rows
  :math:`\nabla\ell_i`), ``grad``;
* ``per_sample_hessians`` :math:`\nabla^2\ell_i` (``n`` matrices of size ``p × p``: only
  when affordable) and the exact ``hessian`` :math:`\nabla^2L` (including the
  residual/second-order term), computed without the per-sample stack;
* ``fisher`` — the Gauss–Newton / Fisher matrix;
* SGD noise covariances :math:`\Sigma_1 = \frac1n\sum_i\nabla\ell_i\nabla\ell_i^T`,
  :math:`\Sigma_2 = \nabla L\nabla L^T`, :math:`\Sigma = \Sigma_1 - \Sigma_2`
  (wu2022alignment, §2; wang2023noise, Eq. (7)).

For square loss, :math:`\ell_i = \frac12e_i^2`, :math:`e_i = f(x_i;\theta) - y_i`,
``Q`` is the ``p × n`` matrix of model gradients used by
:mod:`verifythm.quantities.alignment`, :math:`G = QQ^T/n` and
:math:`H = G + \frac1n\sum_ie_i\nabla^2f(x_i;\theta)` (wang2023noise, Eq. (6)); at an
interpolating point (all :math:`e_i = 0`) :math:`H = G`.

Problems are immutable; derived arrays are computed lazily, cached and returned
read-only.  :meth:`Problem.at` gives the same model and data at another θ.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from verifythm.linalg.psd import Array, check_vector
from verifythm.models.base import Model
from verifythm.models.classification import Classifier
from verifythm.quantities.alignment import AlignmentFactors, alignment_factors


def _ro(a: Array) -> Array:
    a = np.asarray(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def _sym(a: Array) -> Array:
    return (a + a.T) / 2


class Problem(ABC):
    """Common interface of a training problem at a point θ (see the module docstring)."""

    model: Any
    X: Array
    y: Array
    theta: Array

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.X.shape[0])

    @property
    def p(self) -> int:
        """Number of parameters."""
        return int(self.theta.shape[0])

    def at(self, theta: Any) -> Problem:
        """The same model and data at another point ``theta`` (validated)."""
        return dataclasses.replace(self, theta=theta)  # type: ignore[type-var]

    @property
    @abstractmethod
    def per_sample_losses(self) -> Array:
        r""":math:`\ell_i(\theta)`, shape ``(n,)``."""

    @property
    @abstractmethod
    def per_sample_grads(self) -> Array:
        r"""Rows :math:`\nabla\ell_i(\theta)`, shape ``(n, p)``."""

    @property
    @abstractmethod
    def per_sample_hessians(self) -> Array:
        r""":math:`\nabla^2\ell_i(\theta)`, shape ``(n, p, p)`` (memory :math:`np^2`)."""

    @property
    @abstractmethod
    def hessian(self) -> Array:
        r"""Exact :math:`\nabla^2L(\theta)`, shape ``(p, p)``."""

    @property
    @abstractmethod
    def fisher(self) -> Array:
        """The Gauss–Newton / Fisher matrix, shape ``(p, p)``."""

    @cached_property
    def loss(self) -> float:
        r""":math:`L(\theta) = \frac1n\sum_i\ell_i`."""
        return float(np.mean(self.per_sample_losses))

    @cached_property
    def grad(self) -> Array:
        r""":math:`\nabla L(\theta)`, shape ``(p,)``."""
        return _ro(self.per_sample_grads.mean(axis=0))

    @cached_property
    def sigma1(self) -> Array:
        r""":math:`\Sigma_1 = \frac1n\sum_i\nabla\ell_i\nabla\ell_i^T`."""
        Gs = self.per_sample_grads
        return _ro(_sym(Gs.T @ Gs / self.n))

    @cached_property
    def sigma2(self) -> Array:
        r""":math:`\Sigma_2 = \nabla L\nabla L^T`."""
        return _ro(np.outer(self.grad, self.grad))

    @cached_property
    def sigma(self) -> Array:
        r"""One-sample SGD noise covariance :math:`\Sigma = \Sigma_1 - \Sigma_2`."""
        return _ro(self.sigma1 - self.sigma2)

    def noise_covariances(self) -> tuple[Array, Array, Array]:
        r"""The triple :math:`(\Sigma_1, \Sigma_2, \Sigma)`."""
        return self.sigma1, self.sigma2, self.sigma


@dataclass(frozen=True, eq=False)
class SquareLossProblem(Problem):
    r"""Square-loss problem :math:`L = \frac1{2n}\sum_i(f(x_i;\theta) - y_i)^2`.

    Parameters
    ----------
    model
        A :class:`~verifythm.models.base.Model`.
    X
        Inputs ``(n, d)``.
    y
        Targets ``(n,)``.
    theta
        The point ``(p,)``.

    Raises
    ------
    ValueError
        Naming the argument on NaN/inf or mismatched shapes, or if ``model`` is not a Model.
    """

    model: Model
    X: Array
    y: Array
    theta: Array

    def __post_init__(self) -> None:
        if not isinstance(self.model, Model):
            raise ValueError(f"model: expected a verifythm.models.Model, got {type(self.model).__name__}")
        X = self.model.check_inputs(self.X)
        object.__setattr__(self, "X", _ro(X.copy()))
        object.__setattr__(self, "y", _ro(check_vector(self.y, X.shape[0], "y").copy()))
        object.__setattr__(self, "theta", _ro(self.model.check_theta(self.theta).copy()))

    @cached_property
    def predictions(self) -> Array:
        r""":math:`f(x_i;\theta)`, shape ``(n,)``."""
        return _ro(self.model._predict(self.theta, self.X))

    @cached_property
    def residuals(self) -> Array:
        r""":math:`e_i = f(x_i;\theta) - y_i`, shape ``(n,)``."""
        return _ro(self.predictions - self.y)

    @cached_property
    def jacobian(self) -> Array:
        r"""Model Jacobian, rows :math:`g_i = \nabla_\theta f(x_i;\theta)`, shape ``(n, p)``."""
        return _ro(self.model._jacobian(self.theta, self.X))

    @property
    def Q(self) -> Array:
        r""":math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}` (the transposed Jacobian)."""
        return self.jacobian.T

    @cached_property
    def per_sample_losses(self) -> Array:
        r""":math:`\ell_i = \frac12e_i^2`."""
        return _ro(0.5 * self.residuals**2)

    @cached_property
    def per_sample_grads(self) -> Array:
        r"""Rows :math:`\nabla\ell_i = e_ig_i`, shape ``(n, p)``."""
        return _ro(self.residuals[:, None] * self.jacobian)

    @cached_property
    def fisher(self) -> Array:
        r"""Fisher / Gauss–Newton matrix :math:`G = \frac1n\sum_ig_ig_i^T = QQ^T/n`."""
        J = self.jacobian
        return _ro(_sym(J.T @ J / self.n))

    @cached_property
    def residual_hessian(self) -> Array:
        r"""Second-order term :math:`\frac1n\sum_ie_i\nabla^2_\theta f(x_i;\theta)` of the Hessian."""
        R = self.model._weighted_output_hessian(self.theta, self.X, self.residuals / self.n)
        return _ro(_sym(R))

    @cached_property
    def hessian(self) -> Array:
        r"""Exact Hessian :math:`H = G + \frac1n\sum_ie_i\nabla^2f(x_i;\theta)`."""
        return _ro(self.fisher + self.residual_hessian)

    @cached_property
    def per_sample_hessians(self) -> Array:
        r""":math:`\nabla^2\ell_i = g_ig_i^T + e_i\nabla^2f(x_i;\theta)`, shape ``(n, p, p)``."""
        J = self.jacobian
        out = J[:, :, None] * J[:, None, :]
        if not self.model.linear_in_params:
            out = out + self.residuals[:, None, None] * self.model._output_hessians(self.theta, self.X)
        return _ro(out)

    def alignment(self) -> AlignmentFactors:
        """Alignment factors of wu2022alignment Eq. (3) at this point (from ``Q`` and the residuals)."""
        return alignment_factors(self.Q, self.residuals)


@dataclass(frozen=True, eq=False)
class CrossEntropyProblem(Problem):
    r"""Log-loss problem :math:`L = \frac1n\sum_i\ell_i` for a linear-logit classifier.

    Parameters
    ----------
    model
        A :class:`~verifythm.models.classification.Classifier`.
    X
        Inputs ``(n, d)``.
    y
        Labels: hard or soft, as accepted by ``model.check_labels``.
    theta
        The point ``(p,)``.

    Raises
    ------
    ValueError
        Naming the argument on invalid inputs, labels or point.
    """

    model: Classifier
    X: Array
    y: Array
    theta: Array

    def __post_init__(self) -> None:
        if not isinstance(self.model, Classifier):
            raise ValueError(f"model: expected a models.Classifier, got {type(self.model).__name__}")
        X = self.model.check_inputs(self.X)
        object.__setattr__(self, "X", _ro(X.copy()))
        object.__setattr__(self, "y", _ro(np.array(self.model.check_labels(self.y, X.shape[0]), dtype=float)))
        object.__setattr__(self, "theta", _ro(self.model.check_theta(self.theta).copy()))

    @cached_property
    def probabilities(self) -> Array:
        """Predicted probabilities (``(n,)`` for binary, ``(n, k)`` for softmax)."""
        return _ro(self.model._probabilities(self.theta, self.X))

    @cached_property
    def per_sample_losses(self) -> Array:
        r"""Log-losses :math:`\ell_i`."""
        return _ro(self.model._losses(self.theta, self.X, self.y))

    @cached_property
    def per_sample_grads(self) -> Array:
        r"""Rows :math:`\nabla\ell_i = (p_i - y_i)\otimes x_i`."""
        return _ro(self.model._grads(self.theta, self.X, self.y))

    @cached_property
    def per_sample_hessians(self) -> Array:
        r""":math:`\nabla^2\ell_i = (\mathrm{diag}\,p_i - p_ip_i^T)\otimes x_ix_i^T`."""
        return _ro(self.model._hessians(self.theta, self.X))

    @cached_property
    def hessian(self) -> Array:
        r"""Exact Hessian :math:`H_f` (li2019hessian, Table 1)."""
        return _ro(self.model._hessian(self.theta, self.X))

    @cached_property
    def fisher(self) -> Array:
        r"""Generalised Gauss–Newton = model Fisher; equals :attr:`hessian` for linear logits."""
        return self.hessian

    @property
    def second_moment(self) -> Array:
        r"""Second moment :math:`M = \frac1n\sum_i\nabla\ell_i\nabla\ell_i^T` (li2019hessian, Eq. (9)); Σ₁."""
        return self.sigma1

    @cached_property
    def residual_term(self) -> Array:
        r""":math:`H_p = M - H_f` (li2019hessian, Prop. 1)."""
        return _ro(self.second_moment - self.hessian)

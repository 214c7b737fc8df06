r"""Linear regression and over-parameterised linear models (OLMs).

An OLM is :math:`f(x;\theta) = F(\theta)^T x` with a re-parameterisation
:math:`F:\mathbb{R}^p\to\mathbb{R}^d` (wu2022alignment, §2.1; wang2023noise, §2).  Its
model gradient is :math:`\nabla_\theta f = \nabla F(\theta)^T x` and, because
:math:`f` is linear in :math:`x`, :math:`\sum_i w_i\nabla^2_\theta f(x_i;\theta) =
\nabla^2_\theta f(\bar x;\theta)` with :math:`\bar x = X^Tw` — so the residual term of the
Hessian costs one output Hessian, not ``n``.

Models here:

* :class:`LinearRegression` — :math:`F(\theta) = \theta`;
* :class:`DiagonalLinearNetwork` — :math:`F(\theta) = \alpha^{\odot 2} - \beta^{\odot 2}`,
  :math:`\theta = (\alpha, \beta)`, the form used in both papers (wu2022alignment, §2.1;
  wang2023noise, §2); the ``"product"`` variant :math:`F = u\odot v` is also offered;
* :class:`DeepLinearNetwork` — :math:`f(x) = W_L\cdots W_1x` (scalar output).  The papers
  write :math:`F(\theta) = W_1W_2\cdots W_L`, the same map with transposed factors.

Population (online, Gaussian-input) closed forms for every OLM are given by
:meth:`OverparameterizedLinearModel.population`: for :math:`x\sim\mathcal N(0,S)`,
labels :math:`y = \beta_*^Tx + \varepsilon` with independent noise of variance
:math:`\sigma^2` and :math:`u = F(\theta) - \beta_*`, Isserlis' theorem gives
:math:`\mathbb E[(u^Tx)^2xx^T] = (u^TSu)S + 2Suu^TS`, hence

* :math:`L = \frac12(u^TSu + \sigma^2)`, :math:`\nabla L = \nabla F^TSu`,
  :math:`G = \nabla F^TS\nabla F`,
  :math:`H = G + \sum_k (Su)_k\nabla^2F_k`;
* :math:`\Sigma_1 = 2LG + 2\nabla L\nabla L^T`, :math:`\Sigma = \Sigma_1 - \nabla L\nabla L^T
  = 2LG + \nabla L\nabla L^T` (wu2022alignment, Prop. 2.3 and Appendix D, extended here
  to label noise).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_psd, check_vector
from verifythm.models.base import (
    Model,
    OneParamPerInput,
    StoredInputDim,
    check_dim,
    read_only,
)


@dataclass(frozen=True, eq=False)
class PopulationQuantities:
    r"""Population (infinite-sample, online SGD) quantities at one point θ.

    Attributes
    ----------
    loss
        :math:`L(\theta) = \frac12\mathbb E[(f(x;\theta)-y)^2]`.
    grad
        :math:`\nabla L(\theta)`, shape ``(p,)``.
    fisher
        :math:`G = \mathbb E[\nabla f\nabla f^T]`, shape ``(p, p)``.
    hessian
        Exact :math:`\nabla^2L` including the residual term.
    sigma1, sigma2, sigma
        :math:`\Sigma_1 = \mathbb E[\nabla\ell\nabla\ell^T]`, :math:`\Sigma_2 = \nabla L\nabla L^T`
        and the one-sample SGD noise covariance :math:`\Sigma = \Sigma_1 - \Sigma_2`.
    """

    loss: float
    grad: Array
    fisher: Array
    hessian: Array
    sigma1: Array
    sigma2: Array
    sigma: Array


class OverparameterizedLinearModel(Model):
    r"""Base class of OLMs :math:`f(x;\theta) = F(\theta)^Tx` (wu2022alignment, §2.1).

    Subclasses implement :meth:`_effective_weights` (:math:`F`),
    :meth:`_effective_jacobian` (:math:`\nabla F`, shape ``(d, p)``) and
    :meth:`_output_hessians`.
    """

    def effective_weights(self, theta: ArrayLike) -> Array:
        r"""The linear predictor :math:`F(\theta)\in\mathbb{R}^d` realised by θ."""
        return self._effective_weights(self.check_theta(theta))

    def effective_jacobian(self, theta: ArrayLike) -> Array:
        r"""The Jacobian :math:`\nabla F(\theta)`, shape ``(d, p)``."""
        return self._effective_jacobian(self.check_theta(theta))

    @abstractmethod
    def _effective_weights(self, theta: Array) -> Array: ...

    @abstractmethod
    def _effective_jacobian(self, theta: Array) -> Array: ...

    def _predict(self, theta: Array, X: Array) -> Array:
        return X @ self._effective_weights(theta)

    def _jacobian(self, theta: Array, X: Array) -> Array:
        return X @ self._effective_jacobian(theta)

    def _weighted_output_hessian(self, theta: Array, X: Array, w: Array) -> Array:
        if self.linear_in_params:
            return np.zeros((self.num_params, self.num_params))
        return self._output_hessians(theta, (X.T @ w)[None, :])[0]

    def population(
        self, theta: ArrayLike, S: ArrayLike, teacher: ArrayLike, noise_var: float = 0.0
    ) -> PopulationQuantities:
        r"""Closed-form population quantities, :math:`x\sim\mathcal N(0,S)`, :math:`y=\beta_*^Tx+\varepsilon`.

        See the module docstring for the formulas (wu2022alignment, Prop. 2.3, Appendix D;
        label noise of variance ``noise_var`` added here).

        Parameters
        ----------
        theta
            The point, shape ``(p,)``.
        S
            Input covariance, symmetric PSD ``(d, d)``.
        teacher
            The teacher's linear predictor :math:`\beta_*` (for a teacher parameter
            θ*, pass ``effective_weights(theta_star)``), shape ``(d,)``.
        noise_var
            Variance :math:`\sigma^2 \ge 0` of the independent label noise.

        Raises
        ------
        ValueError
            On wrong shapes, a non-PSD ``S`` or a negative ``noise_var``.
        """
        th = self.check_theta(theta)
        d = self.input_dim
        Sa = check_psd(S, "S")
        if Sa.shape != (d, d):
            raise ValueError(f"S: expected shape ({d}, {d}), got {Sa.shape}")
        bstar = check_vector(teacher, d, "teacher")
        s2 = float(noise_var)
        if not np.isfinite(s2) or s2 < 0:
            raise ValueError(f"noise_var: must be a finite number >= 0, got {noise_var!r}")
        u = self._effective_weights(th) - bstar
        J = self._effective_jacobian(th)  # (d, p)
        Su = Sa @ u
        loss = 0.5 * (float(u @ Su) + s2)
        grad = J.T @ Su
        fisher = J.T @ Sa @ J
        fisher = (fisher + fisher.T) / 2
        if self.linear_in_params:
            hessian = fisher.copy()
        else:
            R = self._output_hessians(th, Su[None, :])[0]
            hessian = fisher + (R + R.T) / 2
        sigma2 = np.outer(grad, grad)
        sigma1 = 2 * loss * fisher + 2 * sigma2
        return PopulationQuantities(
            loss=loss,
            grad=read_only(grad),
            fisher=read_only(fisher),
            hessian=read_only(hessian),
            sigma1=read_only(sigma1),
            sigma2=read_only(sigma2),
            sigma=read_only(sigma1 - sigma2),
        )


class LinearRegression(OneParamPerInput, OverparameterizedLinearModel):
    r"""Linear regression :math:`f(x;\theta) = \theta^Tx`, :math:`p = d`.

    The Jacobian is :math:`X`, every output Hessian vanishes and
    :math:`H = G = \frac1n X^TX` at every θ (wang2023noise, §2); under
    :math:`x\sim\mathcal N(0,S)` the population :math:`G = H = S`.

    Parameters
    ----------
    input_dim
        ``d >= 1``.
    """

    @property
    def linear_in_params(self) -> bool:
        """Always ``True``."""
        return True

    def _effective_weights(self, theta: Array) -> Array:
        return theta.copy()

    def _effective_jacobian(self, theta: Array) -> Array:
        return np.eye(self._d)

    def _jacobian(self, theta: Array, X: Array) -> Array:
        return X.copy()

    def _output_hessians(self, theta: Array, X: Array) -> Array:
        return np.zeros((X.shape[0], self._d, self._d))


DIAGONAL_PARAMETRIZATIONS = ("squares", "product")
"""Parametrisations of :class:`DiagonalLinearNetwork`."""


class DiagonalLinearNetwork(StoredInputDim, OverparameterizedLinearModel):
    r"""Two-layer diagonal linear network, :math:`p = 2d`.

    ``parametrization="squares"`` (default, the form in wu2022alignment §2.1 and
    wang2023noise §2): :math:`\theta = (\alpha,\beta)`, :math:`F = \alpha^{\odot2}-\beta^{\odot2}`.
    ``parametrization="product"``: :math:`\theta = (u, v)`, :math:`F = u\odot v`.

    Parameters
    ----------
    input_dim
        ``d >= 1``.
    parametrization
        One of :data:`DIAGONAL_PARAMETRIZATIONS`.
    """

    def __init__(self, input_dim: int, parametrization: str = "squares") -> None:
        self._d = check_dim(input_dim, "input_dim")
        if parametrization not in DIAGONAL_PARAMETRIZATIONS:
            raise ValueError(
                f"parametrization: expected one of {DIAGONAL_PARAMETRIZATIONS}, got {parametrization!r}"
            )
        self.parametrization = parametrization

    def __repr__(self) -> str:
        return f"DiagonalLinearNetwork(input_dim={self._d}, parametrization={self.parametrization!r})"

    @property
    def num_params(self) -> int:
        """``p = 2d``."""
        return 2 * self._d

    def _effective_weights(self, theta: Array) -> Array:
        a, b = theta[: self._d], theta[self._d :]
        return a * a - b * b if self.parametrization == "squares" else a * b

    def _effective_jacobian(self, theta: Array) -> Array:
        a, b = theta[: self._d], theta[self._d :]
        if self.parametrization == "squares":
            return np.hstack([np.diag(2 * a), np.diag(-2 * b)])
        return np.hstack([np.diag(b), np.diag(a)])

    def _output_hessians(self, theta: Array, X: Array) -> Array:
        n, d = X.shape
        out = np.zeros((n, 2 * d, 2 * d))
        idx = np.arange(d)
        if self.parametrization == "squares":
            out[:, idx, idx] = 2 * X
            out[:, d + idx, d + idx] = -2 * X
        else:
            out[:, idx, d + idx] = X
            out[:, d + idx, idx] = X
        return out


class DeepLinearNetwork(OverparameterizedLinearModel):
    r"""Deep linear network :math:`f(x;\theta) = W_L\cdots W_1x` with scalar output.

    Layer shapes are :math:`W_l\in\mathbb{R}^{m_l\times m_{l-1}}` with :math:`m_0 = d`,
    :math:`m_L = 1` and hidden widths :math:`m_1,\dots,m_{L-1}`; θ concatenates the
    row-major flattenings of :math:`W_1,\dots,W_L`.  Depth ``L = 1`` is linear
    regression.  (wu2022alignment and wang2023noise write :math:`F = W_1\cdots W_L`;
    this is the transposed, equivalent convention.)

    Writing :math:`P_l = W_l\cdots W_1` and :math:`s_l = W_L\cdots W_{l+1}` (a row), the
    model gradient block of layer ``l`` is :math:`s_l^T(P_{l-1}x)^T`, and for ``k > l``
    :math:`\partial^2 f/\partial(W_k)_{ab}\partial(W_l)_{ce} = (s_k)_a(W_{k-1}\cdots
    W_{l+1})_{bc}(P_{l-1}x)_e`; diagonal blocks vanish.

    Parameters
    ----------
    input_dim
        ``d >= 1``.
    hidden_widths
        ``(m_1, ..., m_{L-1})``, each ``>= 1``; empty for depth 1.
    """

    def __init__(self, input_dim: int, hidden_widths: Sequence[int] = ()) -> None:
        d = check_dim(input_dim, "input_dim")
        if isinstance(hidden_widths, np.ndarray) and hidden_widths.ndim == 1:
            hidden_widths = [int(m) if float(m).is_integer() else m for m in hidden_widths.tolist()]
        if isinstance(hidden_widths, (str, bytes)) or not isinstance(hidden_widths, Sequence):
            raise ValueError(f"hidden_widths: expected a sequence of integers, got {hidden_widths!r}")
        hidden = tuple(check_dim(m, f"hidden_widths[{i}]") for i, m in enumerate(hidden_widths))
        self.widths: tuple[int, ...] = (d, *hidden, 1)
        self.shapes: tuple[tuple[int, int], ...] = tuple(
            (self.widths[ell + 1], self.widths[ell]) for ell in range(len(self.widths) - 1)
        )
        sizes = [r * c for r, c in self.shapes]
        self._offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)

    @classmethod
    def uniform(cls, input_dim: int, width: int, depth: int) -> DeepLinearNetwork:
        """A depth-``depth`` network whose ``depth - 1`` hidden layers all have ``width`` units.

        Raises
        ------
        ValueError
            If ``depth < 1`` or ``width < 1`` (when ``depth >= 2``).
        """
        L = check_dim(depth, "depth")
        if L > 1:
            check_dim(width, "width")
        return cls(input_dim, (width,) * (L - 1))

    def __repr__(self) -> str:
        return f"DeepLinearNetwork(input_dim={self.widths[0]}, hidden_widths={self.widths[1:-1]})"

    @property
    def depth(self) -> int:
        """Number of weight matrices ``L >= 1``."""
        return len(self.shapes)

    @property
    def input_dim(self) -> int:
        """Input dimension ``d = m_0``."""
        return self.widths[0]

    @property
    def num_params(self) -> int:
        r""":math:`p = \sum_l m_lm_{l-1}`."""
        return int(self._offsets[-1])

    @property
    def linear_in_params(self) -> bool:
        """``True`` only for depth 1."""
        return self.depth == 1

    def layers(self, theta: ArrayLike) -> list[Array]:
        r"""The weight matrices :math:`[W_1,\dots,W_L]` encoded by θ (copies)."""
        return [W.copy() for W in self._layers(self.check_theta(theta))]

    def flatten(self, layers: Sequence[ArrayLike]) -> Array:
        """Concatenate weight matrices ``[W_1, ..., W_L]`` into θ (inverse of :meth:`layers`).

        Raises
        ------
        ValueError
            If the number or shapes of the matrices do not match the architecture.
        """
        if len(layers) != self.depth:
            raise ValueError(f"layers: expected {self.depth} matrices, got {len(layers)}")
        parts = []
        for ell, (W, shape) in enumerate(zip(layers, self.shapes, strict=True)):
            Wa = as_finite(W, f"layers[{ell}]", ndim=2)
            if Wa.shape != shape:
                raise ValueError(f"layers[{ell}]: expected shape {shape}, got {Wa.shape}")
            parts.append(Wa.ravel())
        return np.concatenate(parts)

    def _layers(self, theta: Array) -> list[Array]:
        return [
            theta[self._offsets[ell] : self._offsets[ell + 1]].reshape(shape)
            for ell, shape in enumerate(self.shapes)
        ]

    def _prefixes(self, Ws: list[Array]) -> list[Array]:
        """``P[l] = W_l ⋯ W_1`` for ``l = 0..L`` (``P[0] = I_d``)."""
        P = [np.eye(self.widths[0])]
        for W in Ws:
            P.append(W @ P[-1])
        return P

    def _suffixes(self, Ws: list[Array]) -> list[Array]:
        """``s[l] = W_L ⋯ W_{l+1}`` as a vector of length ``m_l`` (``s[L] = [1]``)."""
        L = len(Ws)
        s: list[Array] = [np.empty(0)] * (L + 1)
        s[L] = np.ones(1)
        for ell in range(L, 0, -1):
            s[ell - 1] = s[ell] @ Ws[ell - 1]
        return s

    def _effective_weights(self, theta: Array) -> Array:
        return self._prefixes(self._layers(theta))[-1][0].copy()

    def _effective_jacobian(self, theta: Array) -> Array:
        return self._jacobian(theta, np.eye(self.widths[0]))

    def _jacobian(self, theta: Array, X: Array) -> Array:
        Ws = self._layers(theta)
        P, s = self._prefixes(Ws), self._suffixes(Ws)
        blocks = []
        for ell in range(1, self.depth + 1):
            B = X @ P[ell - 1].T  # (n, m_{ell-1}): inputs of layer ell
            blocks.append((s[ell][None, :, None] * B[:, None, :]).reshape(X.shape[0], -1))
        return np.hstack(blocks)

    def _output_hessians(self, theta: Array, X: Array) -> Array:
        Ws = self._layers(theta)
        P, s = self._prefixes(Ws), self._suffixes(Ws)
        n, p, off = X.shape[0], self.num_params, self._offsets
        out = np.zeros((n, p, p))
        for ell in range(1, self.depth + 1):
            B = X @ P[ell - 1].T  # (n, m_{ell-1})
            M = np.eye(self.widths[ell])  # W_{k-1} ⋯ W_{ell+1}, shape (m_{k-1}, m_ell)
            for k in range(ell + 1, self.depth + 1):
                if k > ell + 1:
                    M = Ws[k - 2] @ M
                blk = np.einsum("a,bc,ne->nabce", s[k], M, B).reshape(
                    n, off[k] - off[k - 1], off[ell] - off[ell - 1]
                )
                out[:, off[k - 1] : off[k], off[ell - 1] : off[ell]] = blk
                out[:, off[ell - 1] : off[ell], off[k - 1] : off[k]] = blk.transpose(0, 2, 1)
        return out

r"""Random feature models and two-layer networks with a fixed output layer.

* :class:`RandomFeatureModel` — :math:`f(x;a) = c\sum_{j=1}^m a_j\phi(w_j^Tx)` with fixed
  features :math:`w_j` and only the outer weights :math:`a` trained (a feature-based
  model, wu2022alignment §2.1 and Appendix F.2).  It is linear in θ = a, so
  :math:`H = G` at every point.  :meth:`RandomFeatureModel.relu_sphere` builds the
  random ReLU feature model of (wu2022alignment, Prop. 2.5): :math:`w_j` uniform on the
  sphere of radius :math:`\sqrt d`, inputs uniform on the unit sphere, and the
  :math:`m^{-1/2}` scale of Appendix F.2 (``normalized=True``), under which the Gram
  matrix :math:`g_i^Tg_j` tends to the kernel :func:`relu_kernel` as :math:`m\to\infty`.
* :class:`TwoLayerNetwork` — :math:`f(x;\theta) = c\sum_{k=1}^m a_k\phi(b_k^Tx)` with fixed
  :math:`a_k\in\{\pm1\}` and trained :math:`\theta = (b_1;\dots;b_m)\in\mathbb{R}^{md}`
  (wang2023noise, §3.2, which uses :math:`c = 1`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite
from verifythm.models.activations import Activation, get_activation
from verifythm.models.base import Model, StoredInputDim, check_dim, read_only


def _check_scale(scale: float) -> float:
    try:
        c = float(scale)
    except (TypeError, ValueError):
        raise ValueError(f"scale: expected a finite non-zero number, got {scale!r}") from None
    if not np.isfinite(c) or c == 0:
        raise ValueError(f"scale: expected a finite non-zero number, got {scale!r}")
    return c


def sample_sphere(rng: np.random.Generator, n: int, d: int, radius: float = 1.0) -> Array:
    r"""``n`` points drawn uniformly on the sphere :math:`r\,\mathbb{S}^{d-1}`, shape ``(n, d)``.

    Raises
    ------
    ValueError
        If ``n < 1``, ``d < 1`` or ``radius`` is not a finite number > 0.
    """
    n = check_dim(n, "n")
    d = check_dim(d, "d")
    r = float(radius)
    if not np.isfinite(r) or r <= 0:
        raise ValueError(f"radius: must be a finite number > 0, got {radius!r}")
    Z = rng.standard_normal((n, d))
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    while np.any(norms == 0):  # probability zero, but keep the output on the sphere
        bad = norms[:, 0] == 0
        Z[bad] = rng.standard_normal((int(bad.sum()), d))
        norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return r * Z / norms


def relu_kernel(X1: ArrayLike, X2: ArrayLike) -> Array:
    r"""The ReLU feature kernel :math:`k(x,x') = \mathbb E_w[\mathrm{ReLU}(w^Tx)\mathrm{ReLU}(w^Tx')]`.

    For :math:`w\sim\mathcal N(0,I_d)` — and, by positive homogeneity of ReLU, equally for
    :math:`w` uniform on :math:`\sqrt d\,\mathbb S^{d-1}` (both have
    :math:`\mathbb E\|w\|^2 = d`) — :math:`k(x,x') = \|x\|\|x'\|\kappa(\cos\angle(x,x'))`
    with :math:`\kappa(z) = (\sqrt{1-z^2} + (\pi-\arccos z)z)/(2\pi)`
    (wu2022alignment, Appendix F.3).

    Parameters
    ----------
    X1, X2
        Inputs as rows, shapes ``(n1, d)`` and ``(n2, d)``.

    Returns
    -------
    Array
        The kernel matrix, shape ``(n1, n2)`` (zero rows/columns for zero inputs).
    """
    A = as_finite(X1, "X1", ndim=2)
    B = as_finite(X2, "X2", ndim=2)
    if A.shape[1] != B.shape[1]:
        raise ValueError(f"X2: expected inputs of dimension {A.shape[1]}, got shape {B.shape}")
    na = np.linalg.norm(A, axis=1)
    nb = np.linalg.norm(B, axis=1)
    denom = np.outer(na, nb)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(denom > 0, (A @ B.T) / np.where(denom > 0, denom, 1.0), 0.0)
    cos = np.clip(cos, -1.0, 1.0)
    kappa = (np.sqrt(1.0 - cos**2) + (np.pi - np.arccos(cos)) * cos) / (2 * np.pi)
    return denom * kappa


class RandomFeatureModel(Model):
    r"""Random feature model :math:`f(x;a) = c\sum_j a_j\phi(w_j^Tx)`; only :math:`a\in\mathbb{R}^m` trained.

    The model gradient is the scaled feature vector :math:`c\,\phi(Wx)`, constant in θ,
    so :math:`G = H` everywhere (wu2022alignment, §2.1 and Lemma 2.4).

    Parameters
    ----------
    features
        The fixed feature weights :math:`w_j` as rows, shape ``(m, d)``.
    activation
        An :class:`~verifythm.models.activations.Activation` or its name (default ReLU).
    scale
        The constant :math:`c \ne 0` (1 in Prop. 2.5 and Appendix A of wu2022alignment;
        :math:`m^{-1/2}` in its Appendix F.2).
    """

    def __init__(
        self, features: ArrayLike, activation: str | Activation = "relu", scale: float = 1.0
    ) -> None:
        W = as_finite(features, "features", ndim=2)
        if W.shape[0] == 0 or W.shape[1] == 0:
            raise ValueError(f"features: expected a non-empty (m, d) array, got shape {W.shape}")
        self.features = read_only(W)
        self.activation, self.scale = get_activation(activation), _check_scale(scale)

    @classmethod
    def relu_sphere(
        cls, rng: np.random.Generator, num_features: int, input_dim: int, *, normalized: bool = True
    ) -> RandomFeatureModel:
        r"""The random ReLU feature model of (wu2022alignment, Prop. 2.5).

        Feature weights are i.i.d. uniform on :math:`\sqrt d\,\mathbb S^{d-1}`; inputs are
        meant to be uniform on :math:`\mathbb S^{d-1}` (see :func:`sample_sphere`).
        ``normalized=True`` uses the scale :math:`m^{-1/2}` of Appendix F.2, under which the
        feature Gram matrix approximates :func:`relu_kernel`; ``False`` uses scale 1 as in
        the statement of Prop. 2.5.  The alignment factors do not depend on the scale.
        """
        m = check_dim(num_features, "num_features")
        d = check_dim(input_dim, "input_dim")
        W = sample_sphere(rng, m, d, radius=np.sqrt(d))
        return cls(W, "relu", 1.0 / np.sqrt(m) if normalized else 1.0)

    def __repr__(self) -> str:
        m, d = self.features.shape
        return f"RandomFeatureModel(m={m}, d={d}, activation={self.activation.name}, scale={self.scale:g})"

    @property
    def input_dim(self) -> int:
        """Input dimension ``d``."""
        return int(self.features.shape[1])

    @property
    def num_params(self) -> int:
        """``p = m`` (number of features)."""
        return int(self.features.shape[0])

    @property
    def linear_in_params(self) -> bool:
        """Always ``True``."""
        return True

    def feature_map(self, X: ArrayLike) -> Array:
        r"""Scaled features :math:`c\,\phi(Xw_j)`, shape ``(n, m)`` — the Jacobian at any θ."""
        Xa = self.check_inputs(X)
        return self.scale * self.activation.fn(Xa @ self.features.T)

    def population_fisher_sphere(self) -> Array:
        r"""Population Fisher :math:`\mathbb E_x[\nabla f\nabla f^T]`, :math:`x` uniform on the unit sphere.

        A Gaussian :math:`z\sim\mathcal N(0, I_d/d)` factors as :math:`z = \rho u` with
        :math:`u` uniform on :math:`\mathbb S^{d-1}` independent of :math:`\rho`,
        :math:`\mathbb E\rho^2 = 1`; ReLU is positively homogeneous, so
        :math:`G_{jk} = c^2\,\mathbb E_z[\mathrm{ReLU}(w_j^Tz)\mathrm{ReLU}(w_k^Tz)]
        = c^2\,k(w_j, w_k)/d` with :math:`k` = :func:`relu_kernel`.

        Raises
        ------
        ValueError
            If the activation is not ReLU.
        """
        if self.activation.name != "relu":
            raise ValueError(f"activation: closed form only for ReLU features, not {self.activation.name}")
        G = self.scale**2 * relu_kernel(self.features, self.features) / self.input_dim
        return (G + G.T) / 2

    def _predict(self, theta: Array, X: Array) -> Array:
        return self.scale * self.activation.fn(X @ self.features.T) @ theta

    def _jacobian(self, theta: Array, X: Array) -> Array:
        return self.scale * self.activation.fn(X @ self.features.T)

    def _output_hessians(self, theta: Array, X: Array) -> Array:
        return np.zeros((X.shape[0], self.num_params, self.num_params))


class TwoLayerNetwork(StoredInputDim, Model):
    r"""Two-layer network with fixed output signs: :math:`f(x;\theta) = c\sum_{k=1}^m a_k\phi(b_k^Tx)`.

    Trained parameters :math:`\theta = (b_1;\dots;b_m)\in\mathbb{R}^{md}` (row-major
    :math:`B\in\mathbb{R}^{m\times d}`); :math:`a_k\in\{\pm1\}` fixed
    (wang2023noise, §3.2, with :math:`c = 1`; its Assumption 3.4 asks
    :math:`\alpha\le\phi'\le\beta`, e.g. the leaky ReLU).  Gradient block ``k`` is
    :math:`c\,a_k\phi'(b_k^Tx)\,x`; the output Hessian is block-diagonal with blocks
    :math:`c\,a_k\phi''(b_k^Tx)\,xx^T` (zero almost everywhere for a leaky ReLU).

    Parameters
    ----------
    input_dim
        ``d >= 1``.
    output_weights
        The signs :math:`a_k`, shape ``(m,)``, entries in :math:`\{-1, +1\}`.
    activation
        An :class:`~verifythm.models.activations.Activation` or its name (default
        ``"leaky_relu"``, α = 0.1).
    scale
        The constant :math:`c \ne 0` (1 in wang2023noise).
    """

    def __init__(
        self,
        input_dim: int,
        output_weights: ArrayLike,
        activation: str | Activation = "leaky_relu",
        scale: float = 1.0,
    ) -> None:
        self._d = check_dim(input_dim, "input_dim")
        a = as_finite(output_weights, "output_weights", ndim=1)
        if a.size == 0:
            raise ValueError("output_weights: needs at least one hidden unit")
        if not np.all(np.abs(a) == 1.0):
            raise ValueError("output_weights: entries must be +1 or -1 (wang2023noise, §3.2)")
        self.output_weights = read_only(a)
        self.activation, self.scale = get_activation(activation), _check_scale(scale)

    @classmethod
    def balanced(
        cls, input_dim: int, width: int, activation: str | Activation = "leaky_relu"
    ) -> TwoLayerNetwork:
        """A network of ``width`` units whose first ``ceil(width/2)`` output signs are +1, the rest -1."""
        m = check_dim(width, "width")
        a = np.where(np.arange(m) < (m + 1) // 2, 1.0, -1.0)
        return cls(input_dim, a, activation)

    def __repr__(self) -> str:
        return (
            f"TwoLayerNetwork(input_dim={self._d}, width={self.width}, "
            f"activation={self.activation.name}, scale={self.scale:g})"
        )

    @property
    def width(self) -> int:
        """Number of hidden units ``m``."""
        return int(self.output_weights.size)

    @property
    def num_params(self) -> int:
        """``p = m d``."""
        return self.width * self._d

    def hidden_weights(self, theta: ArrayLike) -> Array:
        r"""θ reshaped to :math:`B\in\mathbb{R}^{m\times d}` (rows :math:`b_k`; a copy)."""
        return self.check_theta(theta).reshape(self.width, self._d).copy()

    def _pre(self, theta: Array, X: Array) -> Array:
        return X @ theta.reshape(self.width, self._d).T  # (n, m)

    def _predict(self, theta: Array, X: Array) -> Array:
        return self.scale * self.activation.fn(self._pre(theta, X)) @ self.output_weights

    def _jacobian(self, theta: Array, X: Array) -> Array:
        coef = self.scale * self.output_weights * self.activation.d1(self._pre(theta, X))  # (n, m)
        return (coef[:, :, None] * X[:, None, :]).reshape(X.shape[0], -1)

    def _block_diag(self, blocks: Array) -> Array:
        """Stack ``(..., m, d, d)`` blocks into block-diagonal ``(..., md, md)`` matrices."""
        m, d = self.width, self._d
        lead = blocks.shape[:-3]
        out = np.zeros((*lead, m, d, m, d))
        k = np.arange(m)
        out[..., k, :, k, :] = np.moveaxis(blocks, -3, 0)
        return out.reshape(*lead, m * d, m * d)

    def _output_hessians(self, theta: Array, X: Array) -> Array:
        coef = self.scale * self.output_weights * self.activation.d2(self._pre(theta, X))  # (n, m)
        blocks = np.einsum("nk,ni,nj->nkij", coef, X, X)
        return self._block_diag(blocks)

    def _weighted_output_hessian(self, theta: Array, X: Array, w: Array) -> Array:
        coef = self.scale * self.output_weights * self.activation.d2(self._pre(theta, X))  # (n, m)
        blocks = np.einsum("n,nk,ni,nj->kij", w, coef, X, X)
        return self._block_diag(blocks)

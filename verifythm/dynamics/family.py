r"""Per-sample Hessian families :math:`\{H_i\}` reduced to the subspace where SGD moves.

Linearized SGD at a minimum (DESIGN §5; dexter2024precise, Definition 1) iterates
:math:`w_{t+1} = \hat J_t w_t` with :math:`\hat J = I - \eta\hat H` and :math:`\hat H`
a mini-batch average of the PSD per-sample Hessians :math:`H_i`.

**Reduction to range(H).**  Because every :math:`H_i` is PSD,
:math:`\ker H = \bigcap_i \ker H_i`, so every :math:`\hat J` is the identity on
:math:`\ker H` and maps :math:`\operatorname{range} H` to itself.  The dynamics split
exactly into a frozen part in :math:`\ker H` and a moving part in
:math:`\operatorname{range} H`.  :class:`Family` keeps an orthonormal basis
:math:`U\in\mathbb{R}^{d\times r}` of :math:`\operatorname{range} H` and the reduced
Hessians :math:`U^TH_iU` (:math:`r\times r`); stability is decided there, where
:math:`H` is positive definite (a degenerate :math:`H` never produces a spurious
eigenvalue 1).

**Rank-one families** (square loss, :math:`H_i = g_ig_i^T`,
:math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}`).  With the Gram matrix
:math:`K = Q^TQ = V_K\Lambda V_K^T` (:math:`r` positive eigenvalues), the vectors
:math:`m_i = \Lambda^{1/2}V_K^Te_i\in\mathbb{R}^r` have the same Gram matrix as the
:math:`g_i`, so there is an isometry :math:`P:\operatorname{range}Q\to\mathbb{R}^r` with
:math:`Pg_i = m_i`.  The :math:`p`-dimensional dynamics restricted to
:math:`\operatorname{range} Q` are therefore *exactly* the :math:`r`-dimensional
dynamics of the family :math:`m_im_i^T`, obtained from :math:`K` alone in
:math:`O(n^2p)` (for :math:`K`) plus :math:`O(n^3)`.  The residuals
:math:`z = Q^Tw` of the linearized model are :math:`z = M^Ty` with
:math:`M = (m_1,\dots,m_n)` and :math:`y = Pw`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite

#: Relative cut-off below which eigenvalues of H (or K) count as zero.
RANK_RTOL = 1e-12


@dataclass(frozen=True)
class Family:
    r"""A validated family :math:`\{H_i\}_{i=1}^n` in reduced coordinates.

    Build with :meth:`from_hessians` or :meth:`from_gradients` (or :func:`as_family`).

    Attributes
    ----------
    n
        Number of samples.
    dim
        Ambient dimension (``d`` for Hessians, ``p`` for gradients).
    rank
        :math:`r = \operatorname{rank} H`, the dimension the dynamics live in.
    hessians
        Reduced Hessians :math:`U^TH_iU`, shape ``(n, r, r)`` (``None`` for rank-one
        families, which use ``factors``, and for diagonal families, which use ``diagonal``).
    factors
        For rank-one families, :math:`M = (m_1,\dots,m_n)` with shape ``(r, n)`` and
        :math:`H_i = m_im_i^T` in reduced coordinates; else ``None``.
    H
        The reduced mean Hessian :math:`\frac1n\sum_i H_i` (``r × r``, positive definite).
        The reduced coordinates are an eigenbasis of :math:`H`, so ``H`` is stored as the
        exact diagonal matrix of its eigenvalues (the mean of the reduced :math:`H_i`
        agrees with it up to rounding).
    eigenvalues
        Eigenvalues of ``H`` in decreasing order (the non-zero eigenvalues of the full H),
        the diagonal of ``H``.
    basis
        For dense families, :math:`U` (``d × r``); ``None`` for rank-one families.
    diagonal
        For families of diagonal matrices, the reduced diagonals :math:`(h_{ij})`,
        shape ``(n, r)``; then every :math:`\hat J` is diagonal, the moment operator is
        a Schur multiplier and the engine uses closed forms (see
        :mod:`verifythm.dynamics.stability`).  ``None`` otherwise.
    """

    n: int
    dim: int
    rank: int
    hessians: Array | None
    factors: Array | None
    H: Array
    eigenvalues: Array
    basis: Array | None = field(default=None, repr=False)
    diagonal: Array | None = field(default=None, repr=False)

    @property
    def rank_one(self) -> bool:
        """Whether the family is stored as rank-one factors."""
        return self.factors is not None

    @property
    def lambda_max(self) -> float:
        r""":math:`\lambda_1(H)` (0 for the zero family)."""
        return float(self.eigenvalues[0]) if self.rank else 0.0

    # -- constructors -------------------------------------------------------------
    @classmethod
    def from_hessians(cls, hessians: ArrayLike, *, name: str = "hessians", rtol: float = 1e-10) -> Family:
        """Validate per-sample Hessians ``(n, d, d)`` (symmetric, PSD, finite) and reduce.

        Raises
        ------
        ValueError
            Naming ``name`` for a wrong shape, NaN/inf, an asymmetric or a non-PSD slice.
        """
        from verifythm.quantities.spectral import check_hessians

        Hs = as_finite(hessians, name, ndim=3)
        n, d, d2 = Hs.shape
        if n == 0 or d == 0 or d != d2:
            check_hessians(Hs, name, rtol=rtol)  # raises the shape error, naming the argument
        idx = np.arange(d)
        off = Hs.copy()
        off[:, idx, idx] = 0.0
        if np.any(off):
            Hs, _ = check_hessians(Hs, name, rtol=rtol)
        else:  # every H_i diagonal
            return cls.from_diagonals(Hs[:, idx, idx], name=name, rtol=rtol)
        Hbar = Hs.mean(axis=0)
        w, U = np.linalg.eigh(Hbar)
        keep = w > RANK_RTOL * max(float(w[-1]) if w.size else 0.0, 1e-300)
        U = U[:, keep][:, ::-1]
        r = U.shape[1]
        red = np.einsum("ka,ikl,lb->iab", U, Hs, U, optimize=True)
        red = (red + red.transpose(0, 2, 1)) / 2
        lam = w[keep][::-1].copy()
        return cls(n, d, r, red, None, np.diag(lam), lam, U)

    @classmethod
    def from_diagonals(
        cls,
        diagonals: ArrayLike,
        *,
        name: str = "diagonals",
        rtol: float = 1e-10,
    ) -> Family:
        r"""Family of diagonal :math:`H_i = \operatorname{diag}(h_{i1},\dots,h_{id})` from ``(n, d)``.

        The coordinate axes diagonalise every :math:`H_i`, so every :math:`\hat J` is diagonal
        and the engine uses closed forms; cost :math:`O(nd)`, no ``d × d`` matrix is formed.

        Raises
        ------
        ValueError
            Naming ``name`` for a wrong shape, NaN/inf or a negative entry (a non-PSD :math:`H_i`).
        """
        diag = as_finite(diagonals, name, ndim=2)
        n, d = diag.shape
        if n == 0 or d == 0:
            raise ValueError(f"{name}: expected a non-empty (n, d) array, got shape {diag.shape}")
        neg = diag.min(axis=1) < -rtol * max(float(np.max(np.abs(diag))), 1e-300)
        if np.any(neg):
            i = int(np.argmax(neg))
            raise ValueError(
                f"{name}: matrix {i} is not positive semi-definite (λ_min = {diag[i].min():.3g})"
            )
        diag = np.maximum(diag, 0.0)
        mean = diag.mean(axis=0)
        top = float(mean.max())
        support = np.flatnonzero(mean > RANK_RTOL * max(top, 1e-300))
        support = support[np.argsort(-mean[support], kind="stable")]
        D = diag[:, support]
        lam = mean[support].copy()
        return cls(n, d, len(support), None, None, np.diag(lam), lam, np.eye(d)[:, support], D)

    @classmethod
    def from_gram(cls, K: ArrayLike, *, dim: int | None = None, name: str = "K") -> Family:
        r"""Rank-one family from the Gram matrix :math:`K_{ij} = g_i^Tg_j` (``n × n``, PSD)."""
        Ka = as_finite(K, name, ndim=2)
        n = Ka.shape[0]
        if n == 0 or Ka.shape[1] != n:
            raise ValueError(f"{name}: expected a non-empty square Gram matrix, got shape {Ka.shape}")
        if np.max(np.abs(Ka - Ka.T), initial=0.0) > 1e-10 * max(float(np.max(np.abs(Ka))), 1e-300):
            raise ValueError(f"{name}: Gram matrix is not symmetric")
        Ka = (Ka + Ka.T) / 2
        w, V = np.linalg.eigh(Ka)
        top = max(float(w[-1]), 0.0)
        if w[0] < -1e-10 * max(top, 1e-300):
            raise ValueError(f"{name}: Gram matrix is not positive semi-definite (λ_min = {w[0]:.3g})")
        keep = w > RANK_RTOL * max(top, 1e-300) * max(n, 1)
        w, V = w[keep][::-1], V[:, keep][:, ::-1]
        M = np.sqrt(w)[:, None] * V.T  # (r, n), MᵀM = K restricted to its range
        r = M.shape[0]
        lam = w / n  # M Mᵀ/n = diag(w)/n: the reduced coordinates are H's eigenbasis
        return cls(
            n,
            int(dim) if dim is not None else n,
            r,
            None,
            M,
            np.diag(lam),
            lam,
        )

    @classmethod
    def from_gradients(
        cls,
        gradients: ArrayLike,
        *,
        name: str = "gradients",
        backend: str = "numpy",
        device: str | None = None,
    ) -> Family:
        r"""Rank-one family :math:`H_i = g_ig_i^T` from per-sample gradients ``(n, p)``.

        Never forms a ``p × p`` matrix: :math:`K = GG^T` is accumulated over column
        blocks (``gradients`` may be a memory map).  ``backend="torch"`` computes :math:`K`
        with torch on ``device`` (``"cpu"`` or ``"cuda"``).
        """
        from verifythm.backends import check_backend
        from verifythm.linalg.gram import gram_from_gradients

        if check_backend(backend) == "torch":
            from verifythm.backends.torch_backend import gram_of_gradients

            G = np.asarray(gradients)
            if G.ndim != 2 or G.shape[0] == 0:
                raise ValueError(f"{name}: expected a non-empty (n, p) array, got shape {G.shape}")
            K, p = gram_of_gradients(G, device=device), G.shape[1]
        else:
            gram = gram_from_gradients(gradients, name=name)
            K, p = gram.K, gram.p
        if not np.all(np.isfinite(K)):
            raise ValueError(f"{name}: the Gram matrix overflows float64 (gradients too large)")
        return cls.from_gram(K, dim=p, name=name)

    # -- operations in reduced coordinates ------------------------------------------
    def sandwich_mean(self, W: Array) -> Array:
        r""":math:`\frac1n\sum_i H_iWH_i` in reduced coordinates (``W`` is ``r × r``)."""
        if self.diagonal is not None:
            D = self.diagonal
            return (D.T @ D / self.n) * W
        if self.factors is not None:
            M = self.factors
            q = np.einsum("ai,ab,bi->i", M, W, M, optimize=True)  # m_iᵀ W m_i
            return (M * q) @ M.T / self.n
        assert self.hessians is not None
        HW = np.matmul(self.hessians, W)
        return np.einsum("iab,ibc->ac", HW, self.hessians, optimize=True) / self.n

    def batch_hessians(self, weights: Array) -> Array:
        r"""Mini-batch Hessians :math:`\sum_i \omega_{ki}H_i` for weight rows ``weights`` (k, n)."""
        if self.diagonal is not None:
            diag = weights @ self.diagonal
            return diag[:, :, None] * np.eye(self.rank)[None]
        if self.factors is not None:
            M = self.factors
            return np.einsum("ai,ki,bi->kab", M, weights, M, optimize=True)
        assert self.hessians is not None
        return np.einsum("ki,iab->kab", weights, self.hessians, optimize=True)

    def apply_batch(self, weights: Array, Y: Array) -> Array:
        r"""Rows :math:`\hat H_k y_k = \sum_i\omega_{ki}H_iy_k` for ``weights`` (k, n), ``Y`` (k, r)."""
        if self.diagonal is not None:
            return (weights @ self.diagonal) * Y
        if self.factors is not None:
            M = self.factors
            return ((Y @ M) * weights) @ M.T
        assert self.hessians is not None
        return np.einsum("ki,iab,kb->ka", weights, self.hessians, Y, optimize=True)

    def reduce_vector(self, w0: ArrayLike, *, name: str = "w0") -> Array:
        r"""Reduced coordinates :math:`y = U^Tw` of an initial point (dense families only)."""
        if self.basis is None:
            raise ValueError(
                f"{name}: a rank-one family has no stored basis; pass residuals z0 = Qᵀw0 instead"
            )
        w = as_finite(w0, name, ndim=1)
        if w.shape[0] != self.dim:
            raise ValueError(f"{name}: expected length {self.dim}, got {w.shape[0]}")
        return self.basis.T @ w

    def reduce_residuals(self, z0: ArrayLike, *, name: str = "z0") -> Array:
        r"""Reduced coordinates :math:`y` with :math:`M^Ty = z` for residuals :math:`z = Q^Tw`."""
        if self.factors is None:
            raise ValueError(f"{name}: residual coordinates exist only for rank-one (gradient) families")
        z = as_finite(z0, name, ndim=1)
        if z.shape[0] != self.n:
            raise ValueError(f"{name}: expected {self.n} residuals, got {z.shape[0]}")
        y, *_ = np.linalg.lstsq(self.factors.T, z, rcond=None)
        return y


def as_family(
    family: Family | None = None,
    *,
    hessians: ArrayLike | None = None,
    gradients: ArrayLike | None = None,
) -> Family:
    """Return a :class:`Family` from exactly one of ``family``, ``hessians`` or ``gradients``."""
    given = [x is not None for x in (family, hessians, gradients)]
    if sum(given) != 1:
        raise ValueError("family: give exactly one of family, hessians (n, d, d) or gradients (n, p)")
    if family is not None:
        if not isinstance(family, Family):
            raise ValueError(f"family: expected a verifythm Family, got {type(family).__name__}")
        return family
    if hessians is not None:
        return Family.from_hessians(hessians)
    return Family.from_gradients(gradients)

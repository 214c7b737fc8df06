r"""Per-sample Hessian families :math:`\{H_i\}` reduced to the subspace where SGD moves.

Linearized SGD at a minimum (docs/guides/moment_engine.md; dexter2024precise, Definition 1) iterates
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

import dataclasses
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike

from verifythm.dynamics.scaling import ldexp, ldexp_array, pow2_exponent, pow4_exponent
from verifythm.linalg.blocks import max_abs
from verifythm.linalg.memory import require_memory
from verifythm.linalg.psd import Array, as_finite

#: Relative cut-off below which eigenvalues of H (or K) count as zero.
RANK_RTOL = 1e-12


@dataclass(frozen=True, eq=False)
class Family:
    r"""A validated family :math:`\{H_i\}_{i=1}^n` in reduced coordinates.

    Build with :meth:`from_hessians`, :meth:`from_diagonals`, :meth:`from_gram` or
    :meth:`from_gradients` (or :func:`as_family`).

    **Storage is normalised by a power of two.**  The family is stored as
    :math:`\hat H_i = H_i/2^k` with :math:`\lambda_1(\hat H)\in[1,2)` (rank-one families:
    :math:`[1,4)` with ``k`` even, so that the factors scale by the exact :math:`2^{k/2}`),
    computed from the input divided by a power of two *before* any eigendecomposition or
    rank decision: tiny (even subnormal) and huge families are handled at full precision,
    and the results are exactly equivariant under :math:`H_i\to 2^mH_i`.  The attributes
    below are the real (absolute) values, :math:`2^k` times the stored ones; the engine
    (:mod:`verifythm.dynamics.stability`, :mod:`verifythm.dynamics.moments`, the simulator)
    works on :meth:`normalized` with :math:`\hat\eta = \eta\,2^k` (see
    :mod:`verifythm.dynamics.scaling`).  An absolute value is subnormal, 0 or (raising
    ``ValueError`` at construction for :math:`\lambda_1`) infinite only when the true value
    lies outside float64's range; the normalised twin is always exact.

    Attributes
    ----------
    n
        Number of samples.
    dim
        Ambient dimension (``d`` for Hessians, ``p`` for gradients).
    rank
        :math:`r = \operatorname{rank} H`, the dimension the dynamics live in.
    exponent
        ``k``: the family is :math:`2^k` times its normalised twin (:meth:`normalized`).
    basis
        For dense families, :math:`U` (``d × r``); ``None`` for rank-one families.
    form
        How a rank-one family was reduced: ``"n×n Gram"`` (:math:`K=GG^T`, when :math:`n\le p`) or
        ``"p×p"`` (:math:`C=G^TG`, when :math:`p<n`); the smaller side is chosen automatically.
    """

    n: int
    dim: int
    rank: int
    exponent: int
    hessians_hat: Array | None = field(repr=False)
    factors_hat: Array | None = field(repr=False)
    eigenvalues_hat: Array = field(repr=False)
    basis: Array | None = field(default=None, repr=False)
    diagonal_hat: Array | None = field(default=None, repr=False)
    form: str = ""

    # -- real (absolute) values: 2^k times the stored, normalised ones -----------------
    @cached_property
    def hessians(self) -> Array | None:
        """Reduced Hessians :math:`U^TH_iU`, shape ``(n, r, r)`` (absolute scale).

        ``None`` for rank-one families (see :attr:`factors`) and diagonal ones (:attr:`diagonal`).
        """
        return None if self.hessians_hat is None else ldexp_array(self.hessians_hat, self.exponent)

    @cached_property
    def factors(self) -> Array | None:
        r"""Rank-one factors :math:`M=(m_1,\dots,m_n)`, shape ``(r, n)``, :math:`H_i=m_im_i^T`.

        Absolute scale (:math:`2^{k/2}\hat M`); ``None`` unless the family is rank-one.
        """
        return None if self.factors_hat is None else ldexp_array(self.factors_hat, self.exponent // 2)

    @cached_property
    def diagonal(self) -> Array | None:
        r"""Reduced diagonals :math:`(h_{ij})`, shape ``(n, r)``, of a family of diagonal matrices.

        Then every :math:`\hat J` is diagonal, the moment operator is a Schur multiplier and the
        engine uses closed forms (:mod:`verifythm.dynamics.stability`).  ``None`` otherwise.
        """
        return None if self.diagonal_hat is None else ldexp_array(self.diagonal_hat, self.exponent)

    @cached_property
    def eigenvalues(self) -> Array:
        """Eigenvalues of :math:`H` in decreasing order (absolute scale)."""
        return ldexp_array(self.eigenvalues_hat, self.exponent)

    @cached_property
    def H(self) -> Array:
        r"""The reduced mean Hessian :math:`\frac1n\sum_iH_i=\operatorname{diag}(\lambda)`, ``r × r``.

        The reduced coordinates are an eigenbasis of :math:`H`, so it is the exact diagonal
        matrix of its eigenvalues (absolute scale).
        """
        return np.diag(self.eigenvalues)

    @property
    def rank_one(self) -> bool:
        """Whether the family is stored as rank-one factors."""
        return self.factors_hat is not None

    @property
    def lambda_max(self) -> float:
        r""":math:`\lambda_1(H)` (0 for the zero family)."""
        return float(self.eigenvalues[0]) if self.rank else 0.0

    def normalized(self) -> tuple[Family, int]:
        r"""The normalised twin :math:`\{\hat H_i\} = \{H_i/2^k\}` and ``k``.

        The twin shares the stored arrays (no copy); its :math:`\lambda_1` lies in
        :math:`[1, 2)` (:math:`[1,4)` for rank-one families) and its own exponent is 0.
        By scale invariance, :math:`\mathcal T_\eta(\{H_i\}) = \mathcal T_{\eta2^k}(\{\hat H_i\})`.
        """
        return self._twin, self.exponent

    @cached_property
    def _twin(self) -> Family:
        if self.exponent == 0:
            return self
        return dataclasses.replace(self, exponent=0)

    # -- constructors -------------------------------------------------------------
    @classmethod
    def _build(
        cls,
        n: int,
        dim: int,
        exponent: int,
        lam: Array,
        *,
        name: str,
        hessians: Array | None = None,
        factors: Array | None = None,
        basis: Array | None = None,
        diagonal: Array | None = None,
        form: str = "",
    ) -> Family:
        """Renormalise so that λ̂₁ ∈ [1, 2) ([1, 4), even shift, for factors) and assemble."""
        if lam.size:
            j = pow4_exponent(float(lam[0])) if factors is not None else pow2_exponent(float(lam[0]))
            lam = ldexp_array(lam, -j)
            hessians = None if hessians is None else ldexp_array(hessians, -j)
            diagonal = None if diagonal is None else ldexp_array(diagonal, -j)
            factors = None if factors is None else ldexp_array(factors, -(j // 2))
            exponent += j
            if math.isinf(ldexp(float(lam[0]), exponent)):
                raise ValueError(f"{name}: λ_1(H) overflows float64 (the family is too large)")
        else:
            exponent = 0
        return cls(n, dim, int(lam.size), exponent, hessians, factors, lam, basis, diagonal, form)

    @classmethod
    def from_hessians(cls, hessians: ArrayLike, *, name: str = "hessians", rtol: float = 1e-10) -> Family:
        """Validate per-sample Hessians ``(n, d, d)`` (symmetric, PSD, finite) and reduce.

        Raises
        ------
        ValueError
            Naming ``name`` for a wrong shape, NaN/inf, an asymmetric or a non-PSD slice.
        """
        from verifythm.linalg.psd import check_hessians, normalized_hessians

        Hs = as_finite(hessians, name, ndim=3)
        n, d, d2 = Hs.shape
        if n == 0 or d == 0 or d != d2:
            check_hessians(Hs, name, rtol=rtol)  # raises the shape error, naming the argument
        # working copies (off-diagonal part, normalised and reduced Hessians) of the input's size
        what = f"working copies of the n × d × d Hessians (n = {n}, d = {d})"
        require_memory(3.0 * 8.0 * n * d * d, what, name=name)
        idx = np.arange(d)
        off = Hs.copy()
        off[:, idx, idx] = 0.0
        if not np.any(off):  # every H_i diagonal
            return cls.from_diagonals(Hs[:, idx, idx], name=name, rtol=rtol)
        Hn, e, _ = normalized_hessians(Hs, name, rtol=rtol)  # H_i/2^e, exact
        w, U = np.linalg.eigh(Hn.mean(axis=0))
        keep = w > RANK_RTOL * max(float(w[-1]), 0.0)
        U = U[:, keep][:, ::-1]
        red = np.einsum("ka,ikl,lb->iab", U, Hn, U, optimize=True)
        red = (red + red.transpose(0, 2, 1)) / 2
        lam = w[keep][::-1].copy()
        return cls._build(n, d, e, lam, name=name, hessians=red, basis=U)

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
        m = float(np.max(np.abs(diag)))
        e = pow2_exponent(m) if m > 0 else 0
        Dn = ldexp_array(diag, -e)  # exact: max |entry| in [1, 2)
        neg = Dn.min(axis=1) < -rtol * max(float(np.max(np.abs(Dn))), 1e-300)
        if np.any(neg):
            i = int(np.argmax(neg))
            raise ValueError(
                f"{name}: matrix {i} is not positive semi-definite (λ_min = {diag[i].min():.3g})"
            )
        Dn = np.maximum(Dn, 0.0)
        mean = Dn.mean(axis=0)
        top = float(mean.max())
        support = np.flatnonzero(mean > RANK_RTOL * top) if top > 0 else np.zeros(0, dtype=int)
        support = support[np.argsort(-mean[support], kind="stable")]
        lam = mean[support].copy()
        return cls._build(n, d, e, lam, name=name, basis=np.eye(d)[:, support], diagonal=Dn[:, support])

    @classmethod
    def from_gram(cls, K: ArrayLike, *, dim: int | None = None, name: str = "K") -> Family:
        r"""Rank-one family from the Gram matrix :math:`K_{ij} = g_i^Tg_j` (``n × n``, PSD)."""
        Ka = as_finite(K, name, ndim=2)
        n = Ka.shape[0]
        if n == 0 or Ka.shape[1] != n:
            raise ValueError(f"{name}: expected a non-empty square Gram matrix, got shape {Ka.shape}")
        m = float(np.max(np.abs(Ka)))
        e = pow4_exponent(m) if m > 0 else 0
        return cls._from_gram_hat(ldexp_array(Ka, -e), e, int(dim) if dim is not None else n, name)

    @classmethod
    def _from_gram_hat(cls, Kn: Array, e: int, dim: int, name: str) -> Family:
        r"""Rank-one family from :math:`\hat K = K/2^e` (``e`` even, :math:`\max|\hat K|` moderate)."""
        n = Kn.shape[0]
        if np.max(np.abs(Kn - Kn.T), initial=0.0) > 1e-10 * max(float(np.max(np.abs(Kn))), 1e-300):
            raise ValueError(f"{name}: Gram matrix is not symmetric")
        Kn = (Kn + Kn.T) / 2
        w, V = np.linalg.eigh(Kn)
        top = max(float(w[-1]), 0.0)
        if w[0] < -1e-10 * top:
            lam_min = ldexp(float(w[0]), e)
            raise ValueError(f"{name}: Gram matrix is not positive semi-definite (λ_min = {lam_min:.3g})")
        keep = w > RANK_RTOL * top * max(n, 1)
        w, V = w[keep][::-1], V[:, keep][:, ::-1]
        M = np.sqrt(w)[:, None] * V.T  # (r, n), MᵀM = K̂ restricted to its range
        lam = w / n  # M Mᵀ/n = diag(w)/n: the reduced coordinates are H's eigenbasis
        return cls._build(n, dim, e, lam, name=name, factors=M, form="n×n Gram")

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
        blocks (``gradients`` may be a memory map), divided by the square of a power of
        two, so neither tiny nor huge gradients under- or overflow.  ``backend="torch"``
        computes :math:`K` with torch on ``device`` (``"cpu"`` or ``"cuda"``).
        """
        from verifythm.backends import check_backend
        from verifythm.linalg.gram import gram_from_gradients

        if check_backend(backend) == "torch":
            G = np.asarray(gradients)
            if G.ndim != 2 or G.shape[0] == 0:
                raise ValueError(f"{name}: expected a non-empty (n, p) array, got shape {G.shape}")
            gram = gram_from_gradients(G, name=name, backend="torch", device=device)  # K = scale²·K̂
            m = float(np.max(np.abs(gram.khat)))
            e = pow4_exponent(m) if m > 0 else 0
            k = 2 * pow2_exponent(gram.scale) + e
            return cls._from_gram_hat(ldexp_array(gram.khat, -e), k, gram.p, name)
        G = np.asarray(gradients) if not isinstance(gradients, np.ndarray) else gradients
        if G.ndim == 2 and 0 < G.shape[1] < G.shape[0]:
            return cls._from_gradients_pspace(G, name)  # p < n: the p × p form is the smaller
        gram = gram_from_gradients(gradients, name=name)  # K = scale²·K̂, scale a power of two
        return cls._from_gram_hat(gram.khat, 2 * pow2_exponent(gram.scale), gram.p, name)

    @classmethod
    def _from_gradients_pspace(cls, G: np.ndarray, name: str, block: int = 1 << 15) -> Family:
        r"""Rank-one family from gradients ``(n, p)`` with :math:`p<n`, through :math:`C=G^TG` (``p × p``).

        :math:`C=W\Lambda W^T` has the non-zero spectrum of :math:`K=GG^T`, and the factors
        :math:`M=W_r^TG^T` (``r × n``) satisfy :math:`M^TM=K` and :math:`MM^T=\Lambda_r`: the same
        reduced family as the Gram route, up to an isometry of :math:`\mathbb R^r`, at
        :math:`O(np^2)` instead of :math:`O(n^2p+n^3)` (and :math:`O(np)` memory, never ``n × n``).
        Rows are read in blocks, so ``G`` may be a memory map.
        """
        if not (np.issubdtype(G.dtype, np.floating) or np.issubdtype(G.dtype, np.integer)):
            raise ValueError(f"{name}: expected a real numeric array, got dtype {G.dtype}")
        n, p = G.shape
        # C, its symmetrised copy, the eigenvectors and the eigensolver's workspace; the factors M
        require_memory(
            8.0 * (5.0 * float(p) ** 2 + float(p) * n),
            f"the p × p form C = GᵀG, its eigendecomposition and the r × n factors (n = {n}, p = {p})",
            name=name,
        )
        m = max_abs(G, name)
        c = pow2_exponent(m) if m > 0 else 0
        C = np.zeros((p, p))
        for i in range(0, n, block):
            b = ldexp_array(np.asarray(G[i : i + block], dtype=np.float64), -c)
            C += b.T @ b
        w, W = np.linalg.eigh((C + C.T) / 2)
        top = max(float(w[-1]), 0.0)
        keep = w > RANK_RTOL * top * max(n, 1)
        w, W = w[keep][::-1], W[:, keep][:, ::-1]
        M = np.empty((w.size, n))
        for i in range(0, n, block):
            M[:, i : i + block] = W.T @ ldexp_array(np.asarray(G[i : i + block], dtype=np.float64), -c).T
        return cls._build(n, p, 2 * c, w / n, name=name, factors=M, form="p×p")

    # -- operations in reduced coordinates (absolute scale) ---------------------------
    def sandwich_mean(self, W: Array) -> Array:
        r""":math:`\frac1n\sum_i H_iWH_i` in reduced coordinates (``W`` is ``r × r``)."""
        if self.diagonal_hat is not None:
            D = self.diagonal_hat
            out = (D.T @ D / self.n) * W
        elif self.factors_hat is not None:
            M = self.factors_hat
            q = np.einsum("ai,ai->i", W @ M, M)  # m_iᵀ W m_i: one GEMM and a column sum
            out = (M * q) @ M.T / self.n
        else:
            assert self.hessians_hat is not None
            HW = np.matmul(self.hessians_hat, W)
            out = np.einsum("iab,ibc->ac", HW, self.hessians_hat, optimize=True) / self.n
        return ldexp_array(out, 2 * self.exponent)

    def batch_hessians(self, weights: Array) -> Array:
        r"""Mini-batch Hessians :math:`\sum_i \omega_{ki}H_i` for weight rows ``weights`` (k, n)."""
        if self.diagonal_hat is not None:
            diag = weights @ self.diagonal_hat
            out = diag[:, :, None] * np.eye(self.rank)[None]
        elif self.factors_hat is not None:
            M = self.factors_hat
            out = np.einsum("ai,ki,bi->kab", M, weights, M, optimize=True)
        else:
            assert self.hessians_hat is not None
            out = np.einsum("ki,iab->kab", weights, self.hessians_hat, optimize=True)
        return ldexp_array(out, self.exponent)

    def apply_batch(self, weights: Array, Y: Array) -> Array:
        r"""Rows :math:`\hat H_k y_k = \sum_i\omega_{ki}H_iy_k` for ``weights`` (k, n), ``Y`` (k, r)."""
        if self.diagonal_hat is not None:
            out = (weights @ self.diagonal_hat) * Y
        elif self.factors_hat is not None:
            M = self.factors_hat
            out = ((Y @ M) * weights) @ M.T
        else:
            assert self.hessians_hat is not None
            out = np.einsum("ki,iab,kb->ka", weights, self.hessians_hat, Y, optimize=True)
        return ldexp_array(out, self.exponent)

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
        if self.factors_hat is None:
            raise ValueError(f"{name}: residual coordinates exist only for rank-one (gradient) families")
        z = as_finite(z0, name, ndim=1)
        if z.shape[0] != self.n:
            raise ValueError(f"{name}: expected {self.n} residuals, got {z.shape[0]}")
        y, *_ = np.linalg.lstsq(self.factors_hat.T, z, rcond=None)  # M = 2^{k/2} M̂
        # numpy's stubs type lstsq's solution as NDArray[floating]: for float64 data it is float64
        return ldexp_array(y, -(self.exponent // 2))  # type: ignore[arg-type]


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
    assert gradients is not None  # exactly one of the three was given (checked above)
    return Family.from_gradients(gradients)

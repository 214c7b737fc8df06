r"""The quantities of a gradient family with fewer parameters than samples, in parameter space.

For per-sample gradients :math:`G\in\mathbb R^{n\times p}` (rows :math:`g_i`) with
:math:`p<n`, the Gram matrix :math:`K = GG^T` is ``n × n`` but has rank at most ``p``; the
``p × p`` form :math:`C = G^TG` carries its non-zero spectrum (wu2022alignment, Appendix A).
:func:`~verifythm.quantities.summary.family_summary` then computes, at :math:`O(np^2)` time
and :math:`O(np)` memory instead of :math:`O(n^3)` and :math:`O(n^2)`:

* the spectrum of :math:`H = G^TG/n = C/n` (λ₁, trace, Frobenius norm, stable rank) and
  :math:`\tau(G) = \lambda_1(K)^2/\|K\|_F^2`;
* :math:`(K^2)_{ii} = g_i^TCg_i`, hence :math:`\chi_i` and γ (Definition 2.1);
* the exact :math:`\inf_\theta\mu`, :math:`\inf_\theta\mu_1` of
  :mod:`verifythm.quantities.extremes`: with :math:`C = W\Lambda W^T`, the columns of
  :math:`U = GW_r\Lambda_r^{-1/2}` are an orthonormal basis of :math:`\operatorname{range}(K)`,
  :math:`U^TK^2U = \Lambda_r^2`, and
  :math:`U^T\mathrm{diag}(\chi)U = \Lambda_r^{-1/2}W_r^T(G^T\mathrm{diag}(\chi)G)W_r\Lambda_r^{-1/2}`,
  so the compressed Rayleigh problems are ``r × r``;
* μ, μ₁, μ₂ at given residuals :math:`e`, as :func:`~verifythm.quantities.alignment.alignment_factors`
  computes them (:math:`\mu_2 = \mu_1-\mu`), with
  :math:`\|PDK\|_F^2 = \|B\,W\Lambda^{1/2}\|_F^2`, :math:`B = P\,\mathrm{diag}(e)G`;
* the coherence σ (dexter2024precise, Definition 2) needs :math:`\lambda_1(|K|)`, and the
  entry-wise absolute value has no low-rank structure: it is computed by Lanczos on
  :math:`v\mapsto|K|v` applied over row blocks of :math:`|GG^T|` (:math:`O(n^2p)` time per
  product, :math:`O(n)` memory), densely when :math:`n\le` :data:`DENSE_COHERENCE_MAX`.

Everything is computed from :math:`\hat G = G/c` with :math:`c` a power of two, as in
:class:`~verifythm.linalg.gram.Gram`, so no value under- or overflows unless the true one does.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.dynamics.scaling import pow2_exponent
from verifythm.linalg.blocks import max_abs
from verifythm.linalg.gram import top_eigenvalue
from verifythm.linalg.memory import require_memory
from verifythm.linalg.psd import Array, as_finite
from verifythm.quantities.extremes import RANGE_RTOL
from verifythm.quantities.sharpness import HessianSpectrum, spectrum_from_eigenvalues

#: Up to this many samples, σ comes from the dense ``n × n`` matrix :math:`|\hat K|`.
DENSE_COHERENCE_MAX = 1000
#: Entries of :math:`\hat G` converted to float64 at a time.
BLOCK_ENTRIES = 1 << 22
#: Entries of a block of :math:`|\hat K|` rows (8 MiB: the block stays in cache between its
#: product, its absolute value and its product with the Lanczos vector).
ABS_BLOCK_ENTRIES = 1 << 20


def _row_blocks(G: np.ndarray, scale: float) -> Iterator[tuple[int, int, Array]]:
    """``(i, j, Ĝ[i:j])`` over row blocks of at most :data:`BLOCK_ENTRIES` entries, in float64."""
    n, p = G.shape
    step = max(1, BLOCK_ENTRIES // max(p, 1))
    for i in range(0, n, step):
        j = min(i + step, n)
        yield i, j, np.asarray(G[i:j], dtype=np.float64) / scale


@dataclass(frozen=True, eq=False)
class TallGradients:
    r"""A gradient family with :math:`p<n` reduced to parameter space (build with :func:`tall_gradients`).

    Attributes
    ----------
    G
        The gradients as given, ``(n, p)`` (array or memory map; read by row blocks).
    scale
        :math:`c`, a power of two with :math:`\max|G_{ij}|/c\in[1,2)`.
    w, W
        Eigenvalues (descending, clipped at 0) and eigenvectors of :math:`\hat C = \hat G^T\hat G`.
    rows
        :math:`(\hat K^2)_{ii} = \hat g_i^T\hat C\hat g_i` (``n``).
    diag
        :math:`\hat K_{ii} = \|\hat g_i\|^2` (``n``).
    chi_form
        :math:`\hat G^T\mathrm{diag}(\mathrm{rows})\hat G` (``p × p``).
    """

    G: np.ndarray
    scale: float
    w: Array
    W: Array
    rows: Array
    diag: Array
    chi_form: Array

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.G.shape[0])

    @property
    def p(self) -> int:
        """Number of parameters."""
        return int(self.G.shape[1])

    @property
    def is_zero(self) -> bool:
        """Whether every gradient vanishes."""
        return not bool(np.any(self.diag))

    # -- spectrum, γ, τ ---------------------------------------------------------------------
    def spectrum(self) -> HessianSpectrum:
        r"""λ₁, trace, Frobenius norm and stable rank of :math:`H = G^TG/n`."""
        return spectrum_from_eigenvalues(self.n, self.p, self.w / self.n, 2 * pow2_exponent(self.scale))

    @property
    def gamma(self) -> float:
        r""":math:`\gamma = \min_i\chi_i/\bar\chi` (wu2022alignment, Definition 2.1)."""
        return float(self.rows.min() / self.rows.mean())

    @property
    def tau(self) -> float:
        r""":math:`\tau(G) = \lambda_1(K)^2/\|K\|_F^2` (wu2022alignment, Lemma 2.4)."""
        return float(self.w[0] ** 2 / self.rows.sum())

    # -- exact infima over θ ------------------------------------------------------------------
    def infima(self) -> tuple[float, float, int]:
        r"""(:math:`\inf_\theta\mu`, :math:`\inf_\theta\mu_1`, :math:`\dim\operatorname{range}K`)."""
        keep = self.w > RANGE_RTOL * max(float(self.w[0]), 0.0)
        w, W = self.w[keep], self.W[:, keep]
        s = 1.0 / np.sqrt(w)
        A1 = (W.T @ self.chi_form @ W) * np.outer(s, s) / self.rows.mean()
        A1 = (A1 + A1.T) / 2
        A2 = np.diag(w * w / self.rows.sum())
        mu1_inf = float(np.linalg.eigvalsh(A1)[0])
        mu_inf = float(np.linalg.eigvalsh(A1 - A2)[0])
        return mu_inf, mu1_inf, int(w.size)

    # -- coherence σ --------------------------------------------------------------------------
    def coherence(self) -> float:
        r"""σ :math:`= \lambda_1(|K|)/\max_iK_{ii}` (dexter2024precise, Definition 2)."""
        n = self.n
        Gt = np.empty((self.p, n))  # Ĝᵀ, float64, contiguous for the block products
        for i, j, b in _row_blocks(self.G, self.scale):
            Gt[:, i:j] = b.T
        if n <= DENSE_COHERENCE_MAX:
            lam = top_eigenvalue(np.abs(Gt.T @ Gt))
        else:
            lam = _top_of_abs_gram(Gt)
        return lam / float(self.diag.max())

    # -- μ, μ₁, μ₂ at given residuals -----------------------------------------------------------
    def at_point(self, e: ArrayLike, name: str = "residuals") -> dict[str, float | None]:
        r"""``{"loss", "mu", "mu1", "mu2"}`` at residuals :math:`e` (wu2022alignment, Eq. (3)).

        μ, μ₁, μ₂ are ``None`` where :math:`L = 0` or :math:`G = 0`.
        """
        ea = as_finite(e, name, ndim=1)
        if ea.shape[0] != self.n:
            raise ValueError(f"{name}: expected {self.n} values (one per sample), got {ea.shape[0]}")
        ce = float(np.max(np.abs(ea))) if ea.size else 0.0
        if ce == 0.0:
            return {"loss": 0.0, "mu": None, "mu1": None, "mu2": None}
        eh = ea / ce
        ee = float(eh @ eh)
        with np.errstate(over="ignore", under="ignore"):
            loss = float(ee / (2 * self.n) * ce * ce)
        if self.is_zero:
            return {"loss": loss, "mu": None, "mu1": None, "mu2": None}
        Gte = np.zeros(self.p)  # Ĝᵀê = Σ ê_i ĝ_i, also n times the mean row of diag(ê)Ĝ
        for i, j, b in _row_blocks(self.G, self.scale):
            Gte += b.T @ eh[i:j]
        mean_row = Gte / self.n
        R = self.W * np.sqrt(self.w)  # Ĉ = R Rᵀ
        pdk = 0.0
        for i, j, b in _row_blocks(self.G, self.scale):
            B = b * eh[i:j, None] - mean_row  # rows of P diag(ê) Ĝ
            pdk += float(np.sum((B @ R) ** 2))
        fro2 = float(self.rows.sum())
        mu1 = float((eh * eh) @ self.rows) * self.n / (ee * fro2)
        mu = pdk * self.n / (ee * fro2)
        return {"loss": loss, "mu": mu, "mu1": mu1, "mu2": mu1 - mu}


def _top_of_abs_gram(Gt: Array) -> float:
    r""":math:`\lambda_1(|\hat G\hat G^T|)` by Lanczos, the products formed block by block."""
    from scipy.sparse.linalg import LinearOperator, eigsh

    n = Gt.shape[1]
    step = max(1, ABS_BLOCK_ENTRIES // n)
    buf = np.empty((min(step, n), n))  # one block of |K̂| rows, reused: ~3× faster than fresh arrays

    def matvec(v: Array) -> Array:
        v = np.ravel(v)
        out = np.empty(n)
        for i in range(0, n, step):
            j = min(i + step, n)
            b = buf[: j - i]
            np.matmul(Gt[:, i:j].T, Gt, out=b)
            np.abs(b, out=b)
            out[i:j] = b @ v
        return out

    op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    # |K̂| is non-negative: its top eigenvector is too (Perron), so the all-ones start is close,
    # and a short Krylov space restarted (ncv = 8) takes ~10-13 products where ARPACK's default
    # (20) always takes 21: each product costs O(n²p)
    v0 = np.full(n, 1.0 / math.sqrt(n))
    lam = eigsh(op, k=1, which="LA", v0=v0, tol=1e-13, ncv=min(8, n - 1), return_eigenvectors=False)
    return float(lam[0])


def tall_gradients(gradients: ArrayLike, *, name: str = "gradients") -> TallGradients:
    r"""Reduce gradients ``(n, p)``, :math:`p<n`, to :class:`TallGradients` (three passes over row blocks).

    Raises
    ------
    ValueError
        Naming ``name`` if the array is not 2-d with :math:`1\le p<n`, or has NaN/inf entries.
    InsufficientMemoryError
        Naming ``name`` if the ``p × p`` forms and the ``n``-vectors cannot fit.
    """
    G = gradients if isinstance(gradients, np.ndarray) else np.asarray(gradients)
    if G.ndim != 2 or not 1 <= G.shape[1] < G.shape[0]:
        raise ValueError(f"{name}: expected an (n, p) array with 1 ≤ p < n, got shape {G.shape}")
    n, p = G.shape
    require_memory(
        8.0 * (6.0 * p * p + 3.0 * n + float(n) * p),
        f"the p × p forms and the n-vectors of a tall family (n = {n}, p = {p})",
        name=name,
    )
    m = max_abs(G, name)
    scale = math.ldexp(1.0, pow2_exponent(m)) if m > 0 else 1.0  # max|Ĝ| in [1, 2)
    C = np.zeros((p, p))
    diag = np.empty(n)
    for i, j, b in _row_blocks(G, scale):
        C += b.T @ b
        diag[i:j] = np.einsum("ij,ij->i", b, b)
    C = (C + C.T) / 2
    rows = np.empty(n)
    chi_form = np.zeros((p, p))
    for i, j, b in _row_blocks(G, scale):
        r = np.einsum("ij,ij->i", b @ C, b)
        rows[i:j] = r
        chi_form += b.T @ (b * r[:, None])
    w, W = np.linalg.eigh(C)
    w, W = np.clip(w[::-1], 0.0, None), W[:, ::-1]
    return TallGradients(G, scale, w, W, rows, diag, (chi_form + chi_form.T) / 2)


def tall_or_none(gradients: ArrayLike | None) -> TallGradients | None:
    """:func:`tall_gradients` of ``(n, p)`` gradients with ``p < n`` under the numpy backend, else ``None``.

    The public quantities that take ``gradients`` use it to choose the smaller representation.
    """
    if gradients is None:
        return None
    from verifythm.backends import active_backend

    G = gradients if isinstance(gradients, np.ndarray) else np.asarray(gradients)
    if active_backend()[0] != "numpy" or G.ndim != 2 or not 1 <= G.shape[1] < G.shape[0]:
        return None
    return tall_gradients(G)

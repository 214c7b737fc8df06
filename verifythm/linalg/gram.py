r"""The Gram-matrix trick: :math:`p\times p` quantities from the :math:`n\times n` kernel :math:`K = Q^TQ`.

With per-sample model gradients :math:`g_1,\dots,g_n\in\mathbb{R}^p` collected as the
columns of :math:`Q\in\mathbb{R}^{p\times n}` (wu2022alignment, Appendix A), the Fisher
matrix :math:`G = \frac1n QQ^T` shares its non-zero spectrum with :math:`K/n`, so

* :math:`\|G\|_F = \|K\|_F/n`, :math:`\operatorname{Tr}G = \operatorname{Tr}K/n`,
  :math:`\lambda_1(G) = \lambda_1(K)/n`;
* :math:`\chi_i = g_i^TGg_i = \frac1n (K^2)_{ii}` (wu2022alignment, Definition 2.1);
* with residuals :math:`e`, every trace or norm involving :math:`\Sigma_1,\Sigma_2,\Sigma`
  is a quadratic form in :math:`e` built from :math:`K` (see :class:`NoiseTraces`);
* for the rank-one Hessians :math:`H_i = g_ig_i^T` of the linearized square loss,
  :math:`H = \frac1n\sum_iH_i = G` and :math:`\operatorname{tr}(H_iH_j) = K_{ij}^2`, so the
  coherence measure of dexter2024precise (Definition 2) is
  :math:`\sigma = \lambda_1(|K|)/\max_i K_{ii}`.

Nothing of size :math:`p\times p` is ever formed; the cost is :math:`O(n^2p)` for
:math:`K` plus :math:`O(n^3)` for spectra.  :math:`K` is accumulated over blocks of
parameters (rows of :math:`Q`), so :math:`Q` may be a float32 or float64 ``numpy.memmap``
larger than memory, or an iterator of blocks that is never stored at all.  Each block
is converted to float64 and divided by a running power-of-two scale, so neither tiny
nor huge gradients under- or overflow (the scale is exact: only exponents change).

Two orientations are accepted, one entry point each:

* :func:`gram_from_Q` — ``Q`` of shape ``(p, n)``, columns :math:`g_i` (the papers' layout);
* :func:`gram_from_gradients` — ``gradients`` of shape ``(n, p)``, rows :math:`g_i`
  (the layout of a stacked per-sample gradient array);
* :func:`gram_from_blocks` — an iterable of parameter blocks of either layout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

# ``X as X``: names that moved to linalg.blocks / linalg.gram_noise, re-exported from here
from verifythm.linalg.blocks import DEFAULT_BLOCK_BYTES as DEFAULT_BLOCK_BYTES
from verifythm.linalg.blocks import (
    BlockGramSum,
    as_real_array,
    block_length,
    pow2_scale,
)
from verifythm.linalg.blocks import max_abs as max_abs
from verifythm.linalg.blocks import require_gram_memory as require_gram_memory
from verifythm.linalg.gram_noise import NoiseTraces as NoiseTraces
from verifythm.linalg.gram_noise import noise_traces as noise_traces
from verifythm.linalg.psd import Array, pow2_exponent


def top_eigenvalue(M: Array) -> float:
    r"""Largest eigenvalue :math:`\lambda_1` of a symmetric matrix (computed alone for large ``n``).

    Helper for :math:`\lambda_1(K)` and :math:`\lambda_1(S)` (wu2022alignment, Lemma 2.4;
    dexter2024precise, Definition 2); scipy is imported only when needed.
    """
    n = M.shape[0]
    if n > 64:
        import scipy.linalg  # lazy: keeps ``import verifythm.quantities`` light

        return float(scipy.linalg.eigh(M, eigvals_only=True, subset_by_index=[n - 1, n - 1])[0])
    return float(np.linalg.eigvalsh(M)[-1])


@dataclass(frozen=True, eq=False)
class Gram:
    r"""The Gram matrix :math:`K = Q^TQ = c^2\hat K` of ``n`` model gradients in :math:`\mathbb{R}^p`.

    Stored as :math:`\hat K` (computed from :math:`Q/c`) and the power-of-two scale
    :math:`c`; scale-free quantities (:math:`\tau`, :math:`\gamma`, :math:`\sigma`, the
    alignment factors) use :math:`\hat K` only.  Absolute quantities multiply back by
    powers of :math:`c` and may be ``inf`` only if the true value exceeds the float range.
    Build with :func:`gram_from_Q`, :func:`gram_from_gradients` or :func:`gram_from_blocks`
    (wu2022alignment, Appendix A, Eq. (10)).

    Attributes
    ----------
    khat
        :math:`\hat K = K/c^2`, symmetric ``(n, n)`` float64.
    scale
        :math:`c > 0`, a power of two with :math:`\max_{ij}|Q_{ij}|/c\in[1,2)` (1 if :math:`Q=0`).
    p
        Number of parameters (rows of :math:`Q`).
    """

    khat: Array
    scale: float
    p: int

    @property
    def n(self) -> int:
        """Number of samples :math:`n`."""
        return int(self.khat.shape[0])

    @property
    def K(self) -> Array:
        r"""The Gram matrix :math:`K_{ij} = g_i^Tg_j` (absolute scale)."""
        with np.errstate(over="ignore"):
            return self.khat * (self.scale * self.scale)

    def _abs(self, value: float, power: int) -> float:
        with np.errstate(over="ignore", under="ignore"):
            return float(value * np.power(self.scale, float(power)))

    @property
    def is_zero(self) -> bool:
        """Whether every gradient vanishes (:math:`G = 0`)."""
        return not bool(np.any(self.khat))

    def _require_nonzero(self, undefined: str) -> None:
        if self.is_zero:
            raise ValueError(f"Q: all model gradients are zero; {undefined}")

    @cached_property
    def _eig(self) -> tuple[Array, Array]:
        w, V = np.linalg.eigh(self.khat)
        return np.clip(w, 0.0, None), V

    @cached_property
    def _khat_fro2(self) -> float:
        return float(np.sum(self.khat * self.khat))

    @cached_property
    def _lam1_hat(self) -> float:
        if "_eig" in self.__dict__ or self.n <= 64:
            return float(self._eig[0][-1])
        return max(top_eigenvalue(self.khat), 0.0)

    # -- the Fisher matrix G = QQ^T/n (= H for the linearized square loss) -----------------------
    @property
    def fisher_frobenius(self) -> float:
        r""":math:`\|G\|_F = \|K\|_F/n` (wu2022alignment, Eq. (10)); = :math:`\|H\|_F` when :math:`H=G`."""
        return self._abs(math.sqrt(self._khat_fro2) / self.n, 2)

    @property
    def fisher_trace(self) -> float:
        r""":math:`\operatorname{Tr}G = \operatorname{Tr}K/n = \frac1n\sum_i\|g_i\|^2`."""
        return self._abs(float(np.trace(self.khat)) / self.n, 2)

    @property
    def fisher_lambda_max(self) -> float:
        r""":math:`\lambda_1(G) = \lambda_1(K)/n`: :math:`QQ^T`, :math:`Q^TQ` share non-zero spectra."""
        return self._abs(self._lam1_hat / self.n, 2)

    @property
    def fisher_eigenvalues(self) -> Array:
        r"""The :math:`n` largest eigenvalues of :math:`G` (those of :math:`K/n`), descending."""
        with np.errstate(over="ignore"):
            return self._eig[0][::-1] / self.n * (self.scale * self.scale)

    @property
    def tau(self) -> float:
        r""":math:`\tau(G) = \lambda_1^2(G)/\sum_j\lambda_j^2(G) = \lambda_1(K)^2/\|K\|_F^2`.

        Defined in wu2022alignment, Lemma 2.4.

        Raises
        ------
        ValueError
            If :math:`G = 0` (τ undefined).
        """
        self._require_nonzero("τ(G) is undefined")
        return self._lam1_hat**2 / self._khat_fro2

    @property
    def chi(self) -> Array:
        r""":math:`\chi_i = g_i^TGg_i = \frac1n\sum_jK_{ij}^2` (wu2022alignment, Definition 2.1)."""
        with np.errstate(over="ignore"):
            return (self.khat * self.khat).sum(axis=1) / self.n * np.power(self.scale, 4.0)

    @property
    def gamma(self) -> float:
        r""":math:`\gamma = \min_i\chi_i/\bar\chi`, :math:`\bar\chi = \|G\|_F^2` (wu2022alignment, Def. 2.1).

        Raises
        ------
        ValueError
            If :math:`G = 0` (γ undefined).
        """
        self._require_nonzero("γ is undefined")
        rows = (self.khat * self.khat).sum(axis=1)
        return float(rows.min() / rows.mean())

    @property
    def coherence(self) -> float:
        r"""Coherence :math:`\sigma = \lambda_1(S)/\max_i\lambda_1(H_i)` for :math:`H_i = g_ig_i^T`.

        Here :math:`S_{ij} = \sqrt{\operatorname{tr}(H_iH_j)} = |K_{ij}|` and
        :math:`\lambda_1(H_i) = K_{ii}` (dexter2024precise, Definition 2).

        Raises
        ------
        ValueError
            If every gradient is zero (σ is 0/0).
        """
        self._require_nonzero("the coherence σ is undefined")
        return top_eigenvalue(np.abs(self.khat)) / float(np.max(np.diag(self.khat)))

    def balanced(self) -> Gram:
        r"""The same :math:`K` stored with :math:`\max_{ij}|\hat K_{ij}|\in[1,4)` (exact rescaling).

        :math:`\hat K` is divided by an even power of two :math:`4^j` and the scale multiplied
        by :math:`2^j`, so :math:`c^2\hat K` is unchanged; this is the normalisation of
        :func:`gram_from_matrix` (every value computed from the result is the one computed from
        ``gram_from_matrix(K)``).  The zero matrix is returned unchanged.
        """
        m = float(np.max(np.abs(self.khat)))
        if m == 0.0:
            return self
        j = pow2_exponent(m) // 2  # 4^j ≤ m < 4^(j+1)
        return Gram(khat=np.ldexp(self.khat, -2 * j), scale=math.ldexp(self.scale, j), p=self.p)

    def noise(self, residuals: ArrayLike, name: str = "e") -> NoiseTraces:
        r"""SGD-noise traces and norms for residuals :math:`e` (see :func:`noise_traces`)."""
        return noise_traces(self, residuals, name=name)


def _gram_of_array(
    x: ArrayLike,
    layout: Literal["pn", "np"],
    block: int | None,
    block_name: str,
    name: str,
    backend: str | None = None,
    device: str | None = None,
) -> Gram:
    """Gram matrix of a whole 2-d array, ``(p, n)`` (``"pn"``) or ``(n, p)`` (``"np"``), by blocks.

    ``backend=None`` takes the backend and device of the context
    (:func:`~verifythm.backends.active_backend`).
    """
    a = as_real_array(x, name)
    if a.ndim != 2:
        shape = "(p, n)" if layout == "pn" else "(n, p)"
        raise ValueError(f"{name}: expected a 2-d array of shape {shape}, got shape {a.shape}")
    p, n = a.shape if layout == "pn" else a.shape[::-1]
    if n == 0:
        raise ValueError(f"{name}: needs at least one sample ({'column' if layout == 'pn' else 'row'})")
    if backend is None:
        from verifythm.backends import active_backend

        backend, device = active_backend()
    if backend == "torch":  # `verifythm check --backend torch`: K = GGᵀ by torch, then n × n algebra
        require_gram_memory(n, name)
        from verifythm.backends.torch_backend import gram_of_gradients

        m = max_abs(a, name) if a.size else 0.0  # blockwise: no |a| copy of a large (memory-mapped) array
        c = pow2_scale(m) if m > 0 else 1.0  # the same exact power-of-two scaling as numpy
        g = np.asarray(a, dtype=np.float64) / c
        return Gram(khat=gram_of_gradients(g.T if layout == "pn" else g, device=device), scale=c, p=p)
    b = block_length(n, block, block_name)
    acc = BlockGramSum(n, name)
    for i in range(0, p, b):
        acc.add(a[i : i + b] if layout == "pn" else a[:, i : i + b], layout)
    return Gram(*acc.result())


def gram_from_Q(Q: ArrayLike, *, block_rows: int | None = None, name: str = "Q") -> Gram:
    r"""Gram matrix of the columns of :math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}`.

    :math:`K = \sum_b Q_b^TQ_b` over blocks :math:`Q_b` of ``block_rows`` parameters, each
    converted to float64 on its own (wu2022alignment, Appendix A, Eq. (10)).  Cost
    :math:`O(n^2p)`, extra memory :math:`O(n^2 + n\cdot\text{block\_rows})`.

    Parameters
    ----------
    Q
        Model gradients as columns, shape ``(p, n)``; any real dtype, including a
        float32 ``numpy.memmap``.
    block_rows
        Parameters per block (default: about 32 MiB of float64 per block).
    name
        Argument name used in error messages.

    Raises
    ------
    ValueError
        Naming ``name`` if ``Q`` is not 2-d, has no columns, or has NaN/inf entries.

    Examples
    --------
    >>> import numpy as np
    >>> g = gram_from_Q(np.array([[1.0, 0.0], [1.0, 2.0]]))
    >>> g.K.tolist(), g.fisher_trace
    ([[2.0, 2.0], [2.0, 4.0]], 3.0)
    """
    return _gram_of_array(Q, "pn", block_rows, "block_rows", name)


def gram_from_gradients(
    gradients: ArrayLike,
    *,
    block_cols: int | None = None,
    name: str = "gradients",
    backend: str | None = None,
    device: str | None = None,
) -> Gram:
    r"""Gram matrix of the rows of ``gradients`` :math:`= Q^T\in\mathbb{R}^{n\times p}` (rows :math:`g_i`).

    Same as :func:`gram_from_Q` for the transposed layout: :math:`K = \sum_b Q_b^TQ_b`
    over column blocks of ``gradients`` (wu2022alignment, Appendix A).

    Parameters
    ----------
    gradients
        Per-sample gradients as rows, shape ``(n, p)``; any real dtype or a memmap.
    block_cols, name
        As ``block_rows`` and ``name`` of :func:`gram_from_Q`.
    backend, device
        ``"numpy"`` or ``"torch"`` (then :math:`K` is computed by torch on ``device``, ``"cpu"`` or
        ``"cuda"``, from the same power-of-two scaled gradients); ``None`` (default) uses the
        backend of the context (:func:`~verifythm.backends.active_backend`, set by
        ``verifythm check --backend``).

    Raises
    ------
    ValueError
        Naming ``name`` if the array is not 2-d, has no rows, or has NaN/inf entries.
    """
    if backend is not None:
        from verifythm.backends import check_backend

        check_backend(backend)
    return _gram_of_array(gradients, "np", block_cols, "block_cols", name, backend, device)


def gram_from_blocks(
    blocks: Iterable[ArrayLike], *, layout: Literal["pn", "np"] = "pn", name: str = "blocks"
) -> Gram:
    r"""Gram matrix :math:`K = \sum_b Q_b^TQ_b` from an iterable of parameter blocks (never stored).

    Lets :math:`K` be computed for :math:`Q` too large to hold, e.g. blocks produced by a
    seeded generator or read from disk (wu2022alignment, Appendix A).

    Parameters
    ----------
    blocks
        Blocks of parameters; with ``layout="pn"`` each has shape ``(b, n)`` (rows of
        :math:`Q`), with ``layout="np"`` shape ``(n, b)`` (columns of ``gradients``).
        Every block must have the same ``n``.
    layout
        ``"pn"`` or ``"np"``, as above.
    name
        Argument name used in error messages.

    Raises
    ------
    ValueError
        Naming ``name`` on inconsistent shapes, NaN/inf, or an empty iterable.
    """
    if layout not in ("pn", "np"):
        raise ValueError(f"layout: expected 'pn' or 'np', got {layout!r}")
    acc: BlockGramSum | None = None
    for blk in blocks:
        a = as_real_array(blk, name)
        if a.ndim != 2:
            raise ValueError(f"{name}: expected 2-d blocks, got shape {a.shape}")
        if acc is None:
            n = a.shape[1] if layout == "pn" else a.shape[0]
            if n == 0:
                raise ValueError(f"{name}: needs at least one sample")
            acc = BlockGramSum(n, name)
        acc.add(a, layout)
    if acc is None:
        raise ValueError(f"{name}: no blocks given")
    return Gram(*acc.result())


def gram_from_matrix(K: ArrayLike, p: int | None = None, *, name: str = "K") -> Gram:
    r"""Wrap a precomputed Gram matrix :math:`K = Q^TQ` (symmetric PSD, ``(n, n)``).

    Parameters
    ----------
    K
        The Gram matrix of the gradients (dexter2024precise, Definition 2; wu2022alignment, Eq. (10)).
    p
        Number of parameters, if known (recorded only).
    name
        Argument name used in error messages.

    Raises
    ------
    ValueError
        Naming ``name`` if ``K`` is not square, symmetric, finite and PSD.
    """
    from verifythm.linalg.psd import check_psd

    Ka = check_psd(K, name, rtol=1e-8)
    if Ka.shape[0] == 0:
        raise ValueError(f"{name}: needs at least one sample")
    m = float(np.max(np.abs(Ka)))
    c = 1.0
    if m > 0:
        c = math.ldexp(1.0, pow2_exponent(m) // 2)  # c² ≤ m: entries of K/c² lie in [1, 4)
    return Gram(khat=Ka / (c * c), scale=c, p=-1 if p is None else int(p))

r"""Hessian coherence matrix :math:`S` and coherence measure :math:`\sigma` (dexter2024precise, Def. 2).

For PSD per-sample Hessians :math:`H_1,\dots,H_n`,

.. math:: S_{ij} = \|H_i^{1/2}H_j^{1/2}\|_F = \sqrt{\operatorname{tr}(H_iH_j)},\qquad
          \sigma = \frac{\lambda_1(S)}{\max_i\lambda_1(H_i)} .

The two forms of :math:`S_{ij}` agree because
:math:`\|H_i^{1/2}H_j^{1/2}\|_F^2 = \operatorname{tr}(H_j^{1/2}H_iH_j^{1/2}) = \operatorname{tr}(H_iH_j)`,
so :math:`S` is the entry-wise square root of the trace-inner-product Gram matrix
of the :math:`H_i` and no matrix square root is needed.  For rank-one
:math:`H_i = g_ig_i^T` (linearized square loss) :math:`S_{ij} = |g_i^Tg_j| = |K_{ij}|`
and :math:`\lambda_1(H_i) = K_{ii}`, so σ comes from the gradient Gram matrix.

Range: :math:`\sigma\ge1` always (:math:`\lambda_1(S)\ge S_{ii} = \|H_i\|_F\ge\lambda_1(H_i)`);
:math:`\sigma\le n` for rank-one :math:`H_i`, with :math:`\sigma = n` when all
:math:`H_i` are equal rank-one matrices and :math:`\sigma = 1` when they are
mutually orthogonal and of equal top eigenvalue.  (The seed text states
:math:`\lambda_1(S) = \sqrt n` for the all-equal case; the all-ones :math:`n\times n`
matrix has :math:`\lambda_1 = n`, consistent with the same paper's Theorem 2 proof.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.gram import Gram, gram_from_gradients, top_eigenvalue
from verifythm.linalg.psd import Array, psd_sqrt
from verifythm.quantities.spectral import check_hessians


@dataclass(frozen=True)
class Coherence:
    r"""Coherence data of :math:`\{H_i\}` (dexter2024precise, Definition 2).

    Attributes
    ----------
    S
        The coherence matrix, ``(n, n)``, :math:`S_{ij} = \sqrt{\operatorname{tr}(H_iH_j)}`.
    lambda1_S
        :math:`\lambda_1(S)`.
    max_lambda1
        :math:`\max_i\lambda_1(H_i)`.
    sigma
        :math:`\sigma = \lambda_1(S)/\max_i\lambda_1(H_i)`.
    """

    S: Array
    lambda1_S: float
    max_lambda1: float
    sigma: float


def _one_source(hessians: object, gradients: object, gram: object) -> str:
    given = [
        k for k, v in (("hessians", hessians), ("gradients", gradients), ("gram", gram)) if v is not None
    ]
    if len(given) != 1:
        raise ValueError(
            f"hessians/gradients: give exactly one of hessians, gradients, gram (got {given or 'none'})"
        )
    return given[0]


def coherence(
    *, hessians: ArrayLike | None = None, gradients: ArrayLike | None = None, gram: Gram | None = None
) -> Coherence:
    r"""Coherence matrix :math:`S` and σ via :math:`\mathrm{tr}(H_iH_j)` (dexter2024precise, Def. 2).

    Parameters
    ----------
    hessians
        Per-sample PSD Hessians, shape ``(n, d, d)``; :math:`\operatorname{tr}(H_iH_j)` is
        the Frobenius inner product of the slices (cost :math:`O(n^2d^2)`).
    gradients
        Per-sample gradients :math:`g_i` as rows, shape ``(n, p)``, meaning
        :math:`H_i = g_ig_i^T`; uses the Gram matrix (cost :math:`O(n^2p)`).
    gram
        A precomputed :class:`~verifythm.linalg.gram.Gram` of the gradients (same meaning).

    Returns
    -------
    Coherence
        :math:`S`, :math:`\lambda_1(S)`, :math:`\max_i\lambda_1(H_i)` and σ.

    Raises
    ------
    ValueError
        Naming the argument on malformed or non-PSD input, if all :math:`H_i = 0`
        (σ is 0/0), or if not exactly one source is given.

    Examples
    --------
    >>> import numpy as np
    >>> round(coherence(gradients=np.ones((4, 1))).sigma, 12)  # identical rank-one H_i
    4.0
    >>> round(coherence(gradients=np.eye(3)).sigma, 12)  # mutually orthogonal H_i
    1.0
    """
    src = _one_source(hessians, gradients, gram)
    if src == "hessians":
        H, w = check_hessians(hessians)  # type: ignore[arg-type]
        c = float(np.max(np.abs(H)))
        if c == 0:
            raise ValueError("hessians: all Hessians are zero; the coherence σ is undefined (0/0)")
        V = (H / c).reshape(H.shape[0], -1)
        T = V @ V.T  # tr(Ĥ_i Ĥ_j) (symmetric slices)
        S_hat = np.sqrt(np.clip((T + T.T) / 2, 0.0, None))
        top = float(np.max(w[:, -1])) / c
    else:
        g = gram if gram is not None else gram_from_gradients(gradients)  # type: ignore[arg-type]
        if g.is_zero:
            raise ValueError(f"{src}: all gradients are zero; the coherence σ is undefined (0/0)")
        c = g.scale * g.scale
        S_hat = np.abs(g.khat)
        top = float(np.max(np.diag(g.khat)))
    lam = top_eigenvalue(S_hat)
    with np.errstate(over="ignore"):
        return Coherence(
            S=S_hat * c, lambda1_S=float(lam * c), max_lambda1=float(top * c), sigma=float(lam / top)
        )


def coherence_measure(
    *, hessians: ArrayLike | None = None, gradients: ArrayLike | None = None, gram: Gram | None = None
) -> float:
    r"""Coherence measure :math:`\sigma = \lambda_1(S)/\max_i\lambda_1(H_i)` (dexter2024precise, Def. 2).

    Same arguments as :func:`coherence`.  ``gradients`` with :math:`p<n` give σ without
    the ``n × n`` matrix :math:`S` (Lanczos on :math:`|K|`, :mod:`verifythm.quantities.tall`).

    Examples
    --------
    >>> import numpy as np
    >>> round(coherence_measure(hessians=np.stack([np.eye(2), np.eye(2)])), 12)  # S = √2·1 1ᵀ
    2.828427124746
    """
    if hessians is None and gram is None:
        from verifythm.quantities.tall import tall_or_none

        tall = tall_or_none(gradients)
        if tall is not None:  # σ alone: no n × n matrix S (verifythm.quantities.tall)
            if tall.is_zero:
                raise ValueError("gradients: all gradients are zero; the coherence σ is undefined (0/0)")
            return tall.coherence()
    return coherence(hessians=hessians, gradients=gradients, gram=gram).sigma


def coherence_matrix_dense(hessians: ArrayLike) -> Array:
    r"""Reference :math:`S_{ij} = \|H_i^{1/2}H_j^{1/2}\|_F` by square roots (dexter2024precise, Def. 2).

    Cost :math:`O(nd^3 + n^2d^3)`; for tests of :func:`coherence`.

    Raises
    ------
    ValueError
        Naming ``hessians`` on malformed or non-PSD input.
    """
    H, _ = check_hessians(hessians)
    roots = [psd_sqrt(h, "hessians") for h in H]
    n = len(roots)
    S = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            S[i, j] = S[j, i] = float(np.linalg.norm(roots[i] @ roots[j]))
    return S

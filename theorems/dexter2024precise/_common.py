r"""Private helpers shared by the dexter2024precise catalogue modules (not collected).

* :func:`sigma_of` / :func:`coherence_matrix`: Definition 2 through the engine
  (:mod:`verifythm.quantities.coherence`).
* :func:`sandwich_power_trace`: :math:`\sum_{y_1..y_k}\|H_{y_k}\cdots H_{y_1}\|_F^2 =
  \operatorname{tr}\mathcal S^k(I)` with :math:`\mathcal S(W)=\sum_iH_iWH_i`, by iterating the
  operator (no enumeration of the :math:`n^k` products).
* :func:`sandwich_radius`: :math:`\rho(\mathcal S)` (dense symmetric eigenproblem on the
  :math:`d(d+1)/2`-dimensional space of symmetric matrices).
* :func:`diagonal_abs_moments`: :math:`\mathbb E|1-\eta\hat h_j|` for diagonal families
  under Bernoulli sampling, exactly (distribution of :math:`\hat h_j` enumerated after
  grouping equal entries, so a family with few distinct values is cheap at any ``n``).
* :func:`nonzero_families`: the seeded small families of the generators, the zero family skipped.
* :func:`f_threshold`: Theorem 1's threshold :math:`\frac\sigma\eta(\frac nB-1)^{-1/2}` (condition (b)).
* :func:`threshold` / :func:`condition`: Theorem 1's two right-hand sides times :math:`\eta`, and
  whether its condition (a) or (b) holds.
* :data:`NONZERO_FAMILY`, :func:`max_rank`, :func:`sigma_at_most_n`: the hypothesis, rank and
  conclusion shared by the claims on the range of σ.
* :func:`binom`: :math:`\binom ab`, 0 outside :math:`0\le b\le a` (the convention of Fact 2).
* :func:`family_stream`: seeded families of every kind (:math:`n\le6`, :math:`d\le4`), the
  instances of the Definition 2 claims.
* :func:`rho`: :math:`\rho(\mathcal T_\eta)` of the exact engine (Bernoulli sampling).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from verifythm import Comparison, Hypothesis
from verifythm.claims.inputs import INT, REAL, array
from verifythm.dynamics import Family, NoiseModel, spectral_radius
from verifythm.quantities.coherence import coherence
from verifythm.strategies import family_instance

Array = np.ndarray


#: The inputs of a claim about a family, its batch size and its learning rate.
FAMILY_INPUTS = {"hessians": array(3), "B": INT, "eta": REAL}


def sigma_of(Hs: Array) -> float:
    r"""Coherence measure :math:`\sigma` of Definition 2."""
    return coherence(hessians=np.asarray(Hs, float)).sigma


def coherence_matrix(Hs: Array) -> Array:
    r"""The coherence matrix :math:`S` of Definition 2."""
    return coherence(hessians=np.asarray(Hs, float)).S


def lambda1(M: Array) -> float:
    """Largest eigenvalue of a symmetric matrix."""
    return float(np.linalg.eigvalsh((M + M.T) / 2)[-1])


def sandwich(Hs: Array, W: Array) -> Array:
    r""":math:`\mathcal S(W) = \sum_iH_iWH_i` (a sum, not a mean, as in Lemma 4.1)."""
    return np.einsum("iab,bc,icd->ad", Hs, W, Hs, optimize=True)


def sandwich_power_trace(Hs: Array, k: int) -> float:
    r""":math:`\operatorname{tr}\mathcal S^k(I) = \sum_{y}\|H_{y_k}\cdots H_{y_1}\|_F^2`."""
    d = Hs.shape[1]
    W = np.eye(d)
    for _ in range(k):
        W = sandwich(Hs, W)
    return float(np.trace(W))


def enumerated_product_sum(Hs: Array, k: int) -> float:
    r"""Reference :math:`\sum_{y_1..y_k}\|H_{y_k}\cdots H_{y_1}\|_F^2` by enumeration (small n, k)."""
    n, d, _ = Hs.shape
    total = 0.0
    for ys in itertools.product(range(n), repeat=k):
        P = np.eye(d)
        for y in ys:
            P = Hs[y] @ P
        total += float(np.sum(P * P))
    return total


def sandwich_radius(Hs: Array) -> float:
    r""":math:`\rho(\mathcal S)`, :math:`\mathcal S(W)=\sum_iH_iWH_i`, on symmetric matrices (exact, dense).

    :math:`\mathcal S` is self-adjoint for the trace inner product and maps PSD to PSD, so
    its spectral radius is its largest eigenvalue, with a PSD eigenvector.
    """
    d = Hs.shape[1]
    iu = np.triu_indices(d)
    basis = []
    for a, b in zip(*iu, strict=True):
        E = np.zeros((d, d))
        if a == b:
            E[a, a] = 1.0
        else:
            E[a, b] = E[b, a] = 1.0 / math.sqrt(2.0)
        basis.append(E)
    M = np.array([[float(np.sum(Ei * sandwich(Hs, Ej))) for Ej in basis] for Ei in basis])
    return float(np.max(np.abs(np.linalg.eigvalsh((M + M.T) / 2))))


def noise(Hs: Array, B: int) -> NoiseModel:
    """Bernoulli noise model of a family (Definition 1)."""
    return NoiseModel.build(Family.from_hessians(np.asarray(Hs, float)), int(B), "bernoulli")


def rho(Hs: Array, eta: float, B: int) -> float:
    r""":math:`\rho(\mathcal T_\eta)` on :math:`\operatorname{range}H` (Bernoulli sampling, exact engine)."""
    return spectral_radius(noise(Hs, B), float(eta)).value


def noise_factor(eta: float, n: int, B: int) -> float:
    r""":math:`\eta^2/(nB) - \eta^2/n^2`, the factor of Lemma 4.1."""
    return eta**2 / (n * B) - eta**2 / n**2


def _sum_distribution(values: Array, p: float) -> tuple[Array, Array]:
    """Support and probabilities of ``Σ_i x_i v_i`` with ``x_i ~ Bern(p)`` i.i.d. (grouped)."""
    vals, counts = np.unique(np.asarray(values, float), return_counts=True)
    support = np.array([0.0])
    probs = np.array([1.0])
    for v, c in zip(vals, counts, strict=True):
        k = np.arange(c + 1)
        pk = np.array([math.comb(int(c), int(j)) for j in k], float) * p**k * (1 - p) ** (c - k)
        support = (support[:, None] + v * k[None, :]).ravel()
        probs = (probs[:, None] * pk[None, :]).ravel()
    return support, probs


def diagonal_abs_moments(diagonals: Array, eta: float, B: int) -> Array:
    r""":math:`\mathbb E|1-\eta\hat h_j|` per coordinate, :math:`\hat h_j = \frac1B\sum_ix_ih_{ij}`."""
    D = np.asarray(diagonals, float)
    n = D.shape[0]
    p = B / n
    out = []
    for j in range(D.shape[1]):
        s, pr = _sum_distribution(D[:, j], p)
        out.append(float(pr @ np.abs(1.0 - eta * s / B)))
    return np.array(out)


def diag_stack(diagonals: Array) -> Array:
    """``(n, d)`` diagonals to the ``(n, d, d)`` stack of diagonal matrices."""
    D = np.asarray(diagonals, float)
    n, d = D.shape
    H = np.zeros((n, d, d))
    idx = np.arange(d)
    H[:, idx, idx] = D
    return H


def is_int(x: Any) -> bool:
    """Whether ``x`` is an integral number."""
    try:
        return float(x) == int(x)
    except (TypeError, ValueError):
        return False


def nonzero_families(rng: np.random.Generator, k: int) -> Iterator[tuple[int, int, Array]]:
    """``(i, n, Hs)`` for ``i < k``: seeded families of ``n ≤ 5`` members in dimension ``d ≤ 3``.

    The zero family (no Hessian direction at all) is skipped.  The caller may draw from ``rng``
    between items: the stream is consumed lazily, in the same order as an inline loop.
    """
    for i in range(k):
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        if np.any(Hs != 0):
            yield i, n, Hs


def family_stream(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """``k`` instances ``{"hessians": Hs}``: seeded families of ``n ≤ 6`` members in dimension ``d ≤ 4``."""
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        out.append({"hessians": family_instance(rng, i, n, d)})
    return out


def f_threshold(eta: float, sigma: float, n: float, B: float) -> float:
    r"""Theorem 1's threshold :math:`\frac\sigma\eta(\frac nB-1)^{-1/2}`."""
    return sigma / (eta * math.sqrt(n / B - 1.0))


def threshold(Hs: np.ndarray, B: int) -> tuple[float, float]:
    r"""The two right-hand sides times η: :math:`(2,\ \sigma(n/B-1)^{-1/2})` (``inf`` if B = n)."""
    n = Hs.shape[0]
    sig = sigma_of(Hs)
    second = sig / math.sqrt(n / B - 1) if B < n else math.inf
    return 2.0, second


def condition(Hs: np.ndarray, eta: float, B: int, *, gd_only: bool = False) -> bool:
    """Whether λ₁(H) > 2/η (or, unless ``gd_only``, λ₁(H) > (σ/η)(n/B − 1)^{-1/2})."""
    lam = lambda1(Hs.mean(axis=0))
    a, b = threshold(Hs, B)
    return lam * eta > a or (not gd_only and lam * eta > b)


NONZERO_FAMILY = Hypothesis(
    "not every H_i is zero", lambda inst: bool(np.any(np.asarray(inst["hessians"]) != 0))
)


def max_rank(Hs: np.ndarray) -> int:
    """The largest rank of the members (relative threshold 1e-9 of each member's largest entry)."""
    return max(int(np.linalg.matrix_rank(h, tol=1e-9 * max(float(np.abs(h).max()), 1e-300))) for h in Hs)


def sigma_at_most_n(inst: dict[str, Any]) -> Comparison:
    """The conclusion σ ≤ n."""
    Hs = inst["hessians"]
    return Comparison(sigma_of(Hs), float(Hs.shape[0]), "<=", "σ", "n")


def binom(a: int, b: int) -> int:
    """``C(a, b)``, and 0 when ``b < 0`` or ``b > a`` (the convention of Fact 2)."""
    return math.comb(a, b) if 0 <= b <= a else 0

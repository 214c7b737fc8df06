r"""Shared helpers: the mixing probability, batch enumeration, generators and strategies.

The name starts with ``_``, so verifythm does not collect this module as a claim module.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
from hypothesis import strategies as st
from verifythm import Comparison, Hypothesis
from verifythm.claims.common import psd_family
from verifythm.strategies import families, family_instance, reals

#: Sizes the generators reach (n samples, dimension d).
N_MAX, D_MAX = 12, 5


def wor_probability(n: int, B: int) -> Fraction:
    r"""The mixing probability :math:`p = (n-B)/(B(n-1))` of SGD without replacement (exact)."""
    return Fraction(n - B, B * (n - 1))


def mean_hessian(H: np.ndarray) -> np.ndarray:
    r""":math:`H = \frac1n\sum_i H_i`."""
    return np.asarray(H, dtype=np.float64).mean(axis=0)


def lambda_max(H: np.ndarray) -> float:
    r""":math:`\lambda_1(H)`, the top eigenvalue of the mean Hessian (numpy, ambient coordinates)."""
    return float(np.linalg.eigvalsh(mean_hessian(H))[-1])


def wor_sandwich(H: np.ndarray, B: int, P: np.ndarray) -> np.ndarray:
    r""":math:`\mathbb E_S[\hat H_S P\hat H_S]` by enumerating every ``B``-subset ``S`` (float64)."""
    n = H.shape[0]
    subsets = np.array(list(combinations(range(n), B)))
    HS = H[subsets].mean(axis=1)  # (C(n, B), d, d): every mini-batch Hessian
    return np.mean(HS @ P @ HS, axis=0)


def mixture_sandwich(H: np.ndarray, P: np.ndarray, p: float) -> np.ndarray:
    r""":math:`p\cdot\frac1n\sum_iH_iPH_i + (1-p)\cdot HPH`."""
    Hbar = mean_hessian(H)
    return p * np.mean(H @ P @ H, axis=0) + (1.0 - p) * (Hbar @ P @ Hbar)


def _fractions(a: np.ndarray) -> np.ndarray:
    return np.frompyfunc(Fraction, 1, 1)(np.asarray(a, dtype=np.float64))


def exact_gap(H: np.ndarray, B: int, P: np.ndarray, p: Fraction) -> tuple[Fraction, Fraction]:
    r"""``(max |E_S[Ĥ_S P Ĥ_S] − mixture|, max |E_S[Ĥ_S P Ĥ_S]|)`` in exact rational arithmetic.

    The float64 entries of ``H`` and ``P`` are taken as the exact rationals they represent.
    """
    Hq, Pq = _fractions(H), _fractions(P)
    n = Hq.shape[0]
    subsets = list(combinations(range(n), B))
    lhs = sum((sum(Hq[i] for i in S) / B) @ Pq @ (sum(Hq[i] for i in S) / B) for S in subsets)
    lhs = lhs / len(subsets)
    Hbar = sum(Hq) / n
    rhs = p * (sum(Hq[i] @ Pq @ Hq[i] for i in range(n)) / n) + (1 - p) * (Hbar @ Pq @ Hbar)
    return max(abs(x) for x in (lhs - rhs).ravel()), max(abs(x) for x in lhs.ravel())


def gap_comparison(H: np.ndarray, B: int, P: np.ndarray, p: float, label: str) -> Comparison:
    """``max|E_S[Ĥ_S P Ĥ_S] − mixture(p)| <= 0``, relative to the size of the left side."""
    lhs = wor_sandwich(H, B, P)
    gap = float(np.max(np.abs(lhs - mixture_sandwich(H, P, p))))
    return Comparison(gap, 0.0, "<=", f"max|E[Ĥ_S P Ĥ_S] − {label}|", "0", scale=float(np.max(np.abs(lhs))))


def exact_gap_comparison(H: np.ndarray, B: int, P: np.ndarray, p: Fraction, label: str) -> Comparison:
    """:func:`gap_comparison` in exact rational arithmetic (the high-precision re-check)."""
    gap, size = exact_gap(H, B, P, p)
    return Comparison(float(gap), 0.0, "<=", f"max|E[Ĥ_S P Ĥ_S] − {label}|", "0", scale=float(size))


# -- hypotheses ------------------------------------------------------------------------------
HYPOTHESES = (
    psd_family("H"),
    Hypothesis("n ≥ 2", lambda i: int(i["n"]) >= 2 and np.shape(i["H"])[0] == int(i["n"])),
    Hypothesis("1 ≤ B ≤ n", lambda i: 1 <= int(i["B"]) <= int(i["n"])),
    Hypothesis("H ≠ 0", lambda i: lambda_max(i["H"]) > 0),
)


# -- seeded generators (ExactCheck) ----------------------------------------------------------
def random_instances(rng: np.random.Generator, k: int, *, P: bool = False) -> list[dict[str, Any]]:
    """``k`` instances ``{H, n, d, B}`` (and a random symmetric ``P``), every family kind in turn.

    ``n`` runs over ``2..12`` and ``d`` over ``1..5``; the first instances pin the corners
    (``n = 12, d = 5``) so that the explored region always reaches them.
    """
    out = []
    for i in range(k):
        if i < 4:
            n, d = N_MAX - (i % 2), D_MAX - (i // 2)
        else:
            n, d = int(rng.integers(2, N_MAX + 1)), int(rng.integers(1, D_MAX + 1))
        inst: dict[str, Any] = {"H": family_instance(rng, i, n, d), "n": n, "d": d}
        inst["B"] = int(rng.integers(1, n + 1))
        if P:
            A = rng.standard_normal((d, d))
            inst["P"] = A + A.T
        out.append(inst)
    return out


# -- Hypothesis strategies (PropertyCheck) ---------------------------------------------------
@st.composite
def instances(draw: Any, *, P: bool = False) -> dict[str, Any]:
    """Hypothesis strategy for ``{H, n, d, B}`` (and ``P``): families of every kind, n ≤ 12, d ≤ 5."""
    H = np.asarray(draw(families(n=st.integers(2, N_MAX), d=st.integers(1, D_MAX))), dtype=np.float64)
    n, d = H.shape[0], H.shape[1]
    inst: dict[str, Any] = {"H": H, "n": n, "d": d, "B": draw(st.integers(1, n))}
    if P:
        A = np.array(draw(st.lists(reals(-4.0, 4.0), min_size=d * d, max_size=d * d))).reshape(d, d)
        inst["P"] = A + A.T
    return inst

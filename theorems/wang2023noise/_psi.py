r"""Shared machinery of the Definition E.4 modules: ψ_β norms from the definition (not collected).

:func:`psi_from_definition` solves :math:`\mathbb E\exp(|X|^\beta/C^\beta)=2` for :math:`C` (root-finding
on the expectation, by adaptive quadrature for the continuous laws and exact sums for the discrete ones),
for the laws of :data:`LAWS` and powers :math:`|X|^q` (the law of :math:`|X|^q` used directly).
"""

from __future__ import annotations

import math
import warnings
from itertools import pairwise
from typing import Any

import numpy as np
from hypothesis import strategies as st
from scipy import integrate, optimize

from verifythm import Hypothesis, Tolerance
from verifythm.claims.inputs import INT, REAL
from verifythm.strategies import reals

CYCLE = (0, 1, 2, 3, 4, 5, 6, 4, 5, 6, 5, 6)  # generated laws: quadrature ones one in three
LAWS = ("N(0,1)", "Exp(1)", "Weibull(k)", "U[-1,1]", "Rademacher", "Bernoulli(p)", "sparse ±ξ/√p")
# largest β with a finite ψ_β norm (tail exponent); the discrete / bounded laws allow every β
TAIL_EXPONENT = {0: 2.0, 1: 1.0}


def discrete_atoms(law: int, p: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Atoms of |X| and their probabilities for the discrete laws."""
    if law == 4:
        return np.array([1.0]), np.array([1.0])
    if law == 5:
        return np.array([0.0, 1.0]), np.array([1 - p, p])
    if law == 6:
        return np.array([0.0, 1 / np.sqrt(p)]), np.array([1 - p, p])
    return None


def log_density_abs(law: int, k: float, x: np.ndarray | float) -> Any:
    """Log density of |X| on (0, ∞) (continuous laws)."""
    x = np.asarray(x, float)
    with np.errstate(divide="ignore"):
        if law == 0:
            return np.log(2.0) - 0.5 * x * x - 0.5 * np.log(2 * np.pi)
        if law == 1:
            return -x
        if law == 2:
            return np.log(k) + (k - 1) * np.log(x) - x**k
        return np.where(x <= 1, 0.0, -np.inf)  # uniform: |X| ~ U(0, 1)


def _pow0d(x: float, e: float) -> float:
    """``np.asarray(x) ** e`` as plain-float arithmetic, bit for bit.

    numpy evaluates a 0-d array to the power 2, 0.5, 1 or −1 by square, sqrt, identity or reciprocal
    (not ``pow``); every other exponent goes to ``pow``, like Python's ``**``.
    """
    if e == 2.0:
        return x * x
    if e == 0.5:
        return math.sqrt(x)
    if e == 1.0:
        return x
    if e == -1.0:
        return 1.0 / x
    return x**e


def _scalar_integrand(law: int, k: float, beta: float, C: float, q: float, lg: Any) -> Any:
    r"""The quadrature integrand :math:`y\mapsto e^{\mathrm{lg}(y)}` (0 at y ≤ 0, ∞ above e^700).

    The same float operations as ``lg`` on one point, in the same order, with ``math`` in place of
    numpy scalars, at a fraction of the cost per call (quad calls it ~10⁴ times per norm).  Where
    numpy's float64 ``log``/``exp``/``pow`` are the C library's (x86-64 without AVX-512, checked on
    2·10⁵ points) it returns the same bits, elsewhere values within an ulp.  Any overflow / domain
    error (where Python raises and numpy returns ±∞ or NaN) is handed to ``lg`` itself.
    """
    inv_q, a, lq = 1 / q, 1 / q - 1, float(np.log(q))
    log, exp, inf = math.log, math.exp, math.inf
    if law == 0:
        c0, c1 = float(np.log(2.0)), 0.5 * float(np.log(2 * np.pi))

        def dens(x: float) -> float:
            return c0 - 0.5 * x * x - c1
    elif law == 1:

        def dens(x: float) -> float:
            return -x
    elif law == 2:
        lk, km1 = float(np.log(k)), k - 1

        def dens(x: float) -> float:
            return lk + km1 * log(x) - _pow0d(x, k)
    else:

        def dens(x: float) -> float:
            return 0.0 if x <= 1 else -inf

    def f(y: float) -> float:
        if y > 0:
            try:
                v = dens(_pow0d(y, inv_q)) + a * log(y) - lq + (y / C) ** beta
            except (ArithmeticError, ValueError):
                v = float(lg(y))
        else:
            v = -inf
        return exp(v) if v < 700 else inf

    return f


def _log_mgf(law: int, k: float, p: float, beta: float, C: float, q: float = 1.0) -> float:
    r""":math:`\log\mathbb E\exp(Y^{\beta}/C^{\beta})` for :math:`Y=|X|^q` (law of Y used directly)."""
    atoms = discrete_atoms(law, p)
    if atoms is not None:
        y, w = atoms[0] ** q, atoms[1]
        e = y**beta / C**beta
        return float(np.log(np.sum(w * np.exp(e - e.max()))) + e.max())

    def lg(y: Any) -> Any:  # log density of Y = |X|^q, f_{|X|}(y^{1/q}) y^{1/q − 1}/q, times e^{(y/C)^β}
        y = np.asarray(y, float)
        return log_density_abs(law, k, y ** (1 / q)) + (1 / q - 1) * np.log(y) - np.log(q) + (y / C) ** beta

    f = _scalar_integrand(law, k, beta, C, q, lg)

    if law in (0, 1, 2):  # e^{−coef·x^τ} tails: at q·β = τ the expectation is finite iff C^β > 1/coef
        tau, coef = {0: (2.0, 0.5), 1: (1.0, 1.0), 2: (k, 1.0)}[law]
        if q * beta > tau * (1 + 1e-12) or (
            abs(q * beta - tau) <= 1e-12 * tau and C**beta * coef <= 1 + 1e-12
        ):
            return np.inf
    top = 1.0 if law == 3 else np.inf
    grid = np.geomspace(1e-8, top if law == 3 else 1e40, 2000)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        lgrid = lg(grid)
    if (
        np.nanmax(lgrid) > 700
    ):  # the integrand exceeds e^700 somewhere: the expectation is astronomically large
        return np.inf
    peak = float(grid[int(np.nanargmax(lgrid))])
    cuts = [0.0, 1.0] if law == 3 else [0.0, 1.0] + ([10 * peak] if peak > 1 else []) + [np.inf]
    with np.errstate(over="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        val = sum(integrate.quad(f, a, b, limit=200, epsabs=0, epsrel=1e-10)[0] for a, b in pairwise(cuts))
    return float(np.log(val)) if np.isfinite(val) and val > 0 else np.inf


def psi_from_definition(law: int, beta: float, k: float = 1.0, p: float = 0.5, q: float = 1.0) -> float:
    r"""The :math:`\psi_\beta` norm of :math:`|X|^q` from the definition (root-finding on the expectation)."""
    seen: dict[float, float] = {}  # the bracketing and brentq revisit the same C (ends of the bracket)

    def g(C: float) -> float:  # decreasing in C; +∞ (divergent expectation) replaced by a large value
        if C not in seen:
            v = _log_mgf(law, k, p, beta, C, q) - np.log(2.0)
            seen[C] = v if np.isfinite(v) else 1e300
        return seen[C]

    hi = 1.0
    while g(hi) > 0:
        hi *= 2.0
    lo = hi / 2.0
    while g(lo) <= 0:
        lo /= 2.0
    return float(optimize.brentq(g, lo, hi, xtol=1e-14, rtol=1e-10))


def law_instance(
    law: int, beta: float, k: float = 1.0, p: float = 0.5, q: float = 1.0, t: float = 1.0
) -> dict[str, Any]:
    """One instance: law index (into :data:`LAWS`), β, the law's parameter k or p, power q, threshold t."""
    return {"law": law, "beta": beta, "k": k, "p": p, "q": q, "t": t}


def admissible(i: dict[str, Any]) -> bool:
    """A known law, 0 < p < 1, q > 0, β at the law's tail exponent or ≤ 0.8 of it (read with INPUTS)."""
    law, beta = i["law"], i["beta"]
    if not (0 <= law < len(LAWS) and beta > 0 and 0 < i["p"] < 1 and i["q"] > 0):
        return False
    if law == 2 and not 0.3 <= i["k"] <= 4:
        return False
    cap = i["k"] if law == 2 else TAIL_EXPONENT.get(law, np.inf)
    # at β = cap the divergence threshold is handled exactly; just below it the integrand's mass sits at
    # astronomically large |X|, out of reach of quadrature, so those β are not used as evidence
    return bool(beta == cap or beta <= 0.8 * cap)


@st.composite
def law_strategy(draw: Any) -> dict[str, Any]:
    """A law of ``LAWS``, β at 0.3–0.8 of its tail exponent, and q, p, t over the generators' ranges."""
    law = draw(st.sampled_from(CYCLE[:7]))
    kk = draw(reals(0.5, 3.0))
    cap = {0: 2.0, 1: 1.0, 2: kk}.get(law, 3.0)
    return law_instance(
        law,
        draw(reals(0.3, 0.8)) * cap,
        k=kk,
        p=draw(reals(0.01, 0.9)),
        q=draw(st.sampled_from([0.5, 2.0, 4.0])) if draw(st.booleans()) else draw(reals(0.5, 4.0)),
        t=draw(reals(0.05, 7.0)),
    )


INPUTS = {"law": INT, "beta": REAL, "k": REAL, "p": REAL, "q": REAL, "t": REAL}
HYP = (
    Hypothesis(
        "law known, β = tail exponent or β ≤ 0.8·tail exponent (ψ_β finite, computable), 0 < p < 1, q > 0",
        admissible,
    ),
)
TOL = Tolerance(rtol=1e-7, atol=1e-12)

r"""Wu, Wang & Su (2022), Eq. (20): the expected squared Frobenius norm of the kernel matrix, ≥ Σλ_s².

Setting
-------
Data :math:`x_1,\dots,x_n` i.i.d. from ρ, kernel matrix :math:`K_{ij}=k(x_i,x_j)/n`, operator
:math:`\mathcal K` on :math:`L_2(\rho)` with eigenvalues :math:`\lambda_s` (so :math:`\sum_s\lambda_s^2=
\mathbb E_{x,x'}k^2(x,x')`, Eq. (19), ``wu2022.eq19``).  Instances: discrete ρ on L atoms (weights p,
kernel matrix :math:`K_0` on the atoms), where :math:`\mathbb E\|K\|_F^2` is computed by enumerating all
:math:`L^n` data tuples — independent of the formula — and :math:`\sum_s\lambda_s^2` from the spectrum of
:math:`P^{1/2}K_0P^{1/2}`.

Statement
---------
* ``wu2022.eq20``: :math:`\mathbb E\|K\|_F^2=\frac1n\mathbb E k^2(x,x)+\frac{n-1}n\mathbb E k^2(x,x')=
  \sum_s\lambda_s^2+\frac{\mathbb E_xk^2(x,x)-\mathbb E_{x,x'}k^2(x,x')}n` (any symmetric k).
* ``wu2022.eq20.lower``: for a PSD kernel, :math:`\mathbb E\|K\|_F^2\ge\sum_s\lambda_s^2`, since
  :math:`k^2(x,x')\le k(x,x)k(x',x')` gives
  :math:`\mathbb Ek^2(x,x')\le(\mathbb Ek(x,x))^2\le\mathbb Ek^2(x,x)`.
  Equality iff :math:`k^2(x,x')=k(x,x)k(x',x')` a.s. with :math:`k(x,x)` a.s. constant, e.g. ρ a point
  mass or a constant kernel.  Scope note (not checked): PSD is necessary; for the symmetric indefinite
  :math:`K_0=\begin{pmatrix}0&1\\1&0\end{pmatrix}`, p = (½, ½), n = 2:
  :math:`\mathbb E\|K\|_F^2=1/4<1/2=\sum_s\lambda_s^2`.

Evidence
--------
* ``symbolic``: two atoms (weights p, 1 − p), n = 2, symbolic kernel matrix: the enumeration of the four
  data pairs equals the right side of (20) (with
  :math:`\lambda_1^2+\lambda_2^2=(\operatorname{tr}A)^2-2\det A`);
  for :math:`K_0=R^TR` the gap :math:`\mathbb Ek^2(x,x)-\mathbb Ek^2(x,x')=p(1-p)\bigl((r_1^2-r_2^2)^2+
  2r_2^2r_3^2+r_3^4\bigr)` written as a sum of squares.
* ``exact``: enumeration (L ≤ 4 atoms, n ≤ 5) on seeded kernels (ReLU on the circle, RBF, linear,
  diagonal, rank-one; indefinite ones for the identity), plus the equality instances (one atom;
  constant kernel).
* ``property``: Hypothesis over weights, :math:`K_0=B^TB` (or symmetric B for the identity) and n.

Weakening by 10 % (the right side times 0.9 for the identity, times 1.1 for the lower bound) gives
counterexamples (for the lower bound on the equality instances).

References
----------
[wu2022alignment, Appendix F.2, proof of Lemma F.15, Eq. (20) (with Eq. (19))].
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.strategies.scalars import reals

from . import KEY
from ._appf import is_psd, kappa_angles, random_gram

SOURCE = Source(KEY, "Eq. (20)")


def expected_fro2(K0: np.ndarray, p: np.ndarray, n: int) -> float:
    r""":math:`\mathbb E\|K\|_F^2` by enumerating all :math:`L^n` data tuples."""
    tot = 0.0
    for idx in itertools.product(range(p.size), repeat=n):
        ix = np.array(idx)
        tot += float(np.prod(p[ix])) * float(np.sum(K0[np.ix_(ix, ix)] ** 2)) / n**2
    return tot


def hs2(K0: np.ndarray, p: np.ndarray) -> float:
    r""":math:`\sum_s\lambda_s^2(\mathcal K)` from the spectrum of :math:`P^{1/2}K_0P^{1/2}`."""
    s = np.sqrt(p)
    return float(np.sum(np.linalg.eigvalsh(s[:, None] * K0 * s[None, :]) ** 2))


def _parts(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, int]:
    return np.asarray(inst["K0"], float), np.asarray(inst["p"], float), int(inst["n"])


def identity_conclusion(inst: dict[str, Any]) -> Comparison:
    """E‖K‖_F² (enumerated) versus Σλ² + (E k²(x,x) − E k²(x,x'))/n."""
    K0, p, n = _parts(inst)
    rhs = hs2(K0, p) + (float(p @ np.diag(K0) ** 2) - float(p @ K0**2 @ p)) / n
    return Comparison(
        expected_fro2(K0, p, n),
        rhs,
        "==",
        "E‖K‖_F²",
        "Σλ² + (Ek²(x,x) − Ek²(x,x'))/n",
        scale=float(np.max(K0**2)),
    )


def lower_conclusion(inst: dict[str, Any]) -> Comparison:
    """E‖K‖_F² (enumerated) versus Σλ²."""
    K0, p, n = _parts(inst)
    return Comparison(
        expected_fro2(K0, p, n), hs2(K0, p), ">=", "E‖K‖_F²", "Σλ_s²", scale=float(np.max(K0**2))
    )


def _valid(inst: dict[str, Any]) -> bool:
    K0, p, n = _parts(inst)
    ok = K0.shape == (p.size, p.size) and p.size <= 5 and 1 <= n <= 6
    return ok and bool(np.allclose(K0, K0.T)) and bool(np.all(p >= 0)) and abs(p.sum() - 1) < 1e-12


VALID = Hypothesis("symmetric K₀ on L ≤ 5 atoms, p a probability vector, 1 ≤ n ≤ 6", _valid)


def _generate(rng: np.random.Generator, k: int, *, indefinite: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        L = int(rng.integers(1, 5))
        n = int(rng.integers(1, 6 if L <= 3 else 5))
        if indefinite and i % 6 == 5:
            K0 = rng.standard_normal((L, L))
            K0 = (K0 + K0.T) / 2
        elif i % 6 == 4:
            K0 = kappa_angles(rng.uniform(0, 2 * np.pi, L))
        else:
            K0 = random_gram(rng, L, i % 5)
        out.append({"K0": K0, "p": rng.dirichlet(np.ones(L)), "n": n})
    return out


FIXED = [
    {"K0": np.array([[0.7]]), "p": np.array([1.0]), "n": 3},  # point mass: equality
    {"K0": np.full((3, 3), 0.5), "p": np.array([0.2, 0.3, 0.5]), "n": 4},  # constant kernel: equality
    {"K0": kappa_angles(np.array([0.0, 1.0, 2.5])), "p": np.array([0.5, 0.3, 0.2]), "n": 2},
]


@st.composite
def _strategy(draw: Any, psd: bool = True) -> dict[str, Any]:
    L = draw(st.integers(1, 3))
    B = np.array(draw(st.lists(reals(-2, 2), min_size=L * L, max_size=L * L))).reshape(L, L)
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=L, max_size=L)))
    return {"K0": B.T @ B if psd else (B + B.T) / 2, "p": w / w.sum(), "n": draw(st.integers(1, 4))}


def _sym_identity() -> list[Any]:
    import sympy as sp

    p = sp.Symbol("p", positive=True)
    a, b, c = sp.symbols("a b c", real=True)
    K0 = sp.Matrix([[a, b], [b, c]])
    w, n = (p, 1 - p), 2
    enum = sum(
        w[i] * w[j] * (K0[i, i] ** 2 + 2 * K0[i, j] ** 2 + K0[j, j] ** 2) / n**2
        for i in range(2)
        for j in range(2)
    )
    P = sp.diag(sp.sqrt(p), sp.sqrt(1 - p))
    A = P * K0 * P
    diag = w[0] * a**2 + w[1] * c**2
    cross = sum(w[i] * w[j] * K0[i, j] ** 2 for i in range(2) for j in range(2))
    return [
        Identity(
            enum,
            A.trace() ** 2 - 2 * A.det() + (diag - cross) / n,
            "E‖K‖_F² = Σλ² + (Ek²(x,x) − Ek²(x,x'))/n",
        )
    ]


def _sym_lower() -> list[Any]:
    import sympy as sp

    u, v = sp.symbols("u v", positive=True)
    r1, r2, r3 = sp.symbols("r1:4", real=True)
    p = u / (u + v)
    K = sp.Matrix([[r1, r2], [0, r3]]).T * sp.Matrix([[r1, r2], [0, r3]])  # every PSD 2 × 2 kernel matrix
    gap = (
        p * K[0, 0] ** 2
        + (1 - p) * K[1, 1] ** 2
        - (p**2 * K[0, 0] ** 2 + 2 * p * (1 - p) * K[0, 1] ** 2 + (1 - p) ** 2 * K[1, 1] ** 2)
    )
    sos = u * v / (u + v) ** 2 * ((r1**2 - r2**2) ** 2 + 2 * r2**2 * r3**2 + r3**4)
    return [
        Identity(gap, sos, "Ek²(x,x) − Ek²(x,x') = p(1−p)((r₁²−r₂²)² + 2r₂²r₃² + r₃⁴), K₀ = RᵀR"),
        Nonnegative(sos, "the gap is a sum of squares"),
    ]


CLAIMS = [
    Claim(
        id="wu2022.eq20",
        title="E‖K‖_F² = Σ_s λ_s² + (E k²(x,x) − E k²(x,x'))/n for the kernel matrix K = (k(x_i,x_j)/n)",
        source=SOURCE,
        statement=(
            r"For $x_i$ i.i.d. from ρ and $K_{ij}=k(x_i,x_j)/n$: $\mathbb E\|K\|_F^2=\sum_s\lambda_s^2+"
            r"(\mathbb E_xk^2(x,x)-\mathbb E_{x,x'}k^2(x,x'))/n$."
        ),
        hypotheses=(VALID,),
        conclusion=identity_conclusion,
        checks=(
            SymbolicCheck("symbolic", _sym_identity),
            ExactCheck("exact", _generate, fixed=FIXED, note="E over data by enumeration of all L^n tuples"),
            PropertyCheck("property", _strategy(psd=False)),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-13),
        kind="identity",
    ),
    Claim(
        id="wu2022.eq20.lower",
        title="For a PSD kernel, E‖K‖_F² ≥ Σ_s λ_s²(𝒦)",
        source=SOURCE,
        statement=(
            r"If k is PSD, $\mathbb E\|K\|_F^2\ge\sum_s\lambda_s^2(\mathcal K)$ "
            r"(as $\mathbb Ek^2(x,x)\ge\mathbb Ek^2(x,x')$)."
        ),
        hypotheses=(VALID, Hypothesis("k PSD (K₀ PSD)", lambda i: is_psd(np.asarray(i["K0"], float)))),
        conclusion=lower_conclusion,
        checks=(
            SymbolicCheck("symbolic", _sym_lower),
            ExactCheck("exact", lambda rng, k: _generate(rng, k, indefinite=False), fixed=FIXED),
            PropertyCheck("property", _strategy()),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-13),
    ),
]

r"""Dexter et al. (2024), §5.1: the experiments' family with tunable coherence σ.

Setting
-------
Integers :math:`1\le\sigma\le n`, :math:`B\in[n]`, :math:`m=2n/\sigma`, dimension
:math:`d=n-\sigma+1`; :math:`H_i=m\,e_1e_1^T` for :math:`i\le\sigma` and
:math:`H_i=m\,e_{i-\sigma+1}e_{i-\sigma+1}^T` otherwise
(:func:`verifythm.strategies.dexter2024_family` with ``lam1=2``).  Bernoulli sampling.

Statement
---------
The text states that this family has :math:`\lambda_1(H)=2`, coherence :math:`\sigma`, and that
the dimension :math:`n-\sigma+1` makes the minimiser unique (:math:`H\succ0`).  The figures
draw Theorem 2's boundary :math:`\eta=\sigma/(\sigma+n/B-1)` (:math:`\lambda_1=2`) as the line
above which "Theorem 2 guarantees no divergence"; Theorem 2 itself is about a different
family, so that guarantee for *this* family is a further claim, encoded as
``dexter2024.sec5_1.threshold``: the critical learning rate of the §5.1 family is exactly
:math:`\eta^*=\sigma/(\sigma+n/B-1)`.  (Coordinate 1 is Theorem 2's family; a coordinate
:math:`j\ge2` is stable iff :math:`\eta<\sigma B/n`, and
:math:`\sigma B/n\ge\sigma/(\sigma+n/B-1)` iff :math:`\sigma\ge1`, with equality at
:math:`\sigma=1`.)

Evidence
--------
* ``exact``: seeded :math:`(n,\sigma,B)` with :math:`n\le40`, plus the paper's
  :math:`n=100` at :math:`\sigma\in\{1,5,50,100\}`; coherence and :math:`\lambda_1` from
  :mod:`verifythm.quantities.coherence`, rank from the eigenvalues of :math:`H`, and
  :math:`\eta^*` from :func:`verifythm.dynamics.critical_learning_rate` (closed form for
  diagonal families).
* ``property``: Hypothesis over :math:`(n,\sigma,B)`.
* ``symbolic`` (the text's algebra): for every :math:`1\le\sigma\le n\le4` the family is built with
  symbolic :math:`m`, and sympy proves :math:`H=\mathrm{diag}(\sigma m/n,m/n,\dots)`, which at
  :math:`m=2n/\sigma` is :math:`\mathrm{diag}(2,2/\sigma,\dots)` with :math:`2-2/\sigma\ge0`
  (``.lambda1``); that :math:`S` (from :math:`S_{ij}^2=\operatorname{tr}H_iH_j`) has largest eigenvalue
  :math:`m\sigma` while :math:`\lambda_1(H_i)=m` (``.sigma``); :math:`\det H=2(2/\sigma)^{n-\sigma}>0`
  (``.dimension``).  For ``.threshold``, :math:`\mathbb E\hat h_j` and :math:`\mathbb E\hat h_j^2` are
  enumerated over all :math:`2^n` Bernoulli masks with symbolic :math:`B` (:math:`p=B/n`); coordinate
  :math:`j` is mean-square stable iff :math:`\eta\le2\mathbb E\hat h_j/\mathbb E\hat h_j^2`, which sympy
  reduces to :math:`\sigma/(\sigma+n/B-1)` for :math:`j=1` and :math:`\sigma B/n` for :math:`j\ge2`, and
  :math:`\sigma B/n-\sigma/(\sigma+n/B-1)=\sigma(\sigma-1)B^2/(n(\sigma B+n-B))\ge0` for symbolic
  :math:`\sigma\ge1`, :math:`n\ge B`.

References
----------
[dexter2024precise, Section 5.1]; the threshold drawn in the figures: [dexter2024precise,
Section 5.1-5.2, Figures 1–2 (dashed line)].
"""

from __future__ import annotations

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
)
from verifythm.dynamics import critical_learning_rate
from verifythm.strategies import dexter2024_family

from ._common import is_int, lambda1, noise, sigma_of
from ._symbolic import bernoulli_mean

SOURCE = Source("dexter2024precise", "Section 5.1")


def _family(inst: dict[str, Any]) -> np.ndarray:
    return dexter2024_family(int(inst["n"]), int(inst["sigma"]))


def _ok(inst: dict[str, Any]) -> bool:
    n, s, B = inst["n"], inst["sigma"], inst["B"]
    return is_int(n) and is_int(s) and is_int(B) and 1 <= int(s) <= int(n) and 1 <= int(B) <= int(n)


_ADMISSIBLE = (Hypothesis("integers 1 ≤ σ ≤ n and 1 ≤ B ≤ n", _ok),)


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"n": 100, "sigma": s, "B": B} for s in (1, 5, 50, 100) for B in (1, 10, 100)]
    for i in range(k):
        n = int(rng.integers(1, 41))
        s = 1 if i % 5 == 0 else int(rng.integers(1, n + 1))
        out.append({"n": n, "sigma": s, "B": int(rng.integers(1, n + 1))})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 40))
    return {"n": n, "sigma": draw(st.integers(1, n)), "B": draw(st.integers(1, n))}


def _lam(inst: dict[str, Any]) -> Comparison:
    return Comparison(lambda1(_family(inst).mean(axis=0)), 2.0, "==", "λ₁(H)", "2")


def _sigma(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(_family(inst)), float(inst["sigma"]), "==", "σ(family)", "σ")


def _rank(inst: dict[str, Any]) -> Comparison:
    Hs = _family(inst)
    w = np.linalg.eigvalsh(Hs.mean(axis=0))
    rank = int(np.sum(w > 1e-12 * w[-1]))
    return Comparison(float(rank), float(inst["n"] - inst["sigma"] + 1), "==", "rank H", "n − σ + 1 = d")


def _threshold(inst: dict[str, Any]) -> Comparison:
    n, s, B = int(inst["n"]), int(inst["sigma"]), int(inst["B"])
    eta_star = critical_learning_rate(noise(_family(inst), B)).value
    return Comparison(eta_star, s / (s + n / B - 1.0), "==", "η* (engine)", "σ/(σ + n/B − 1)")


_SIZES = [(n, s) for n in range(1, 5) for s in range(1, n + 1)]


def _symbolic_family(n: int, s: int, m: Any) -> list[Any]:
    """The §5.1 members as sympy matrices: m e_1e_1ᵀ for i ≤ σ, else m e_{i−σ+1}e_{i−σ+1}ᵀ."""
    import sympy as sp

    d = n - s + 1
    out = []
    for i in range(n):
        j = 0 if i < s else i - s + 1
        out.append(sp.Matrix(d, d, lambda a, b, j=j: m if a == b == j else 0))
    return out


def _symbolic(which: str) -> Any:
    """Section 5.1: λ₁(H) = 2, σ(family) = σ, det H > 0, and η* = σ/(σ + n/B − 1) (n ≤ 4, all σ)."""

    def build() -> list[Any]:
        import sympy as sp

        m, B = sp.symbols("m B", positive=True)
        sg, r = sp.symbols("s r", nonnegative=True)  # σ = 1 + s, n = B + r
        out: list[Any] = []
        if which == "lambda1":
            out.append(Nonnegative(sp.factor(2 - 2 / (1 + sg)), "H_11 − H_jj = 2 − 2/σ ≥ 0 (σ ≥ 1)"))
        if which == "threshold":
            gap = (1 + sg) * B / (B + r) - (1 + sg) / ((1 + sg) + (B + r) / B - 1)
            out.append(Nonnegative(sp.factor(gap), "σB/n − σ/(σ + n/B − 1) ≥ 0 (σ ≥ 1, n ≥ B)"))
        for n, s in _SIZES:
            Hs = _symbolic_family(n, s, m)
            H = sum(Hs, sp.zeros(n - s + 1)) / n
            tag = f"n = {n}, σ = {s}"
            if which == "lambda1":
                diag = sp.diag(*([s * m / n] + [m / n] * (n - s)))
                out.append(Identity(H, diag, f"H = diag(σm/n, m/n, …), {tag}"))
                out.append(
                    Identity(H[0, 0].subs(m, sp.Rational(2 * n, s)), 2, f"H_11 = 2 at m = 2n/σ, {tag}")
                )
            elif which == "sigma":
                S = sp.Matrix(n, n, lambda i, j, Hs=Hs: sp.sqrt((Hs[i] * Hs[j]).trace()))
                lam_S = sp.Max(*S.eigenvals().keys())
                lam_H = sp.Max(*[sp.Max(*h.eigenvals().keys()) for h in Hs])
                out.append(Identity(lam_S / lam_H, s, f"λ₁(S)/max_i λ₁(H_i) = mσ/m = σ, {tag}"))
            elif which == "dimension":
                det = H.subs(m, sp.Rational(2 * n, s)).det()
                out.append(Identity(det, 2 * sp.Rational(2, s) ** (n - s), f"det H = 2(2/σ)^(n−σ), {tag}"))
                out.append(Nonnegative(det, f"det H ≥ 0 (and ≠ 0 above), {tag}"))
            else:
                p = B / n
                Hs2 = _symbolic_family(n, s, sp.Rational(2 * n, s))
                for j in range(n - s + 1):

                    def h(x: tuple[int, ...], j: int = j, Hs2: list[Any] = Hs2) -> Any:
                        return sum(xi * Hs2[i][j, j] for i, xi in enumerate(x)) / B

                    e1 = bernoulli_mean(h, n, p)
                    e2 = bernoulli_mean(lambda x, h=h: h(x) ** 2, n, p)
                    want = sp.Rational(s) / (s + sp.Rational(n) / B - 1) if j == 0 else s * B / sp.Integer(n)
                    out.append(Identity(sp.cancel(2 * e1 / e2), want, f"2E[ĥ_{j + 1}]/E[ĥ_{j + 1}²], {tag}"))
        return out

    return build


def _claim(cid: str, title: str, statement: str, concl: Any, source: Source = SOURCE) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=source,
        statement=statement,
        hypotheses=_ADMISSIBLE,
        conclusion=concl,
        checks=(
            SymbolicCheck("symbolic", _symbolic(cid.rsplit(".", 1)[1])),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _strategy(), max_examples=40),
        ),
        kind="closed_form",
    )


CLAIMS = [
    _claim(
        "dexter2024.sec5_1.lambda1",
        "the §5.1 family has λ₁(H) = 2",
        r"With $m=2n/\sigma$: $H=\mathrm{diag}(2,2/\sigma,\dots,2/\sigma)$, so $\lambda_1(H)=2$.",
        _lam,
    ),
    _claim(
        "dexter2024.sec5_1.sigma",
        "the §5.1 family has coherence σ",
        r"$S$ is an all-$m$ $\sigma\times\sigma$ block plus $mI_{n-\sigma}$, so $\lambda_1(S)=m\sigma$ "
        r"and the coherence measure is $\sigma$.",
        _sigma,
    ),
    _claim(
        "dexter2024.sec5_1.dimension",
        "in dimension n − σ + 1 the §5.1 family has H ≻ 0 (unique minimiser)",
        r"In dimension $d=n-\sigma+1$, $\operatorname{rank}H=d$, so the loss has a unique minimiser.",
        _rank,
    ),
    _claim(
        "dexter2024.sec5_1.threshold",
        "the §5.1 family is mean-square stable exactly for η ≤ σ/(σ + n/B − 1) (Theorem 2's line)",
        r"The critical learning rate of the §5.1 family (Bernoulli sampling) is "
        r"$\eta^*=\sigma/(\sigma+n/B-1)$, Theorem 2's boundary at $\lambda_1=2$: tuples that Theorem 2's "
        r"condition declares stable are stable for this family too.",
        _threshold,
        Source("dexter2024precise", "Section 5.1-5.2, Figures 1-2 (dashed line)"),
    ),
]

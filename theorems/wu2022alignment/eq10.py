r"""Wu, Wang & Su (2022), Eq. (10): n × n Gram forms of ‖G‖_F², ‖Σ‖_F² and Tr(GΣ).

Setting
-------
Square loss at a point θ with model gradients :math:`Q=(g_1,\dots,g_n)\in\mathbb{R}^{p\times n}`,
residuals :math:`e_i=f(x_i;\theta)-y_i`, :math:`S=(e_1g_1,\dots,e_ng_n)`, the centring
projection :math:`P=I_n-\frac1n\mathbf{1}\mathbf{1}^T`, :math:`G=\frac1nQQ^T` and
:math:`\Sigma=\frac1n\sum_ie_i^2g_ig_i^T-(\frac1n\sum_ie_ig_i)(\frac1n\sum_ie_ig_i)^T`.

Statement
---------
Appendix A first writes :math:`\Sigma=\frac1nSPS^T`, then Eq. (10):

1. :math:`\|G\|_F^2=\frac1{n^2}\|Q^TQ\|_F^2`;
2. :math:`\|\Sigma\|_F^2=\frac1{n^2}\operatorname{Tr}(SPS^TSPS^T)=\frac1{n^2}\|PS^TS\|_F^2`;
3. :math:`\operatorname{Tr}(G\Sigma)=\frac1{n^2}\operatorname{Tr}(QQ^TSPS^T)=\frac1{n^2}\|PS^TQ\|_F^2`.

Finding
-------
The last equality of line 2 is false as printed (a **typo**: the right factor :math:`P` is
dropped): with :math:`A=S^TS`,
:math:`\operatorname{Tr}(PAPA)=\|PAP\|_F^2\neq\|PA\|_F^2=\operatorname{Tr}(APA)` in general.
The smallest counterexample has :math:`p=1`, :math:`n=2`, :math:`Q=(1\;1)`,
:math:`e=(1,0)`: :math:`\|\Sigma\|_F^2=1/16` but :math:`\|PS^TS\|_F^2/n^2=1/8`.
The printed form overestimates :math:`\|\Sigma\|_F^2` (hence underestimates α and
overestimates β).  What the derivation supports — the trace form, equivalently
:math:`\frac1{n^2}\|PS^TSP\|_F^2` — is the sub-claim ``wu2022.eq10.sigma.as_proved``;
lines 1 and 3 hold as printed.

Evidence
--------
* ``symbolic``: each identity for symbolic :math:`Q` (p = 2, n = 2) and :math:`e`
  (the false line fails at an exact rational point).
* ``exact``: the :math:`p\times p` left side against the :math:`n\times n` right side on
  seeded gradient families (Gaussian, anisotropic, identical, orthogonal, sparse,
  widely scaled), with an exact-rational re-check of any violation.
* ``property``: Hypothesis over gradient families and residuals; shrinks.

References
----------
[wu2022alignment, Appendix A, Eq. (10)].
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import array
from verifythm.linalg import precise as P
from verifythm.quantities.alignment import centering
from verifythm.strategies import FAMILIES, gradients_and_residuals, random_gradients

from . import KEY

SOURCE = Source(KEY, "Appendix A, Eq. (10)")


# Each side is written once, generically over the array type, so the float64 and the
# exact-rational (object array of Fractions) evaluations share the formula.
def _parts(Q: Any, e: Any) -> dict[str, Any]:
    n = Q.shape[1]
    S = Q * e[None, :]
    Pn = centering(n) if Q.dtype != object else _exact_centering(n)
    G = Q @ Q.T / n
    mean = S.sum(axis=1) / n
    Sigma = S @ S.T / n - np.outer(mean, mean)
    return {"n": n, "S": S, "P": Pn, "G": G, "Sigma": Sigma}


def _exact_centering(n: int) -> np.ndarray:
    from fractions import Fraction

    out = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            out[i, j] = Fraction(int(i == j)) - Fraction(1, n)
    return out


def _sq(a: Any) -> Any:
    return (a * a).sum()


def _tr(a: Any) -> Any:
    return sum(a[i, i] for i in range(a.shape[0]))


def _fisher(Q: Any, e: Any) -> tuple[Any, Any]:
    d = _parts(Q, e)
    return _sq(d["G"]), _sq(Q.T @ Q) / d["n"] ** 2


def _sigma_factor(Q: Any, e: Any) -> tuple[Any, Any]:
    # ⟨Σ, SPSᵀ/n⟩ against ‖Σ‖_F ‖SPSᵀ/n‖_F would lose the sign; compare the squared
    # Frobenius norm of Σ with its inner product with SPSᵀ/n and with ‖SPSᵀ/n‖_F².
    d = _parts(Q, e)
    F = d["S"] @ d["P"] @ d["S"].T / d["n"]
    return _sq(d["Sigma"]) + _sq(F), 2 * (d["Sigma"] * F).sum()


def _sigma_literal(Q: Any, e: Any) -> tuple[Any, Any]:
    d = _parts(Q, e)
    return _sq(d["Sigma"]), _sq(d["P"] @ d["S"].T @ d["S"]) / d["n"] ** 2


def _sigma_as_proved(Q: Any, e: Any) -> tuple[Any, Any]:
    d = _parts(Q, e)
    S, Pn = d["S"], d["P"]
    return _sq(d["Sigma"]), _tr(S @ Pn @ S.T @ S @ Pn @ S.T) / d["n"] ** 2


def _cross(Q: Any, e: Any) -> tuple[Any, Any]:
    d = _parts(Q, e)
    return _tr(d["G"] @ d["Sigma"]), _sq(d["P"] @ d["S"].T @ Q) / d["n"] ** 2


def _conclusion(sides: Callable[[Any, Any], tuple[Any, Any]], lhs: str, rhs: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        a, b = sides(inst["Q"], inst["e"])
        return Comparison(a, b, "==", lhs, rhs)

    def precise(inst: dict[str, Any]) -> Comparison:
        a, b = sides(P.exact(inst["Q"]), P.exact(inst["e"]))
        return Comparison(float(a), float(b), "==", lhs, rhs)

    return conclusion, precise


def _symbolic(sides: Callable[[Any, Any], tuple[Any, Any]], label: str):
    def build() -> list[Any]:
        import sympy as sp

        Q = np.array(sp.symbols("q11 q12 q21 q22", real=True), dtype=object).reshape(2, 2)
        e = np.array(sp.symbols("e1 e2", real=True), dtype=object)
        a, b = sides(Q, e)
        return [Identity(sp.expand(a), sp.expand(b), label)]

    return build


def _from_point(point: dict[str, Any]) -> dict[str, Any]:
    """Map a symbolic point (q11…q22, e1, e2) back to a claim instance."""
    Q = np.array([[point["q11"], point["q12"]], [point["q21"], point["q22"]]], dtype=float)
    return {"Q": Q, "e": np.array([point["e1"], point["e2"]], dtype=float)}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        e = rng.standard_normal(n) * (rng.random(n) < 0.8)
        out.append({"Q": Q, "e": e})
    return out


_FINITE = (
    Hypothesis(
        "Q, e finite with matching shapes",
        lambda inst: bool(
            np.all(np.isfinite(inst["Q"]))
            and np.all(np.isfinite(inst["e"]))
            and np.ndim(inst["Q"]) == 2
            and np.shape(inst["e"]) == (np.shape(inst["Q"])[1],)
        ),
    ),
)

SMALLEST = {"Q": np.array([[1.0, 1.0]]), "e": np.array([1.0, 0.0])}


def _claim(
    cid: str,
    title: str,
    statement: str,
    sides: Callable[[Any, Any], tuple[Any, Any]],
    lhs: str,
    rhs: str,
    expected: Expected | None = None,
) -> Claim:
    concl, prec = _conclusion(sides, lhs, rhs)
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_FINITE,
        conclusion=concl,
        precise_conclusion=prec,
        checks=(
            SymbolicCheck("symbolic", _symbolic(sides, f"{lhs} = {rhs}"), to_instance=_from_point),
            ExactCheck("exact", _generate, fixed=[SMALLEST]),
            PropertyCheck("property", gradients_and_residuals()),
        ),
        expected=expected or Expected(),
        kind="identity",
        inputs={"Q": array(), "e": array()},
    )


FISHER = _claim(
    "wu2022.eq10.fisher",
    "‖G‖_F² = ‖QᵀQ‖_F² / n²",
    r"$\|G\|_F^2 = \frac{1}{n^2}\|Q^TQ\|_F^2$ for $G=\frac1nQQ^T$.",
    _fisher,
    "‖G‖_F²",
    "‖QᵀQ‖_F²/n²",
)

SIGMA_FACTOR = _claim(
    "wu2022.eq10.sigma_factor",
    "Σ = S P Sᵀ / n",
    r"$\Sigma = \frac1n SPS^T$ with $S=(e_1g_1,\dots,e_ng_n)$ and $P=I_n-\frac1n\mathbf 1\mathbf 1^T$.",
    _sigma_factor,
    "‖Σ‖_F² + ‖SPSᵀ/n‖_F²",
    "2⟨Σ, SPSᵀ/n⟩",
)

SIGMA_LITERAL = _claim(
    "wu2022.eq10.sigma",
    "‖Σ‖_F² = ‖P SᵀS‖_F² / n² (as printed)",
    r"$\|\Sigma\|_F^2 = \frac{1}{n^2}\|PS^TS\|_F^2$ (Eq. (10), second line, last equality).",
    _sigma_literal,
    "‖Σ‖_F²",
    "‖PSᵀS‖_F²/n²",
    Expected.fails(
        "App. A's Eq. (10) writes ‖Σ‖_F² = ‖PSᵀS‖_F²/n², dropping the right factor P: ‖Σ‖_F² = ‖PSᵀSP‖_F²/n² "
        "= Tr(SPSᵀSPSᵀ)/n² (p = 1, n = 2, Q = (1 1), e = (1, 0): 1/16 vs 1/8; "
        "`wu2022.eq10.sigma.as_proved` holds)",
        "docs/errata/wu2022.eq10.sigma__exact.md",
        finding="typo",
    ),
)

SIGMA_AS_PROVED = _claim(
    "wu2022.eq10.sigma.as_proved",
    "‖Σ‖_F² = Tr(SPSᵀSPSᵀ) / n² (the derivation's trace form)",
    r"$\|\Sigma\|_F^2 = \frac{1}{n^2}\operatorname{Tr}(SPS^TSPS^T) = \frac1{n^2}\|PS^TSP\|_F^2$.",
    _sigma_as_proved,
    "‖Σ‖_F²",
    "Tr(SPSᵀSPSᵀ)/n²",
)

CROSS = _claim(
    "wu2022.eq10.cross",
    "Tr(GΣ) = ‖P SᵀQ‖_F² / n²",
    r"$\operatorname{Tr}(G\Sigma) = \frac{1}{n^2}\|PS^TQ\|_F^2$.",
    _cross,
    "Tr(GΣ)",
    "‖PSᵀQ‖_F²/n²",
)

CLAIMS = [FISHER, SIGMA_FACTOR, SIGMA_LITERAL, SIGMA_AS_PROVED, CROSS]

r"""Wang & Wu (2023), Lemma E.5: the constant forced by the Weibull witness grows as :math:`n^{1-1/\beta}`.

Setting
-------
:math:`X_1,\dots,X_n` i.i.d. Weibull(β), :math:`P(X>s)=e^{-s^\beta}`,
:math:`K=\|X\|_{\psi_\beta}=2^{1/\beta}`, :math:`L=\log(1/\delta)`, and the witness of
``wang2023.lemma_e5``: with :math:`s=((L-\log2)/n)^{1/\beta}`,
:math:`P(\text{all }X_i>s)=2\delta`, so Lemma E.5's constant must be at least
:math:`\hat C_{\rm low}(n)=\max_L(s-\mathbb EX)/(K(\sqrt{L/n}+L^{1/\beta}/n))` (over a grid
:math:`L\in[2,\max(10,n^4)]`).

Statement
---------
``wang2023.lemma_e5.witness_rate``: the growth rate of the witness, derived and measured.  With
:math:`L=n^a`, the witness deviation :math:`s\approx(L/n)^{1/\beta}` over the printed second term
:math:`L^{1/\beta}/n` is exactly :math:`n^{1-1/\beta}`, and over the first term :math:`\sqrt{L/n}` it is
:math:`n^{(a-1)(1/\beta-1/2)}`, which reaches :math:`n^{1-1/\beta}` at
:math:`a^*=1+(1-1/\beta)/(1/\beta-1/2)`.  So :math:`\hat C_{\rm low}(n)` grows or decays like
:math:`n^{1-1/\beta}` wherever :math:`a^*` lies in the grid (:math:`L\le n^4`: :math:`\beta\lesssim1.6`).
Claimed: the log-log slope of :math:`\hat C_{\rm low}(n)` over :math:`n=10^3,\dots,10^9` equals
:math:`1-1/\beta` within 0.01 for :math:`\beta\in[1/4,7/5]` (measured: exact to :math:`10^{-5}` for
:math:`\beta\le1.1`, 0.005 at 1.4, 0.017 at 1.5 where the finite range bends the fit).

Evidence
--------
* ``symbolic``: :math:`e^{-ns^\beta}=2e^{-L}` at :math:`s=((L-\log2)/n)^{1/\beta}` (the witness has
  probability :math:`2\delta`); :math:`(L/n)^{1/\beta}/(L^{1/\beta}/n)=n^{1-1/\beta}` at :math:`L=n^a`;
  :math:`(a^*-1)(1/\beta-1/2)=1-1/\beta`.
* ``exact``: the slope at β = 1/2, 1, 5/4, 7/5.
* ``property``: Hypothesis over β ∈ [1/4, 7/5] (the slope from the exact witness, 7 sizes, against
  :math:`1-1/\beta`).

Pairing: the symbolic derivation of the witness's rate (and, in ``wang2023.lemma_e5``, the printed term
refuted) paired with the property check.

References
----------
[wang2023noise, Appendix E, Lemma E.5].
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL
from verifythm.strategies import reals

from ._appe import witness_growth_exponent
from ._common import KEY

SOURCE = Source(KEY, "Lemma E.5")


def witness_obligations() -> list[Identity]:
    """The Weibull witness: its probability 2δ and the exponent 1 − 1/β of the constant it forces."""
    import sympy as sp

    n, ell, beta, a = sp.symbols("n ell beta a", positive=True)
    L = sp.log(2) + ell  # L = log(1/δ) > log 2
    s = (ell / n) ** (1 / beta)
    Ln = n**a
    a_star = 1 + (1 - 1 / beta) / (1 / beta - sp.Rational(1, 2))
    return [
        Identity(sp.exp(-n * s**beta), 2 * sp.exp(-L), "P(all X_i > s) = e^{−n s^β} = 2e^{−L} = 2δ"),
        Identity(
            (Ln / n) ** (1 / beta) / (Ln ** (1 / beta) / n),
            n ** (1 - 1 / beta),
            "(L/n)^{1/β} / (L^{1/β}/n) = n^{1−1/β} at L = n^a",
        ),
        Identity(
            (a_star - 1) * (1 / beta - sp.Rational(1, 2)),
            1 - 1 / beta,
            "(L/n)^{1/β} / √(L/n) = n^{(a−1)(1/β−1/2)} reaches n^{1−1/β} at a* = 1 + (1−1/β)/(1/β−1/2)",
        ),
    ]


RATE_MARGIN = 0.01
#: The largest measured gap / margin (0.005 at β = 1.4, the exact check's last fixed point): the
#: mutation test tightens the margin to 90 % of it (the margin itself is loose on purpose).
WITNESS_RATE_TIGHTNESS = 0.5056


def witness_rate(inst: dict[str, Any]) -> Comparison:
    """|slope of log Ĉ_low(n) over n = 10³..10⁹ − (1 − 1/β)| against the stated margin 0.01."""
    beta = inst["beta"]
    gap = abs(witness_growth_exponent(beta) - (1 - 1 / beta))
    return Comparison(
        gap, RATE_MARGIN, "<=", f"|growth exponent of Ĉ_low(n) − (1 − 1/β)|, β={beta:g}", "0.01"
    )


WITNESS_RATE = Claim(
    id="wang2023.lemma_e5.witness_rate",
    title="the constant forced by the Weibull(β) witness grows like n^{1−1/β} (β ∈ [1/4, 7/5])",
    source=SOURCE,
    statement=(
        r"For Weibull($\beta$) data the lower bound $\hat C_{\rm low}(n)$ on the constant of Lemma E.5 "
        r"scales as $n^{1-1/\beta}$: its log-log slope over $n=10^3,\dots,10^9$ is $1-1/\beta$ (within 0.01) "
        r"for $\beta\in[1/4,7/5]$, positive for $\beta>1$."
    ),
    hypotheses=(Hypothesis("β ∈ [1/4, 7/5]", lambda i: 0.25 <= i["beta"] <= 1.4),),
    conclusion=witness_rate,
    inputs={"beta": REAL},
    checks=(
        SymbolicCheck("symbolic", witness_obligations),
        ExactCheck("exact", fixed=[{"beta": 0.5}, {"beta": 1.0}, {"beta": 1.25}, {"beta": 1.4}]),
        PropertyCheck("property", st.fixed_dictionaries({"beta": reals(0.25, 1.4)}), max_examples=40),
    ),
)

CLAIM = WITNESS_RATE

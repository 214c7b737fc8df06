r"""Dexter et al. (2024), §3.2, remark after Theorem 1: to leading order, B ∝ η² leaves Theorem 1 unchanged.

Setting
-------
As in Theorem 1 (``dexter2024.thm1``): coherence :math:`\sigma`, Bernoulli sampling; Theorem 1's
condition (b) is :math:`\lambda_1(H)>f(\eta,\sigma,n,B)` with :math:`f=\frac\sigma\eta(\frac nB-1)^{-1/2}`,
whose :math:`B\ll n` form is :math:`g(\eta,B)=\frac\sigma\eta\sqrt{B/n}`.

Statement
---------
``dexter2024.sec3_2.squared_scaling.approx``: :math:`g(t\eta,t^2B)=g(\eta,B)` for every :math:`t>0`: to
leading order in :math:`B/n`, increasing :math:`B` proportional to :math:`\eta^2` does not change the
stability Theorem 1 certifies.  The exact threshold does change once :math:`t^2B` is comparable with
:math:`n`; that edge case is :mod:`.sec3_2`.

Evidence
--------
* ``exact``: closed forms over seeded :math:`(\sigma,n,B,t)` (:math:`n<1000`), plus
  :math:`n=4`, :math:`B=1`, :math:`t=\sqrt2`.
* ``property``: Hypothesis over :math:`t\in[1,5]`, :math:`B\in[1,30]`, :math:`n=1000`.
* ``symbolic`` (sympy, symbolic :math:`\eta,\sigma,n,B,t`): :math:`g(t\eta,t^2B)=g(\eta,B)`.

References
----------
[dexter2024precise, Section 3.2, remark after Theorem 1 (squared scaling)].
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck

from ._sec3_2 import INPUTS, KEYS, SCALING_HYP, scaling_generate


def _symbolic_scaling_approx() -> list[Any]:
    """The B ≪ n form g = (σ/η)√(B/n) is invariant: g(tη, t²B) = g(η, B)."""
    import sympy as sp

    eta, sg, n, B, t = sp.symbols("eta sigma n B t", positive=True)

    def g(e_: Any, B_: Any) -> Any:
        return sg / e_ * sp.sqrt(B_ / n)

    return [Identity(sp.simplify(g(t * eta, t**2 * B)), g(eta, B), "g(tη, t²B) = g(η, B), g = (σ/η)√(B/n)")]


def _scaling_approx(inst: dict[str, Any]) -> Comparison:
    t, n, B, eta, s = (inst[k] for k in KEYS)
    return Comparison(
        s / (t * eta) * math.sqrt(t * t * B / n), s / eta * math.sqrt(B / n), "==", "g(tη, t²B)", "g(η, B)"
    )


CLAIM = Claim(
    id="dexter2024.sec3_2.squared_scaling.approx",
    title="the B ≪ n form (σ/η)√(B/n) of Theorem 1's threshold is invariant under (η, B) → (tη, t²B)",
    source=Source("dexter2024precise", "Section 3.2, remark after Theorem 1 (squared scaling)"),
    statement=r"$g(\eta,B)=\frac\sigma\eta\sqrt{B/n}$ satisfies $g(t\eta,t^2B)=g(\eta,B)$ for every $t>0$.",
    hypotheses=SCALING_HYP,
    conclusion=_scaling_approx,
    checks=(
        SymbolicCheck("symbolic", _symbolic_scaling_approx),
        ExactCheck("exact", scaling_generate),
        PropertyCheck(
            "property",
            st.fixed_dictionaries(
                {
                    "t": st.floats(1.0, 5.0),
                    "n": st.just(1000.0),
                    "B": st.floats(1.0, 30.0),
                    "eta": st.floats(0.01, 10.0),
                    "sigma": st.floats(1.0, 100.0),
                }
            ),
        ),
    ),
    kind="identity",
    inputs=INPUTS,
)

r"""Wang & Wu (2023), Definition E.4: the ψ_β norms of the definition equal the closed forms used as K.

Setting
-------
For :math:`\beta>0`, :math:`\|X\|_{\psi_\beta}=\inf\{C>0:\mathbb E\exp(|X|^\beta/C^\beta)\le2\}`; :math:`X` is
sub-Weibull when this is finite, and :math:`\beta=1,2` are the sub-exponential and sub-Gaussian cases.
(The paper numbers this item *Definition* E.4, hence the module names ``def_e4*`` and the claim ids.)

Statement
---------
A definition is not true or false; what the paper relies on are its consequences (``def_e4``,
``def_e4_power``, ``def_e4_tail``).  Here ``wang2023.def_e4.closed_forms``: the norm from the definition
(root of :math:`\mathbb E\exp(|X|^\beta/C^\beta)=2`, by quadrature or exact sums) equals the closed forms
used as :math:`K` in Lemmas E.1–E.3 and E.5: :math:`\|Z\|_{\psi_2}=\sqrt{8/3}`,
:math:`\|\mathrm{Exp}(1)\|_{\psi_1}=2`, Weibull(k) (:math:`P(|X|>s)=e^{-s^k}`)
:math:`\|X\|_{\psi_k}=2^{1/k}`, Rademacher :math:`(1/\ln2)^{1/\beta}`, Bernoulli(p)
:math:`\log(1+1/p)^{-1/\beta}`, sparse :math:`\pm\xi/\sqrt p`: :math:`p^{-1/2}\log(1+1/p)^{-1/\beta}`.

Finding
-------
Holds.

Evidence
--------
* ``exact``: definitional norms (:func:`._psi.psi_from_definition`) by adaptive quadrature (relative
  :math:`10^{-10}`) or exact sums, on fixed laws (Gaussian, Exp, Weibull, Rademacher, Bernoulli, sparse)
  and seeded k, β, p; tolerance rtol :math:`10^{-7}`.
* No property check: each closed form is a fixed law's value (β is the law's own).

References
----------
[wang2023noise, Appendix E, Definition E.4; Lemmas E.1–E.3 and E.5].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source

from ._common import KEY
from ._psi import HYP, INPUTS, LAWS, TOL, law_instance, psi_from_definition

SOURCE = Source(KEY, "Definition E.4")


def closed_form(law: int, beta: float, k: float, p: float) -> float:
    """The closed form of ‖X‖_ψβ claimed for the law (only the cases listed in the docstring)."""
    if law == 0:
        return float(np.sqrt(8 / 3))  # β = 2
    if law == 1:
        return 2.0  # β = 1
    if law == 2:
        return float(2 ** (1 / k))  # β = k
    if law == 4:
        return float(np.log(2.0) ** (-1 / beta))
    if law == 5:
        return float(np.log1p(1 / p) ** (-1 / beta))
    return float(np.log1p(1 / p) ** (-1 / beta) / np.sqrt(p))


def closed_forms(inst: dict[str, Any]) -> Comparison:
    """‖X‖_ψβ from the definition against its closed form."""
    law, beta, k, p = inst["law"], inst["beta"], inst["k"], inst["p"]
    lhs = psi_from_definition(law, beta, k, p)
    return Comparison(
        lhs, closed_form(law, beta, k, p), "==", f"‖X‖_ψβ ({LAWS[law]}, definition)", "closed form"
    )


def _gen_closed(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        law = (0, 1, 2, 4, 5, 6)[i % 6]
        kk = float(rng.uniform(0.3, 4.0))
        beta = {0: 2.0, 1: 1.0, 2: kk}.get(law, float(np.exp(rng.uniform(np.log(0.25), np.log(4.0)))))
        out.append(law_instance(law, beta, k=kk, p=float(np.exp(rng.uniform(np.log(1e-3), np.log(0.9))))))
    return out


def _has_closed_form(i: dict[str, Any]) -> bool:
    """N(0,1) at β = 2, Exp(1) at β = 1, Weibull(k) at β = k, the discrete laws at every β."""
    at = {0: 2.0, 1: 1.0, 2: i["k"]}
    return i["law"] in (4, 5, 6) or (i["law"] in at and i["beta"] == at[i["law"]])


CLOSED_FORMS = Claim(
    id="wang2023.def_e4.closed_forms",
    title="ψ_β norms from Definition E.4 equal the closed forms used as K (√(8/3), 2, 2^{1/k}, …)",
    source=SOURCE,
    statement=(
        r"$\|X\|_{\psi_\beta}=\inf\{C>0:\mathbb E\exp(|X|^\beta/C^\beta)\le2\}$ equals the listed "
        r"closed forms."
    ),
    hypotheses=(
        *HYP,
        Hypothesis("the law has a listed closed form at this β (none for the uniform law)", _has_closed_form),
    ),
    conclusion=closed_forms,
    inputs=INPUTS,
    checks=(
        ExactCheck(
            "exact",
            _gen_closed,
            fixed=[
                law_instance(0, 2.0),
                law_instance(1, 1.0),
                law_instance(2, 0.5, k=0.5),
                law_instance(4, 1.0),
                law_instance(5, 0.5, p=0.03),
            ],
        ),
    ),
    tolerance=TOL,
    kind="closed_form",
)

CLAIM = CLOSED_FORMS

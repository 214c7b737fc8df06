r"""Wang & Wu (2023), §5 after Theorem 5.2: ":math:`D_{t,1}\gtrsim\mathrm{srk}(G^2)-1`" — its exact content.

Setting
-------
Linearized SGD at an interpolating minimum, :math:`G=G(\theta^*)=\sum_i\lambda_iu_iu_i^T`,
:math:`\lambda_1\ge\lambda_2\ge\dots\ge0`, :math:`\lambda_1>0`, :math:`D_{t,1}=Y_t/X_t` (§5), noise obeying
Assumption 5.1.  Effective rank as in the paper's Notation: :math:`\mathrm{srk}(A)=\mathrm{tr}(A)/\|A\|`
(spectral norm), so :math:`\mathrm{srk}(G^2)=\|G\|_F^2/\lambda_1^2`.

Statement
---------
"In particular" (Theorem 5.2 with :math:`k=1`): :math:`D_{t,1}\gtrsim\mathrm{srk}(G^2)-1`.  The step from
the theorem is the identity :math:`\mathrm{srk}(G^2)-1=\sum_{i\ge2}\lambda_i^2/\lambda_1^2`, the theorem's
ratio :math:`\sum_{i>k}\lambda_i^2/\sum_{i\le k}\lambda_i^2` at :math:`k=1` (``wang2023.sec5.srk_g2``).

Finding
-------
Not encoded as a claim (false as printed; for the lead): the ":math:`\gtrsim`" itself, under Theorem 5.2's
*printed* time condition :math:`t\ge t^*=\max\{1,\log(c_2/(\eta\lambda_1))/\log\beta\}` (:math:`k=1`), fails
for noise with :math:`A_1=A_2=a<2(1-\beta^{-2})` in Assumption 5.1, whatever :math:`c_1\le\beta`, :math:`c_2`
and the hidden constant (even if they may depend on :math:`A_1,A_2`).  Noise :math:`\xi\sim\mathcal
N(0,a\mathcal L(w)G)` meets Assumption 5.1 with :math:`A_1=A_2=a` and closes (8) exactly
(:func:`printed_threshold_ratio`).  Start :math:`w_0=u_1` (:math:`W_0=1`), spectrum
:math:`(1,\frac12,\dots,\frac12)`.  For :math:`\eta\lambda_1\ll1` the sharp share shrinks by about
:math:`1/(1+a\beta^2/2)` per step, while :math:`t^*` only allows for a factor :math:`\beta^{-2}`, so
:math:`D_{t^*,1}/(\mathrm{srk}(G^2)-1)\approx(c_2/\beta)^{2\kappa}\mathrm{srk}^{\kappa-1}`, with
:math:`\kappa=\log(1+a\beta^2/2)/\log\beta^2<1` whenever :math:`a<2(1-\beta^{-2})`.  For :math:`a=\frac12`,
:math:`\beta=3`, :math:`c_2=100` the ratio is 1.10, 0.656, 0.121, 0.0138 at :math:`\mathrm{srk}(G^2)=10^2,
10^4,10^6,10^8` (:math:`t^*=6,8,10,12`; fitted exponent −0.42, predicted :math:`\kappa-1=-0.46`); a larger
:math:`c_2` only delays the decay (:math:`c_2=10^4`: 0.61 at :math:`10^8`).  App. D.1's own threshold,
:math:`\log(1/(W_0A_2\eta^2\lambda_1^2))/\log(A_1\beta^2)`, decays too on this instance (0.71, 0.137, 0.041,
0.0138), because of Eq. (12)'s lost factor 1/2; with it restored (:math:`A_i/2`,
``wang2023.thm5_2.constants.as_proved``) the ratio stays ≈ 1 up to :math:`\mathrm{srk}=10^{12}`.  For exact
batch-one SGD on Gaussian data :math:`a\approx2`, at the edge of the printed condition.

Evidence
--------
* ``symbolic``: the identity for a diagonal :math:`G` with symbolic ordered spectrum (:math:`d=4`).
* ``property``: Hypothesis over :math:`G` from ``psd_with`` (:math:`p\le12`, rank, condition, scale drawn) and
  :math:`G=\frac1nQQ^T` from ``gradient_matrices`` (every rank-one kind).
* ``exact``: :math:`\mathrm{tr}(G^2)/\|G^2\|_2-1` from the matrix against
  :func:`~verifythm.quantities.directional.escape_spectral_ratio` on seeded :math:`G=\frac1nQQ^T`
  (all gradient families, :math:`p\le30`), including a repeated top eigenvalue and rank one.
  Weakened by 10 % (right side plus 10 %): counterexample.

References
----------
[wang2023noise, Notation (§2); Section 5, Theorem 5.2 and the sentence after it; Appendix D.1].
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
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import array
from verifythm.quantities.directional import escape_spectral_ratio
from verifythm.strategies import gradient_matrices, psd_with

from ._common import KEY, random_gradient_matrices


def srk(A: np.ndarray) -> float:
    """The paper's effective rank tr(A)/‖A‖ (spectral norm) of a PSD matrix."""
    return float(np.trace(A) / np.linalg.norm(A, 2))


def conclusion(inst: dict[str, Any]) -> Comparison:
    """srk(G²) − 1 (from the matrix G²) against Σ_{i≥2}λ_i²/λ_1² (from the spectrum of G)."""
    G = (inst["G"] + inst["G"].T) / 2
    G = G / np.linalg.norm(G, 2)
    lhs = srk(G @ G) - 1.0
    rhs = escape_spectral_ratio(np.clip(np.linalg.eigvalsh(G), 0.0, None), 1)
    return Comparison(lhs, rhs, "==", "srk(G²) − 1", "Σ_{i≥2}λ_i²/λ_1²")


def printed_threshold_ratio(
    srk_g2: float, a: float, beta: float, c2: float, mu: float = 0.5, horizon: int = 400
) -> tuple[float, int]:
    r"""``(inf_{t≥t*} D_{t,1}/(srk(G²)−1), t*)`` under Theorem 5.2's printed time condition.

    Spectrum :math:`(1,\mu,\dots,\mu)` with :math:`(d-1)\mu^2=\mathrm{srk}(G^2)-1`, noise with
    :math:`\mathbb E(u_i^T\xi)^2=a\lambda_i\mathcal L(w)`, :math:`\eta=\beta/\|G\|_F`, :math:`w_0=u_1`.  The
    flat block is exchangeable, so (8) reduces exactly to the pair (sharp, total flat) second moments.
    """
    nf = (srk_g2 - 1.0) / mu**2
    eta = beta / np.sqrt(1.0 + nf * mu**2)
    tstar = max(1, int(np.ceil(np.log(c2 / eta) / np.log(beta))))
    m1, mf, ds = 1.0, 0.0, []
    for t in range(1, tstar + horizon + 1):
        energy = m1 + mu * mf  # 2L = X_t + Y_t
        m1, mf = (
            (1 - eta) ** 2 * m1 + 0.5 * eta**2 * a * energy,
            (1 - eta * mu) ** 2 * mf + 0.5 * eta**2 * a * mu * nf * energy,
        )
        m1, mf = m1 / (m1 + mf), mf / (m1 + mf)
        if t >= tstar:
            ds.append(mu * mf / m1)
    return float(min(ds)) / (srk_g2 - 1.0), tstar


def _symbolic() -> list[Any]:
    import sympy as sp

    lam = sp.symbols("l1:5", positive=True)  # λ₁ ≥ λ₂ ≥ λ₃ ≥ λ₄ ≥ 0, so ‖G²‖ = λ₁²
    G2 = sp.diag(*[x**2 for x in lam])
    srk_g2 = G2.trace() / lam[0] ** 2
    return [Identity(srk_g2 - 1, sum(x**2 for x in lam[1:]) / lam[0] ** 2, "srk(G²) − 1 = Σ_{i≥2}λ_i²/λ₁²")]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _, n, Q in random_gradient_matrices(rng, k):
        if rng.random() < 0.5:  # wider p as well
            Q = np.vstack([Q, rng.standard_normal((int(rng.integers(0, 23)), n))])
        out.append({"G": Q @ Q.T / n})
    return out


def _gram(Q: np.ndarray) -> dict[str, Any]:
    return {"G": Q @ Q.T / Q.shape[1]}


# G from psd_with (controlled rank, condition number up to 1e3, scale) or from gradient matrices of every
# rank-one kind, p up to 12 (beyond the seeded stream's small-p families)
_STRATEGY = st.one_of(
    psd_with(st.integers(1, 12)).map(lambda G: {"G": G}),
    gradient_matrices(n=st.integers(1, 8), p=st.integers(1, 12)).map(_gram),
)


def _ok(inst: dict[str, Any]) -> bool:
    G = inst["G"]
    if G.ndim != 2 or G.shape[0] != G.shape[1] or not np.all(np.isfinite(G)):
        return False
    lam = np.linalg.eigvalsh((G + G.T) / 2)
    return bool(lam[-1] > 0 and lam[0] >= -1e-10 * lam[-1])


CLAIM = Claim(
    id="wang2023.sec5.srk_g2",
    title="srk(G²) − 1 = Σ_{i≥2}λ_i²/λ_1²: the k = 1 ratio of Theorem 5.2 (§5, 'D_{t,1} ≳ srk(G²) − 1')",
    source=Source(KEY, "Section 5, after Theorem 5.2"),
    statement=r"With $\mathrm{srk}(A)=\mathrm{tr}(A)/\|A\|$: "
    r"$\mathrm{srk}(G^2)-1=\sum_{i\ge2}\lambda_i^2/\lambda_1^2$, so Theorem 5.2 at $k=1$ reads "
    r"$D_{t,1}\gtrsim\mathrm{srk}(G^2)-1$.",
    hypotheses=(Hypothesis("G symmetric PSD, G ≠ 0", _ok),),
    conclusion=conclusion,
    inputs={"G": array()},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        PropertyCheck("property", _STRATEGY, max_examples=60),
        ExactCheck(
            "exact",
            _generate,
            fixed=[{"G": np.diag([1.0, 1.0, 0.5])}, {"G": np.outer([1.0, 2.0], [1.0, 2.0])}],
        ),
    ),
    kind="identity",
)

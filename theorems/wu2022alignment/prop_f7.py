r"""Wu, Wang & Su (2022), proof of Proposition F.7 (first part), Eq. (13): the deterministic step.

Setting
-------
A kernel given by M equally weighted feature atoms on a finite domain, :math:`k=\Psi\Psi^T/M`, a data
law ρ on the domain, a data sample :math:`x_1,\dots,x_n` and a feature sample of size m with
:math:`\hat k=\Psi_S\Psi_S^T/m`; :math:`\chi(x)=\mathbb E_{x'\sim\rho}k^2(x,x')` and
:math:`\chi_i=\frac1n\sum_j\hat k^2(x_i,x_j)` (Eq. (12)).  The random feature model of Proposition 2.5
(``wu2022.prop2_5.mu1.as_proved``, module ``prop2_5_as_proved``) is one such kernel.

Statement
---------
The deterministic skeleton of the first part's proof, true for every data sample and feature draw.
With :math:`\Delta=\sup_{x,x'}|k-\hat k|` and :math:`\kappa=\sup_{x,x'}|k|`, the triangle inequality of
Eq. (13) and the factorization :math:`\hat k^2-k^2=(\hat k-k)(\hat k+k)`, :math:`|\hat k+k|\le2|k|+\Delta`,
give for every sample point

.. math:: |\chi(x_i)-\chi_i|\le\sup_{x'}\Big|\mathbb E_xk^2(x,x')-\frac1n\sum_jk^2(x_j,x')\Big|
   +(2\kappa+\Delta)\Delta,

and the last display of the proof turns :math:`\chi_i\ge\chi(x_i)-\epsilon`, :math:`\tilde\chi\le\bar\chi+
\epsilon` into a bound on the ratio: for :math:`0\le a\le b`, :math:`\epsilon\ge0`,
:math:`a/b-(a-\epsilon)/(b+\epsilon)=\epsilon(a+b)/(b(b+\epsilon))\le2\epsilon/b`, so the proof's
:math:`C\epsilon_n` in the last step is :math:`2C\epsilon_n/\bar\chi` (the constant depends on the kernel's
scale through :math:`\bar\chi`, as ``wu2022.prop_f7.mu2`` notes).

Evidence
--------
* ``symbolic`` (proof of Proposition F.7, Eq. (13) and the final ratio step): sympy derives
  :math:`\hat k^2-k^2=(\hat k-k)(2k+(\hat k-k))`, the sign conditions :math:`(2|k|+|d|)^2-(2k+d)^2\ge0`
  (:math:`d=\hat k-k`, each sign pattern) and :math:`(2\kappa+\Delta)\Delta-(2|k|+|d|)|d|\ge0` for
  :math:`|k|\le\kappa`, :math:`|d|\le\Delta` (a polynomial with nonnegative coefficients in the slacks), the
  ratio identity and :math:`2\epsilon/b-(a/b-(a-\epsilon)/(b+\epsilon))=\epsilon(b-a+2\epsilon)/
  (b(b+\epsilon))\ge0`.
  With :math:`(\kappa+\Delta)\Delta` (``CROSS`` = 1) the sign conditions go red; with
  :math:`\epsilon/b` in place of :math:`2\epsilon/b` the last one does.
* ``property``: Hypothesis over kernels with M equally weighted feature atoms (feature vectors the
  columns of :func:`~verifythm.strategies.gradient_matrices`), drawn data laws, data samples and feature
  samples; the sample's empirical law is drawn as the data law with probability ½ (the first term of
  (13) vanishes there, so the bound is tight: with ``CROSS`` = 1 Hypothesis finds a violation).
* ``exact``: seeded instances of the same kind.

References
----------
[wu2022alignment, Appendix F, Proposition F.7 (proof of the first part, Eq. (13) and its last
display)].
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import KERNEL_SAMPLE_INPUTS, kernel_samples, valid_kernel_sample
from ._circle import TWO_PI, chi_circle, eps_proof  # noqa: F401  (public names of this module before the split)

#: The factor of :math:`|k|` in :math:`|\hat k+k|\le2|k|+\Delta` (Eq. (13)'s second term).
CROSS = 2


def eq13(inst: dict[str, Any]) -> Comparison:
    r""":math:`\max_i|\chi(x_i)-\chi_i|` vs :math:`\sup_{x'}|E k^2-\hat Ek^2|+(2\kappa+\Delta)\Delta`.

    ``Psi``: N × M feature atoms of the domain points (π uniform on the M atoms, so :math:`k=\Psi\Psi^T/M`);
    ``p``: the data law ρ on the domain; ``idx``: the data sample; ``S``: the feature sample
    (:math:`\hat k=\Psi_S\Psi_S^T/m`).
    """
    Psi, p = inst["Psi"], inst["p"]
    idx, S = np.asarray(inst["idx"], int), np.asarray(inst["S"], int)
    M = Psi.shape[1]
    k = Psi @ Psi.T / M
    khat = Psi[:, S] @ Psi[:, S].T / S.size
    k2 = k * k
    chi_pop = k2 @ p  # χ(x) = E_{x'~ρ} k²(x, x') on every domain point
    chi_emp = np.mean(khat[np.ix_(idx, idx)] ** 2, axis=1)  # χ_i = (1/n) Σ_j k̂²(x_i, x_j)
    lhs = float(np.max(np.abs(chi_pop[idx] - chi_emp)))
    sup_data = float(np.max(np.abs(chi_pop - np.mean(k2[idx], axis=0))))
    delta = float(np.max(np.abs(k - khat)))
    kap = float(np.max(np.abs(k)))
    rhs = sup_data + (CROSS * kap + delta) * delta
    return Comparison(lhs, rhs, "<=", "max_i |χ(x_i) − χ_i|", "sup_x'|E k² − Ê k²| + (2κ + Δ)Δ")


@st.composite
def _strategy13(draw: Any) -> dict[str, Any]:
    Psi = draw(gradient_matrices(p=st.integers(1, 6), n=st.integers(1, 6))).T  # N × M
    N, M = Psi.shape
    idx = np.array(draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=8)), dtype=int)
    S = np.array(draw(st.lists(st.integers(0, M - 1), min_size=1, max_size=8)), dtype=int)
    if draw(st.booleans()):
        p = np.bincount(idx, minlength=N) / idx.size
    else:
        w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
        p = w / w.sum()
    return {"Psi": Psi, "p": p, "idx": idx, "S": S}


def _symbolic13() -> list[Any]:
    r"""Proof of Proposition F.7 (first part): Eq. (13)'s :math:`k^2` step and the final ratio step."""
    import sympy as sp

    k, kh = sp.symbols("k khat", real=True)
    a_k, a_d, s_k, s_d = sp.symbols("abs_k abs_d slack_kappa slack_Delta", nonnegative=True)
    kap, Dl = a_k + s_k, a_d + s_d  # |k| ≤ κ, |k̂ − k| ≤ Δ
    # |k̂² − k²| = |k̂ − k|·|2k + (k̂ − k)| ≤ |k̂ − k|(2|k| + |k̂ − k|) ≤ Δ(2κ + Δ); k = ±|k|, k̂ − k = ±|k̂ − k|
    a, eps, b = sp.symbols("a epsilon b", nonnegative=True)
    bb = b + a  # 0 ≤ a ≤ b (inf χ ≤ χ̄), b > 0 where divided
    ratio = a / bb - (a - eps) / (bb + eps)
    return [
        Identity(kh**2 - k**2, (kh - k) * (2 * k + (kh - k)), "k̂² − k² = (k̂ − k)(2k + (k̂ − k))"),
        *(
            Nonnegative(
                sp.expand((CROSS * a_k + a_d) ** 2 - (2 * sk * a_k + sd * a_d) ** 2),
                f"|k̂ + k| = |2k + (k̂ − k)| ≤ 2|k| + |k̂ − k| (signs {sk:+d}, {sd:+d})",
            )
            for sk in (1, -1)
            for sd in (1, -1)
        ),
        Nonnegative(
            sp.expand((CROSS * kap + Dl) * Dl - (CROSS * a_k + a_d) * a_d),
            "(2κ + Δ)Δ ≥ (2|k| + |k̂ − k|)|k̂ − k| ≥ |k̂² − k²| (Eq. (13), second term)",
        ),
        Identity(sp.cancel(ratio), sp.cancel(eps * (a + bb) / (bb * (bb + eps))), "a/b − (a − ε)/(b + ε)"),
        Nonnegative(
            sp.factor(sp.cancel(2 * eps / bb - ratio)),
            "a/b − (a − ε)/(b + ε) ≤ 2ε/b for a ≤ b: μ₁ ≥ inf χ/χ̄ − 2Cε_n/χ̄ (last step)",
        ),
    ]


CLAIM = Claim(
    id="wu2022.prop_f7.eq13",
    title="Proof of Prop F.7, Eq. (13): |χ(x_i) − χ_i| ≤ sup_x'|E k² − Ê k²| + (2 sup|k| + Δ)Δ (every draw)",
    source=Source(KEY, "Proposition F.7 (proof, first part, Eq. (13))"),
    statement=(
        r"For every data sample and feature draw, with $\Delta=\sup|k-\hat k|$ and $\kappa=\sup|k|$: "
        r"$\max_i|\chi(x_i)-\chi_i|\le\sup_{x'}|\mathbb E_xk^2(x,x')-\frac1n\sum_jk^2(x_j,x')|+"
        r"(2\kappa+\Delta)\Delta$; and $a/b-(a-\epsilon)/(b+\epsilon)\le2\epsilon/b$ for $0\le a\le b$."
    ),
    hypotheses=(
        Hypothesis("ρ a probability vector; non-empty data and feature samples", valid_kernel_sample),
    ),
    conclusion=eq13,
    inputs=KERNEL_SAMPLE_INPUTS,
    checks=(
        # every third law the sample's empirical law: the first term of (13) vanishes there
        ExactCheck(
            "exact", partial(kernel_samples, empirical_every=3), note="seeded feature atoms, laws and samples"
        ),
        PropertyCheck("property", _strategy13(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic13, note="proof of Prop F.7: Eq. (13) and the final ratio step"),
    ),
)

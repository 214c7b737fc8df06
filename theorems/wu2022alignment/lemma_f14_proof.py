r"""Wu, Wang & Su (2022), proof of Lemma F.14: the deterministic decomposition behind it, for every draw.

Setting
-------
Random feature model of Appendix F.2 on a finite domain: a data law ρ, a data sample and a feature
sample; :math:`K=(k(x_i,x_j)/n)`, :math:`\hat K=(\hat k(x_i,x_j)/n)=G/n` and the integral operator
:math:`\mathcal K` (the lemma itself is ``wu2022.lemma_f14``, module ``lemma_f14``).

Statement
---------
"Follows directly from Lemmas F.13 and F.11" rests on a deterministic decomposition, true for every
data set and feature draw:

.. math:: \lambda_1(\hat K)-\lambda_1(\mathcal K)\le\|\hat K-K\|_F
   +\sup_{\|h\|\le1}\big|\hat{\mathbb E}\langle h,\phi_x\rangle^2-\mathbb E\langle h,\phi_x\rangle^2\big|

(Weyl's inequality as in Lemma F.11, plus the step of ``wu2022.lemma_f13.sup_step``), and on the union
of the two events, each at level δ/2, whose logarithms the statement absorbs in C.

Evidence
--------
* ``symbolic`` (the union bound's constants): sympy derives :math:`\log(4/\delta)\le2\log(2/\delta)` for
  δ ≤ 1 (the F.11 term) and :math:`\log(4/\delta)\le(1+\log4)\log(1/\delta)` for :math:`\delta\le1/e`
  (the F.13 term), so the statement holds with :math:`C=\max(\sqrt{1+\log4}\,C_{13},\sqrt2\,C_{11})`
  for :math:`\delta<1/e`; with :math:`\log4` in place of :math:`1+\log4` the check goes red.
* ``property``: Hypothesis over population kernels with M equally weighted feature atoms (feature
  vectors from :func:`~verifythm.strategies.gradient_matrices`), drawn data laws, data samples and
  feature samples.
* ``exact``: seeded instances of the same kind.

References
----------
[wu2022alignment, Appendix F.2, Lemma F.14 (proof, from Lemmas F.11 and F.13)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.evidence.symbolic import Nonnegative
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import KERNEL_SAMPLE_INPUTS, kernel_samples, operator_top, sample_sup_gap, valid_kernel_sample

#: :math:`\log(4/\delta)\le\mathrm{UNION}\cdot\log(1/\delta)` for :math:`\delta\le1/e`: UNION = 1 + log 4.
UNION_SHIFT = 1


def decomposition(inst: dict[str, Any]) -> Comparison:
    r""":math:`\lambda_1(\hat K)-\lambda_1(\mathcal K)` vs :math:`\|\hat K-K\|_F+\|\Phi^T(\hat P-P)\Phi\|_2`.

    ``Psi``: N × M feature atoms of the domain points (π uniform on the M atoms, so
    :math:`k=\Psi\Psi^T/M`); ``p``: the data law; ``idx``: the data sample; ``S``: the feature sample.
    """
    Psi, p = inst["Psi"], inst["p"]
    idx, S = np.asarray(inst["idx"], int), np.asarray(inst["S"], int)
    n, m, M = idx.size, S.size, Psi.shape[1]
    k = Psi @ Psi.T / M
    khat = Psi[:, S] @ Psi[:, S].T / m
    K, Khat = k[np.ix_(idx, idx)] / n, khat[np.ix_(idx, idx)] / n
    lhs = float(np.linalg.eigvalsh(Khat)[-1]) - operator_top(k, p)
    sup = sample_sup_gap(Psi / np.sqrt(M), p, idx)
    return Comparison(
        lhs, float(np.linalg.norm(Khat - K)) + sup, "<=", "λ₁(K̂) − λ₁(𝒦)", "‖K̂ − K‖_F + sup_h|Ê − E|"
    )


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Psi = draw(gradient_matrices(p=st.integers(1, 6), n=st.integers(1, 6))).T  # N × M
    N, M = Psi.shape
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
    idx = np.array(draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=8)), dtype=int)
    S = np.array(draw(st.lists(st.integers(0, M - 1), min_size=1, max_size=8)), dtype=int)
    return {"Psi": Psi, "p": w / w.sum(), "idx": idx, "S": S}


def _symbolic() -> list[Any]:
    r"""The union bound at δ/2 each: the logarithms the statement absorbs in its constant."""
    import sympy as sp

    t = sp.Symbol("t", nonnegative=True)
    delta = 1 / (1 + t)  # δ ∈ (0, 1]
    L1 = 1 + t  # log(1/δ) for δ ≤ 1/e: every value ≥ 1
    return [
        Nonnegative(sp.factor((2 / delta) ** 2 - 4 / delta), "log(4/δ) ≤ 2 log(2/δ): (2/δ)² ≥ 4/δ for δ ≤ 1"),
        Nonnegative(
            sp.expand((UNION_SHIFT + sp.log(4)) * L1 - (sp.log(4) + L1)),
            "log(4/δ) = log 4 + log(1/δ) ≤ (1 + log 4)·log(1/δ) for δ ≤ 1/e",
        ),
    ]


CLAIM = Claim(
    id="wu2022.lemma_f14.decomposition",
    title="Proof of Lemma F.14: λ₁(K̂) − λ₁(𝒦) ≤ ‖K̂ − K‖_F + sup_‖h‖≤1 |Ê⟨h, φ⟩² − E⟨h, φ⟩²| (every draw)",
    source=Source(KEY, "Lemma F.14 (proof)"),
    statement=(
        r"For every data sample and feature draw: $\lambda_1(\hat K)-\lambda_1(\mathcal K)\le\|\hat K-K\|_F+"
        r"\sup_{\|h\|\le1}|\hat{\mathbb E}\langle h,\phi_x\rangle^2-\mathbb E\langle h,\phi_x\rangle^2|$ "
        r"(Weyl's inequality and the step of Lemma F.13), and the union bound's logarithms fit in C."
    ),
    hypotheses=(
        Hypothesis("ρ a probability vector; non-empty data and feature samples", valid_kernel_sample),
    ),
    conclusion=decomposition,
    inputs=KERNEL_SAMPLE_INPUTS,
    checks=(
        ExactCheck("exact", kernel_samples, note="seeded feature atoms, laws and samples"),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic, note="the union bound's constants"),
    ),
)

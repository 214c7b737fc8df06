r"""Dexter et al. (2024), Theorem 1, condition (a): λ₁(H) > 2/η alone gives the first-moment divergence.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
:math:`\eta>0`, :math:`B\in[n]`, i.i.d. Bernoulli-SGD Jacobians
:math:`\hat J_t=I-\frac\eta B\sum_ix_iH_i`, :math:`x_i\sim\mathrm{Bern}(B/n)` (Definition 1), and
:math:`P_k=\hat J_k\cdots\hat J_1`.  Theorem 1 as printed is :mod:`.thm1`.

Statement
---------
``dexter2024.thm1.gd_part``: if :math:`\lambda_1(H)>2/\eta` then :math:`\lim_k\mathbb E\|P_k\|_2=\infty`.
By Jensen, :math:`\mathbb E\|P_k\|_2\ge\|\mathbb EP_k\|_2=\|J^k\|_2=\max_j|1-\eta\lambda_j|^k`, so
condition (a) implies the literal first-moment conclusion that condition (b) does not (the erratum of
:mod:`.thm1`).

Evidence
--------
* ``exact``: seeded diagonal families (:math:`n\le8`, :math:`d\le3`, any :math:`B`) with :math:`\eta`
  drawn above :math:`2/\lambda_1(H)` (factor 1.001–3); on diagonal families
  :math:`\mathbb E\|P_k\|_2\to\infty` iff :math:`\max_j\mathbb E|1-\eta\hat h_j|>1`, decided exactly
  by enumerating the law of :math:`\hat h_j` (no Monte Carlo).
* ``symbolic`` (sympy, Jensen's step): :math:`\mathbb E\hat J=J` by enumerating the Bernoulli masks
  (:math:`n\le3`, symbolic :math:`2\times2` members and :math:`B`), and :math:`|1-\eta\lambda|=1+t` at
  :math:`\eta\lambda=2+t`.

References
----------
[dexter2024precise, Theorem 1 and its proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

from verifythm import Claim, ExactCheck, Identity, Source, SymbolicCheck

from ._symbolic import bernoulli_mean, sym_matrix
from ._thm1 import DIAG_INPUTS, diag_generator, first_moment, hyp_diag


def _symbolic_gd() -> list[Any]:
    """Condition (a): E Ĵ = J (Bernoulli masks enumerated) and |1 − ηλ| = 1 + t at ηλ = 2 + t."""
    import sympy as sp

    eta, B, t = sp.symbols("eta B t", positive=True)
    out: list[Any] = []
    for n in (1, 2, 3):
        Hs = [sym_matrix(f"H{i + 1}", 2) for i in range(n)]
        H = sum(Hs, sp.zeros(2)) / n

        def J_hat(x: tuple[int, ...], Hs: list[Any] = Hs) -> Any:
            return sp.eye(2) - eta / B * sum((xi * h for xi, h in zip(x, Hs, strict=True)), sp.zeros(2))

        EJ = bernoulli_mean(J_hat, n, B / n)
        out.append(
            Identity(
                EJ.applyfunc(sp.expand), (sp.eye(2) - eta * H).applyfunc(sp.expand), f"E Ĵ = I − ηH, n = {n}"
            )
        )
    out.append(
        Identity(sp.Abs(1 - (2 + t)), 1 + t, "|1 − ηλ| = 1 + t > 1 at ηλ = 2 + t (Jensen: E‖P_k‖₂ ≥ ‖J^k‖₂)")
    )
    return out


CLAIM = Claim(
    id="dexter2024.thm1.gd_part",
    title="λ₁(H) > 2/η implies E‖Ĵ_k⋯Ĵ_1‖₂ → ∞ (condition (a) of Theorem 1, first moment)",
    source=Source("dexter2024precise", "Theorem 1"),
    statement=(
        r"If $\lambda_1(H)>2/\eta$ then $\lim_k\mathbb E\|\hat J_k\cdots\hat J_1\|_2=\infty$ "
        r"(decided exactly on diagonal families: $\max_j\mathbb E|1-\eta\hat h_j|>1$)."
    ),
    hypotheses=hyp_diag(gd_only=True),
    conclusion=first_moment,
    checks=(SymbolicCheck("symbolic", _symbolic_gd), ExactCheck("exact", diag_generator(True))),
    kind="limit",
    inputs=DIAG_INPUTS,
)

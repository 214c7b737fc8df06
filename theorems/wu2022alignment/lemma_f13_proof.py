r"""Wu, Wang & Su (2022), proof of Lemma F.13: λ₁(K) − λ₁(𝒦) ≤ sup_{‖h‖≤1} |Ê⟨h, φ_x⟩² − E⟨h, φ_x⟩²|.

Setting
-------
A PSD kernel with a finite feature map, :math:`k(x,x')=\langle\phi_x,\phi_{x'}\rangle`, on a finite domain
with data law ρ (weights P) and a sample with empirical law :math:`\hat P`; :math:`K` the kernel matrix
:math:`(k(x_i,x_j)/n)` of the sample and :math:`\mathcal K` the integral operator on :math:`L_2(\rho)`
(Appendix F.2; the lemma itself is ``wu2022.lemma_f13``, module ``lemma_f13``).

Statement
---------
The deterministic step of the proof (the ε-argument after (18)): for a kernel with a finite feature
map, :math:`\lambda_1(K)=\sup_{\|h\|=1}\hat{\mathbb E}\langle h,\phi_x\rangle^2` and
:math:`\lambda_1(\mathcal K)=\sup_{\|h\|=1}\mathbb E\langle h,\phi_x\rangle^2` (Lemma F.12), so

.. math:: \lambda_1(K)-\lambda_1(\mathcal K)\le\sup_{\|h\|\le1}\big|\hat{\mathbb E}\langle h,\phi_x\rangle^2
   -\mathbb E\langle h,\phi_x\rangle^2\big|=\|\Phi^T(\hat P-P)\Phi\|_2,

for every sample (sharp: two orthogonal unit features with weights ½, ½, the sample on one of them).
The left side is computed from kernel matrices only (the n × n K and :math:`P^{1/2}K_{\mathcal X}P^{1/2}`),
the right side from the features.

Evidence
--------
* ``symbolic`` (proof of Lemma F.13, from (17) to the final bound): sympy derives (i)
  :math:`\|h\|^2\|\phi\|^2-\langle h,\phi\rangle^2=\sum_{a<c}(h_a\phi_c-h_c\phi_a)^2` (D = 3), so
  :math:`|f|\le\sqrt{k(x,x)}\le1` on :math:`\mathcal F_1` (the bound B = 1 of Theorem F.2);
  (ii) :math:`\hat{\mathbb E}\langle h,\phi_x\rangle^2=h^T\Phi^T\hat P\Phi h` (N = 3 points, D = 2,
  symbolic weights), the quadratic form behind (17); (iii) :math:`t\mapsto t^2` is 2-Lipschitz on
  [−1, 1], so :math:`\widehat{\mathrm{Rad}}_n(\mathcal F_2)\le2/\sqrt n` (Lemmas F.3, F.5);
  (iv) Theorem F.2 then gives :math:`8/\sqrt n+\sqrt{2\log(2/\delta)/n}\le C\sqrt{\log(2/\delta)/n}`
  with :math:`C=8/\sqrt{1+\log2}+\sqrt2` for every :math:`\delta<1/e` (with 4 in place of 8 in C the
  check goes red).
* ``property``: Hypothesis over feature matrices of the project's vocabulary
  (:func:`~verifythm.strategies.gradient_matrices`, rows scaled to norm ≤ 1), drawn weights and samples.
* ``exact``: seeded features, weights and samples, and the sharp instance.

References
----------
[wu2022alignment, Appendix F.2, Lemma F.13 (proof, Eqs. (17)–(18)); Lemmas F.3, F.5, F.12; Theorem F.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import operator_top, sample_sup_gap

#: :math:`\widehat{\mathrm{Rad}}_n(\mathcal F_2)\le2/\sqrt n`, times the 4 of Theorem F.2.
C_RAD = 8


def sup_step(inst: dict[str, Any]) -> Comparison:
    r""":math:`\lambda_1(K)-\lambda_1(\mathcal K)` (kernels) vs :math:`\|\Phi^T(\hat P-P)\Phi\|_2` (features).

    ``Phi``: N × D features of the domain points; ``p``: the law ρ on them; ``idx``: the sample.
    """
    Phi, p, idx = inst["Phi"], inst["p"], np.asarray(inst["idx"], int)
    Kx = Phi @ Phi.T
    lam_K = float(np.linalg.eigvalsh(Kx[np.ix_(idx, idx)] / idx.size)[-1])
    gap = sample_sup_gap(Phi, p, idx)
    return Comparison(
        lam_K - operator_top(Kx, p), gap, "<=", "λ₁(K) − λ₁(𝒦)", "sup_‖h‖≤1 |Ê⟨h,φ⟩² − E⟨h,φ⟩²|"
    )


def _valid(inst: dict[str, Any]) -> bool:
    Phi, p, idx = inst["Phi"], inst["p"], np.asarray(inst["idx"])
    return (
        Phi.ndim == 2
        and p.shape == (Phi.shape[0],)
        and bool(np.all(p >= 0))
        and abs(float(p.sum()) - 1.0) < 1e-9
        and idx.size >= 1
        and bool(np.all((0 <= idx) & (idx < p.size)))
    )


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(min(k, 40)):
        N, Dm, n = int(rng.integers(1, 8)), int(rng.integers(1, 5)), int(rng.integers(1, 10))
        Phi = rng.standard_normal((N, Dm))
        Phi /= max(float(np.max(np.linalg.norm(Phi, axis=1))), 1e-300)
        p = rng.dirichlet(np.full(N, rng.uniform(0.3, 2.0)))
        out.append({"Phi": Phi, "p": p, "idx": rng.choice(N, n, p=p)})
    return out


#: Equality: two orthogonal unit features, weights ½, ½, the one-point sample on the first.
SHARP = {"Phi": np.eye(2), "p": np.array([0.5, 0.5]), "idx": np.array([0])}


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(p=st.integers(1, 4), n=st.integers(1, 6)))
    Phi = Q.T / max(float(np.max(np.linalg.norm(Q, axis=0))), 1e-300)  # k(x, x) ≤ 1
    N = Phi.shape[0]
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
    idx = np.array(draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=8)), dtype=int)
    return {"Phi": Phi, "p": w / w.sum(), "idx": idx}


def _symbolic() -> list[Any]:
    r"""Proof of Lemma F.13: |f| ≤ √k(x, x), the quadratic form of (17), the contraction and the constant."""
    import sympy as sp

    h3, f3 = sp.symbols("h1:4", real=True), sp.symbols("f1:4", real=True)
    lagrange = sum((h3[a] * f3[c] - h3[c] * f3[a]) ** 2 for a in range(3) for c in range(a + 1, 3))
    inner = sum(x * y for x, y in zip(h3, f3, strict=True))
    Phi = sp.Matrix(3, 2, lambda i, j: sp.Symbol(f"f{i + 1}{j + 1}", real=True))
    w = sp.symbols("w1:4", positive=True)
    h = sp.Matrix(sp.symbols("g1:3", real=True))
    emp = sum(w[i] * ((Phi[i, :] * h)[0]) ** 2 for i in range(3))
    quad = (h.T * Phi.T * sp.diag(*w) * Phi * h)[0]
    z = sp.Symbol("z", nonnegative=True)
    c = (1 - z) / (1 + z)  # s + t = 2c ranges over (−2, 2]
    n, t = sp.symbols("n t", positive=True)
    L = (1 + sp.log(2)) * (1 + t) ** 2  # log(2/δ) for δ < 1/e: every value above 1 + log 2
    C = C_RAD / sp.sqrt(1 + sp.log(2)) + sp.sqrt(2)
    bound = 4 * (2 / sp.sqrt(n)) + sp.sqrt(2 * L / n)  # Theorem F.2, B = 1, Rad(F₂) ≤ 2·Rad(F₁) ≤ 2/√n
    return [
        Identity(
            sum(x**2 for x in h3) * sum(x**2 for x in f3) - inner**2,
            lagrange,
            "‖h‖²‖φ‖² − ⟨h, φ⟩² = Σ_(a<c)(h_aφ_c − h_cφ_a)², D = 3",
        ),
        Identity(emp, quad, "Ê⟨h, φ_x⟩² = hᵀΦᵀP̂Φh (N = 3, D = 2)"),
        Nonnegative(sp.factor(4 - (2 * c) ** 2), "|s + t| ≤ 2 on [−1, 1]: t ↦ t² is 2-Lipschitz"),
        Nonnegative(
            sp.expand(C * sp.sqrt(L / n) - bound),
            "8/√n + √(2 log(2/δ)/n) ≤ (8/√(1 + log 2) + √2)·√(log(2/δ)/n) for δ < 1/e",
        ),
    ]


CLAIM = Claim(
    id="wu2022.lemma_f13.sup_step",
    title="Proof of Lemma F.13: λ₁(K) − λ₁(𝒦) ≤ sup_‖h‖≤1 |Ê⟨h, φ_x⟩² − E⟨h, φ_x⟩²| (every sample)",
    source=Source(KEY, "Lemma F.13 (proof)"),
    statement=(
        r"For a kernel $k(x,x')=\langle\phi_x,\phi_{x'}\rangle$, a law ρ and any sample: "
        r"$\lambda_1(K)-\lambda_1(\mathcal K)\le\sup_{\|h\|\le1}|\hat{\mathbb E}\langle h,\phi_x\rangle^2-"
        r"\mathbb E\langle h,\phi_x\rangle^2|$."
    ),
    hypotheses=(Hypothesis("ρ a probability vector on the rows of Φ; a non-empty sample", _valid),),
    conclusion=sup_step,
    inputs={"Phi": array(), "p": array()},
    checks=(
        ExactCheck(
            "exact", _generate, fixed=[SHARP], note="seeded features, weights, samples; sharp instance"
        ),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic, note="proof of Lemma F.13: B = 1, (17), contraction, constant"),
    ),
)

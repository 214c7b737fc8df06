r"""Wu, Wang & Su (2022), proof of Lemma F.15: replacing one data point changes ‖K‖_F² by ≤ (2n − 1)/n².

Setting
-------
A kernel with :math:`|k|\le1` given by its Gram matrix on a finite domain, a sample
:math:`x_1,\dots,x_n` from it, :math:`K=(k(x_a,x_b)/n)` and :math:`K'` the same matrix after :math:`x_i` is
replaced by :math:`\tilde x_i`: the bounded difference of the McDiarmid step (21) (the lemma itself is
``wu2022.lemma_f15``, module ``lemma_f15``).

Statement
---------
The deterministic core of the McDiarmid step (21): replacing the data point :math:`x_i` by
:math:`\tilde x_i` changes :math:`\|K\|_F^2` (:math:`K=(k(x_a,x_b)/n)`, :math:`|k|\le1`) by

.. math:: \|K\|_F^2-\|K'\|_F^2=\frac1{n^2}\Big[2\sum_{j\ne i}\big(k^2(x_i,x_j)-k^2(\tilde x_i,x_j)\big)
   +k^2(x_i,x_i)-k^2(\tilde x_i,\tilde x_i)\Big],\qquad D_i\le\frac{2n-1}{n^2}.

The paper prints this difference without the factor 2 (row i and column i of the symmetric K both
change); its ":math:`\lesssim1/n`" absorbs the slip, and :math:`\sigma^2=\frac14\sum_iD_i^2\le1/n` still
holds.  The bound is sharp: n copies of a point with :math:`k=1`, one replaced by a point with zero
feature, changes :math:`\|K\|_F^2` from 1 to :math:`(n-1)^2/n^2`.

Evidence
--------
* ``symbolic`` (proof of Lemma F.15, the bound on :math:`D_i` and Eq. (21)): sympy derives the difference
  above for a symbolic symmetric kernel at n = 3 (the paper's form without the 2 turns the check red),
  :math:`\sigma^2=\frac n4\big(\frac{2n-1}{n^2}\big)^2\le\frac1n` for n ≥ 1, and the factorization
  :math:`\|\hat K\|_F^2-\|K\|_F^2=(\|\hat K\|_F+\|K\|_F)(\|\hat K\|_F-\|K\|_F)` of the last step.
* ``property``: Hypothesis over kernels :math:`k(x,x')=u_x^Tu_{x'}` on finite domains whose feature
  vectors are the columns of a gradient matrix of the project's vocabulary
  (:func:`~verifythm.strategies.gradient_matrices`) scaled to norm ≤ 1, with a drawn sample (n ≤ 6), a
  drawn position and replacement point.
* ``exact``: seeded kernels (linear, RBF, ReLU arc-cosine, diagonal, rank one, rescaled to
  :math:`k(x,x)\le1`) and the sharp instance.

References
----------
[wu2022alignment, Appendix F.2, Lemma F.15 (proof, Eq. (21))].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import INT, array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import is_psd, random_gram

#: Row i and column i of the symmetric K both change: the factor the printed difference drops.
SYMMETRIC = 2


def replaced_change(inst: dict[str, Any]) -> Comparison:
    r""":math:`|\|K\|_F^2-\|K'\|_F^2|` when sample point i is replaced, vs :math:`(2n-1)/n^2`.

    ``Kd``: Gram matrix of the finite domain (:math:`|k|\le1`); ``idx``: the sample; ``i``: the position
    replaced; ``j``: the domain point put there.  Both kernel matrices are formed in full.
    """
    Kd, idx = inst["Kd"], np.asarray(inst["idx"], int)
    idx2 = idx.copy()
    idx2[inst["i"]] = inst["j"]
    n = idx.size
    K, K2 = Kd[np.ix_(idx, idx)] / n, Kd[np.ix_(idx2, idx2)] / n
    change = abs(float(np.sum(K * K)) - float(np.sum(K2 * K2)))
    return Comparison(change, (2 * n - 1) / n**2, "<=", "|‖K‖_F² − ‖K'‖_F²|", "(2n − 1)/n²")


def _valid(inst: dict[str, Any]) -> bool:
    Kd, idx = inst["Kd"], np.asarray(inst["idx"])
    N = Kd.shape[0] if Kd.ndim == 2 else 0
    return (
        is_psd(Kd)
        and float(np.max(np.diag(Kd))) <= 1.0 + 1e-12
        and idx.size >= 1
        and bool(np.all((0 <= idx) & (idx < N)))
        and 0 <= inst["i"] < idx.size
        and 0 <= inst["j"] < N
    )


def _unit(K: np.ndarray) -> np.ndarray:
    return K / max(float(np.max(np.diag(K))), 1e-300)


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for t in range(min(k, 40)):
        N, n = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        Kd = _unit(random_gram(rng, N, t % 5))
        out.append(
            {
                "Kd": Kd,
                "idx": rng.integers(0, N, n),
                "i": int(rng.integers(0, n)),
                "j": int(rng.integers(0, N)),
            }
        )
    return out


#: Equality: three copies of a point with k = 1, one replaced by a point whose feature is 0.
SHARP = {"Kd": np.diag([1.0, 0.0]), "idx": np.array([0, 0, 0]), "i": 0, "j": 1}


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(p=st.integers(1, 4), n=st.integers(1, 6)))
    U = Q / max(float(np.max(np.linalg.norm(Q, axis=0))), 1e-300)  # columns of norm ≤ 1
    if draw(st.booleans()):  # a point with zero feature (k(x, x) = 0)
        U = np.c_[U, np.zeros(U.shape[0])]
    N = U.shape[1]
    idx = np.array(draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=6)), dtype=int)
    return {
        "Kd": U.T @ U,
        "idx": idx,
        "i": draw(st.integers(0, idx.size - 1)),
        "j": draw(st.integers(0, N - 1)),
    }


def _symbolic() -> list[Any]:
    r"""Proof of Lemma F.15: the change of :math:`\|K\|_F^2`, σ² ≤ 1/n, and the last factorization."""
    import sympy as sp

    n = 3
    k = sp.Matrix(n, n, lambda a, c: sp.Symbol(f"k{min(a, c) + 1}{max(a, c) + 1}", real=True))
    kt = sp.symbols("kt1:4", real=True)  # k(x̃_1, x_j), j = 1..3 (kt1 = k(x̃_1, x̃_1))
    k2 = k.copy()
    for c in range(n):
        k2[0, c] = k2[c, 0] = kt[c]
    change = (sum(x**2 for x in k) - sum(x**2 for x in k2)) / n**2
    printed = (
        SYMMETRIC * sum(k[0, c] ** 2 - kt[c] ** 2 for c in range(1, n)) + k[0, 0] ** 2 - kt[0] ** 2
    ) / n**2
    t = sp.Symbol("t", nonnegative=True)
    nn = 1 + t  # n ≥ 1
    sigma2 = nn / 4 * ((2 * nn - 1) / nn**2) ** 2
    a, c = sp.symbols("a c", nonnegative=True)
    return [
        Identity(
            change, printed, "‖K‖_F² − ‖K'‖_F² = (1/n²)[2Σ_(j≠i)(k²(x_i,x_j) − k²(x̃_i,x_j)) + diag], n = 3"
        ),
        Nonnegative(sp.factor(1 / nn - sigma2), "σ² = ¼ Σ_i D_i² ≤ (n/4)((2n − 1)/n²)² ≤ 1/n for n ≥ 1"),
        Identity(a**2 - c**2, (a + c) * (a - c), "‖K̂‖_F² − ‖K‖_F² = (‖K̂‖_F + ‖K‖_F)(‖K̂‖_F − ‖K‖_F)"),
    ]


CLAIM = Claim(
    id="wu2022.lemma_f15.bounded_difference",
    title="Proof of Lemma F.15: replacing one data point changes ‖K‖_F² by ≤ (2n − 1)/n² (|k| ≤ 1)",
    source=Source(KEY, "Lemma F.15 (proof)"),
    statement=(
        r"For a PSD kernel with $k(x,x)\le1$ and $K=(k(x_a,x_b)/n)$, replacing $x_i$ by $\tilde x_i$ changes "
        r"$\|K\|_F^2$ by at most $(2n-1)/n^2$; hence $\sigma^2=\frac14\sum_iD_i^2\le1/n$ in (21)."
    ),
    hypotheses=(Hypothesis("K_𝒳 PSD with diagonal ≤ 1; valid sample, position and replacement", _valid),),
    conclusion=replaced_change,
    inputs={"Kd": array(), "i": INT, "j": INT},
    checks=(
        ExactCheck(
            "exact", _generate, fixed=[SHARP], note="seeded kernels rescaled to k(x, x) ≤ 1; sharp instance"
        ),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic, note="proof of Lemma F.15: D_i, σ², the last factorization"),
    ),
)

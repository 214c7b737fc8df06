r"""Wu, Wang & Su (2022), proof of Lemma F.11: replacing one feature moves K̂ by at most √2 b²/m.

Setting
-------
Random feature model of Appendix F.2 with :math:`|\varphi|\le b` (Assumption 1): data :math:`x_1,\dots,x_n`
fixed, features :math:`w_1,\dots,w_m`, :math:`\hat K=(\hat k(x_i,x_j)/n)` with
:math:`\hat k(x,x')=\frac1m\sum_s\varphi(x;w_s)\varphi(x';w_s)`, and :math:`\hat K'` the same matrix after
:math:`w_s` is replaced by :math:`w_s'`; :math:`D_s` is the bounded difference of McDiarmid's inequality in
the proof (the lemma itself is ``wu2022.lemma_f11``, module ``lemma_f11``).

Statement
---------
The deterministic core of the McDiarmid step: replacing one feature :math:`w_s` by :math:`w_s'` moves
:math:`\hat K` by :math:`(uu^T-vv^T)/(nm)` with :math:`u_i=\varphi(x_i;w_s)`,
:math:`v_i=\varphi(x_i;w_s')`, and for :math:`|\varphi|\le b`

.. math:: D_s\le\|\hat K-\hat K'\|_F\le\sqrt2\,b^2/m,

the paper's ":math:`\lesssim b^2/m`" with its constant (sharp: n = 2, :math:`u=(b,b)`,
:math:`v=(b,-b)` gives equality).  Then :math:`\sigma^2=\frac14\sum_sD_s^2\le b^4/(2m)` and McDiarmid
gives the deviation :math:`b^2\sqrt{\log(2/\delta)/m}` with constant exactly 1.

Evidence
--------
* ``symbolic`` (proof of Lemma F.11, from (15) to the McDiarmid bound): sympy derives (i)
  :math:`\|uu^T-vv^T\|_F^2=\|u\|^4+\|v\|^4-2(u^Tv)^2` (n = 3); (ii) :math:`\|u\|^2\le nb^2` for
  :math:`|u_i|\le b` (n = 2); (iii) hence :math:`2n^2b^4-\|u\|^4-\|v\|^4+2(u^Tv)^2\ge0`, i.e. the
  :math:`\sqrt2` (with 1 in its place the check goes red); (iv)
  :math:`\sqrt{2\log(2/\delta)}\,\sigma=b^2\sqrt{\log(2/\delta)/m}` for
  :math:`\sigma^2=\frac m4(\sqrt2b^2/m)^2`;
  (v) Eq. (15): :math:`\mathbb E_w|\hat k-k|^2=\mathrm{Var}(\varphi\varphi')/m` by enumerating all
  :math:`3^m` draws (m = 2) of a three-atom feature law with symbolic values and weights; (vi) the
  Jensen step :math:`\mathbb E\Delta\le\sqrt{\mathbb E\Delta^2}` as a sum of squares
  (:func:`~theorems.wu2022alignment._symf.jensen`).
* ``property``: Hypothesis over feature matrices of every kind of the project's vocabulary
  (:func:`~verifythm.strategies.gradient_matrices`, n ≤ 6 data points, m ≤ 8 features plus the
  replacement), half of them turned into sign matrices (entries ±b, where the √2 is attained), b = the
  largest entry (the tightest b), targeted at small slack.
* ``exact``: seeded sign, uniform and Gaussian feature matrices and the sharp instance above.

References
----------
[wu2022alignment, Appendix F.2, Lemma F.11 (proof: Eq. (15) and the McDiarmid step)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import INT, REAL, array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import gradient_matrices

from . import KEY
from ._symf import jensen

#: :math:`D_s^2\le\mathrm{DS\_SQ}\cdot b^4/m^2`: the constant hidden in the paper's :math:`D_s\lesssim b^2/m`.
DS_SQ = 2


def replaced_gap(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|\hat K-\hat K'\|_F` when feature s is replaced, vs :math:`\sqrt2\,b^2/m`.

    ``Phi``: the n × m features :math:`\varphi(x_i;w_s)`; ``v``: the replacement column; ``b``: the bound
    on :math:`|\varphi|`.  Both kernel matrices are formed and subtracted (no use of the rank-one form).
    """
    Phi, v, s, b = inst["Phi"], inst["v"], inst["s"], inst["b"]
    n, m = Phi.shape
    Phi2 = Phi.copy()
    Phi2[:, s] = v
    gap = float(np.linalg.norm(Phi @ Phi.T / (n * m) - Phi2 @ Phi2.T / (n * m)))
    return Comparison(gap, float(np.sqrt(DS_SQ)) * b * b / m, "<=", "‖K̂ − K̂'‖_F", "√2 b²/m")


def _bounded(inst: dict[str, Any]) -> bool:
    Phi, v = inst["Phi"], inst["v"]
    return (
        Phi.ndim == 2
        and v.shape == (Phi.shape[0],)
        and 0 <= inst["s"] < Phi.shape[1]
        and inst["b"] >= max(float(np.max(np.abs(Phi))), float(np.max(np.abs(v))))
    )


def _instance(Q: np.ndarray, s: int) -> dict[str, Any]:
    """Features = all columns of Q but the last, which replaces feature s; b = the largest entry."""
    return {"Phi": Q[:, :-1], "v": Q[:, -1], "s": s, "b": float(np.max(np.abs(Q)))}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        n, m = int(rng.integers(1, 7)), int(rng.integers(1, 9))
        Q = [
            rng.choice([-1.0, 1.0], (n, m + 1)),
            rng.uniform(-1, 1, (n, m + 1)),
            rng.standard_normal((n, m + 1)),
        ]
        out.append(_instance(Q[i % 3] * rng.exponential(1.0), int(rng.integers(0, m))))
    return out


#: Equality: n = 2, m = 1, u = (1, 1) replaced by v = (1, −1) (orthogonal, all entries ±b).
SHARP = {"Phi": np.array([[1.0], [1.0]]), "v": np.array([1.0, -1.0]), "s": 0, "b": 1.0}


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(p=st.integers(1, 6), n=st.integers(2, 9)))
    if draw(st.booleans()):  # entries ±b: where the √2 is attained (orthogonal sign columns)
        Q = np.where(Q < 0, -1.0, 1.0)
    return _instance(Q, draw(st.integers(0, Q.shape[1] - 2)))


def _symbolic() -> list[Any]:
    r"""Proof of Lemma F.11: the bounded difference :math:`D_s`, σ², Eq. (15) and Jensen."""
    import itertools

    import sympy as sp

    b, m, n, delta = sp.symbols("b m n delta", positive=True)
    u3, v3 = sp.Matrix(sp.symbols("u1:4", real=True)), sp.Matrix(sp.symbols("v1:4", real=True))
    nu, nv, uv = (u3.T * u3)[0], (v3.T * v3)[0], (u3.T * v3)[0]
    M = u3 * u3.T - v3 * v3.T
    zs = sp.symbols("z1:3", nonnegative=True)
    u2 = [b * (1 - z) / (1 + z) for z in zs]  # |u_i| ≤ b
    y1, y2, P = sp.symbols("y1 y2 P", nonnegative=True)
    Nu, Nv = n * b**2 / (1 + y1), n * b**2 / (1 + y2)  # ‖u‖², ‖v‖² ∈ (0, nb²]
    Ds2 = DS_SQ * b**4 / m**2
    out: list[Any] = [
        Identity(
            sum(x**2 for x in M), nu**2 + nv**2 - 2 * uv**2, "‖uuᵀ − vvᵀ‖_F² = ‖u‖⁴ + ‖v‖⁴ − 2(uᵀv)², n = 3"
        ),
        Nonnegative(sp.factor(2 * b**2 - sum(x**2 for x in u2)), "‖u‖² ≤ nb² for |u_i| ≤ b, n = 2"),
        Nonnegative(
            sp.factor(DS_SQ * n**2 * b**4 - Nu**2 - Nv**2 + 2 * P),
            "‖uuᵀ − vvᵀ‖_F² ≤ 2n²b⁴, so D_s ≤ ‖K̂ − K̂'‖_F ≤ √2 b²/m",
        ),
        Identity(
            sp.sqrt(2 * sp.log(2 / delta) * m * Ds2 / 4),
            b**2 * sp.sqrt(sp.log(2 / delta) / m),
            "McDiarmid: √(2 log(2/δ))·σ = b²√(log(2/δ)/m) for σ² = ¼ Σ_s D_s²",
        ),
    ]
    a = sp.symbols("a1:4", real=True)
    p1, p2 = sp.symbols("p1 p2", positive=True)
    p = (p1, p2, 1 - p1 - p2)
    mean = sum(pi * ai for pi, ai in zip(p, a, strict=True))
    var = sum(pi * ai**2 for pi, ai in zip(p, a, strict=True)) - mean**2
    for mm in (2,):
        ev = sum(
            sp.Mul(*(p[j] for j in draw)) * (sum(a[j] for j in draw) / mm - mean) ** 2
            for draw in itertools.product(range(3), repeat=mm)
        )
        out.append(Identity(ev, var / mm, f"Eq. (15): E_w|k̂ − k|² = Var(φφ')/m by enumeration, m = {mm}"))
    out.append(jensen(4))
    return out


CLAIM = Claim(
    id="wu2022.lemma_f11.bounded_difference",
    title="Proof of Lemma F.11: replacing one feature moves K̂ by ‖K̂ − K̂'‖_F ≤ √2 b²/m (|φ| ≤ b)",
    source=Source(KEY, "Lemma F.11 (proof)"),
    statement=(
        r"For features with $|\varphi|\le b$, replacing $w_s$ by $w_s'$ changes the normalized Fisher matrix "
        r"$\hat K=(\hat k(x_i,x_j)/n)$ by $\|\hat K-\hat K'\|_F\le\sqrt2\,b^2/m$; hence "
        r"$D_s\le\sqrt2\,b^2/m$ and McDiarmid's deviation is $b^2\sqrt{\log(2/\delta)/m}$."
    ),
    hypotheses=(Hypothesis("|φ| ≤ b on the features and the replacement; 0 ≤ s < m", _bounded),),
    conclusion=replaced_gap,
    inputs={"Phi": array(), "v": array(), "s": INT, "b": REAL},
    checks=(
        ExactCheck(
            "exact", _generate, fixed=[SHARP], note="sign, uniform, Gaussian features; sharp instance"
        ),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic, note="proof of Lemma F.11: D_s, σ², Eq. (15), Jensen"),
    ),
)

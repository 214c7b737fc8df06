r"""Li et al. (2019), Theorem 3: adaptive step sizes (35) and preconditioners (36) give a super-martingale.

Setting
-------
As in Theorem 1 (mini-batches of size :math:`m` drawn with replacement, Assumption 1 with
constant :math:`L`).  Adaptive step size (35):
:math:`\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}<\eta_t<\frac{3\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`;
diagonal preconditioner (36), :math:`A_t=\mathrm{diag}(a_{t,j})`,
:math:`\frac{\mu_{t,j}^2}{2LM_{t,j}}<a_{t,j}<\frac{3\mu_{t,j}^2}{2LM_{t,j}}` with
:math:`M_{t,j}=M_t[j,j]` (so :math:`\mu_{t,j}\ne0` is needed for (36) to be non-empty).
Checked exactly on quadratic losses (Assumption 1 holds globally with :math:`L\ge\|H\|_2`).

Statement
---------
Under (35) or (36), :math:`\mathbb E[\Delta_t(f)|\theta_t]\le0`, so :math:`f(\theta_t)` is a
super-martingale (the premise of parts (1)–(2)).  Encoded, with the sharp constant the
intervals give:

* ``li2019.theorem3.step_size`` — under (35),
  :math:`\mathbb E[\Delta_t|\theta_t]\le-\frac{3\|\mu_t\|^4}{8L\operatorname{Tr}M_t}`; this implies the
  proof's :math:`-\frac{\|\mu_t\|^4}{4L\operatorname{Tr}M_t}` (App. G) and hence :math:`\le0`.  The
  drift bound :math:`D(\eta)=-\eta\|\mu\|^2+\frac{\eta^2}2L\operatorname{Tr}M` is a convex
  parabola with roots :math:`0` and :math:`4a`, :math:`a=\frac{\|\mu\|^2}{2L\operatorname{Tr}M}`;
  on :math:`(a,3a)` it stays below :math:`D(a)=D(3a)=-\frac32a^2L\operatorname{Tr}M`.
  Tight for :math:`H=LI`, :math:`m=1`, :math:`\eta_t\to a` or :math:`3a`.
* ``li2019.theorem3.preconditioned`` — under (36),
  :math:`\mathbb E[\Delta_t|\theta_t]\le-\frac3{8L}\sum_j\frac{\mu_{t,j}^4}{M_{t,j}}` (coordinate-wise
  the same parabola).
* ``li2019.theorem3.preconditioned.proof_step`` — App. G writes, for the preconditioned
  case, :math:`\mathbb E\Delta_t\le-\frac1{4L}\sum_j\frac{\mu_{t,j}^2}{M_{t,j}}`.  **False**: the
  exponent of :math:`\mu_{t,j}` must be 4 (the printed right side is scale-inconsistent:
  with one sample :math:`\mu_j^2=M_{jj}` and it is the constant :math:`-p/(4L)`, however
  small the gradient).  Counterexample :math:`p=n=m=1`, :math:`H=L=1`, :math:`\mu=0.1`,
  :math:`a=0.5+10^{-9}`: :math:`\mathbb E\Delta=-0.00375>-0.25`.  A **typo** of the proof: the very
  next display of App. G applies Jensen to :math:`\|\mu_t\|^4`, which only follows from
  :math:`\mu_{t,j}^4`, and with that exponent the step holds (``.preconditioned``).

Not encoded: the almost-sure convergence (1) and the rate (2), whose statement
(:math:`T\ge2L(f(\theta_0)-f^*)(\sigma^2/m+\epsilon)/\epsilon^2`) and proof
(:math:`T\ge4L\,\mathbb E[f(\theta_0)-f^*](\sigma^2+\epsilon)/\epsilon^2`) disagree in constants
(multi-step checks of both: ``theorem3_convergence.py``).

Evidence
--------
* ``symbolic``: with :math:`\eta=a(1+2s/(1+s))` (:math:`s\ge0` sweeps :math:`(a,3a)`) and
  :math:`L\operatorname{Tr}M=\|\mu\|^2/(2a)`: :math:`-\frac{3\|\mu\|^4}{8L\operatorname{Tr}M}-D(\eta)\ge0`
  and :math:`\frac{3}{8}-\frac14\ge0`.
* ``exact``: :math:`\mathbb E[\Delta_t]` by exact enumeration of batches on seeded quadratics
  (random, PSD, :math:`LI`), step sizes drawn across the open interval including points
  :math:`10^{-9}` inside its ends.
* ``property``: Hypothesis over the same family and the position inside the interval.
* A float64 violation of ``.preconditioned.proof_step`` is re-checked in exact rational arithmetic
  (``precise_conclusion``: steps, drift and bound from the exact values of the inputs).

References
----------
[li2019hessian, Theorem 3, Eqs. (35)–(36); proof in Appendix G].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import exact
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies.scalars import reals

from ._util import quadratic_expected_change, quadratic_expected_change_exact

SOURCE = Source("li2019hessian", "Theorem 3, Eqs. (35)-(36)")
TOL = Tolerance(rtol=1e-9, atol=1e-14)
INPUTS = {"H": array(2), "B": array(2), "theta": array(1), "m": INT, "L": REAL, "pos": REAL}


def _base(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    H, B, th = inst["H"], inst["B"], inst["theta"]
    return H, B, th, th @ H + B, inst["L"]


def steps(inst: dict[str, Any], precond: bool) -> np.ndarray:
    """The step (vector) at relative position ``pos`` ∈ (0, 1) of interval (35) or (36)."""
    _, _, _, G, L = _base(inst)
    mu = G.mean(axis=0)
    Mdiag = np.sum(G * G, axis=0) / G.shape[0]
    pos = inst["pos"]
    if precond:
        lo = mu**2 / (2 * L * Mdiag)
    else:
        lo = np.full(mu.size, float(mu @ mu) / (2 * L * float(np.sum(Mdiag))))
    return lo * (1 + 2 * pos)


def _scalar(inst: dict[str, Any]) -> Comparison:
    H, B, th, G, L = _base(inst)
    E, _, mu = quadratic_expected_change(H, B, th, inst["m"], steps(inst, False))
    trM = float(np.sum(G * G)) / G.shape[0]
    return Comparison(E, -3 * float(mu @ mu) ** 2 / (8 * L * trM), "<=", "E[Δ_t | θ_t]", "−3‖μ‖⁴/(8L·Tr M)")


def _precond(inst: dict[str, Any]) -> Comparison:
    H, B, th, G, L = _base(inst)
    E, _, mu = quadratic_expected_change(H, B, th, inst["m"], steps(inst, True))
    Mdiag = np.sum(G * G, axis=0) / G.shape[0]
    return Comparison(
        E, -3 / (8 * L) * float(np.sum(mu**4 / Mdiag)), "<=", "E[Δ_t | θ_t]", "−(3/8L) Σ μ_j⁴/M_jj"
    )


def _precond_printed(inst: dict[str, Any]) -> Comparison:
    H, B, th, G, L = _base(inst)
    E, _, mu = quadratic_expected_change(H, B, th, inst["m"], steps(inst, True))
    Mdiag = np.sum(G * G, axis=0) / G.shape[0]
    return Comparison(
        E, -1 / (4 * L) * float(np.sum(mu**2 / Mdiag)), "<=", "E[Δ_t | θ_t]", "−(1/4L) Σ μ_j²/M_jj"
    )


def _precond_printed_exact(inst: dict[str, Any]) -> Comparison:
    """:func:`_precond_printed` in exact rational arithmetic (the float inputs read exactly)."""
    H, B, th = (exact(inst[k]) for k in ("H", "B", "theta"))
    L, pos = Fraction(inst["L"]), Fraction(inst["pos"])
    G = th.dot(H) + B
    mu = G.sum(axis=0) / G.shape[0]
    Mdiag = (G * G).sum(axis=0) / G.shape[0]
    step = mu**2 / (2 * L * Mdiag) * (1 + 2 * pos)  # position pos inside every interval (36)
    E, _ = quadratic_expected_change_exact(H, G, inst["m"], step)
    return Comparison(E, -1 / (4 * L) * sum(mu**2 / Mdiag), "<=", "E[Δ_t | θ_t]", "−(1/4L) Σ μ_j²/M_jj")


def _symbolic() -> list[Any]:
    import sympy as sp

    a, q, s = sp.symbols("a q s", positive=True)  # a = lower end of (35), q = ‖μ‖²
    LtrM = q / (2 * a)
    eta = a * (1 + 2 * s / (1 + s))
    D = -eta * q + eta**2 / 2 * LtrM
    sharp = -3 * q**2 / (8 * LtrM)
    return [
        Nonnegative(sp.factor(sharp - D), "D(η) ≤ −3‖μ‖⁴/(8L Tr M) on (35)"),
        Nonnegative(sp.Rational(3, 8) - sp.Rational(1, 4), "−3x/8 ≤ −x/4: the proof's bound follows"),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        m = 1 if i % 2 == 0 else int(rng.integers(1, min(n, 3) + 1))
        R = rng.standard_normal((p, p))
        H = [10 ** rng.uniform(-1, 1) * np.eye(p), R @ R.T, (R + R.T) / 2][i % 3]
        Lh = float(np.max(np.abs(np.linalg.eigvalsh(H))))
        pos = [1e-9, 1 - 1e-9, float(rng.uniform(0, 1))][(i // 3) % 3]
        out.append(
            {
                "H": H,
                "B": rng.standard_normal((n, p)),
                "theta": rng.standard_normal(p),
                "m": m,
                "L": Lh if i % 4 else Lh * 2.0,
                "pos": pos,
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    el = reals(-3, 3)
    R = draw(hnp.arrays(float, (p, p), elements=el))
    H = draw(st.sampled_from([np.eye(p), R @ R.T, (R + R.T) / 2]))
    return {
        "H": H,
        "B": draw(hnp.arrays(float, (n, p), elements=el)),
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "m": draw(st.integers(1, min(n, 3))),
        "L": float(np.max(np.abs(np.linalg.eigvalsh(H)))),
        "pos": draw(st.floats(1e-9, 1 - 1e-9)),
    }


def _common(precond: bool) -> tuple[Hypothesis, ...]:
    def nondegenerate(i: dict[str, Any]) -> bool:
        H, B, th = i["H"], i["B"], i["theta"]
        if not (
            np.allclose(H, H.T) and B.shape[1] == H.shape[0] == th.size and 1 <= i["m"] <= B.shape[0] <= 8
        ):
            return False
        if not (0 < i["pos"] < 1 and i["L"] > 0):
            return False
        mu = (th @ H + B).mean(axis=0)
        scale = float(np.max(np.abs(th @ H + B)))
        if not 1e-50 < scale < 1e50:  # μ⁴ must neither underflow nor overflow in float64
            return False
        return bool(np.all(np.abs(mu) > 1e-6 * scale)) if precond else bool(np.linalg.norm(mu) > 1e-6 * scale)

    return (
        Hypothesis(
            "1 ≤ m ≤ n ≤ 8, H symmetric; the interval is non-empty (μ ≠ 0, resp. every μ_j ≠ 0); "
            "gradients in (1e-50, 1e50)",
            nondegenerate,
        ),
        Hypothesis(
            "Assumption 1: ‖H_f‖₂ ≤ L",
            lambda i: bool(float(np.max(np.abs(np.linalg.eigvalsh(i["H"])))) <= i["L"] * (1 + 1e-12)),
        ),
    )


def _claim(
    cid: str,
    title: str,
    statement: str,
    concl: Any,
    precond: bool,
    expected: Expected | None = None,
    fixed: dict[str, Any] | None = None,
    precise: Any = None,
) -> Claim:
    checks: tuple[Any, ...] = (
        ExactCheck("exact", _generate, fixed=[fixed] if fixed else ()),
        PropertyCheck("property", _instances(), max_examples=100),
    )
    if not precond:
        checks = (SymbolicCheck("symbolic", _symbolic), *checks)
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_common(precond),
        conclusion=concl,
        inputs=INPUTS,
        checks=checks,
        expected=expected or Expected(),
        tolerance=TOL,
        precise_conclusion=precise,
    )


SMALLEST = {"H": np.eye(1), "B": np.array([[0.0]]), "theta": np.array([0.1]), "m": 1, "L": 1.0, "pos": 1e-9}

STEP_SIZE = _claim(
    "li2019.theorem3.step_size",
    "Under the adaptive step size (35), E[Δ_t | θ_t] ≤ −3‖μ_t‖⁴/(8L·Tr M_t) < 0",
    r"If $\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}<\eta_t<\frac{3\|\mu_t\|^2}{2L\operatorname{Tr}M_t}$ "
    r"then "
    r"$\mathbb E[\Delta_t(f)|\theta_t]\le-\frac{3\|\mu_t\|^4}{8L\operatorname{Tr}M_t}\le-\frac{\|\mu_t\|^4}"
    r"{4L\operatorname{Tr}M_t}<0$.",
    _scalar,
    False,
    fixed=SMALLEST,
)
PRECOND = _claim(
    "li2019.theorem3.preconditioned",
    "Under the diagonal preconditioner (36), E[Δ_t | θ_t] ≤ −(3/8L) Σ_j μ_j⁴/M_jj < 0",
    r"If $\frac{\mu_{t,j}^2}{2LM_{t,j}}<a_{t,j}<\frac{3\mu_{t,j}^2}{2LM_{t,j}}$ for all $j$ then "
    r"$\mathbb E[\Delta_t(f)|\theta_t]\le-\frac3{8L}\sum_j\mu_{t,j}^4/M_{t,j}<0$.",
    _precond,
    True,
    fixed=SMALLEST,
)
PRECOND_PRINTED = _claim(
    "li2019.theorem3.preconditioned.proof_step",
    "App. G: E[Δ_t] ≤ −(1/4L) Σ_j μ_j²/M_jj under (36) (as printed; false)",
    r"Under (36), $\mathbb E\Delta_t(f)\le-\frac1{4L}\sum_j\mu_{t,j}^2/M_{t,j}$.",
    _precond_printed,
    True,
    Expected.fails(
        "App. G's preconditioned drift bound prints μ_j² where μ_j⁴ is meant (the next step of the same "
        "chain uses ‖μ_t‖⁴): with one sample μ_j² = M_jj and the printed bound is the constant −p/(4L) "
        "(p = n = m = 1, H = L = 1, μ = 0.1: E Δ = −0.00375 > −0.25); with μ_j⁴ it holds "
        "(`li2019.theorem3.preconditioned`)",
        "docs/errata/li2019.theorem3.preconditioned.proof_step__exact.md",
        finding="typo",
    ),
    fixed=SMALLEST,
    precise=_precond_printed_exact,
)

CLAIMS = [STEP_SIZE, PRECOND, PRECOND_PRINTED]

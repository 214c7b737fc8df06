r"""Private helpers of the Theorem 3 super-martingale modules: the steps (35)/(36) and the claim factory.

The step at a relative position inside interval (35) or (36), the seeded and Hypothesis quadratic
instances, the hypotheses and the claim factory shared by :mod:`.thm3` (step sizes (35)) and
:mod:`.thm3_preconditioned` (preconditioners (36)).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import (
    Claim,
    ExactCheck,
    Expected,
    Hypothesis,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Theorem 3, Eqs. (35)-(36)")

TOL = Tolerance(rtol=1e-9, atol=1e-14)

INPUTS = {"H": array(2), "B": array(2), "theta": array(1), "m": INT, "L": REAL, "pos": REAL}


def base(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    H, B, th = inst["H"], inst["B"], inst["theta"]
    return H, B, th, th @ H + B, inst["L"]


def steps(inst: dict[str, Any], precond: bool) -> np.ndarray:
    """The step (vector) at relative position ``pos`` ∈ (0, 1) of interval (35) or (36)."""
    _, _, _, G, L = base(inst)
    mu = G.mean(axis=0)
    Mdiag = np.sum(G * G, axis=0) / G.shape[0]
    pos = inst["pos"]
    if precond:
        lo = mu**2 / (2 * L * Mdiag)
    else:
        lo = np.full(mu.size, float(mu @ mu) / (2 * L * float(np.sum(Mdiag))))
    return lo * (1 + 2 * pos)


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


def claim(
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
        aliases=("li2019.theorem3" + cid.removeprefix("li2019.thm3"),),  # its id before the id rule
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

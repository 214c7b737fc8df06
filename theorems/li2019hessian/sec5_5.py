r"""Li et al. (2019), §5.5, Eqs. (40)–(41): the preconditioned SGD (36) written in an ADAM-like form.

Setting
-------
Sample gradients :math:`g_{i}` at :math:`\theta_t` with mean :math:`\mu_t` and second-moment
diagonal :math:`M_{t,j}=M_t[j,j]>0`; a stochastic (mini-batch) gradient :math:`g_t`; the
diagonal preconditioner (36), :math:`\frac{\mu_{t,j}^2}{2LM_{t,j}}<a_{t,j}<\frac{3\mu_{t,j}^2}{2LM_{t,j}}`,
and the "idealised ADAM" step (40), :math:`u_{t,j}=\eta\,\mu_{t,j}/\sqrt{M_{t,j}}`.

Statement
---------
§5.5 rewrites the preconditioned update :math:`\theta_{t+1,j}=\theta_{t,j}-a_{t,j}g_{t,j}` as (41),
:math:`\theta_{t+1,j}=\theta_{t,j}-\eta\big(\mu_{t,j}/\sqrt{M_{t,j}}\big)^2g_{t,j}`, "the square of
ADAM update times the stochastic gradient".  Encoded:

* ``li2019.sec5_5.adam_form`` — with :math:`a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}`,
  :math:`\theta_t-A_tg_t` equals (41), and equals :math:`\theta_{t,j}-\frac{u_{t,j}^2}{\eta}g_{t,j}`.
  The last form records a remark: the literal square of the ADAM update (40) is
  :math:`u_{t,j}^2=\eta^2\mu_{t,j}^2/M_{t,j}`, so (41) is the square of the ADAM *direction*
  :math:`\mu_{t,j}/\sqrt{M_{t,j}}` (equivalently :math:`u_{t,j}^2/\eta`), not of the update.
* ``li2019.sec5_5.adam_form.in_interval`` — the rewriting is a preconditioner of (36) exactly
  when :math:`\frac1{2L}<\eta<\frac3{2L}` (the ratio :math:`a_{t,j}/\frac{\mu_{t,j}^2}{2LM_{t,j}}=2\eta L`
  is the same for every :math:`j`).  Encoded as
  :math:`\max_j\max\big(a_{t,j}/\mathrm{hi}_j,\ \mathrm{lo}_j/a_{t,j}\big)<1`; tight as
  :math:`\eta L\to\frac12` or :math:`\frac32`.

Evidence
--------
* ``symbolic``: sympy, :math:`p=2`, positive symbols: the three forms of the update are
  identical, and :math:`a_j/\mathrm{hi}_j=\frac{2\eta L}3`, :math:`\mathrm{lo}_j/a_j=\frac1{2\eta L}`.
* ``exact``: seeded gradient sets and mini-batches; the updates are compared in exact
  rational arithmetic (``fractions.Fraction`` copies of the float inputs; :math:`\sqrt{M_{t,j}}`
  enters (41) only squared, :math:`(\mu_{t,j}/\sqrt{M_{t,j}})^2=\mu_{t,j}^2/M_{t,j}`, so no rounding
  occurs and the difference is exactly 0); :math:`\eta L` includes
  points :math:`10^{-9}` inside the ends of :math:`(\frac12,\frac32)`.
* ``property``: Hypothesis over gradient sets, batches and :math:`\eta L\in(\frac12,\frac32)`.

References
----------
[li2019hessian, Section 5.5, Eqs. (36), (39)–(41)].
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
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import exact
from verifythm.claims.inputs import REAL, array
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Section 5.5, Eqs. (40)-(41)")
TOL = Tolerance(rtol=1e-12, atol=1e-300)
INPUTS = {"G": array(), "theta": array(), "L": REAL, "etaL": REAL}  # the batch indices are read as given


def _moments(
    inst: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Fraction, Fraction]:
    """Exact (object-array) θ, μ, M_jj, mini-batch gradient, η and L of an instance."""
    G = exact(inst["G"])
    n = G.shape[0]
    mu = G.sum(axis=0) / n
    Mdiag = (G * G).sum(axis=0) / n
    idx = [int(i) for i in np.asarray(inst["batch"]).ravel()]
    g = G[idx].sum(axis=0) / len(idx)
    L = Fraction(inst["L"])
    return exact(inst["theta"]), mu, Mdiag, g, Fraction(inst["etaL"]) / L, L


def _adam_form(inst: dict[str, Any]) -> Comparison:
    th, mu, Md, g, eta, _ = _moments(inst)
    a = np.array([eta * m * m / d for m, d in zip(mu, Md, strict=True)], dtype=object)
    precond = th - a * g
    # (41): η (μ_j / √M_j)² g_j, with √M_j kept symbolic: (μ/√M)² = μ² / (√M)² = μ²/M exactly.
    direction_sq = np.array([(m * m) / d for m, d in zip(mu, Md, strict=True)], dtype=object)
    eq41 = th - eta * direction_sq * g
    u_sq = np.array([eta * eta * m * m / d for m, d in zip(mu, Md, strict=True)], dtype=object)
    adam = th - u_sq / eta * g
    diff = float(sum(abs(x) for x in np.concatenate([precond - eq41, precond - adam])))
    scale = float(max(sum(abs(x) for x in precond), sum(abs(x) for x in eq41), 1e-300))
    return Comparison(diff, 0.0, "==", "|θ − A g − (41)| + |θ − A g − (θ − u²/η·g)|", "0", scale=scale)


def _in_interval(inst: dict[str, Any]) -> Comparison:
    _, mu, Md, _, eta, L = _moments(inst)
    worst = Fraction(0)
    for m, d in zip(mu, Md, strict=True):
        a = eta * m * m / d
        lo, hi = m * m / (2 * L * d), 3 * m * m / (2 * L * d)
        worst = max(worst, a / hi, lo / a)
    return Comparison(float(worst), 1.0, "<=", "max_j max(a_j/hi_j, lo_j/a_j)", "1")


def _symbolic() -> list[Any]:
    import sympy as sp

    eta, L = sp.symbols("eta L", positive=True)
    out: list[Any] = []
    for j in (1, 2):
        mu, M, g, th = sp.symbols(f"mu{j} M{j} g{j} theta{j}", positive=True)
        a = eta * mu**2 / M
        u = eta * mu / sp.sqrt(M)
        out += [
            Identity(
                th - a * g, th - eta * (mu / sp.sqrt(M)) ** 2 * g, f"(36) with a = ημ²/M is (41), j = {j}"
            ),
            Identity(
                th - a * g, th - u**2 / eta * g, f"(41) = θ − u²/η·g with u the ADAM step (40), j = {j}"
            ),
            Identity(a / (3 * mu**2 / (2 * L * M)), 2 * eta * L / 3, f"a_j/hi_j = 2ηL/3, j = {j}"),
            Identity((mu**2 / (2 * L * M)) / a, 1 / (2 * eta * L), f"lo_j/a_j = 1/(2ηL), j = {j}"),
        ]
    return out


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        G = rng.standard_normal((n, p)) * 10 ** rng.uniform(-3, 3)
        G[:, :] += rng.standard_normal(p)  # non-zero mean in every coordinate (almost surely)
        m = int(rng.integers(1, n + 1))
        etaL = [0.5 + 1e-9, 1.5 - 1e-9, float(rng.uniform(0.5, 1.5))][i % 3]
        out.append(
            {
                "G": G,
                "theta": rng.standard_normal(p),
                "batch": rng.integers(0, n, size=m),
                "L": float(10 ** rng.uniform(-2, 2)),
                "etaL": etaL,
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    el = reals(-1e3, 1e3)
    G = draw(hnp.arrays(float, (n, p), elements=el))
    return {
        "G": G,
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "batch": np.asarray(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n)), dtype=np.int64),
        "L": draw(st.floats(1e-2, 1e2)),
        "etaL": draw(st.floats(0.5, 1.5, exclude_min=True, exclude_max=True)),
    }


def _valid(i: dict[str, Any]) -> bool:
    G, th = i["G"], i["theta"]
    b = np.asarray(i["batch"]).ravel()
    if not (G.ndim == 2 and th.shape == (G.shape[1],) and b.size >= 1):
        return False
    if not (np.all(np.isfinite(G)) and np.all(np.isfinite(th)) and np.all((b >= 0) & (b < G.shape[0]))):
        return False
    mu = G.mean(axis=0)
    return bool(np.all(np.abs(mu) > 1e-6 * max(float(np.max(np.abs(G))), 1e-300)) and i["L"] > 0)


HYPOTHESES = (
    Hypothesis("gradient set, batch indices valid; every μ_j ≠ 0 (so (36) is non-empty); L > 0", _valid),
    Hypothesis("½ < ηL < 3/2", lambda i: 0.5 < i["etaL"] < 1.5),
)
FIXED = {
    "G": np.array([[1.0, -2.0], [3.0, 0.5]]),
    "theta": np.array([0.25, -1.0]),
    "batch": np.array([1, 1]),
    "L": 1.0,
    "etaL": 1.5 - 1e-12,
}


def _claim(cid: str, title: str, statement: str, concl: Any) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYPOTHESES,
        conclusion=concl,
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", _symbolic),
            ExactCheck("exact", _generate, fixed=[FIXED]),
            PropertyCheck("property", _instances(), max_examples=60),
        ),
        tolerance=TOL,
    )


ADAM_FORM = _claim(
    "li2019.sec5_5.adam_form",
    "§5.5: preconditioned SGD with a_j = ημ_j²/M_jj is the ADAM-like update (41)",
    r"With $a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}$: $\theta_{t,j}-a_{t,j}g_{t,j}="
    r"\theta_{t,j}-\eta(\mu_{t,j}/\sqrt{M_{t,j}})^2g_{t,j}=\theta_{t,j}-\frac{u_{t,j}^2}{\eta}g_{t,j}$, "
    r"$u_{t,j}=\eta\mu_{t,j}/\sqrt{M_{t,j}}$ the step (40).",
    _adam_form,
)
IN_INTERVAL = _claim(
    "li2019.sec5_5.adam_form.in_interval",
    "§5.5: the ADAM-like preconditioner a_j = ημ_j²/M_jj satisfies (36) when ½ < ηL < 3/2",
    r"If $\frac1{2L}<\eta<\frac3{2L}$ then $a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}$ lies in "
    r"$\big(\frac{\mu_{t,j}^2}{2LM_{t,j}},\frac{3\mu_{t,j}^2}{2LM_{t,j}}\big)$ for every $j$.",
    _in_interval,
)

CLAIMS = [ADAM_FORM, IN_INTERVAL]

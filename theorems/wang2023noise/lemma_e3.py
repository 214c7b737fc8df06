r"""Wang & Wu (2023), Lemma E.3: covariance estimation for sub-Gaussian vectors (implied constant).

Setting
-------
:math:`x,x_1,\dots,x_n\in\mathbb R^d` i.i.d., :math:`\Sigma=\mathbb E[xx^T]`,
:math:`\hat\Sigma=\frac1n\sum_ix_ix_i^T`; :math:`K\ge1` with
:math:`\|\langle x,v\rangle\|_{\psi_2}\le K\|\langle x,v\rangle\|_{L_2}` for every unit :math:`v`;
:math:`\|\cdot\|` the operator norm.

Statement
---------
For every :math:`u\ge0`, with probability at least :math:`1-2e^{-u}`,
:math:`\|\hat\Sigma-\Sigma\|\le CK^2(\sqrt{(d+u)/n}+(d+u)/n)\|\Sigma\|` with an absolute :math:`C`
(Vershynin 2018, Thm. 4.7.1 / Ex. 4.7.3, quoted).

Encoding (hidden constant)
--------------------------
The constant one law needs at :math:`(n,d,u)` is :math:`\hat C=q/(K^2(\sqrt r+r))`, :math:`r=(d+u)/n`,
:math:`q` the :math:`(1-2e^{-u})`-quantile of :math:`\|\hat\Sigma-\Sigma\|/\|\Sigma\|` (:math:`u>\ln2`;
smaller :math:`u` make the statement empty).  The claim checks :math:`\hat C\le C_{\rm est}=1.1`:

* ``law 0`` — Gaussian, :math:`d=1` (:math:`K=\sqrt{8/3}`): :math:`n\hat\Sigma/\Sigma\sim\chi^2_n`,
  :math:`q` by root-finding on the exact two-sided tail, any :math:`n` and :math:`u\le300`;
* ``law 1`` — sparse, :math:`d=1`: :math:`x=\pm\xi/\sqrt p`, :math:`\xi\sim\mathrm{Bernoulli}(p)`,
  :math:`K=1/\sqrt{p\log(1+1/p)}` (exact :math:`\psi_2` norm), :math:`n\hat\Sigma=\mathrm{Bin}(n,p)/p`, exact
  quantile over the atoms;
* ``law 2`` — Gaussian, :math:`2\le d\le16`, :math:`\Sigma=\mathrm{diag}(j^{-a})`: Monte Carlo over
  :math:`R=400` seeded draws, with :math:`q` replaced by a distribution-free lower confidence bound (an order
  statistic, exact binomial, level :math:`\alpha=10^{-3}`), so a violation is reported only when decisive
  (false-alarm rate ≤ :math:`10^{-3}` per instance).

Findings
--------
Holds.  Largest :math:`\hat C` found: the sparse law in its central-limit regime
(:math:`1\ll u\ll n`), :math:`\hat C=1.010` at :math:`p=0.14`, :math:`n=10^6`, :math:`u=300`; its limit is
:math:`\sup_p\sqrt{2p(1-p)}\log(1+1/p)\approx1.03` (Cramér limit maximised over :math:`p` and
:math:`u/n`: 1.0285), so :math:`C\approx1.03` suffices for these laws and cannot be lowered below 1.01.
Gaussian :math:`d=1` tends to :math:`2/K^2=0.75` (0.707, 0.738, 0.741 at :math:`n=10^4,10^6,10^7`,
:math:`u=300`); Gaussian :math:`d\le20` by Monte Carlo gives point estimates ≤ 0.65.  Scaling:
:math:`\hat C` is bounded over :math:`n\in[1,10^7]`, :math:`u\in[1,300]` and grows with neither (log-log
slope in :math:`n` → 0), consistent with an absolute constant; the :math:`K^2` factor is needed (the sparse
law has :math:`K^2` up to 145 at :math:`p=10^{-3}` and :math:`\hat C` stays ≤ 1.03).

Evidence
--------
* ``exact``: fixed sparse instances in the CLT regime (the maximiser), Gaussian :math:`d=1` edge cases
  (:math:`n=1`, :math:`u=300`), one Monte Carlo instance; seeded :math:`n` log-uniform up to :math:`10^5`
  (:math:`d=1`) or 400 (Monte Carlo), :math:`u` log-uniform in :math:`[\ln2,300]` (MC: :math:`\le4`),
  :math:`p` log-uniform in :math:`[10^{-3},0.5]`.

References
----------
[wang2023noise, Appendix E, Lemma E.3]; Vershynin (2018), Theorem 4.7.1 and Exercise 4.7.3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import optimize, stats

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, Tolerance

from ._appe import PSI2_GAUSS, binom_logpmf, order_stat_lower
from ._common import KEY

C_EST = 1.1
LAWS = ("Gaussian d = 1", "sparse ±ξ/√p", "Gaussian d ≥ 2 (MC)")
REPS, ALPHA = 400, 1e-3


def _gauss_quantile(n: int, u: float) -> float:
    r"""Smallest s with P(|χ²_n/n − 1| > s) ≤ 2e^{−u} (exact, root-finding in log space)."""
    log_delta = np.log(2.0) - u

    def excess(s: float) -> float:
        low = stats.chi2.logcdf(n * (1 - s), n) if s < 1 else -np.inf
        return float(np.logaddexp(stats.chi2.logsf(n * (1 + s), n), low) - log_delta)

    hi = 1.0
    while excess(hi) > 0:
        hi *= 2
    return float(optimize.brentq(excess, 0.0, hi, xtol=1e-15, rtol=1e-13))


def _sparse_quantile(n: int, p: float, u: float) -> float:
    """Smallest atom s of |Bin(n,p)/(np) − 1| with P(|·| > s) ≤ 2e^{−u} (exact binomial)."""
    k = np.arange(n + 1)
    dev = np.abs(k / (n * p) - 1)
    lp = binom_logpmf(n, p)
    order = np.argsort(-dev, kind="stable")
    dev, lp = dev[order], lp[order]
    ge = np.logaddexp.accumulate(lp)  # P(|·| ≥ dev_j), summing down from the largest atom
    gt = np.r_[-np.inf, ge[:-1]]
    tie = np.r_[False, dev[1:] == dev[:-1]]  # an atom tied with the previous one is not strictly below it
    for j in np.nonzero(tie)[0]:
        gt[j] = gt[j - 1]
    ok = np.nonzero(gt <= np.log(2.0) - u)[0]
    return float(dev[ok[-1]])


def _mc_errors(inst: dict[str, Any]) -> np.ndarray:
    n, d, a = int(inst["n"]), int(inst["d"]), float(inst["aniso"])
    rng = np.random.default_rng([int(inst["seed"]), n, d])
    spec = np.arange(1, d + 1, dtype=float) ** (-a)
    Z = rng.standard_normal((REPS, n, d)) * np.sqrt(spec)
    S = np.einsum("rni,rnj->rij", Z, Z) / n - np.diag(spec)
    return np.abs(np.linalg.eigvalsh(S)).max(axis=1) / spec.max()


def implied_constant(inst: dict[str, Any]) -> Comparison:
    """Ĉ = q_{1−2e^{−u}}(‖Σ̂ − Σ‖/‖Σ‖)/(K²(√r + r)), r = (d+u)/n, against C_est."""
    law, n, u = int(inst["law"]), int(inst["n"]), float(inst["u"])
    d = 1 if law < 2 else int(inst["d"])
    if law == 0:
        q, K2 = _gauss_quantile(n, u), PSI2_GAUSS**2
    elif law == 1:
        p = float(inst["p"])
        q, K2 = _sparse_quantile(n, p, u), 1.0 / (p * np.log1p(1.0 / p))
    else:
        q = max(order_stat_lower(_mc_errors(inst), 1 - 2 * np.exp(-u), ALPHA), 0.0)  # no LCB: q ≥ 0
        K2 = PSI2_GAUSS**2
    r = (d + u) / n
    return Comparison(q / (K2 * (np.sqrt(r) + r)), C_EST, "<=", f"Ĉ ({LAWS[law]}, n={n}, u={u:.3g})", "C_est")


def _inst(law: int, n: int, u: float, d: int = 1, p: float = 0.5, aniso: float = 0.0) -> dict[str, Any]:
    return {"law": law, "n": n, "u": u, "d": d, "p": p, "aniso": aniso, "seed": 2023}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        law = i % 3
        u = float(np.exp(rng.uniform(np.log(np.log(2.0) + 1e-3), np.log(300 if law < 2 else 4))))
        if law < 2:
            n = int(np.exp(rng.uniform(0, np.log(1e5))))
            out.append(_inst(law, n, u, p=float(np.exp(rng.uniform(np.log(1e-3), np.log(0.5))))))
        else:
            d = int(rng.integers(2, 17))
            n = int(np.exp(rng.uniform(0, np.log(400))))
            out.append(_inst(2, n, u, d=d, aniso=float(rng.choice([0.0, 0.5, 2.0]))))
    return out


_FIXED = [
    _inst(1, 10**6, 300.0, p=0.14),
    _inst(1, 10**5, 100.0, p=0.14),
    _inst(0, 1, 300.0),
    _inst(0, 10**6, 300.0),
    _inst(0, 1, 1.0),
    _inst(2, 64, 3.0, d=16),
]


def _ok(i: dict[str, Any]) -> bool:
    law, n, u = int(i["law"]), int(i["n"]), float(i["u"])
    base = n >= 1 and np.log(2.0) < u <= 300
    if law == 0:
        return base
    if law == 1:
        return base and 0 < float(i["p"]) < 1
    return base and law == 2 and 2 <= int(i["d"]) <= 16 and n <= 400 and 1 - 2 * np.exp(-u) > 0


CLAIM = Claim(
    id="wang2023.lemma_e3",
    title="w.p. ≥ 1 − 2e^{−u}: ‖Σ̂ − Σ‖ ≤ CK²(√((d+u)/n) + (d+u)/n)‖Σ‖ (implied C ≤ 1.1)",
    source=Source(KEY, "Lemma E.3"),
    statement=(
        r"If $\|\langle x,v\rangle\|_{\psi_2}\le K\|\langle x,v\rangle\|_{L_2}$ for all unit $v$ "
        r"($K\ge1$), then for every $u\ge0$, w.p. $\ge1-2e^{-u}$, "
        r"$\|\frac1n\sum_ix_ix_i^T-\mathbb E xx^T\|\le "
        r"CK^2(\sqrt{(d+u)/n}+(d+u)/n)\|\mathbb Exx^T\|$ with an absolute $C$. Encoded: the constant "
        r"implied by exact quantiles ($d=1$) or decisive Monte Carlo bounds ($d\ge2$) is "
        r"$\le C_{\rm est}=1.1$."
    ),
    hypotheses=(Hypothesis("n ≥ 1, ln 2 < u ≤ 300, law-specific ranges (K ≥ 1 for every law)", _ok),),
    conclusion=implied_constant,
    checks=(
        ExactCheck(
            "exact",
            _generate,
            fixed=_FIXED,
            note=f"exact χ²/binomial quantiles; MC: R={REPS}, order-statistic LCB at α={ALPHA:g}",
        ),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
    kind="constant",
)

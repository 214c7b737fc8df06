r"""Li et al. (2019), Theorem 3 (1) as proved: for a coercive loss, θ* exists and the drift sum is bounded.

Setting
-------
Binary logistic regression (19) of Example 2 with a ridge: data :math:`x_i\in\mathbb R^p`, labels
:math:`y_i\in\{0,1\}` (signs :math:`s_i=2y_i-1`), margins :math:`m_i(\theta)=s_ix_i^T\theta`,
per-sample loss :math:`f(\theta;z_i)=\log(1+e^{-m_i(\theta)})+\frac\lambda2\|\theta\|^2`,
:math:`\lambda\ge0` (the paper's loss is :math:`\lambda=0`).  :math:`f` is convex and
:math:`L`-smooth with :math:`L\ge\lambda_{\max}(X^TX)/(4n)+\lambda` (Assumption 1, globally).  SGD
draws mini-batches of :math:`m` indices with replacement and takes the step
:math:`\eta_t=a_t(1+2\,\mathrm{pos})`, :math:`a_t=\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`, at
relative position ``pos`` :math:`\in(0,1)` of the open interval (35) (``precond = 1``: the same
position in every coordinate interval (36)), with :math:`\mu_t=\nabla f(\theta_t)` and
:math:`M_t=\frac1n\sum_i\nabla f(\theta_t;z_i)\nabla f(\theta_t;z_i)^T` as in ``thm3.py``.
The model, the SGD simulation and the certificates are in the private ``_logistic.py``.

Statement
---------
(1) Under (35) or (36), :math:`f(\theta_t)` converges almost surely to :math:`f(\theta^*)` for
some stationary point :math:`\theta^*` (:math:`\nabla f(\theta^*)=0`).  As printed this is false
(``li2019.thm3.limit``, :mod:`~theorems.li2019hessian.thm3_limit`); this module encodes
what the proof supports.

As proved
---------
``li2019.thm3.limit.coercive``: if :math:`f` is coercive (:math:`\lambda>0`, or data that no
non-zero :math:`w` separates weakly: :math:`\kappa=\min_{\|w\|_\infty=1}\max_i(-m_i(w))>0`), a
minimiser :math:`\theta^*` exists (here unique: :math:`f` is strictly convex), and for every
horizon :math:`T` :math:`f(\theta_0)-\mathbb Ef(\theta_T)\ge\frac3{8L}\sum_{t<T}\mathbb E[\|\mu_t\|^4/
\operatorname{Tr}M_t]` (under (36): :math:`\frac3{8L}\sum_j\mu_{t,j}^4/M_{t,j}`).  With
:math:`f(\theta_T)\ge f(\theta^*)` this bounds the sum by :math:`\frac{8L}3(f(\theta_0)-f(\theta^*))`
for every :math:`T`: the summability :math:`\sum_t\mathbb E\|\mu_t\|^4/\operatorname{Tr}M_t<\infty`, hence
:math:`\|\mu_t\|^4/\operatorname{Tr}M_t\to0` a.s.; Doob's maximal inequality keeps
:math:`\sup_tf(\theta_t)` finite a.s., coercivity keeps :math:`\theta_t` in a compact set where
:math:`\operatorname{Tr}M_t` is bounded, so :math:`\mu_t\to0`, every limit point is stationary,
:math:`\theta_t\to\theta^*` and :math:`f(\theta_t)\to f(\theta^*)`: statement (1) holds.  The
one-step super-martingale inequality itself is ``li2019.thm3.step_size`` (quadratics);
the multi-step form on quadratics is ``li2019.thm3.convergence.telescoped``.  When the
instance has no stationary point (λ = 0 and strictly separable data: only reachable by
dropping the coercivity hypothesis) the conclusion is the separation certificate of
``li2019.thm3.limit`` and fails.

Evidence
--------
An almost-sure limit is not decidable from finitely many steps; what is checked is the
existence of :math:`\theta^*` (certificate) and the finite-horizon inequality the proof rests on.
The observed approach to :math:`\theta^*` (:math:`\mathbb E[f(\theta_T)-f^*]`,
:math:`\mathbb E\|\theta_T-\theta^*\|`) is printed in the report labels, not decided.

* ``symbolic`` (the correct algebra the literal claim's refutation and the proof use):
  for :math:`n=p=2` with symbolic data, signs and ridge :math:`\lambda`, sympy proves
  :math:`\nabla f(\theta)^Tw=-\frac1n\sum_i\sigma(-m_i(\theta))m_i(w)+\lambda\theta^Tw` (writing
  :math:`E_i=e^{m_i(\theta)}>0`), the certificate identity behind ``limit``; Assumption 1's constant,
  :math:`\frac14-\sigma(1-\sigma)=(\sigma-\frac12)^2\ge0` (each sample's curvature is at most
  :math:`\|x_i\|^2/4`); coercivity from the ridge, :math:`f(\theta)-\frac\lambda2\|\theta\|^2=
  \frac1n\sum_i\log(1+e^{-m_i})\ge0`; and the one-step drift under (35),
  :math:`-\eta\|\mu_t\|^2+\frac{\eta^2L}2\operatorname{Tr}M_t\le-\frac3{8L}\|\mu_t\|^4/\operatorname{Tr}M_t`
  for every ``pos``.
* ``monte_carlo``: :math:`R=400` seeded SGD paths of :math:`T=200` steps.  Per
  path the statistic is :math:`Y=\sum_{t<T}\big(\mathbb E[f(\theta_{t+1})|\theta_t]-f(\theta_t)+
  \frac3{8L}d_t\big)` with the conditional expectation computed exactly by enumerating the batch
  compositions (a Rao–Blackwellised, unbiased estimator of
  :math:`\mathbb E f(\theta_T)-f(\theta_0)+\frac3{8L}\sum_t\mathbb E d_t`, with :math:`d_t` the drift
  term of (35) or (36); the conditional expectation uses a cancellation-free
  :math:`f(\theta+\delta)-f(\theta)`).  Decision: the claim :math:`\mathbb EY\le0` is declared
  violated only if the one-sided lower confidence bound (normal approximation, false-alarm
  rate :math:`\alpha=10^{-6}`) is above 0 (reported as the paired upper bound of
  :math:`f(\theta_0)-\mathbb Ef(\theta_T)` falling below the drift sum) and an independent
  replicate with :math:`4R` paths confirms it (false alarm :math:`\le\alpha^2` per instance under
  the normal approximation).  Seeds come from the instance bytes: never flaky.  Instances:
  ridge with separable or noisy data, :math:`\lambda=0` with overlapping data, ``pos`` at
  :math:`10^{-9}`, uniform, :math:`1-10^{-9}`, :math:`m\in\{1,2\}`, (35) and (36); plus the
  tight case :math:`x_1=x_2=1`, :math:`y=(1,0)` (:math:`\theta^*=0`, curvature :math:`L` there),
  :math:`\theta_0=0.2`, ``pos`` :math:`=10^{-9}`: drift sum / decrease = 0.992.  A quarter of the
  generated instances (:math:`\lambda=0`, separable) fail the coercivity hypothesis on purpose: they are
  the seeds of an assumption-necessity hunt (``--drop coercive``).

References
----------
[li2019hessian, Theorem 3 (1), Eqs. (35)–(36); Example 2, Eq. (19); proof in Appendix G].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, Identity, Nonnegative, Source, SymbolicCheck
from verifythm.evidence.montecarlo import ALPHA, MonteCarloCheck, instance_seed, mean_bounds

from ._logistic import (
    COERCIVE,
    COMMON,
    exact_margin_of,
    labelled_data,
    loss,
    minimiser,
    signed_data,
    signed_margin,
    simulate,
)

SOURCE = Source("li2019hessian", "Theorem 3 (1), Eqs. (35)-(36), (19); Appendix G")
#: Paths per Monte Carlo decision of the coercive sub-claim (the replicate uses 4×).
PATHS = 400


# -- what the proof supports: coercive f ----------------------------------------------------
class _CoerciveConclusion:
    """Certificate that θ* exists, then the Monte Carlo decision on the multi-step drift inequality."""

    statistical = True

    def __init__(self, paths: int = PATHS, alpha: float = ALPHA) -> None:
        self.paths = paths
        self.alpha = alpha

    def _compare(self, inst: dict[str, Any], salt: str, R: int, exact: bool) -> Comparison:
        SX, lam = signed_data(inst)
        scale = float(np.max(np.abs(SX).sum(axis=1)))
        if lam == 0:
            gamma, w = signed_margin(SX)
            if exact:
                gamma = exact_margin_of(SX, w)
            if gamma > 1e-9 * scale:  # no stationary point: the conclusion of (1) is void
                return Comparison(
                    gamma,
                    0.0,
                    "<=",
                    "separation margin γ (λ = 0, separable data: no stationary θ* exists)",
                    "0",
                    scale=scale,
                )
        th0 = np.asarray(inst["theta"], float)
        ts, gn = minimiser(SX, lam, th0)
        if not gn <= 1e-10 * (scale + lam):
            raise ValueError(f"no certified stationary point (‖∇f‖ = {gn:.3g} after Newton)")
        fstar = float(loss(SX, lam, ts))
        D0 = float(loss(SX, lam, th0)) - fstar
        L = float(inst["L"])
        sim = simulate(inst, np.random.default_rng(instance_seed(inst, salt)), R, rao_blackwell=True)
        cS = 3 / (8 * L) * sim["S"]
        b = mean_bounds(
            sim["cond"] + cS, self.alpha
        )  # Y = Σ_t E[Δ_t | θ_t] + (3/8L) Σ_t d_t, claimed E Y ≤ 0
        drift = float(np.mean(cS))
        DT = float(np.mean(loss(SX, lam, sim["theta"]))) - fstar
        dist = float(np.mean(np.linalg.norm(sim["theta"] - ts, axis=1)))
        d = "Σ_j μ_tj⁴/M_tjj" if int(inst.get("precond", 0)) else "‖μ_t‖⁴/Tr M_t"
        return Comparison(
            drift - b.lower,
            drift,
            ">=",
            f"paired upper {1 - self.alpha:.7g}-bound of f(θ₀) − E f(θ_T) (mean {drift - b.mean:.6g}, "
            f"{R} paths, {b.method}; f(θ₀) − f(θ*) = {D0:.4g}, observed E[f(θ_T) − f(θ*)] = {DT:.3g}, "
            f"E‖θ_T − θ*‖ = {dist:.3g})",
            f"(3/8L) Σ_(t<T) E[{d}] (same paths)",
        )

    def __call__(self, inst: dict[str, Any]) -> Comparison:
        return self._compare(inst, "mc", self.paths, exact=False)

    def replicate(self, inst: dict[str, Any]) -> Comparison:
        """Independent replicate with 4× the paths; the separation margin in exact rationals."""
        return self._compare(inst, "mc-replicate", 4 * self.paths, exact=True)

    def describe(self) -> str:
        return (
            f"Monte Carlo decision: violated only if the one-sided lower confidence bound (normal "
            f"approximation, {self.paths} paths, false-alarm rate {self.alpha:g}) of the Rao–Blackwellised "
            f"E[f(θ_T) − f(θ₀)] + (3/8L)Σ_t d_t is above 0, confirmed by an independent replicate with "
            f"{4 * self.paths} paths"
        )


def _generate_coercive(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(max(8, k // 4)):
        kind = i % 4
        if kind in (1, 3):  # separable: p ≥ n
            n = int(rng.integers(1, 4))
            X, y = labelled_data(rng, n, int(rng.integers(n, 4)), 0.0)
        else:  # overlapping: n ≫ p, noisy labels
            X, y = labelled_data(rng, 6, int(rng.integers(1, 3)), 0.35)
        lam = 0.0 if kind in (0, 3) else float(10 ** rng.uniform(-2, 0))
        Lb = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * X.shape[0]) + lam
        out.append(
            {
                "X": X,
                "y": y,
                "lam": lam,
                "theta": rng.standard_normal(X.shape[1]),
                "m": 1 if i % 3 else 2,
                "T": 200,
                "L": Lb * (1.0 if i % 5 else 1.5),
                "pos": [1e-9, float(rng.uniform()), 1 - 1e-9][(i // 2) % 3],
                "precond": int(i % 6 == 5),
            }
        )
    return out


TIGHT = {  # θ* = 0 where the curvature σ'(0)·1 equals L = 1/4: the descent lemma is nearly exact
    "X": np.array([[1.0], [1.0]]),
    "y": np.array([1, 0]),
    "lam": 0.0,
    "theta": np.array([0.2]),
    "m": 1,
    "T": 200,
    "L": 0.25,
    "pos": 1e-9,
    "precond": 0,
}
_CONCLUSION = _CoerciveConclusion()


def _symbolic_coercive() -> list[Any]:
    """The gradient certificate, Assumption 1's 1/4, coercivity, and the one-step drift under (35)."""
    import sympy as sp

    n = 2
    th = sp.Matrix(sp.symbols("theta1:3", real=True))
    w = sp.Matrix(sp.symbols("w1:3", real=True))
    X = sp.Matrix(2, 2, sp.symbols("x1:5", real=True))
    sg = sp.symbols("s1:3", real=True)  # label signs s_i = 2y_i − 1
    lam = sp.Symbol("lambda", nonnegative=True)
    E = sp.symbols("E1:3", positive=True)  # E_i = exp(m_i(θ))

    def margin(t: Any, i: int) -> Any:
        return sg[i] * (X[i, :] * t)[0]

    f = sum(sp.log(1 + sp.exp(-margin(th, i))) for i in range(n)) / n + lam / 2 * (th.T * th)[0]
    lhs = sum(sp.diff(f, v) * wv for v, wv in zip(th, w, strict=True))
    rhs = -sum(margin(w, i) / (1 + sp.exp(margin(th, i))) for i in range(n)) / n + lam * (th.T * w)[0]
    rep = {sp.exp(-margin(th, i)): 1 / E[i] for i in range(n)} | {
        sp.exp(margin(th, i)): E[i] for i in range(n)
    }
    diff = sp.cancel(sp.together(sp.expand((lhs - rhs).subs(rep))))
    sig = sp.Symbol("sigma", positive=True)
    L, k, m2, tr = sp.symbols("L k mu2 trM", positive=True)
    pos = 1 / (1 + k)
    eta = (1 + 2 * pos) * m2 / (2 * L * tr)
    drift = -eta * m2 + eta**2 * L * tr / 2
    return [
        Identity(diff, 0, "∇f(θ)ᵀw = −(1/n)Σ σ(−m_i(θ)) m_i(w) + λθᵀw (n = p = 2)"),
        Identity(
            sp.Rational(1, 4) - sig * (1 - sig), (sig - sp.Rational(1, 2)) ** 2, "1/4 − σ(1 − σ) = (σ − ½)²"
        ),
        Nonnegative(
            sp.factor(sp.Rational(1, 4) - sig * (1 - sig)), "σ(1 − σ) ≤ 1/4: L ≥ λ_max(XᵀX)/(4n) + λ"
        ),
        Nonnegative(sp.expand(f - lam / 2 * (th.T * th)[0]), "f(θ) ≥ λ/2‖θ‖²: the ridge makes f coercive"),
        Nonnegative(sp.factor(-3 * m2**2 / (8 * L * tr) - drift), "(35): one-step drift ≤ −3‖μ‖⁴/(8L Tr M)"),
    ]


LIMIT_COERCIVE = Claim(
    id="li2019.thm3.limit.coercive",
    aliases=("li2019.theorem3.limit.coercive",),
    title="Theorem 3 (1) as proved, coercive f: θ* exists and f(θ₀) − E f(θ_T) ≥ (3/8L) Σ_t E[‖μ_t‖⁴/Tr M_t]",
    source=SOURCE,
    statement=r"For logistic regression (19) (with ridge $\lambda\ge0$) whose loss is coercive, under (35) "
    r"(or (36)) a stationary point $\theta^*$ exists and for every $T$, "
    r"$f(\theta_0)-\mathbb Ef(\theta_T)\ge\frac3{8L}\sum_{t<T}\mathbb E[\|\mu_t\|^4/\operatorname{Tr}M_t]$, "
    r"so the sum stays below $\frac{8L}3(f(\theta_0)-f(\theta^*))$; hence $\|\mu_t\|\to0$ a.s., "
    r"$\theta_t\to\theta^*$ and "
    r"$f(\theta_t)\to f(\theta^*)$ a.s.",
    hypotheses=(*COMMON, COERCIVE),
    conclusion=_CONCLUSION,
    precise_conclusion=_CONCLUSION.replicate,
    checks=(
        SymbolicCheck("symbolic", _symbolic_coercive),
        MonteCarloCheck(
            "monte_carlo",
            _generate_coercive,
            fixed=[TIGHT],
            note="batch compositions enumerated at every step (Rao–Blackwellised); separable λ = 0 "
            "instances are generated on purpose and fail the coercivity hypothesis",
        ),
    ),
)

CLAIMS = [LIMIT_COERCIVE]

r"""Exact decisions at an interpolating minimum of the square loss, from the Gram matrix alone.

At a minimum where every residual vanishes the per-sample Hessians are rank one,
:math:`H_i = g_ig_i^T`, and linearized SGD is decided exactly in residual space from
:math:`K = Q^TQ` (docs/guides/moment_engine.md; :class:`~verifythm.dynamics.family.Family`):

* :func:`decide_from_gram`: critical learning rates η* for three sampling schemes, the spectral
  radius at the training η, wu2022alignment's Theorem 3.3 bound with the exact
  :math:`\mu_0=\inf_\theta\mu(\theta)`, and dexter2024precise's Theorem 1 condition against the
  exact Bernoulli η*;
* :func:`predicted_rate`: the per-step growth factor :math:`\rho(\mathcal T_\eta)` of E[L];
* :func:`linearized_escape`: Monte Carlo trajectories of linearized SGD above η*, their measured
  growth rate (:func:`growth_rate`, jackknife standard error) against log ρ and the exact E[L_t].

:mod:`verifythm.backends.training` applies them to torch networks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["decide_from_gram", "growth_rate", "linearized_escape", "predicted_rate"]


def decide_from_gram(
    K: np.ndarray,
    p: int,
    eta: float,
    B: int,
    sampling: str,
    *,
    radius_max_rank: int = 128,
) -> dict[str, Any]:
    r"""Exact stability of linearized SGD at a minimum with Gram matrix ``K`` (:math:`H=G`), ``p`` parameters.

    * ``critical_lr``, ``spectral_radius``, ``mean_square_stable``: for the training scheme
      (``spectral_radius`` is ``None`` when rank K > ``radius_max_rank``).
    * ``wu2022_thm3_3``: with :math:`\eta^*_{\rm wr}` of B indices drawn with replacement
      (the theorem's noise), the bound at the training η (vacuous, ``holds_if_stable``
      true, if η > η*) and at the worst stable learning rate η = η*_wr, where
      ``ratio_at_critical`` :math:`=\eta^*\|H\|_F/\sqrt{B/\mu_0}\le1` is the theorem.
    * ``dexter2024_thm1``: the condition holds for every η above
      :math:`\eta_D=\min(2,\sigma(n/B-1)^{-1/2})/\lambda_1`; as proved (mean-square
      divergence under Bernoulli batches) it is consistent iff
      :math:`\eta_D\ge\eta^*_{\rm bern}`.

    Parameters
    ----------
    K
        Gram matrix :math:`K = Q^TQ` of the ``n`` per-sample gradients (``n × n``, PSD).
    p
        Number of parameters.
    eta, B, sampling
        The training learning rate, batch size and sampling scheme (``"with-replacement"``,
        ``"without-replacement"`` or ``"bernoulli"``).
    radius_max_rank
        Largest rank of :math:`K` for which ``spectral_radius`` is computed.

    Returns
    -------
    dict
        JSON-ready, with the keys above and ``n``, ``p``, ``batch_size``, ``sampling``, ``eta``,
        ``gd_threshold``, ``critical_lr_with_replacement``, ``critical_lr_bernoulli``.
    """
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate, spectral_radius
    from verifythm.linalg.gram import gram_from_matrix
    from verifythm.quantities import alignment_extremes, coherence

    n = K.shape[0]
    fam = Family.from_gram(K, dim=p)
    crits = {
        s: critical_learning_rate(NoiseModel.build(fam, B, s))
        for s in {sampling, "with-replacement", "bernoulli"}
    }
    crit = crits[sampling]
    # ρ(T_η) at a stable η sits next to 1 (slowest mode 1 − 2ηλ_min(H)), where the iterative
    # eigensolver converges slowly for large n; the verdict needs only η ≤ η*, so ρ is
    # computed for moderate ranks only.
    rho = (
        spectral_radius(NoiseModel.build(fam, B, sampling), eta, start=crit.eigenvector).value
        if fam.rank <= radius_max_rank
        else None
    )
    eta_wr, eta_bern = crits["with-replacement"].value, crits["bernoulli"].value
    gram = gram_from_matrix(K, p=p)
    mu0 = alignment_extremes(gram).mu_inf.value
    H_fro = gram.fisher_frobenius  # H = G at an interpolating minimum of the square loss
    lam1 = gram.fisher_lambda_max
    sigma = coherence(gram=gram).sigma
    wu_bound = math.sqrt(B / mu0) / eta if mu0 > 0 else math.inf
    dexter_rhs = (sigma / eta) * (n / B - 1) ** -0.5 if B < n else math.inf
    eta_dexter = min(2.0, sigma * (n / B - 1) ** -0.5 if B < n else math.inf) / lam1
    met = bool(lam1 > 2 / eta or lam1 > dexter_rhs)
    return {
        "n": n,
        "p": p,
        "batch_size": B,
        "sampling": sampling,
        "eta": eta,
        "critical_lr": crit.value,
        "gd_threshold": crit.gd_threshold,
        "spectral_radius": rho,
        "mean_square_stable": bool(eta <= crit.value),
        "critical_lr_with_replacement": eta_wr,
        "critical_lr_bernoulli": eta_bern,
        "wu2022_thm3_3": {
            "sampling": "with-replacement",
            "mu0_inf_theta": mu0,
            "H_frobenius": H_fro,
            "bound": wu_bound,
            "ratio": H_fro / wu_bound,
            "stable_with_replacement": bool(eta <= eta_wr),
            "holds_if_stable": bool(eta > eta_wr or H_fro <= wu_bound),
            "ratio_at_critical": eta_wr * H_fro / math.sqrt(B / mu0) if mu0 > 0 else 0.0,
            "holds_at_critical": bool(mu0 <= 0 or eta_wr * H_fro <= math.sqrt(B / mu0)),
        },
        "dexter2024_thm1": {
            "lambda1": lam1,
            "sigma": sigma,
            "condition_rhs": dexter_rhs,
            "condition_met": met,
            "eta_condition": eta_dexter,
            "eta_star_bernoulli": eta_bern,
            "threshold_ratio": eta_dexter / eta_bern,
            "consistent_with_exact": bool(eta_dexter >= eta_bern * (1 - 1e-9)),
        },
    }


def growth_rate(losses: np.ndarray, window: tuple[int, int], *, groups: int = 20) -> dict[str, float]:
    r"""Exponential growth rate of the mean loss over ``window`` steps, with a jackknife standard error.

    ``losses`` has shape ``(runs, steps + 1)``; the log-rate is the least-squares slope of
    :math:`\log\overline{L_t}` against t for t in ``window`` (inclusive).  The standard error
    is the delete-one-group jackknife over ``groups`` groups of runs.
    """
    a, b = window
    t = np.arange(a, b + 1)

    def slope(L: np.ndarray) -> float:
        return float(np.polyfit(t, np.log(L.mean(axis=0)[a : b + 1]), 1)[0])

    full = slope(losses)
    runs = losses.shape[0]
    g = max(2, min(groups, runs))
    parts = np.array_split(np.arange(runs), g)
    jk = np.array([slope(np.delete(losses, idx, axis=0)) for idx in parts])
    se = float(np.sqrt((g - 1) / g * np.sum((jk - jk.mean()) ** 2)))
    return {"log_rate": full, "log_rate_stderr": se}


def predicted_rate(K: np.ndarray, p: int, eta: float, B: int, sampling: str = "with-replacement") -> float:
    r"""The exact per-step growth factor :math:`\rho(\mathcal T_\eta)` of E[L] of linearized SGD at a minimum.

    ``K`` is the Gram matrix of the per-sample gradients, ``p`` the number of parameters.
    """
    from verifythm.dynamics import Family, NoiseModel, spectral_radius

    return spectral_radius(NoiseModel.build(Family.from_gram(K, dim=p), B, sampling), eta).value


def linearized_escape(
    K: np.ndarray,
    p: int,
    eta: float,
    B: int,
    *,
    trajectories: int,
    steps: int,
    burn: int,
    seed: int,
    sampling: str = "with-replacement",
) -> dict[str, Any]:
    r"""Monte Carlo E[L] of linearized SGD at a minimum with Gram matrix ``K``, versus the exact ρ(T).

    The start is an isotropic parameter perturbation :math:`w_0\sim N(0,I_p)`: its residuals
    :math:`z_0=Q^Tw_0\sim N(0,K)` are, in the engine's reduced coordinates
    (:math:`M^Ty=z`, :math:`M^TM=K`), :math:`y_0\sim N(0,I_r)`.  The log-rate is fitted
    over steps ``burn..steps``; ``ratio`` is measured over predicted log-rate (log ρ), and
    ``ratio_to_exact_window`` measured over the same fit applied to the exact E[L_t]
    (iterates of T from :math:`W_0=I`), which isolates the Monte Carlo error.
    """
    from verifythm.dynamics import Family, NoiseModel, moment_operator, simulate

    fam = Family.from_gram(K, dim=p)
    noise = NoiseModel.build(fam, B, sampling)
    rho = predicted_rate(K, p, eta, B, sampling)
    rng = np.random.default_rng(seed)
    y0 = rng.standard_normal((trajectories, fam.rank))
    res = simulate(noise, eta, steps, y0, trajectories=trajectories, rng=rng)
    fit = growth_rate(res.losses, (burn, steps))
    t = np.arange(burn, steps + 1)
    # the typical (median-trajectory) rate: slope of E[log L_t], below log ρ when E[L] is
    # carried by rare trajectories (noise-driven escape)
    typical = float(np.polyfit(t, np.log(res.losses[:, burn : steps + 1]).mean(axis=0), 1)[0])
    # the exact E[L_t] from the same start law (E[y₀y₀ᵀ] = I), by iterating T: the fit of
    # the same window to it separates the transient (subdominant modes of T) from MC error
    Ws = moment_operator(fam, eta, B, sampling).iterate(np.eye(fam.rank), steps)
    exact = np.array([0.5 * float(np.sum(fam.H * W)) for W in Ws])
    exact_window = float(np.polyfit(t, np.log(exact[burn : steps + 1]), 1)[0])
    return {
        "eta": eta,
        "batch_size": B,
        "sampling": sampling,
        "trajectories": trajectories,
        "fit_window_steps": [burn, steps],
        "exact_rate_rho": rho,
        "predicted_log_rate": math.log(rho),
        "measured_log_rate": fit["log_rate"],
        "measured_log_rate_stderr": fit["log_rate_stderr"],
        "ratio": fit["log_rate"] / math.log(rho),
        "ratio_stderr": fit["log_rate_stderr"] / math.log(rho),
        "typical_log_rate": typical,
        "exact_window_log_rate": exact_window,
        "ratio_to_exact_window": fit["log_rate"] / exact_window,
        "ratio_to_exact_window_stderr": fit["log_rate_stderr"] / exact_window,
        "exact_mean_loss": exact.tolist(),
        "mean_loss": res.losses.mean(axis=0).tolist(),
    }

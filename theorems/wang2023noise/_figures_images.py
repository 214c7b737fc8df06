"""The images of the wang2023noise figure driver, drawn from its data.

Private (not collected).  :mod:`theorems.wang2023noise._figures` computes the arrays of Figures 1,
2a and 3; :func:`plot` draws ``fig1.png`` (μ(θ) against width), ``fig2a.png`` (α_k/λ_k along the
eigen-directions) and ``fig3.png`` (:math:`D_{t,1}` for SGD and GD).  matplotlib is the optional
extra ``plots``.
"""

from __future__ import annotations

import numpy as np

from verifythm.quantities.directional import escape_spectral_ratio
from verifythm.report.figure_driver import FigureRun

IMAGES = ("fig1.png", "fig2a.png", "fig3.png")


def plot(
    run: FigureRun, f1: dict[str, np.ndarray], f2: dict[str, np.ndarray], f3: dict[str, np.ndarray]
) -> list[str]:
    """Draw ``fig1.png``, ``fig2a.png`` and ``fig3.png``; returns the file names (none without matplotlib)."""
    plt = run.pyplot()
    if plt is None:
        return []
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    for ax, (model, title) in zip(
        axes, (("linear4", "4-layer linear"), ("relu2", "2-layer ReLU")), strict=True
    ):
        w = f1[f"widths_{model}"]
        for inputs, mk in (("iso", "o"), ("aniso", "s")):
            mu = f1[f"mu_{model}_{inputs}"]
            ax.errorbar(w, mu.mean(axis=1), yerr=mu.std(axis=1), marker=mk, capsize=3, label=inputs)
        ax.axhline(1.0, color="grey", lw=0.8, ls="--")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("hidden width")
        ax.set_title(title)
        ax.legend()
    axes[0].set_ylabel("μ(θ)")
    fig.tight_layout()
    run.save_figure(fig, "fig1.png", dpi=110)

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    for ax, n in zip(axes, f2["n"], strict=True):
        r = f2[f"ratio_n{n}"]
        ax.plot(np.arange(1, r.size + 1), r, ".", ms=3, label="α_k/λ_k (Σ₁)")
        ax.plot(
            np.arange(1, r.size + 1), f2[f"ratio_sigma0_n{n}"], ".", ms=2, alpha=0.6, label="Σ₀ (SGD noise)"
        )
        ax.axhline(1.0, color="grey", lw=0.8, ls="--")
        ax.set_xlabel("eigen-direction k (λ_k decreasing)")
        ax.set_title(f"d = {int(f2['d'])}, n = {n}")
        ax.legend()
    axes[0].set_ylabel("α_k / λ_k")
    fig.tight_layout()
    run.save_figure(fig, "fig2a.png", dpi=110)

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    t = f3["t"]
    for srk in f3["srk_target"]:
        tag = f"srk{srk:g}"
        label = f"srk(G²) = {1.0 + escape_spectral_ratio(f3[f'lam_{tag}'], 1):.2f}"
        line = axes[0].semilogy(t, f3[f"D_sgd_exact_{tag}"], label=label)[0]
        axes[0].semilogy(t, f3[f"D_sgd_mc_{tag}"], ":", color=line.get_color())
        axes[0].semilogy(t, f3[f"D_sgd_mc_median_run_{tag}"], "--", lw=0.8, color=line.get_color())
        axes[1].semilogy(t, f3[f"D_gd_exact_{tag}"], color=line.get_color(), label=label)
    axes[0].set_title("SGD: exact (solid), MC means (dotted), MC median run (dashed)", fontsize=8)
    axes[1].set_title("GD")
    for ax in axes:
        ax.set_xlabel("step t")
        ax.set_ylabel("D_{t,1}")
        ax.legend(fontsize=8)
    fig.tight_layout()
    run.save_figure(fig, "fig3.png", dpi=110)
    return list(IMAGES)

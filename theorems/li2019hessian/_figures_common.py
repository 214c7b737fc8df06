r"""What the two li2019hessian figure drivers share beyond the data: images, summary, command line.

Private (not collected).  The softmax-regression driver :mod:`theorems.li2019hessian._figures`
and the ReLU-network driver :mod:`theorems.li2019hessian._figures_relu` write the same file
layout (the ReLU one with names prefixed ``relu_``); both draw their Figures 1, 2 and 11 with
the code here (matplotlib, the optional extra ``plots``), summarise their runs with
:func:`_summary` and take the command line of :func:`cli`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np

from verifythm.report.figure_driver import FigureRun, figure_parser, run_driver
from verifythm.report.plots import matplotlib_available

from ._figures import DATA, IMAGES, MAIN_PRIOR_VARIANCE, PRIOR_VARIANCES, RANDOM_FRACTIONS, STEPS, TOP, _tag

# ----------------------------------------------------------------------------- images


def _draw_fig1(plt: Any, S: Any, setting: str = "softmax regression, Gauss-10, batch 5") -> Any:
    """Figure 1: mean eigen-spectra at the first, an intermediate and the last checkpoint."""
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.2), squeeze=False)
    for row, r in enumerate(RANDOM_FRACTIONS):
        tag, ts = _tag(r), S[f"iterations_{_tag(r)}"]
        picks = (0, len(ts) // 2, len(ts) - 1)
        for col, (key, name) in enumerate((("eig_Hf", "H_f"), ("eig_M", "M_t"), ("eig_Hp", "H_p"))):
            ax = axes[row, col]
            mean = S[f"{key}_{tag}"].mean(axis=0)  # (checkpoints, p), eigenvalues by rank
            for j in picks:
                ax.plot(np.arange(1, mean.shape[1] + 1), mean[j], label=f"t = {int(ts[j])}")
            ax.set_yscale("symlog", linthresh=1e-4)
            ax.set_xscale("log")
            ax.set_title(f"{name}, {round(100 * r)}% random labels", fontsize=10)
            ax.set_xlabel("eigenvalue rank")
            ax.legend(fontsize=8)
    fig.suptitle(f"Figure 1 in spirit: mean eigen-spectra ({setting})", fontsize=11)
    fig.tight_layout()
    return fig


def _band(ax: Any, x: np.ndarray, Y: np.ndarray, label: str | None, colour: Any) -> None:
    """Mean over runs with its 95 % normal-approximation band, clipped to the range of the runs.

    With few runs the normal band can leave the range the quantity can take (a cosine above 1,
    an eigenvalue below 0 on a log axis); the runs' own minimum and maximum bound it instead.
    """
    mean = Y.mean(axis=0)
    half = 1.96 * Y.std(axis=0, ddof=1) / np.sqrt(Y.shape[0])
    lo, hi = np.maximum(mean - half, Y.min(axis=0)), np.minimum(mean + half, Y.max(axis=0))
    ax.plot(x, mean, color=colour, lw=1, label=label)
    ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)


def _draw_fig2(plt: Any, S: Any, setting: str = "") -> Any:
    """Figure 2: principal-angle cosines and top eigenvalues over training (mean and 95 % band)."""
    cmap = plt.get_cmap("viridis")
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.2), squeeze=False)
    for row, r in enumerate(RANDOM_FRACTIONS):
        tag = _tag(r)
        x = np.maximum(S[f"iterations_{tag}"], 0.5)  # t = 0 drawn at 0.5 on the log axis
        for i in range(TOP):
            colour = cmap(i / (TOP - 1))
            lab = f"{i + 1}" if i in (0, 9, TOP - 1) else None
            _band(axes[row, 0], x, S[f"cos_{tag}"][:, :, i], lab and f"cos γ_{lab}", colour)
            _band(axes[row, 1], x, S[f"eig_Hf_{tag}"][:, :, i], lab and f"λ_{lab}", colour)
            _band(axes[row, 2], x, S[f"eig_M_{tag}"][:, :, i], lab and f"λ_{lab}", colour)
        for ax, name in zip(
            axes[row],
            ("principal-angle cosines (H_f, M_t)", "top eigenvalues of H_f", "top eigenvalues of M_t"),
            strict=True,
        ):
            ax.set_xscale("log")
            ax.set_title(f"{name}, {round(100 * r)}% random", fontsize=10)
            ax.set_xlabel("SGD iteration t")
            ax.legend(fontsize=7)
        axes[row, 1].set_yscale("log")
        axes[row, 2].set_yscale("log")
    fig.suptitle(
        "Figure 2 in spirit: top-15 eigenspaces of H_f and M_t (mean and 95% band over runs)"
        + (f", {setting}" if setting else ""),
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def _draw_fig11(
    plt: Any, P: Any, setting: str = "Gauss-10, batch 5", main: float = MAIN_PRIOR_VARIANCE
) -> Any:
    """Figure 11: distributions of the Theorem 4 terms and of the generalisation gap."""
    variances = [float(v) for v in P["prior_variances"]]
    k = variances.index(main)
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8))
    for r in RANDOM_FRACTIONS:
        v = P[f"hdiag_sorted_{_tag(r)}"].mean(axis=0)
        axes[0].plot(np.arange(1, v.size + 1), v, label=f"{round(100 * r)}% random")
    for s2 in variances:
        axes[0].axhline(1.0 / s2, color="r", lw=0.8, ls="-" if s2 == main else ":")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("rank of H_f[j, j]")
    axes[0].set_title("sorted diag H_f(θ) (mean); red: 1/σ²", fontsize=10)
    panels = (
        ("effective_curvature", f"effective curvature (σ² = {main:g})"),
        ("weighted_norm", f"‖θ − θ₀‖² / σ² (σ² = {main:g})"),
        ("gap", "test − train error (same label noise)"),
    )
    for ax, (key, title) in zip(axes[1:], panels, strict=True):
        values = [
            P[f"test_error_noisy_{_tag(r)}"] - P[f"train_error_{_tag(r)}"]
            if key == "gap"
            else P[f"{key}_{_tag(r)}"][:, k]
            for r in RANDOM_FRACTIONS
        ]
        bins = np.histogram_bin_edges(np.concatenate(values), bins=24)
        for r, v in zip(RANDOM_FRACTIONS, values, strict=True):
            ax.hist(v, bins=bins, alpha=0.6, label=f"{round(100 * r)}% random")
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("runs")
    for ax in axes:
        ax.legend(fontsize=8)
    fig.suptitle(f"Figure 11 in spirit: {int(P['runs'])} SGD runs per label setting ({setting})", fontsize=11)
    fig.tight_layout()
    return fig


def render_images(
    run: FigureRun,
    data: tuple[str, ...] = DATA,
    images: tuple[str, ...] = IMAGES,
    settings: tuple[str | None, ...] = (None, None, None),
    main: float = MAIN_PRIOR_VARIANCE,
) -> list[str]:
    """Draw ``images`` (Figures 1, 2, 11) from the npz files ``data[:2]`` in the output directory.

    ``settings`` replaces the default setting line of each figure (``None`` keeps it); the ReLU
    version draws its own files with this code.  Returns the names written; an empty list (and a
    message) when matplotlib is not installed.
    """
    plt = run.pyplot()
    if plt is None:
        return []
    S = np.load(run.path(data[0]))
    P = np.load(run.path(data[1]))
    s1, s2, s11 = ({} if s is None else {"setting": s} for s in settings)
    run.save_figure(_draw_fig1(plt, S, **s1), images[0], dpi=100)
    run.save_figure(_draw_fig2(plt, S, **s2), images[1], dpi=100)
    run.save_figure(_draw_fig11(plt, P, main=main, **s11), images[2], dpi=100)
    return list(images)


# ----------------------------------------------------------------------------- summary


def _stats(v: np.ndarray) -> dict[str, float]:
    """Mean, median, minimum and maximum of ``v``."""
    return {
        "mean": float(np.mean(v)),
        "median": float(np.median(v)),
        "min": float(np.min(v)),
        "max": float(np.max(v)),
    }


def _summary(
    S: dict[str, np.ndarray],
    P: dict[str, np.ndarray],
    steps: dict[float, int] = STEPS,
    prior_variances: tuple[float, ...] = PRIOR_VARIANCES,
) -> dict[str, Any]:
    """The numbers of ``summary.json`` per label setting: spectra at four checkpoints, Theorem 4, errors."""
    out: dict[str, Any] = {}
    for r in RANDOM_FRACTIONS:
        tag = _tag(r)
        ts = S[f"iterations_{tag}"]
        at = {}
        for j in (0, 1, len(ts) // 2, len(ts) - 1):
            mean = lambda key, j=j, tag=tag: S[f"{key}_{tag}"][:, j].mean(axis=0)  # noqa: E731
            at[str(int(ts[j]))] = {
                "loss": float(mean("loss")),
                "cos_top10_min": float(mean("cos")[:10].min()),
                "cos_11_to_15": [round(float(c), 4) for c in mean("cos")[10:]],
                "Hf_top": [float(v) for v in mean("eig_Hf")[:3]],
                "M_top": [float(v) for v in mean("eig_M")[:3]],
                "Hp_top": float(mean("eig_Hp")[0]),
                "Hp_bottom": float(mean("eig_Hp")[-1]),
                "M_top10_over_Hf_top10": float(mean("eig_M")[:10].sum() / mean("eig_Hf")[:10].sum()),
                "Hp_plus_Hf_rel": float(
                    np.linalg.norm(mean("eig_Hp") + mean("eig_Hf")[::-1]) / np.linalg.norm(mean("eig_Hf"))
                ),
            }
        pb = {
            f"sigma2={s2:g}": {
                "effective_curvature": _stats(P[f"effective_curvature_{tag}"][:, k]),
                "weighted_norm": _stats(P[f"weighted_norm_{tag}"][:, k]),
                "crossing": _stats(P[f"crossing_{tag}"][:, k]),
            }
            for k, s2 in enumerate(prior_variances)
        }
        out[tag] = {
            "random_fraction": r,
            "steps": steps[r],
            "spectra_at_iteration": at,
            "pacbayes": pb,
            "hdiag_mean": _stats(P[f"hdiag_mean_{tag}"]),
            "train_error": _stats(P[f"train_error_{tag}"]),
            "test_error": _stats(P[f"test_error_{tag}"]),
            "test_error_noisy": _stats(P[f"test_error_noisy_{tag}"]),
            "gap_clean_test": _stats(P[f"test_error_{tag}"] - P[f"train_error_{tag}"]),
            "gap": _stats(P[f"test_error_noisy_{tag}"] - P[f"train_error_{tag}"]),
        }
    return out


# ----------------------------------------------------------------------------- command line


def cli(
    argv: list[str] | None,
    description: str,
    body: Callable[[FigureRun, argparse.Namespace], int],
    data: tuple[str, ...],
    images: tuple[str, ...],
) -> int:
    """The command line of both li2019hessian drivers: ``--out``, ``--overwrite``, ``--images-only``.

    ``body(run, args)`` does the work; ``data`` names the two npz files and the summary, ``images``
    the three PNGs (written only with matplotlib).  ``--images-only`` reads the npz files and
    writes only the PNGs.
    """
    shown = images if matplotlib_available(say=False) else ()
    return run_driver(
        figure_parser(description, "docs/figures/li2019", images_only=True),
        argv,
        body,
        outputs=lambda args: shown if args.images_only else data + shown,
        inputs=lambda args: data[:2] if args.images_only else (),
    )

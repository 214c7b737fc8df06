r"""Data of Figures 1 and 2 of dexter2024precise (§5), exact engine and the paper's protocol.

Private (not collected).  Run as::

    python -m theorems.dexter2024precise._figures --out docs/figures/dexter2024 --overwrite

(``--overwrite`` replaces the files already there; without it the driver refuses, exit 2,
before any work: :mod:`verifythm.report.figure_driver`).  It writes

* ``fig1.npz`` / ``fig2.npz``: the grids, the exact verdicts (Bernoulli and, for comparison,
  without-replacement sampling), the protocol labels, and the two theorems' boundary curves;
* ``summary.json``: grid definitions, cell counts and the exact-versus-protocol disagreement
  summary (the first disagreeing cells listed), also against the exact *typical* verdict
  (top Lyapunov exponent < 0, :func:`._sec5_2.growth_factor`), which is what the protocol
  estimates;
* ``fig1.png`` / ``fig2.png``: the phase diagrams drawn from the npz data by
  :mod:`._figures_images`.  matplotlib is the optional extra ``plots``; without it the images
  are skipped (with a message) and only the data are written.

The data take minutes; ``--images-only`` redraws the PNGs from the npz files already in ``--out``::

    python -m theorems.dexter2024precise._figures --out docs/figures/dexter2024 --images-only --overwrite

Setting (§5.1): :math:`n=100`, :math:`H_i=m\,e_1e_1^T` for :math:`i\le\sigma`, else
:math:`m\,e_{i-\sigma+1}e_{i-\sigma+1}^T`, :math:`m=2n/\sigma`, :math:`\lambda_1(H)=2`.

* Figure 1: :math:`(\sigma,B)` at :math:`\eta\in\{0.8,0.5\}`, Bernoulli sampling.
* Figure 2: :math:`(\eta,B)` at :math:`\sigma=5`, on two :math:`\eta` axes (uniform in
  :math:`\eta^2` on :math:`(0,1]`, the paper's linear plot, and log-uniform on :math:`[10^{-2},1]`).

The paper's grid is not stated; the grids here are every integer :math:`\sigma,B\in[1,100]`
(Figure 1) and :math:`B\in[1,100]` times 100 values of :math:`\eta` (Figure 2).

Exact verdict: *stable* (mean-square, the engine's notion) iff :math:`\eta\le\eta^*(B)`, with
:math:`\eta^*(B)` from :func:`verifythm.dynamics.critical_learning_rates` (closed form for this
diagonal family).  Protocol label: :func:`verifythm.dynamics.dexter_protocol` (five runs of at
most 1000 steps, factor 1000, majority), one fixed seed per figure.  The two answer different
questions (mean-square versus typical growth), so disagreements in a band between the
mean-square and the Lyapunov boundaries are expected, not errors.

Boundary curves at :math:`\lambda_1=2`: Theorem 1 (b) holds iff :math:`\eta>\frac\sigma2(\frac nB-1)^{-1/2}`
(diverges below the solid line in :math:`(\sigma,B)`), Theorem 2 iff
:math:`\eta<\sigma/(\sigma+n/B-1)` (converges above the dashed line).
"""

from __future__ import annotations

import argparse
import math
import os
from typing import Any

import numpy as np

from verifythm.dynamics import Family, NoiseModel, critical_learning_rates, dexter_protocol
from verifythm.report.figure_driver import FigureRun, figure_parser, run_driver
from verifythm.report.plots import matplotlib_available
from verifythm.strategies import dexter2024_family

from ._figures_images import IMAGES, render_images
from ._sec5_2 import growth_factor

N = 100
FIG1_ETAS = (0.8, 0.5)
FIG2_SIGMA = 5
SEED = 20240503
SAMPLINGS = ("bernoulli", "without-replacement")
MAX_LISTED = 40  # disagreeing cells listed in the JSON (all of them follow from the npz arrays)


def family(n: int, sigma: int) -> Family:
    """The §5.1 family as a reduced diagonal :class:`~verifythm.dynamics.Family`."""
    return Family.from_diagonals(np.diagonal(dexter2024_family(n, sigma), axis1=1, axis2=2))


def eta_star_table(n: int, sigmas: np.ndarray, batches: np.ndarray, sampling: str) -> np.ndarray:
    r""":math:`\eta^*(\sigma,B)` of the §5.1 family, shape ``(len(sigmas), len(batches))``."""
    return np.array([critical_learning_rates(family(n, int(s)), batches, sampling) for s in sigmas])


def thm1_sigma(n: int, B: np.ndarray, eta: float) -> np.ndarray:
    r"""Theorem 1 (b)'s boundary in σ: :math:`\sigma=2\eta\sqrt{n/B-1}` (tuples with smaller σ diverge)."""
    return 2.0 * eta * np.sqrt(np.maximum(n / np.asarray(B, float) - 1.0, 0.0))


def thm2_sigma(n: int, B: np.ndarray, eta: float) -> np.ndarray:
    r"""Theorem 2's boundary in σ: :math:`\sigma=\eta(n/B-1)/(1-\eta)` (tuples with larger σ converge)."""
    return eta * (n / np.asarray(B, float) - 1.0) / (1.0 - eta)


def thm1_eta(n: int, sigma: int, B: np.ndarray) -> np.ndarray:
    r"""Theorem 1 (b)'s boundary in η: :math:`\frac\sigma2(n/B-1)^{-1/2}` (∞ at ``B = n``)."""
    x = n / np.asarray(B, float) - 1.0
    with np.errstate(divide="ignore"):
        return np.where(x > 0, sigma / (2.0 * np.sqrt(np.maximum(x, 1e-300))), np.inf)


def thm2_eta(n: int, sigma: int, B: np.ndarray) -> np.ndarray:
    r"""Theorem 2's boundary in η: :math:`\sigma/(\sigma+n/B-1)`."""
    return sigma / (sigma + n / np.asarray(B, float) - 1.0)


def _protocol(n: int, cells: list[tuple[int, int, float]], seed: int) -> np.ndarray:
    """Protocol labels (1 divergent, -1 convergent, 0 undecided) for ``(σ, B, η)`` cells, in order."""
    rng = np.random.default_rng(seed)
    code = {"divergent": 1, "convergent": -1}
    fams: dict[int, Family] = {}
    out = np.zeros(len(cells), dtype=np.int8)
    for k, (s, B, eta) in enumerate(cells):
        fam = fams.setdefault(s, family(n, s))
        out[k] = code.get(dexter_protocol(NoiseModel.build(fam, B, "bernoulli"), eta, rng=rng).label, 0)
    return out


def _compare(stable: np.ndarray, label: np.ndarray, axes: dict[str, np.ndarray]) -> dict[str, Any]:
    """Agreement of exact verdicts (``stable``) with protocol labels, and the disagreeing cells."""
    decisive = label != 0  # the paper's binary rule counts undecided as "not divergent"
    agree = decisive & (stable == (label == -1))
    bad = np.argwhere(decisive & ~agree)
    names = list(axes)
    return {
        "cells": int(stable.size),
        "exact_stable": int(stable.sum()),
        "protocol_convergent": int((label == -1).sum()),
        "protocol_divergent": int((label == 1).sum()),
        "protocol_undecided": int((~decisive).sum()),
        "agreement_where_decisive": float(agree.sum() / max(int(decisive.sum()), 1)),
        "agreement_paper_binary": float(np.mean(stable == (label != 1))),
        "disagreements": len(bad),
        "exact_stable_protocol_divergent": int((decisive & stable & (label == 1)).sum()),
        "exact_unstable_protocol_convergent": int((decisive & ~stable & (label == -1)).sum()),
        "disagreeing_cells": [
            {
                **{names[0]: float(axes[names[0]][i]), names[1]: float(axes[names[1]][j])},
                "exact_stable": bool(stable[i, j]),
                "protocol": "divergent" if label[i, j] == 1 else "convergent",
            }
            for i, j in bad[:MAX_LISTED]
        ],
    }


def _regions(
    in1: np.ndarray, in2: np.ndarray, stable: np.ndarray, typical: np.ndarray, label: np.ndarray
) -> dict[str, int]:
    """§5.2's two observations over the grid: cells of each theorem's region that break it."""
    return {
        "thm1_region_cells": int(in1.sum()),
        "thm1_region_mean_square_stable": int((in1 & stable).sum()),
        "thm1_region_typical_stable": int((in1 & typical).sum()),
        "thm1_region_protocol_not_divergent": int((in1 & (label != 1)).sum()),
        "thm2_region_cells": int(in2.sum()),
        "thm2_region_mean_square_unstable": int((in2 & ~stable).sum()),
        "thm2_region_typical_unstable": int((in2 & ~typical).sum()),
        "thm2_region_protocol_divergent": int((in2 & (label == 1)).sum()),
    }


def _closer_bound(
    n: int, sig: np.ndarray, bat: np.ndarray, eta: float, stable: np.ndarray, typical: np.ndarray
) -> dict[str, Any]:
    r"""Per ``B < n``: which theorem's σ-boundary is closer to the true boundary (smallest stable σ).

    §5.2 observes that the lower (Theorem 1) boundary is closer at η = 0.5 and the upper (Theorem 2)
    one at η = 0.8; "true boundary" is read both as mean-square (the engine) and typical (Lyapunov).
    """
    out: dict[str, Any] = {}
    for name, verdict in (("mean_square", stable), ("typical", typical)):
        t1 = t2 = 0
        for j, B in enumerate(bat[:-1]):
            col = verdict[:, j]
            if not col.any():
                continue
            s_true = float(sig[int(np.argmax(col))])
            d1 = abs(s_true - float(thm1_sigma(n, B, eta)))
            d2 = abs(s_true - float(thm2_sigma(n, B, eta)))
            t1 += int(d1 < d2)
            t2 += int(d2 < d1)
        out[name] = {"thm1_closer": t1, "thm2_closer": t2}
    return out


def figure1(n: int = N, etas: tuple[float, ...] = FIG1_ETAS, seed: int = SEED) -> dict[str, Any]:
    """Figure 1 data: rows σ, columns B; one panel per η."""
    sig = np.arange(1, n + 1)
    bat = np.arange(1, n + 1)
    star = {s: eta_star_table(n, sig, bat, s) for s in SAMPLINGS}
    arrays: dict[str, np.ndarray] = {
        "sigma": sig,
        "B": bat,
        "eta": np.array(etas),
        "eta_star_bernoulli": star["bernoulli"],
        "eta_star_without_replacement": star["without-replacement"],
    }
    summary: dict[str, Any] = {}
    for k, eta in enumerate(etas):
        tag = f"eta{eta:g}"
        stable = eta <= star["bernoulli"]
        cells = [(int(s), int(B), eta) for s in sig for B in bat]
        label = _protocol(n, cells, seed + k).reshape(stable.shape)
        arrays[f"exact_stable_{tag}"] = stable
        arrays[f"exact_stable_wor_{tag}"] = eta <= star["without-replacement"]
        arrays[f"protocol_{tag}"] = label
        arrays[f"thm1_sigma_{tag}"] = thm1_sigma(n, bat, eta)
        arrays[f"thm2_sigma_{tag}"] = thm2_sigma(n, bat, eta)
        typical = np.array([[growth_factor(n, int(s), int(B), eta) < 1.0 for B in bat] for s in sig])
        arrays[f"typical_stable_{tag}"] = typical
        summary[tag] = _compare(stable, label, {"sigma": sig, "B": bat})
        summary[tag]["protocol_vs_typical"] = _compare(typical, label, {"sigma": sig, "B": bat})
        summary[tag]["closer_bound"] = _closer_bound(n, sig, bat, eta, stable, typical)
        summary[tag]["regions"] = _regions(
            sig[:, None] < thm1_sigma(n, bat, eta)[None, :],
            sig[:, None] > thm2_sigma(n, bat, eta)[None, :],
            stable,
            typical,
            label,
        )
        summary[tag]["bernoulli_vs_without_replacement_verdict_differences"] = int(
            (stable != arrays[f"exact_stable_wor_{tag}"]).sum()
        )
    return {"arrays": arrays, "summary": summary}


def figure2(n: int = N, sigma: int = FIG2_SIGMA, seed: int = SEED + 100) -> dict[str, Any]:
    """Figure 2 data: rows η, columns B, on a linear-in-η² and a log-η axis."""
    bat = np.arange(1, n + 1)
    star = {s: critical_learning_rates(family(n, sigma), bat, s) for s in SAMPLINGS}
    axes = {
        "linear": np.sqrt(np.linspace(0.01, 1.0, 100)),
        "log": np.logspace(-2.0, 0.0, 100),
    }
    arrays: dict[str, np.ndarray] = {
        "B": bat,
        "sigma": np.array(sigma),
        "eta_star_bernoulli": star["bernoulli"],
        "eta_star_without_replacement": star["without-replacement"],
        "thm1_eta": thm1_eta(n, sigma, bat),
        "thm2_eta": thm2_eta(n, sigma, bat),
    }
    summary: dict[str, Any] = {}
    for k, (name, etas) in enumerate(axes.items()):
        stable = etas[:, None] <= star["bernoulli"][None, :]
        cells = [(sigma, int(B), float(e)) for e in etas for B in bat]
        label = _protocol(n, cells, seed + k).reshape(stable.shape)
        arrays[f"eta_{name}"] = etas
        arrays[f"exact_stable_{name}"] = stable
        arrays[f"exact_stable_wor_{name}"] = etas[:, None] <= star["without-replacement"][None, :]
        arrays[f"protocol_{name}"] = label
        typical = np.array([[growth_factor(n, sigma, int(B), float(e)) < 1.0 for B in bat] for e in etas])
        arrays[f"typical_stable_{name}"] = typical
        summary[name] = _compare(stable, label, {"eta": etas, "B": bat})
        summary[name]["protocol_vs_typical"] = _compare(typical, label, {"eta": etas, "B": bat})
        summary[name]["regions"] = _regions(
            etas[:, None] > thm1_eta(n, sigma, bat)[None, :],
            etas[:, None] < thm2_eta(n, sigma, bat)[None, :],
            stable,
            typical,
            label,
        )
        summary[name]["bernoulli_vs_without_replacement_verdict_differences"] = int(
            (stable != arrays[f"exact_stable_wor_{name}"]).sum()
        )
    return {"arrays": arrays, "summary": summary}


def main(argv: list[str] | None = None) -> int:
    """Write ``fig1.npz``, ``fig2.npz``, ``summary.json`` and the PNGs under ``--out``."""
    parser = figure_parser(__doc__.split("\n\n")[0], "docs/figures/dexter2024", images_only=True)
    parser.add_argument("--n", type=_grid_size, default=N, help=f"grid size n (default {N})")
    return run_driver(parser, argv, _compute, outputs=_outputs, inputs=_inputs)


def _grid_size(text: str) -> int:
    """``--n``: an integer of at least :data:`FIG2_SIGMA` (Figure 2 is drawn at σ = 5 ≤ n)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if n < FIG2_SIGMA:
        raise argparse.ArgumentTypeError(f"expected an integer >= {FIG2_SIGMA}, got {n}")
    return n


def _outputs(args: argparse.Namespace) -> tuple[str, ...]:
    """The files a run writes: the images (and the summary's image list) with ``--images-only``."""
    images = IMAGES if matplotlib_available(say=False) else ()
    if args.images_only:  # the summary, when there, records the images
        summary = (
            ("summary.json",) if images and os.path.exists(os.path.join(args.out, "summary.json")) else ()
        )
        return (*images, *summary)
    return ("fig1.npz", "fig2.npz", "summary.json", *images)


def _inputs(args: argparse.Namespace) -> tuple[str, ...]:
    return ("fig1.npz", "fig2.npz") if args.images_only else ()


def _compute(run: FigureRun, args: argparse.Namespace) -> int:
    """Compute both figures, write data and summary, draw the images (see :func:`main`)."""
    if args.images_only:
        render_images(run)
        return 0
    with run.stage("figure 1"):
        f1 = figure1(args.n)
    with run.stage("figure 2"):
        f2 = figure2(args.n)
    run.write_npz("fig1.npz", f1["arrays"])
    run.write_npz("fig2.npz", f2["arrays"])
    ratio = f1["arrays"]["eta_star_without_replacement"] / f1["arrays"]["eta_star_bernoulli"]
    summary = {
        "paper": "dexter2024precise, Section 5, Figures 1-2",
        "n": args.n,
        "seeds": {"fig1": [SEED + k for k in range(len(FIG1_ETAS))], "fig2": [SEED + 100, SEED + 101]},
        "images": "none: matplotlib is not installed, data only",  # replaced by render_images
        "exact_notion": "mean-square stable iff eta <= eta*(B) (verifythm.dynamics.critical_learning_rates)",
        "protocol": "verifythm.dynamics.dexter_protocol: 5 runs, <= 1000 steps, factor 1000, majority",
        "fig1": {"grid": "sigma, B in 1..n (rows sigma, columns B)", **f1["summary"]},
        "fig2": {
            "sigma": FIG2_SIGMA,
            "grid": "rows eta (linear: sqrt(linspace(0.01, 1, 100)); log: logspace(-2, 0, 100)), columns B",
            **f2["summary"],
        },
        "without_replacement_over_bernoulli_eta_star": {
            "min": float(ratio.min()),
            "max": float(ratio.max()),
            "argmax_sigma_B": [int(v) + 1 for v in np.unravel_index(int(np.argmax(ratio)), ratio.shape)],
            "max_relative_difference": float(np.max(np.abs(ratio - 1.0))),
        },
    }
    run.write_json("summary.json", summary)
    for fig in ("fig1", "fig2"):
        for tag, s in summary[fig].items():
            if isinstance(s, dict) and "cells" in s:
                print(
                    f"{fig} {tag}: {s['cells']} cells, agreement {s['agreement_where_decisive']:.4f} "
                    f"({s['disagreements']} disagreements, {s['protocol_undecided']} undecided)"
                )
    print(f"max |eta*_wor / eta*_bern - 1| = {summary['without_replacement_over_bernoulli_eta_star']}")
    render_images(run)
    if not math.isfinite(float(ratio.max())):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

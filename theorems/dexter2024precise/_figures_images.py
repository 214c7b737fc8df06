r"""The images of the dexter2024precise figure driver: phase diagrams drawn from its npz data.

Private (not collected).  :mod:`theorems.dexter2024precise._figures` computes ``fig1.npz`` and
``fig2.npz``; :func:`render_images` draws ``fig1.png`` and ``fig2.png`` from them (top row: exact
verdict, three classes; bottom row: protocol label; both with the Theorem 1 (solid) and Theorem 2
(dashed) boundary curves).  matplotlib is the optional extra ``plots``.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from verifythm.report.figure_driver import FigureRun

EXACT_CLASSES = ("typically unstable", "typically stable,\nmean-square unstable", "mean-square stable")
EXACT_COLOURS = ("#d7301f", "#fdbb84", "#3182bd")
PROTOCOL_CLASSES = ("divergent", "undecided", "convergent")
PROTOCOL_COLOURS = ("#d7301f", "#bdbdbd", "#3182bd")


def _edges(v: np.ndarray, log: bool = False) -> np.ndarray:
    """Cell edges of a sorted grid ``v`` (midpoints, extended by half a step at both ends)."""
    w = np.log(np.asarray(v, float)) if log else np.asarray(v, float)
    mid = 0.5 * (w[1:] + w[:-1])
    e = np.concatenate([[2 * w[0] - mid[0]], mid, [2 * w[-1] - mid[-1]]])
    return np.exp(e) if log else e


def exact_class(stable: np.ndarray, typical: np.ndarray) -> np.ndarray:
    """0 typically unstable, 1 typically stable but mean-square unstable, 2 mean-square stable."""
    return np.where(stable, 2, np.where(typical, 1, 0))


def _panel(ax, x, y, codes, colours, lines, log_y=False, ylim=None):
    """One phase diagram: categorical cells ``codes[y, x]`` and the theorem curves ``lines``."""
    from matplotlib.colors import BoundaryNorm, ListedColormap

    cmap = ListedColormap(colours)
    ax.pcolormesh(_edges(x), _edges(y, log_y), codes, cmap=cmap, norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5], 3))
    for (xs, ys), style in zip(lines, ("-", "--"), strict=True):
        ax.plot(xs, ys, "k" + style, lw=1.6)
    if log_y:
        ax.set_yscale("log")
    ax.set_xlim(_edges(x)[0], _edges(x)[-1])
    ax.set_ylim(ylim if ylim is not None else (_edges(y, log_y)[0], _edges(y, log_y)[-1]))


def _legend(fig, classes: tuple[str, ...], colours: tuple[str, ...], title: str, y: float) -> None:
    """Figure-level legend: the cell classes of one row and the two theorem curves."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=k) for k, c in zip(classes, colours, strict=True)]
    handles += [Line2D([], [], color="k", ls="-", label="Theorem 1 (b)")]
    handles += [Line2D([], [], color="k", ls="--", label="Theorem 2")]
    fig.legend(handles=handles, title=title, loc="center left", bbox_to_anchor=(0.82, y), fontsize=8)


def _draw(plt: Any, panels: list[dict[str, Any]], xlabel: str, suptitle: str) -> Any:
    """Two rows (exact verdict, protocol label) times ``len(panels)`` columns; returns the figure."""
    fig, axes = plt.subplots(2, len(panels), figsize=(4.2 * len(panels) + 2.6, 7.6), squeeze=False)
    for col, p in enumerate(panels):
        for row, (codes, colours, what) in enumerate(
            ((p["exact"], EXACT_COLOURS, "exact"), (p["protocol"], PROTOCOL_COLOURS, "protocol"))
        ):
            ax = axes[row, col]
            _panel(ax, p["x"], p["y"], codes, colours, p["lines"], p.get("log_y", False), p.get("ylim"))
            ax.set_title(f"{p['title']}: {what}", fontsize=10)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(p["ylabel"])
    fig.suptitle(suptitle, fontsize=11)
    fig.subplots_adjust(left=0.07, right=0.8, top=0.9, bottom=0.08, hspace=0.35, wspace=0.28)
    _legend(fig, EXACT_CLASSES, EXACT_COLOURS, "exact verdict", 0.72)
    _legend(fig, PROTOCOL_CLASSES, PROTOCOL_COLOURS, "protocol label", 0.28)
    return fig


IMAGES = ("fig1.png", "fig2.png")


def render_images(run: FigureRun) -> list[str]:
    """Draw ``fig1.png`` and ``fig2.png`` from ``fig1.npz`` / ``fig2.npz`` in the output directory.

    Records their names in ``summary.json`` when it is there.  Returns the names; an empty list
    (and a message) when matplotlib is not installed.
    """
    plt = run.pyplot()
    if plt is None:
        return []
    f1 = np.load(run.path("fig1.npz"))
    f2 = np.load(run.path("fig2.npz"))
    n = int(f1["sigma"][-1])
    panels1 = []
    for eta in f1["eta"]:
        tag = f"eta{float(eta):g}"
        panels1.append(
            {
                "x": f1["B"],
                "y": f1["sigma"],
                "exact": exact_class(f1[f"exact_stable_{tag}"], f1[f"typical_stable_{tag}"]),
                "protocol": 1 - f1[f"protocol_{tag}"].astype(int),  # 1 div → 0, 0 → 1, −1 conv → 2
                "lines": [(f1["B"], f1[f"thm1_sigma_{tag}"]), (f1["B"], f1[f"thm2_sigma_{tag}"])],
                "title": f"η = {float(eta):g}",
                "ylabel": "σ",
            }
        )
    fig = _draw(plt, panels1, "batch size B", f"Figure 1 (n = {n}): stability in (σ, B)")
    run.save_figure(fig, IMAGES[0], dpi=110)
    panels2 = [
        {
            "x": f2["B"],
            "y": f2[f"eta_{name}"],
            "exact": exact_class(f2[f"exact_stable_{name}"], f2[f"typical_stable_{name}"]),
            "protocol": 1 - f2[f"protocol_{name}"].astype(int),
            "lines": [(f2["B"], f2["thm1_eta"]), (f2["B"], f2["thm2_eta"])],
            "title": title,
            "ylabel": "η",
            "log_y": name == "log",
        }
        for name, title in (("linear", "η² uniform"), ("log", "log η uniform"))
    ]
    fig = _draw(
        plt, panels2, "batch size B", f"Figure 2 (n = {n}, σ = {int(f2['sigma'])}): stability in (η, B)"
    )
    run.save_figure(fig, IMAGES[1], dpi=110)
    if run.path("summary.json").exists():
        data = json.loads(run.path("summary.json").read_text())
        data["images"] = list(IMAGES)
        run.write_json("summary.json", data)
    return list(IMAGES)

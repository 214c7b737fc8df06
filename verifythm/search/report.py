"""Reports of hunts and tightness runs: Markdown + JSON + ``.npz`` instance, and an index page.

Every report is written atomically under a fresh name (``<stem>``, ``<stem>-1``, …), so an
earlier report is never overwritten.  ``index.md`` (and ``index.json``) list every report in
the directory; they are derived files and are rewritten atomically on each call.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from verifythm.report.counterexample import META_PREFIX, claim_header, jsonable_instance
from verifythm.report.io import atomic_write_text, save_instance, unique_path
from verifythm.search.hunt import HuntResult
from verifythm.search.tightness import TightnessResult


@dataclass
class SearchReport:
    """Paths of a written hunt or tightness report."""

    markdown: Path
    json: Path
    instance: Path | None
    png: Path | None = None
    reproduce: str | None = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-")[:60]


#: An instance with at most this many numbers is printed whole in a report.
PRINT_WHOLE = 50


def describe_value(value: Any, whole: bool = False) -> str:
    """Readable form of a value: small arrays printed (any size with ``whole``), large ones summarised."""
    a = np.asarray(value)
    if a.ndim == 0:
        return f"`{a.item()!r}`"
    if a.size <= 36 or whole:
        with np.printoptions(precision=6, suppress=False, linewidth=100):
            return f"(shape {a.shape})\n\n```\n{np.array2string(a)}\n```"
    out = f"array of shape {a.shape}, entries in [{a.min():.4g}, {a.max():.4g}]"
    if a.ndim >= 2 and a.shape[-1] == a.shape[-2] and np.allclose(a, np.swapaxes(a, -1, -2)):
        w = np.linalg.eigvalsh(a.reshape(-1, a.shape[-1], a.shape[-1]))
        out += f"; symmetric, eigenvalues in [{w.min():.4g}, {w.max():.4g}]"
    elif a.ndim == 2:
        s = np.linalg.svd(a, compute_uv=False)
        out += f"; singular values {np.array2string(s[:6], precision=4)}{' …' if s.size > 6 else ''}"
    return out + " (full values in the `.npz`)"


def _instance_lines(inst: dict[str, Any]) -> list[str]:
    whole = sum(np.asarray(v).size for v in inst.values()) <= PRINT_WHOLE
    return [f"- `{k}` = {describe_value(v, whole)}" for k, v in inst.items()]


def _explored_lines(result: HuntResult) -> list[str]:
    """The explored region and the niche table of a hunt."""
    ex = result.explored or {}
    lines = ["## Where it searched", ""]
    if result.found:
        lines.append(f"Region explored before the counterexample: {result.region}.")
    else:
        lines.append(f"**No counterexample for {result.region}.** Outside this region nothing is claimed.")
    lines += [
        "",
        f"- {ex.get('evaluations', 0)} evaluations, {ex.get('feasible', 0)} met the hypotheses; "
        f"{ex.get('flat_structures', 0)} flat structure(s) left for elsewhere "
        f"({ex.get('restarts', 0)} restarts)",
    ]
    kinds = ex.get("kinds") or {}
    if kinds:
        lines.append("- feasible instances per kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    niches = ex.get("niches") or []
    if niches:
        lines += [
            "",
            "| sizes | kind | evaluations | feasible | best ratio observed / bound |",
            "|---|---|---|---|---|",
        ]
        for n in niches[:30]:
            r = n.get("best_ratio")
            lines.append(
                f"| {n['sizes']} | {n['kind']} | {n['evaluations']} | {n['feasible']} | "
                f"{'—' if r is None else f'{r:.6g}'} |"
            )
        if len(niches) > 30:
            lines.append(f"| … {len(niches) - 30} more niches in the JSON | | | | |")
    lines.append("")
    return lines


def _reproduce(npz: Path, imports: tuple[str, ...], drop: tuple[str, ...]) -> str:
    imp = "".join(f" --import {m}" for m in imports)
    drp = "".join(f" --drop '{d}'" for d in drop)
    return f"verifythm reproduce {npz}{imp}{drp}"


def write_hunt_report(
    result: HuntResult, directory: str | Path, *, imports: tuple[str, ...] = (), command: str = ""
) -> SearchReport:
    """Write the Markdown, JSON and instance of a hunt into ``directory`` (never overwriting)."""
    claim = result.claim
    stem = "hunt__" + _slug(claim.id) + ("__drop-" + _slug("+".join(result.drop)) if result.drop else "")
    base = unique_path(directory, stem, (".md", ".json", ".npz"))
    md, js, npz = (base.with_name(base.name + s) for s in (".md", ".json", ".npz"))
    inst: dict[str, Any] | None = None
    if result.violation is not None:
        inst = dict(result.violation.instance)
    elif result.best is not None:
        inst = dict(result.best.instance)
    cmd = None
    if inst is not None:
        meta = {
            META_PREFIX + "claim": np.array(claim.id),
            META_PREFIX + "check": np.array("hunt"),
            META_PREFIX + "kind": np.array("instance"),
        }
        if result.drop:
            meta[META_PREFIX + "drop"] = np.array("\n".join(result.drop))
        save_instance(npz, {**inst, **meta})
        if result.found:  # nothing to reproduce when nothing was found
            cmd = _reproduce(npz, imports, result.drop)
    doc = {**result.to_json(), "instance": None if inst is None else str(npz), "reproduce": cmd}
    doc["instance_values"] = None if inst is None else jsonable_instance(inst)
    doc["command"] = command
    atomic_write_text(js, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(md, render_hunt(result, inst, npz if inst is not None else None, cmd, command))
    return SearchReport(md, js, npz if inst is not None else None, reproduce=cmd)


def render_hunt(
    result: HuntResult, inst: dict[str, Any] | None, npz: Path | None, cmd: str | None, command: str
) -> str:
    """Markdown body of a hunt report."""
    claim = result.claim
    found = result.violation is not None
    title = "Counterexample" if found else "No counterexample"
    without = f" without {', '.join(result.drop)}" if result.drop else ""
    lines = claim_header(claim, f"{title} to `{claim.id}`{without}")
    if result.drop:
        lines += [
            "## Assumption necessity",
            "",
            f"Searched with {', '.join(f'`{d}`' for d in result.drop)} removed. "
            + (
                "A counterexample exists without it: **the hypothesis is necessary** for the conclusion."
                if found
                else "No counterexample was found without it within the budget: necessity **not shown**."
            ),
            "",
        ]
    lines += _explored_lines(result)
    budget = f"budget {result.budget_s:g} s" + (
        f" and {result.max_evaluations} evaluations per worker" if result.max_evaluations else ""
    )
    lines += [
        "## How it was searched",
        "",
        f"- {budget}, ran {result.duration_s:.2f} s on {result.workers} worker(s) "
        f"({result.executor}); {result.evaluations} evaluations, {result.infeasible} infeasible "
        f"(a hypothesis failed or the claim could not evaluate them), {result.seeds} seed instances "
        "from the claim's own checks",
        "- moves: structured families (diagonal, rank-one, identical, orthogonal, nearly coherent, "
        "extreme scales, B ∈ {1, n − 1, n}, fewer samples, one dimension, adversarial directions), "
        "growth (members copied, perturbed, fresh or rank-one along the worst direction; "
        "dimensions embedded or extended; B moved jointly with n; log-uniform scales; fresh "
        "families of every kind), then a portfolio of niches (size bucket × kind) with "
        "(1+1)-evolution-strategy bursts and restarts away from flat structures",
    ]
    if result.unconfirmed:
        lines.append(
            f"- {result.unconfirmed} float64 violation(s) refuted by the high-precision re-check "
            "(rounding) were treated as tight and the search went on"
        )
    if found:
        lines.append(f"- first float64 violation after {result.found_after_s:.3f} s")
        lines.append(f"- found by: {' → '.join(result.how) or 'a seed instance'}")
        if result.shrink_steps:
            lines.append(f"- shrunk by: {' → '.join(result.shrink_steps)}")
        else:
            lines.append("- not shrunk")
        if result.shrink_note:
            lines.append(f"- why not smaller: {result.shrink_note}")
    if command:
        lines.append(f"- command: `{command}`")
    lines.append("")
    if inst is not None:
        lines += ["## The instance" if found else "## The tightest instance found", ""]
        lines += _instance_lines(inst)
        lines.append("")
    lines += ["## The numbers on each side", ""]
    if found:
        v = result.violation
        lines.append(f"- float64: {v.comparison.describe()}")
        if v.precise is not None:
            lines.append(f"- re-check: {v.precise.describe()}")
        lines.append(f"- {v.precision_note}")
    elif result.best is not None:
        lines.append(f"- tightest: {result.best.comparison.describe()}")
        lines.append(f"- relative slack {-result.best.score:.6g}")
    if result.max_ratio is not None and result.max_ratio.ratio is not None:
        lines.append(f"- largest ratio observed / bound seen: {result.max_ratio.ratio:.6g}")
    lines.append(f"- tolerance: {claim.tolerance.describe()}")
    lines += ["", "## Hypotheses as checked", ""]
    if inst is not None:
        for h in claim.hypotheses:
            lines.append(f"- {h.name}: {'met' if h(inst) else 'NOT met'}")
        for d in result.drop:
            lines.append(f"- `{d}`: dropped for this search")
        if not claim.hypotheses and not result.drop:
            lines.append("(the claim has no hypotheses beyond the setting)")
    if cmd is not None:
        lines += ["", "## Reproduce", "", f"Instance file: `{npz}` (no pickle).", "", "```", cmd, "```"]
    elif npz is not None:
        lines += ["", f"The tightest instance is saved in `{npz}` (no pickle); it is no counterexample."]
    return "\n".join(lines) + "\n"


def write_tightness_report(
    result: TightnessResult, directory: str | Path, *, command: str = "", png: bool = True
) -> SearchReport:
    """Write the Markdown, JSON, tightest instance and (with matplotlib) the map's PNG."""
    claim = result.claim
    base = unique_path(directory, "tightness__" + _slug(claim.id), (".md", ".json", ".npz", ".png"))
    md, js, npz, pngp = (base.with_name(base.name + s) for s in (".md", ".json", ".npz", ".png"))
    inst = None if result.best is None else dict(result.best.instance)
    if inst is not None:
        save_instance(
            npz,
            {
                **inst,
                META_PREFIX + "claim": np.array(claim.id),
                META_PREFIX + "check": np.array("tightness"),
                META_PREFIX + "kind": np.array("instance"),
            },
        )
    wrote_png = png and result.grid_ratio is not None and _plot(result, pngp)
    doc = {
        **result.to_json(),
        "instance": None if inst is None else str(npz),
        "instance_values": None if inst is None else jsonable_instance(inst),
        "png": str(pngp) if wrote_png else None,
        "command": command,
    }
    atomic_write_text(js, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    ratio = "—" if result.sup_ratio is None else f"{result.sup_ratio:.6g}"
    lines = [
        f"# Tightness of `{claim.id}`",
        "",
        f"**{claim.title}** — {claim.source.short()}",
        "",
        claim.statement.strip(),
        "",
        f"- supremum of observed / bound found: **{ratio}**"
        + (" (the bound is VIOLATED there)" if result.violated else ""),
        f"- attained by: {result.best.comparison.describe() if result.best else '—'}",
        f"- the same ratio by the high-precision re-check: {result.checked_ratio:.6g}"
        if result.checked_ratio is not None
        else "- (no high-precision re-check of the ratio: the claim has none)",
        f"- found by: {' → '.join(result.best.how) if result.best else '—'}",
        f"- budget {result.budget_s:g} s, ran {result.duration_s:.2f} s ({result.executor}), "
        f"{result.evaluations} evaluations from {result.seeds} seed instances",
    ]
    if command:
        lines.append(f"- command: `{command}`")
    if inst is not None:
        lines += ["", "## The tightest instance", "", *_instance_lines(inst)]
        lines += ["", f"Instance file: `{npz}`."]
    if result.grid_ratio is not None:
        lines += ["", f"## Ratio over {' × '.join(result.grid_keys)}", ""]
        lines += _grid_table(result)
        if wrote_png:
            lines += ["", f"![ratio map]({pngp.name})"]
    atomic_write_text(md, "\n".join(lines) + "\n")
    return SearchReport(md, js, npz if inst is not None else None, pngp if wrote_png else None)


def _fmt_cell(x: float) -> str:
    return "—" if not np.isfinite(x) else f"{x:.4g}"


def _grid_table(result: TightnessResult) -> list[str]:
    assert result.grid_ratio is not None
    keys, vals, r = result.grid_keys, result.grid_values, result.grid_ratio
    if len(keys) == 1:
        rows = [f"| {keys[0]} | ratio |", "|---|---|"]
        rows += [f"| {v:.4g} | {_fmt_cell(x)} |" for v, x in zip(vals[0], r, strict=True)]
        return rows
    rows = [f"| {keys[0]} \\ {keys[1]} | " + " | ".join(f"{v:.4g}" for v in vals[1]) + " |"]
    rows.append("|---" * (len(vals[1]) + 1) + "|")
    for i, v in enumerate(vals[0]):
        rows.append(f"| {v:.4g} | " + " | ".join(_fmt_cell(x) for x in r[i]) + " |")
    return rows


def _plot(result: TightnessResult, path: Path) -> bool:
    from verifythm.report.plots import matplotlib_available, pyplot

    if not matplotlib_available(say=False):
        return False
    plt = pyplot()
    import io

    from verifythm.report.io import atomic_write_bytes

    r = result.grid_ratio
    assert r is not None
    fig, ax = plt.subplots(figsize=(5, 3.6), dpi=100)
    if len(result.grid_keys) == 1:
        ax.plot(result.grid_values[0], r, "o-")
        ax.axhline(1.0, color="k", lw=0.8, ls="--")
        ax.set_xlabel(result.grid_keys[0])
        ax.set_ylabel("observed / bound")
    else:
        im = ax.imshow(np.ma.masked_invalid(r), origin="lower", aspect="auto", vmin=0.0, cmap="viridis")
        ax.set_yticks(range(len(result.grid_values[0])), [f"{v:.3g}" for v in result.grid_values[0]])
        ax.set_xticks(range(len(result.grid_values[1])), [f"{v:.3g}" for v in result.grid_values[1]])
        ax.set_ylabel(result.grid_keys[0])
        ax.set_xlabel(result.grid_keys[1])
        fig.colorbar(im, ax=ax, label="observed / bound")
    ax.set_title(result.claim.id, fontsize=9)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())
    return True


def write_index(directory: str | Path) -> Path:
    """(Re)write ``index.md`` and ``index.json`` listing every hunt and tightness report here."""
    directory = Path(directory)
    entries = []
    for js in sorted(directory.glob("*.json")):
        if not js.name.startswith(("hunt__", "tightness__")):
            continue  # index.json, survey.json and any unrelated file
        try:
            doc = json.loads(js.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        kind = "hunt" if js.name.startswith("hunt__") else "tightness"
        entries.append({"kind": kind, "file": js.with_suffix(".md").name, **_summary(doc, kind)})
    lines = [
        "# Search reports",
        "",
        "Hunts (counterexample search) and tightness runs in this directory.",
        "",
    ]
    lines += ["| claim | kind | dropped | result | time (s) | report |", "|---|---|---|---|---|---|"]
    for e in entries:
        lines.append(
            f"| `{e['id']}` | {e['kind']} | {e['drop'] or '—'} | {e['result']} | {e['time']} | "
            f"[{e['file']}]({e['file']}) |"
        )
    atomic_write_text(directory / "index.md", "\n".join(lines) + "\n", overwrite=True)
    atomic_write_text(
        directory / "index.json", json.dumps(entries, indent=2, ensure_ascii=False) + "\n", overwrite=True
    )
    return directory / "index.md"


def _summary(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    if kind == "hunt":
        result = "counterexample" if doc.get("found") else "none found"
        if not doc.get("found") and doc.get("region"):
            result += f" for {doc['region']}"
        if doc.get("drop"):
            result = "hypothesis necessary" if doc.get("found") else "necessity not shown"
        t = doc.get("found_after_s") if doc.get("found") else doc.get("duration_s")
        return {"id": doc["id"], "drop": ", ".join(doc.get("drop") or []), "result": result, "time": t}
    r = doc.get("sup_ratio")
    res = "—" if r is None else f"sup ratio {r:.4g}" + (" (violated)" if doc.get("violated") else "")
    return {"id": doc["id"], "drop": "", "result": res, "time": doc.get("duration_s")}

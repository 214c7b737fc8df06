"""Counterexample reports: a Markdown page plus the instance as ``.npz`` and a reproduce command."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from verifythm.report.io import atomic_write_text, load_instance, save_instance, unique_path

if TYPE_CHECKING:  # pragma: no cover
    from verifythm.claims.model import Claim
    from verifythm.evidence.base import CheckResult

META_PREFIX = "__vt_"


@dataclass
class CounterexampleFiles:
    """Paths and the reproduce command of a written counterexample."""

    report: Path
    instance: Path
    reproduce: str

    def to_json(self, violation: str, instance: dict[str, Any]) -> dict[str, Any]:
        """The ``counterexample`` object of the JSON report."""
        return {
            "report": str(self.report),
            "instance": str(self.instance),
            "instance_values": jsonable_instance(instance),
            "violation": violation,
            "reproduce": self.reproduce,
        }


def jsonable_instance(instance: dict[str, Any]) -> dict[str, Any]:
    """The ``instance_values`` of a JSON report: each value as a nested list, or a placeholder.

    Arrays of more than 64 entries are replaced by ``"<array shape (…), see .npz>"`` (the
    full instance is in the ``.npz`` file written next to the report).

    Examples
    --------
    >>> jsonable_instance({"eta": 0.5, "x": [1, 2]})
    {'eta': 0.5, 'x': [1, 2]}
    """
    out: dict[str, Any] = {}
    for k, v in instance.items():
        a = np.asarray(v)
        out[k] = a.tolist() if a.size <= 64 else f"<array shape {a.shape}, see .npz>"
    return out


def _fmt(v: Any) -> str:
    a = np.asarray(v)
    if a.ndim == 0:
        return f"`{a.item()!r}`"
    with np.printoptions(precision=6, suppress=False, linewidth=100, threshold=200):
        return "\n\n```\n" + np.array2string(a) + f"\n```\n(shape {a.shape})"


def write_counterexample(
    claim: Claim,
    check: CheckResult,
    report_dir: str | Path,
    *,
    imports: tuple[str, ...] = (),
) -> CounterexampleFiles:
    """Write ``<id>__<check>.md`` and ``.npz`` (never overwriting) and return their paths.

    Parameters
    ----------
    claim
        The claim that failed.
    check
        The check result carrying the :class:`~verifythm.evidence.base.Violation`.
    report_dir
        Directory for the report files (created if needed).
    imports
        Modules to pass to ``verifythm reproduce --import`` (claims not in the catalogue).
    """
    viol = check.violation
    if viol is None:
        raise ValueError("check: has no violation to report")
    stem = re.sub(r"[^a-z0-9_.-]", "_", f"{claim.id}__{check.name}")
    arrays = dict(viol.instance)
    arrays[META_PREFIX + "claim"] = np.array(claim.id)
    arrays[META_PREFIX + "check"] = np.array(check.name)
    # how `verifythm reproduce` replays it: evaluate the instance, or re-run the check itself
    # (a symbolic obligation, or a hidden-constant trend whose instance is a size point)
    kind = "instance" if viol.is_claim_instance else ("symbolic" if check.method == "symbolic" else "check")
    arrays[META_PREFIX + "kind"] = np.array(kind)
    from verifythm.report import manifest

    imp = "".join(f" --import {m}" for m in imports)
    same = _existing_report(Path(report_dir), stem, arrays)
    if same is not None:
        cmd = f"verifythm reproduce {same}{imp}"
        if cmd in same.with_suffix(".md").read_text("utf-8"):
            # the identical counterexample was reported before, with the same command: reuse it
            manifest.record(report_dir, f"{claim.id}::{check.name}", [same, same.with_suffix(".md")])
            return CounterexampleFiles(same.with_suffix(".md"), same, cmd)
    key = f"{claim.id}::{check.name}"
    mine = manifest.owned(report_dir, key)
    base = Path(report_dir) / stem
    if not all(
        base.with_name(base.name + s) in mine or not base.with_name(base.name + s).exists()
        for s in (".md", ".npz")
    ):
        base = unique_path(report_dir, stem, (".md", ".npz"))  # never overwrite a file that is not ours
    npz = base.with_name(base.name + ".npz")
    md = base.with_name(base.name + ".md")
    for old in mine:  # the previous report of this claim and check is replaced, not multiplied
        if old not in (npz, md):
            old.unlink()
    save_instance(npz, arrays, overwrite=True)
    cmd = f"verifythm reproduce {npz}{imp}"
    atomic_write_text(md, render_markdown(claim, check, npz, cmd), overwrite=True)
    manifest.record(report_dir, key, [npz, md])
    return CounterexampleFiles(md, npz, cmd)


def _existing_report(directory: Path, stem: str, arrays: dict[str, Any]) -> Path | None:
    """An earlier ``.npz`` (with its ``.md``) holding exactly these arrays, if any."""
    k = 0
    while True:
        base = directory / (stem if k == 0 else f"{stem}-{k}")
        npz = base.with_name(base.name + ".npz")
        if not npz.exists() and not base.with_name(base.name + ".md").exists():
            return None
        if npz.exists() and base.with_name(base.name + ".md").exists():
            try:
                old = load_instance(npz)
            except (OSError, ValueError):
                old = {}
            if old.keys() == arrays.keys() and all(
                np.array_equal(old[key], np.asarray(arrays[key])) for key in arrays
            ):
                return npz
        k += 1


def claim_header(claim: Claim, title: str) -> list[str]:
    """Title, citation, the statement and the project's expectation: the top of every report.

    For a claim expected to fail it adds the finding line
    (:func:`verifythm.report.reading.reading_line`): which reading of the paper the counterexample
    refutes, whether that is an error of the paper, an edge case or a scope limit, and the root cause
    a dependent finding shares.
    """
    from verifythm.report.reading import reading_line

    finding = reading_line(claim)
    exp = claim.expected
    label = "erratum" if exp.is_erratum or not exp.finding else "finding"  # edge cases, scope limits
    return [
        f"# {title}",
        "",
        f"**{claim.title}** — {claim.source.short()}",
        "",
        "## What is claimed",
        "",
        claim.statement.strip(),
        "",
        f"Expected by the project: **{exp.outcome}**" + (f" — {label}: {exp.erratum}" if exp.erratum else ""),
        "",
        *([finding, ""] if finding else []),
    ]


def render_markdown(claim: Claim, check: CheckResult, npz: Path, cmd: str) -> str:
    """Markdown body of a counterexample report."""
    viol = check.violation
    assert viol is not None
    lines = [
        *claim_header(claim, f"Counterexample to `{claim.id}`"),
        "## How it was found",
        "",
        f"Check `{check.name}` (method `{check.method}`): {check.note}",
        "",
        "## The instance",
        "",
    ]
    if viol.instance:
        for k, v in viol.instance.items():
            lines.append(f"- `{k}` = {_fmt(v)}")
    else:
        lines.append("(no numeric instance: decided symbolically)")
    lines += ["", "## The numbers on each side", ""]
    if viol.comparison is not None:
        lines.append(f"- float64: {viol.comparison.describe()}")
    if viol.precise is not None:
        lines.append(f"- high precision: {viol.precise.describe()}")
    lines.append(f"- {viol.precision_note}")
    if check.constant is not None:
        lines += [f"- {viol.description}", *constant_table(check.constant)]
    else:
        lines.append(f"- tolerance: {claim.tolerance.describe()}")
    lines += ["", "## Hypotheses as checked", ""]
    if not claim.hypotheses:
        lines.append("(the claim has no hypotheses beyond the setting)")
    if check.constant is not None:
        lines += [f"- {h.name}: met at every fit and held-out size point" for h in claim.hypotheses]
    elif not viol.is_claim_instance:
        lines.append(
            "(a point of the symbolic check, not a claim instance: the obligation "
            "above fails there in exact arithmetic)"
        )
    else:
        for h in claim.hypotheses:
            lines.append(f"- {h.name}: {'met' if h(viol.instance) else 'NOT met'}")
    lines += [
        "",
        "## Reproduce",
        "",
        # a relative link (the .npz sits beside this report): a download on the docs site
        f"Instance file: [`{Path(npz).name}`]({Path(npz).name}) (`{npz}`; load with "
        "`numpy.load(path, allow_pickle=False)`).",
        "",
        "```",
        cmd,
        "```",
        "",
    ]
    if check.constant is not None:
        lines += ["(re-runs the whole fit / hold-out protocol under the quick profile's seed)", ""]
    return "\n".join(lines)


def constant_table(constant: dict[str, Any]) -> list[str]:
    """Fitted-versus-held-out lines of a hidden-constant counterexample (``CheckResult.constant``)."""
    fitted = constant.get("fitted")
    size = constant.get("size", "size")
    lines = [
        "",
        f"### Implied constant per size ({constant.get('statistic')} of {constant.get('draws')} draws each)",
        "",
        f"| role | {size} | implied constant | / fitted C |",
        "|---|---|---|---|",
    ]
    for role in ("fit", "holdout"):
        for s, v in zip(constant.get(f"{role}_sizes", []), constant.get(f"{role}_stats", []), strict=True):
            rel = f"{v / fitted:.4g}" if v is not None and fitted else "—"
            val = _num(v) if v is not None else "unresolved"
            lines.append(f"| {'fit' if role == 'fit' else 'held out'} | {s:g} | {val} | {rel} |")
    lo, hi = (_num(x) for x in constant.get("growth_exponent", [None, None]))
    lines += [
        "",
        f"- fitted C = {_num(fitted)}, direction `{constant.get('direction')}`, "
        f"margin {constant.get('margin')}",
        f"- exponent of {constant.get('exponent_of')} in {size}: {_num(constant.get('exponent'))} "
        f"(one-sided {1 - constant.get('alpha', 0):g} bounds [{lo}, {hi}]; "
        f"`verified` needs the upper bound below {constant.get('growth_max')})",
    ]
    return lines


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.6g}"


def split_instance(arrays: dict[str, np.ndarray]) -> tuple[dict[str, Any], dict[str, str]]:
    """Separate an ``.npz`` into the instance and its metadata (claim id, check name)."""
    inst: dict[str, Any] = {}
    meta: dict[str, str] = {}
    for k, v in arrays.items():
        if k.startswith(META_PREFIX):
            meta[k[len(META_PREFIX) :]] = str(v)
        else:
            inst[k] = v.item() if v.ndim == 0 else v
    return inst, meta


def read_counterexample(path: str | Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Load a saved counterexample: ``(instance, {"claim": id, "check": name})``."""
    return split_instance(load_instance(path))


#: Folder, inside a catalogue package, that ships the saved instances of its expected failures.
ERRATA_FOLDER = "_errata"


def saved_instances(claim: Claim, module: str) -> list[Path]:
    """The saved counterexamples of ``claim`` that ship with its catalogue (may be empty).

    Looked up in the catalogue package's :data:`ERRATA_FOLDER` (package data, so they travel
    with a wheel), then next to the committed report ``claim.expected.report`` (relative to the
    working directory, as in a checkout).

    Parameters
    ----------
    claim
        The claim.
    module
        The dotted name of the module that defines it (``registry.module_of(claim.id)``).
    """
    import importlib.util

    found: list[Path] = []
    top = module.split(".", 1)[0]
    spec = importlib.util.find_spec(top) if top else None
    roots = (spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        folder = Path(root) / ERRATA_FOLDER
        if folder.is_dir():  # under the claim's id, or an id it was published under
            found += [p for name in (claim.id, *claim.aliases) for p in sorted(folder.glob(f"{name}__*.npz"))]
    if not found and claim.expected.report:
        report = Path(claim.expected.report)
        found += sorted(report.parent.glob(f"{claim.id}__*.npz")) if report.parent.is_dir() else []
    return found

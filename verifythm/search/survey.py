"""Survey a catalogue: tightness and assumption necessity of every numeric inequality.

For each selected claim whose conclusion is an inequality (``<=`` / ``>=`` on its own check
instances), the survey runs :func:`~verifythm.search.tightness.tightness` and, for every
hypothesis (and the sampling scheme where the instances name one), a hunt with that
hypothesis dropped.  Claims are the unit of parallel work: each task runs in one worker of
the executor and writes its own reports; the survey then writes the index and a summary.

Run it with ``verifythm survey [ID ...] --out DIR``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifythm.claims.model import Claim
from verifythm.evidence.base import is_statistical
from verifythm.evidence.numeric import confirmation_of
from verifythm.report.io import atomic_write_text


@dataclass(frozen=True)
class SurveyTask:
    """One claim of a survey (picklable: the claim travels by id)."""

    claim_id: str
    out: str
    tightness_s: float
    drop_s: float
    imports: tuple[str, ...] = ()
    drop_evaluations: int | None = None


def inequality_relation(claim: Claim, limit: int = 40) -> str | None:
    """``"<="``/``">="`` if the claim's conclusion is an inequality on its own instances, else None."""
    from verifythm.search.hunt import Objective, seed_instances

    obj = Objective(claim)
    for _, inst in seed_instances(claim, limit=limit)[: 4 * limit]:
        s = obj(inst)
        if s is not None:
            return s.comparison.relation if s.comparison.relation in ("<=", ">=") else None
    return None


def drop_targets(claim: Claim) -> list[str]:
    """What a survey drops, one at a time: each hypothesis, and the sampling scheme if named."""
    from verifythm.search.hunt import seed_instances

    out = [h.name for h in claim.hypotheses]
    if any("sampling" in inst for _, inst in seed_instances(claim, limit=20)):
        out.append("sampling")
    return out


def confirmation_kind(claim: Claim, note: str = "") -> str:
    """How a violation of ``claim`` was (``note``: its precision note) or would be confirmed."""
    if note:
        kind = confirmation_of(note)
        return {
            "engine": "engine quantities in high precision",
            "claim": "high precision",
            "symbolic": "exact rationals",
            "replicate": "independent Monte Carlo replicate",
            "trend": "trend test",
            "none": "float64 only (beyond the float64 noise of the inputs)",
        }.get(kind, note)
    if is_statistical(claim.conclusion):
        return "independent Monte Carlo replicate"
    if claim.precise_conclusion is not None:
        return "high precision"
    return "float64 only"


def run_task(task: SurveyTask) -> dict[str, Any]:
    """Survey one claim (in whatever process runs it) and return a JSON-ready summary."""
    from verifythm.claims.registry import registry_with_imports
    from verifythm.search.hunt import hunt
    from verifythm.search.report import write_hunt_report, write_tightness_report
    from verifythm.search.tightness import tightness

    claim = registry_with_imports(task.imports).get(task.claim_id)
    t0 = time.perf_counter()
    entry: dict[str, Any] = {
        "id": claim.id,
        "source": claim.source.short(),
        "expected": claim.expected.outcome,
    }
    try:
        rel = inequality_relation(claim)
    except Exception as exc:  # a claim whose instances cannot be drawn here
        return {**entry, "skipped": f"{type(exc).__name__}: {exc}"}
    if rel is None:
        return {**entry, "skipped": "not a numeric inequality"}
    entry["relation"] = rel
    tr = tightness(claim, budget_s=task.tightness_s, grid_size=4, imports=task.imports)
    rep = write_tightness_report(tr, task.out, command=f"verifythm tightness {claim.id}")
    entry["sup_ratio"] = tr.sup_ratio
    entry["checked_ratio"] = tr.checked_ratio
    entry["violated"] = tr.violated
    entry["kind"] = claim.kind
    entry["confirmation"] = confirmation_kind(claim, tr.confirmation)
    entry["tightness_report"] = rep.markdown.name
    entry["hypotheses"] = []
    for target in drop_targets(claim):
        h = hunt(
            claim,
            budget_s=task.drop_s,
            drop=[target],
            imports=task.imports,
            max_evaluations=task.drop_evaluations,
        )
        hr = write_hunt_report(
            h, task.out, imports=task.imports, command=f"verifythm hunt {claim.id} --drop ..."
        )
        entry["hypotheses"].append(
            {
                "dropped": target,
                "necessary": h.found,
                "found_after_s": h.found_after_s,
                "evaluations": h.evaluations,
                "report": hr.markdown.name,
            }
        )
    entry["duration_s"] = round(time.perf_counter() - t0, 2)
    return entry


def survey(
    claims: Sequence[Claim],
    out: str | Path,
    *,
    tightness_s: float = 2.0,
    drop_s: float = 1.5,
    executor: Executor | None = None,
    imports: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
    drop_evaluations: int | None = None,
) -> list[dict[str, Any]]:
    """Tightness and assumption-necessity reports for every inequality among ``claims``.

    Parameters
    ----------
    claims
        Claims to survey (registered ones: workers look them up by id).
    out
        Directory of the reports, the index and ``survey.json`` / ``survey.md`` (entries of an
        earlier survey there are kept, those of the claims surveyed now replaced).
    tightness_s, drop_s
        Budget of each tightness run and of each hypothesis-dropped hunt, in seconds.
    executor
        Runs one claim per task; ``None`` surveys in this process.
    imports
        Modules defining claims outside the catalogue.
    progress
        Called with a line per finished claim.
    drop_evaluations
        If given, each hypothesis-dropped hunt stops after this many evaluations (``drop_s``
        still caps its time): the necessity verdicts then do not depend on the machine's load.
    """
    from verifythm.search.report import write_index

    if not (tightness_s > 0 and drop_s > 0):
        raise ValueError(f"tightness_s, drop_s: budgets must be positive, got {tightness_s}, {drop_s}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _m: None)
    tasks = [
        SurveyTask(c.id, str(out), tightness_s, drop_s, tuple(imports), drop_evaluations) for c in claims
    ]
    results: list[dict[str, Any]] = []
    mapped = map(run_task, tasks) if executor is None else executor.map(run_task, tasks)
    for k, entry in enumerate(mapped, 1):
        results.append(entry)
        if "skipped" in entry:
            say(f"[{k}/{len(tasks)}] {entry['id']}: skipped ({entry['skipped']})")
        else:
            nec = sum(h["necessary"] for h in entry["hypotheses"])
            say(
                f"[{k}/{len(tasks)}] {entry['id']}: sup ratio {entry['sup_ratio']}, "
                f"{nec}/{len(entry['hypotheses'])} hypotheses shown necessary"
            )
    write_index(out)
    merged = merge_entries(out / "survey.json", results)
    atomic_write_text(
        out / "survey.json", json.dumps(merged, indent=2, ensure_ascii=False) + "\n", overwrite=True
    )
    atomic_write_text(out / "survey.md", render_survey(merged, tightness_s, drop_s), overwrite=True)
    return results


def merge_entries(path: Path, new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries of an earlier ``survey.json`` with those of this run replacing the same ids.

    Surveying a few claims into an existing directory updates their rows and keeps the rest,
    in the earlier order (new ids appended).
    """
    if not path.is_file():
        return list(new)
    try:
        old = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return list(new)
    fresh = {e["id"]: e for e in new}
    merged = [fresh.pop(e["id"], e) for e in old if isinstance(e, dict) and "id" in e]
    return merged + [e for e in new if e["id"] in fresh]


def _ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.4g}"


def render_survey(results: Sequence[dict[str, Any]], tightness_s: float, drop_s: float) -> str:
    """Markdown summary: per inequality, the tightness and which hypotheses were shown necessary."""
    done = [r for r in results if "skipped" not in r]
    lines = [
        "# Tightness and assumption necessity of the catalogue's inequalities",
        "",
        f"{len(done)} inequalities surveyed ({len(results) - len(done)} claims skipped: identities, "
        f"symbolic-only or non-numeric). Budgets: tightness {tightness_s:g} s per claim, "
        f"{drop_s:g} s per dropped hypothesis. A hypothesis is *necessary* when a counterexample "
        "to the conclusion was found with it removed; *not shown* means none was found in the "
        "budget (the hypothesis may still be needed). Ratio = observed / bound (1 = attained).",
        "",
        "| claim | expected | sup ratio | hypotheses necessary | not shown | report |",
        "|---|---|---|---|---|---|",
    ]
    for r in done:
        nec = [h["dropped"] for h in r["hypotheses"] if h["necessary"]]
        not_shown = [h["dropped"] for h in r["hypotheses"] if not h["necessary"]]
        flag = ""
        if r.get("violated"):
            flag = f" (violated; {r.get('confirmation', '?')})"
            if r.get("kind") == "constant":
                flag = " (estimated constant exceeded)"
        checked = r.get("checked_ratio")
        if (
            checked is not None
            and r["sup_ratio"] is not None
            and abs(checked - r["sup_ratio"]) > 1e-6 * abs(checked)
        ):
            flag += f" (high precision: {_ratio(checked)})"
        lines.append(
            f"| `{r['id']}` | {r['expected']} | {_ratio(r['sup_ratio'])}{flag} | "
            f"{'; '.join(nec) or '—'} | {'; '.join(not_shown) or '—'} | "
            f"[tightness]({r['tightness_report']}) |"
        )
    return "\n".join(lines) + "\n"

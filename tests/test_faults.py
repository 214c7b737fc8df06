"""Faults and reproducibility (issue 22): clean exits on bad input, seed-only draws, umask."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from hypothesis import strategies as st

from verifythm import Claim, Comparison, Context, PropertyCheck, Source
from verifythm.runner import run_claim


def _draws_of_a_property_check() -> list[float]:
    seen: list[float] = []

    def conclusion(i):  # type: ignore[no-untyped-def]
        seen.append(float(i["x"]))
        return Comparison(abs(i["x"]), 1e9, "<=")

    claim = Claim(
        id="planted.draws",
        title="t",
        source=Source("planted", "Claim 1"),
        statement="s",
        conclusion=conclusion,
        checks=(PropertyCheck("property", st.fixed_dictionaries({"x": st.floats(-1e6, 1e6)})),),
    )
    run_claim(claim, Context())
    return seen


def test_draws_do_not_depend_on_local_modules(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Hypothesis mines constants from local modules; a new local module must not change draws."""
    monkeypatch.chdir(tmp_path)
    before = _draws_of_a_property_check()
    mod = tmp_path / "lots_of_constants.py"
    mod.write_text("A = [" + ", ".join(f"{k}.{k}25" for k in range(1000, 1300)) + "]\n")
    spec = importlib.util.spec_from_file_location("lots_of_constants", mod)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lots_of_constants"] = module
    try:
        spec.loader.exec_module(module)
        after = _draws_of_a_property_check()
    finally:
        del sys.modules["lots_of_constants"]
    assert before == after
    assert not (tmp_path / ".hypothesis").exists()

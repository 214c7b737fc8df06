"""Faults and reproducibility (issue 22): clean exits on bad input, seed-only draws, umask."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st
from support import examples

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


def test_draws_ignore_constants_cached_before_the_check(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A constants cache filled earlier in the process (with local constants) must not leak in.

    Hypothesis caches the allowed constants per choice type; CI's full run filled that cache
    before the vocabulary test and five reference draws moved.  Here the cache is filled with
    planted local constants outside a property check; the check's draws must not change.
    """
    from hypothesis import given
    from hypothesis.internal.conjecture import providers

    before = _draws_of_a_property_check()
    planted = providers.Constants(floats={1234.5625 + k for k in range(300)})
    monkeypatch.setattr(providers, "_get_local_constants", lambda: planted)

    @examples(200, database=False)
    @given(st.floats(-1e6, 1e6))
    def fill_cache(x: float) -> None:
        pass

    fill_cache()
    assert any(local for _, local in providers.CONSTANTS_CACHE.cache.values()), "cache not polluted"
    assert _draws_of_a_property_check() == before


def _bad_files(tmp: Path) -> dict[str, Path]:
    import numpy as np

    (tmp / "empty.npz").write_bytes(b"")
    np.save(tmp / "single.npy", np.ones(3))
    (tmp / "single.npy").rename(tmp / "single.npz")
    (tmp / "random.npz").write_bytes(bytes(range(256)) * 8)
    np.savez(tmp / "good.npz", hessians=np.stack([np.eye(2)] * 3))
    data = (tmp / "good.npz").read_bytes()
    (tmp / "truncated.npz").write_bytes(data[: len(data) // 2])
    return {k: tmp / f"{k}.npz" for k in ("empty", "single", "random", "truncated")}


def test_bad_files_exit_2_with_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from verifythm.cli import main

    for kind, path in _bad_files(tmp_path).items():
        for argv in (
            ["stability", str(path), "--batch-size", "1"],
            ["quantities", str(path)],
            ["reproduce", str(path)],
        ):
            assert main(argv) == 2, (kind, argv)
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and err[0].startswith("verifythm: error:") and path.name in err[0], err
            assert "Traceback" not in err[0]


def test_outputs_are_validated_before_any_work(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from verifythm.cli import main

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    cases = [
        (["check", "wu2022.lemma_g1", "-q", "--json", str(tmp_path), "--overwrite"], "--json"),
        (["check", "wu2022.lemma_g1", "-q", "--json", str(blocker / "r.json")], "--json"),
        (["check", "wu2022.lemma_g1", "-q", "--report-dir", str(blocker / "rep")], "--report-dir"),
        (["check", "wu2022.lemma_g2", "-q"], "--prefix"),  # a group is never selected silently
    ]
    for argv, name in cases:
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert name in captured.err and captured.out == "", (argv, captured)


def test_reports_take_the_users_umask(tmp_path: Path) -> None:
    import os

    from verifythm.report.io import atomic_write_text

    old = os.umask(0o022)
    try:
        p = atomic_write_text(tmp_path / "r.md", "x")
        assert p.stat().st_mode & 0o777 == 0o644
        atomic_write_text(p, "y", overwrite=True)
        assert p.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_sigint_exits_130_with_one_line(tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "verifythm", "check", "--report-dir", str(tmp_path / "rep")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        # a shell without job control starts background jobs with SIGINT ignored, and a child
        # inherits that: give the CLI the default disposition, as a terminal would
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stderr is not None
    proc.stderr.readline()  # the first progress line: the run is under way
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-2000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("verifythm: interrupted") and "Traceback" not in err


def test_every_accepted_option_does_something(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from verifythm.cli import main

    rng = np.random.default_rng(0)
    G = rng.standard_normal((6, 4))
    np.savez(tmp_path / "g.npz", gradients=G, theta=rng.standard_normal(4))
    np.savez(tmp_path / "zero.npz", gradients=np.zeros((6, 4)))
    np.savez(tmp_path / "plain.npz", gradients=G)
    refused = [
        (["stability", str(tmp_path / "g.npz"), "--batch-size", "2"], "theta:"),
        (["stability", str(tmp_path / "zero.npz"), "--batch-size", "2"], "MODEL"),
        (["stability", str(tmp_path / "plain.npz"), "--sampling", "gd", "--batch-size", "3"], "--batch-size"),
    ]
    for argv, what in refused:
        assert main(argv) == 2, argv
        assert what in capsys.readouterr().err
    assert main(["quantities", str(tmp_path / "g.npz"), "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert set(doc["at_point"]) == {"loss", "mu", "mu1", "mu2"}  # theta is used, and said so


def test_reports_are_replaced_not_multiplied(tmp_path: Path) -> None:
    """A re-run replaces its own report, prunes stale ones and never clobbers a foreign file."""
    from verifythm import Claim, ExactCheck, Expected
    from verifythm.report import manifest

    def make(excess: float) -> Claim:
        def gen(rng, k):  # type: ignore[no-untyped-def]
            return [{"x": float(v), "e": excess} for v in rng.uniform(1.0, 2.0, size=k)]

        return Claim(
            id="planted.reports",
            title="t",
            source=Source("planted", "Claim 1"),
            statement="s",
            conclusion=lambda i: Comparison(i["x"] * i["e"], i["x"], "<="),
            checks=(ExactCheck("exact", gen),),
            expected=Expected.fails("planted"),
        )

    from verifythm.runner import run_claims

    rep = tmp_path / "rep"
    for excess in (1.5, 1.25, 1.5):  # a changed counterexample replaces the old report
        run_claims([make(excess)], Context(), report_dir=rep)
        files = sorted(p.name for p in rep.iterdir() if not p.name.startswith("."))
        assert files == ["planted.reports__exact.md", "planted.reports__exact.npz"], files
    foreign = rep / "planted.reports__exact.md"
    manifest.save(rep, {})  # the files are no longer verifythm's: never overwritten
    run_claims([make(1.25)], Context(), report_dir=rep)
    assert (rep / "planted.reports__exact-1.md").exists() and foreign.exists()
    run = run_claims([make(1.0)], Context(), report_dir=rep)  # the claim now holds: stale report pruned
    assert [Path(p).name for p in run.pruned] == [
        "planted.reports__exact-1.md",
        "planted.reports__exact-1.npz",
    ]
    assert foreign.exists()


def test_unreachable_dask_scheduler_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """``--executor dask:ADDRESS`` with no scheduler there: exit 2, one line naming the executor."""
    import io

    import pytest

    pytest.importorskip("distributed")
    from verifythm.cli import main
    from verifythm.search import parallel

    monkeypatch.setattr(parallel, "DASK_CONNECT_S", 1.0)
    argv = ["hunt", "wu2022.thm3_3", "--executor", "dask:tcp://127.0.0.1:9", "--budget", "2"]
    assert main([*argv, "--report-dir", str(tmp_path), "-q"], out=io.StringIO()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "executor: cannot reach the Dask scheduler" in err[0]
    assert not list(tmp_path.iterdir())  # no work started, no report


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_interrupt_lost_in_a_finaliser_is_delivered_again() -> None:
    """Raised inside ``__del__`` a KeyboardInterrupt is discarded; the CLI's guard repeats it."""
    import signal
    import time

    from verifythm.interrupts import insistent_interrupts

    class Finalised:
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGINT)  # the handler runs here, and its exception is lost

    # the CLI's process has Python's default handler; earlier tests in this one may not have left it
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    t0 = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt), insistent_interrupts(period=0.05):
            Finalised()  # dropped at once: __del__ runs and swallows the first delivery
            while time.monotonic() - t0 < 10:
                pass
        assert time.monotonic() - t0 < 5
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        time.sleep(0.2)  # no late repeat escapes the block
    finally:
        signal.signal(signal.SIGINT, previous)

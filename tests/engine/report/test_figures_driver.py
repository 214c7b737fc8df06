"""The figure drivers' shared helper (:mod:`verifythm.report.figure_driver`): writes, refusals, exit codes."""

from __future__ import annotations

import argparse
import doctest
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from verifythm.report import figure_driver as fd
from verifythm.report.io import ReportExistsError


def _body(run: fd.FigureRun, args: argparse.Namespace) -> int:
    run.write_json("summary.json", {"out": args.out})
    run.write_npz("data.npz", {"x": np.arange(3)})
    return 0


def _driver(argv: list[str]) -> int:
    parser = fd.figure_parser("test driver", "unused")
    return fd.run_driver(parser, argv, _body, outputs=lambda args: ("summary.json", "data.npz"))


def test_doctests() -> None:
    result = doctest.testmod(fd, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0 and result.failed == 0


def test_writes_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new" / "dir"  # created on demand
    assert _driver(["--out", str(out)]) == 0
    assert json.loads((out / "summary.json").read_text()) == {"out": str(out)}
    np.testing.assert_array_equal(np.load(out / "data.npz")["x"], np.arange(3))
    assert f"wrote {out / 'summary.json'}" in capsys.readouterr().err  # progress on stderr
    (out / "summary.json").write_text("old\n")
    # a second run refuses before any work, with one line naming the file and the flag
    assert _driver(["--out", str(out)]) == fd.EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "summary.json already exists; pass --overwrite" in err[0]
    assert (out / "summary.json").read_text() == "old\n"
    assert _driver(["--out", str(out), "--overwrite"]) == 0
    assert json.loads((out / "summary.json").read_text()) == {"out": str(out)}


def test_exit_2_on_unwritable_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):  # a file, and a directory that cannot be created
        assert _driver(["--out", str(out)]) == fd.EXIT_USAGE
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"{Path(sys.argv[0]).name}: error: --out: ")
    assert not (blocker / "sub").exists()


def test_output_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "data.npz").mkdir()
    assert _driver(["--out", str(tmp_path), "--overwrite"]) == fd.EXIT_USAGE


def test_missing_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = fd.figure_parser("test driver", "unused", images_only=True)
    rc = fd.run_driver(
        parser,
        ["--out", str(tmp_path), "--images-only"],
        _body,
        outputs=lambda a: (),
        inputs=lambda a: ("data.npz",),
    )
    assert rc == fd.EXIT_USAGE
    assert "data.npz does not exist" in capsys.readouterr().err
    missing = tmp_path / "missing"
    argv = ["--out", str(missing), "--images-only"]
    rc = fd.run_driver(parser, argv, _body, outputs=lambda a: (), inputs=lambda a: ("data.npz",))
    assert rc == fd.EXIT_USAGE and not missing.exists()  # a refused run creates nothing


def test_failing_write_leaves_old_file_and_no_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway keeps the previous file and leaves no temporary file behind."""
    run = fd.FigureRun.open(tmp_path, ["summary.json"], overwrite=True)
    (tmp_path / "summary.json").write_text("old\n")
    real_fdopen = os.fdopen

    class Boom:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def __enter__(self) -> Boom:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> None:
            self.fh.write(data[: len(data) // 2])  # half of it reaches the disk, then the disk fails
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd_, mode: Boom(real_fdopen(fd_, mode)))
    with pytest.raises(OSError, match="No space left"):
        run.write_json("summary.json", {"a": list(range(100))})
    monkeypatch.undo()
    assert (tmp_path / "summary.json").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_run_may_rewrite_its_own_files_only(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text("{}\n")
    run = fd.FigureRun.open(tmp_path, ["summary.json"], overwrite=False)
    run.write_json("summary.json", {"images": "none"}, say=False)
    run.write_json("summary.json", {"images": ["fig.png"]}, say=False)  # completed by the same run
    assert json.loads((tmp_path / "summary.json").read_text()) == {"images": ["fig.png"]}
    with pytest.raises(ReportExistsError):  # not validated, not written by this run: still refused
        run.write_json("other.json", {}, say=False)


def test_file_appearing_during_the_run_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def body(run: fd.FigureRun, args: argparse.Namespace) -> int:
        (tmp_path / "summary.json").write_text("someone else's\n")  # appears while computing
        return _body(run, args)

    parser = fd.figure_parser("test driver", "unused")
    assert fd.run_driver(parser, ["--out", str(tmp_path)], body, outputs=lambda a: ("summary.json",)) == 2
    assert (tmp_path / "summary.json").read_text() == "someone else's\n"
    assert "summary.json" in capsys.readouterr().err


def test_stage_timing_and_figure(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    run = fd.FigureRun.open(tmp_path, ["fig.png"], overwrite=False)
    with run.stage("draw"):
        plt = run.pyplot()
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [0, 1])
        run.save_figure(fig, "fig.png", dpi=50, say=False)
    assert list(run.stages) == ["draw"] and run.stages["draw"] >= 0.0
    assert (tmp_path / "fig.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.get_fignums()  # the figure was closed

r"""What the figure drivers share: their command line, their progress lines and their writes.

A figure driver (``theorems/<paper>/_figures*.py``, run as ``python -m theorems.<paper>._figures``)
computes the data of one paper's figures and writes them, with images drawn from them, into
one output directory.  This module holds everything that is not specific to the figures:

* :func:`figure_parser`: the options every driver takes (``--out``, ``--overwrite`` and, for
  drivers that can redraw their images from saved data, ``--images-only``);
* :func:`run_driver`: parses the command line and validates the output directory and every
  output file *before* any work starts, so minutes of computation are never lost to a bad
  path.  Bad input ends the run with exit code 2 and one line on stderr, as the ``verifythm``
  command line does;
* :class:`FigureRun`: one run's output directory, its clock, its progress lines (stderr) and its
  writes.  Every file is written atomically (:func:`verifythm.report.io.atomic_write_bytes`: a
  failed write leaves no partial file and the previous one intact), and a file that exists is
  never replaced unless ``--overwrite`` was given or this run wrote it itself.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> run = FigureRun.open(out, ["summary.json"], overwrite=False)
>>> run.write_json("summary.json", {"seed": 1}, say=False).read_text()
'{\n "seed": 1\n}\n'
>>> FigureRun.open(out, ["summary.json"], overwrite=False)
Traceback (most recent call last):
    ...
ValueError: --out: ... already exists; pass --overwrite to replace it
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from verifythm.report.io import ReportExistsError, atomic_write_bytes, check_writable_dir, check_writable_file

#: Exit code of a driver given bad input (an unwritable ``--out``, a file it would overwrite, …).
EXIT_USAGE = 2


def figure_parser(
    description: str, default_out: str, *, images_only: bool = False
) -> argparse.ArgumentParser:
    """The argument parser every figure driver starts from.

    Parameters
    ----------
    description
        The driver's one-line description (the first paragraph of its docstring).
    default_out
        Default of ``--out``, the output directory (e.g. ``docs/figures/wu2022``).
    images_only
        Add ``--images-only`` (redraw the PNGs from the data files already in ``--out``).

    Returns
    -------
    argparse.ArgumentParser
        A parser the driver may extend with options of its own.
    """
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", default=default_out, help="output directory (created if needed)")
    ap.add_argument(
        "--overwrite", action="store_true", help="replace files already in --out (refused otherwise)"
    )
    if images_only:
        ap.add_argument(
            "--images-only", action="store_true", help="redraw the PNGs from the npz files already in --out"
        )
    return ap


class FigureRun:
    """One run of a figure driver: output directory, clock, progress lines and atomic writes.

    Build it with :meth:`open` (which validates the outputs first) or through :func:`run_driver`.

    Parameters
    ----------
    out
        The output directory (must exist).
    overwrite
        Whether files that exist before the run may be replaced.
    stream
        Where progress lines go (default: ``sys.stderr`` at the time of each line).
    """

    def __init__(self, out: str | os.PathLike[str], *, overwrite: bool, stream: TextIO | None = None) -> None:
        self.out = Path(out)
        self.overwrite = overwrite
        self.stream = stream
        self.started = time.perf_counter()
        #: Seconds taken by each :meth:`stage`, by name, in the order they ran.
        self.stages: dict[str, float] = {}
        self._written: set[Path] = set()

    @classmethod
    def open(
        cls,
        out: str | os.PathLike[str],
        outputs: Iterable[str],
        *,
        overwrite: bool,
        inputs: Iterable[str] = (),
        stream: TextIO | None = None,
    ) -> FigureRun:
        """Validate a run's files before any work, then start its clock.

        Parameters
        ----------
        out
            The output directory; created if needed.
        outputs
            Names (relative to ``out``) of every file the run may write.
        overwrite
            Whether existing outputs may be replaced.
        inputs
            Names of files in ``out`` the run reads (e.g. the data behind ``--images-only``).
        stream
            See :class:`FigureRun`.

        Raises
        ------
        ValueError
            One line naming the problem: ``out`` cannot be created or written, an output exists
            and ``overwrite`` is false, an output is a directory, or an input is missing.
        """
        for name in inputs:  # before creating ``out``: a refused run leaves nothing behind
            if not (Path(out) / name).is_file():
                raise ValueError(
                    f"--images-only: {Path(out) / name} does not exist (run without --images-only first)"
                )
        d = check_writable_dir(out, "--out")
        for name in outputs:
            check_writable_file(d / name, "--out", overwrite=overwrite)
        return cls(d, overwrite=overwrite, stream=stream)

    # -- clock and progress ---------------------------------------------------------------------

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self.started

    def log(self, message: str) -> None:
        """Write one progress line (stderr by default; results belong on stdout)."""
        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(message + "\n")
        stream.flush()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a block: its seconds go to :attr:`stages` and a progress line names it."""
        t0 = time.perf_counter()
        yield
        self.stages[name] = time.perf_counter() - t0
        self.log(f"{name} done in {self.stages[name]:.1f} s (total {self.elapsed():.1f} s)")

    # -- writes ---------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        """The path of output ``name`` in the output directory."""
        return self.out / name

    def write_bytes(self, name: str, data: bytes, *, say: bool = True) -> Path:
        """Write ``data`` to output ``name`` atomically.

        A file that existed before the run is replaced only with ``overwrite``; one this run
        wrote itself (a summary completed after the images are drawn) may always be rewritten.

        Raises
        ------
        verifythm.report.io.ReportExistsError
            If the file exists, was not written by this run, and ``overwrite`` is false.
        """
        path = self.path(name)
        atomic_write_bytes(path, data, overwrite=self.overwrite or path in self._written)
        self._written.add(path)
        if say:
            self.log(f"wrote {path}")
        return path

    def write_json(self, name: str, data: Any, *, say: bool = True) -> Path:
        """Write ``data`` as JSON (indent 1, ASCII, final newline), atomically."""
        return self.write_bytes(name, (json.dumps(data, indent=1) + "\n").encode("ascii"), say=say)

    def write_npz(self, name: str, arrays: Mapping[str, Any], *, say: bool = True) -> Path:
        """Write named arrays as a compressed ``.npz`` (:func:`numpy.savez_compressed`), atomically."""
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return self.write_bytes(name, buf.getvalue(), say=say)

    def save_figure(self, fig: Any, name: str, *, dpi: int, say: bool = True) -> Path:
        """Render matplotlib figure ``fig`` as PNG at ``dpi``, write it atomically, close it."""
        import matplotlib.pyplot as plt

        buf = io.BytesIO()
        try:
            fig.savefig(buf, format="png", dpi=dpi)
        finally:
            plt.close(fig)
        return self.write_bytes(name, buf.getvalue(), say=say)

    def pyplot(self) -> Any:
        """``matplotlib.pyplot`` on the Agg backend, or ``None`` (and a progress line) without it."""
        from verifythm.report.plots import matplotlib_available, pyplot

        if not matplotlib_available(say=False):
            self.log("matplotlib not installed (optional extra 'plots'): images skipped, data only")
            return None
        return pyplot()


def run_driver(
    parser: argparse.ArgumentParser,
    argv: list[str] | None,
    body: Callable[[FigureRun, argparse.Namespace], int],
    *,
    outputs: Callable[[argparse.Namespace], Iterable[str]],
    inputs: Callable[[argparse.Namespace], Iterable[str]] = lambda args: (),
) -> int:
    """Parse ``argv``, validate the outputs, run ``body`` and return its exit code.

    Parameters
    ----------
    parser
        From :func:`figure_parser`, possibly extended.
    argv
        The arguments (``None``: ``sys.argv[1:]``).  argparse's own usage errors exit 2 as usual.
    body
        The driver's work, given the validated :class:`FigureRun` and the parsed arguments.
    outputs, inputs
        The names of the files the run writes and reads in ``--out``, from the parsed arguments.

    Returns
    -------
    int
        ``body``'s exit code, or :data:`EXIT_USAGE` (with one line on stderr) when ``--out`` is
        unwritable, an output would be overwritten without ``--overwrite``, or an input is missing.
    """
    args = parser.parse_args(argv)
    try:
        run = FigureRun.open(args.out, outputs(args), overwrite=args.overwrite, inputs=inputs(args))
    except ValueError as exc:
        return _usage_error(parser, str(exc))
    try:
        return body(run, args)
    except ReportExistsError as exc:  # the file appeared while the run was computing
        return _usage_error(parser, str(exc))


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    """Print ``<prog>: error: <message>`` on stderr (argparse's form) and return the exit code."""
    sys.stderr.write(f"{parser.prog}: error: {message}\n")
    return EXIT_USAGE

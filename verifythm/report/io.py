"""Atomic, non-overwriting file writes for reports and instances."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np


class ReportExistsError(FileExistsError):
    """Raised when a report would overwrite an existing file without permission."""


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Raises
    ------
    ReportExistsError
        If ``path`` exists and ``overwrite`` is false.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ReportExistsError(
            f"{path} already exists; refusing to overwrite it (pass overwrite/--overwrite)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not overwrite:
            # os.link fails if the target appeared meanwhile: no silent overwrite race.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise ReportExistsError(f"{path} appeared while writing; not overwritten") from None
            except OSError:
                os.replace(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Text version of :func:`atomic_write_bytes` (UTF-8)."""
    return atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def unique_path(directory: str | os.PathLike[str], stem: str, suffixes: tuple[str, ...]) -> Path:
    """First ``directory/stem[-k]`` such that no file ``stem[-k]+suffix`` exists, for all suffixes."""
    directory = Path(directory)
    k = 0
    while True:
        name = stem if k == 0 else f"{stem}-{k}"
        if not any((directory / (name + s)).exists() for s in suffixes):
            return directory / name
        k += 1


def save_instance(path: str | os.PathLike[str], arrays: Mapping[str, Any]) -> Path:
    """Save named arrays to ``.npz`` atomically; only numeric/unicode arrays (no pickle)."""
    clean: dict[str, np.ndarray] = {}
    for k, v in arrays.items():
        a = np.asarray(v)
        if a.dtype == object:
            raise TypeError(f"arrays[{k!r}]: object arrays cannot be saved without pickle")
        clean[k] = a
    buf = io.BytesIO()
    np.savez(buf, **clean)  # type: ignore[arg-type]
    return atomic_write_bytes(path, buf.getvalue())


def load_instance(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Load an ``.npz`` instance with ``allow_pickle=False``."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}

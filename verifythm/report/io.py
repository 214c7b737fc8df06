"""Atomic, non-overwriting file writes for reports and instances."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
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
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600: give the file the user's umask
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


def save_instance(
    path: str | os.PathLike[str], arrays: Mapping[str, Any], *, overwrite: bool = False
) -> Path:
    """Save named arrays to ``.npz`` atomically; only numeric/unicode arrays (no pickle)."""
    clean: dict[str, np.ndarray] = {}
    for k, v in arrays.items():
        a = np.asarray(v)
        if a.dtype == object:
            raise TypeError(f"arrays[{k!r}]: object arrays cannot be saved without pickle")
        clean[k] = a
    buf = io.BytesIO()
    np.savez(buf, **clean)  # type: ignore[arg-type]
    return atomic_write_bytes(path, buf.getvalue(), overwrite=overwrite)


def _umask() -> int:
    mask = os.umask(0o022)  # read it (the only portable way) and put it back at once
    os.umask(mask)
    return mask


def load_instance(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Load an ``.npz`` instance with ``allow_pickle=False``.

    Raises
    ------
    ValueError
        One line naming the file when it is empty, truncated, not an ``.npz`` archive (e.g. a
        ``.npy`` file renamed), or holds object arrays (which would need pickle).
    FileNotFoundError
        If ``path`` does not exist.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"no such file {p}")
    if p.stat().st_size == 0:
        raise ValueError(f"{p} is empty (0 bytes), not an .npz archive")
    try:
        z = np.load(p, allow_pickle=False)
        if not isinstance(z, np.lib.npyio.NpzFile):
            raise ValueError(f"{p} holds a single array (.npy), not an .npz archive of named arrays")
        with z:
            return {k: z[k] for k in z.files}
    except ValueError as exc:
        msg = str(exc)
        if "pickle" in msg:  # numpy's message for any file it does not recognise
            raise ValueError(f"{p} is not an .npz archive (unrecognised or pickled content)") from None
        raise ValueError(msg if str(p) in msg else f"{p}: {msg}") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(f"{p} is not a readable .npz archive ({type(exc).__name__}: {exc})") from None


def check_writable_dir(directory: str | os.PathLike[str], name: str) -> Path:
    """Create ``directory`` if needed and prove it writable now, before any work starts.

    Raises
    ------
    ValueError
        ``"<name>: …"`` when it is a file, cannot be created, or cannot be written.
    """
    d = Path(directory)
    if d.exists() and not d.is_dir():
        raise ValueError(f"{name}: {d} exists and is not a directory")
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".verifythm-probe.", dir=d)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"{name}: cannot write into {d} ({exc.strerror or exc})") from None
    return d


def check_writable_file(path: str | os.PathLike[str], name: str, *, overwrite: bool) -> Path:
    """Validate an output file path before any work: not a directory, writable parent, no clobber.

    Raises
    ------
    ValueError
        ``"<name>: …"`` naming the problem.
    """
    p = Path(path)
    if p.is_dir():
        raise ValueError(f"{name}: {p} is a directory; give a file path")
    if p.exists() and not overwrite:
        raise ValueError(f"{name}: {p} already exists; pass --overwrite to replace it")
    if p.exists() and not os.access(p, os.W_OK):
        raise ValueError(f"{name}: {p} is not writable")
    check_writable_dir(p.parent if str(p.parent) else Path("."), name)
    return p

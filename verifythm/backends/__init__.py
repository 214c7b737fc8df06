"""Computational backends: numpy (default) and torch (optional, CPU or CUDA).

``import verifythm`` never imports torch; :func:`require_torch` does, on demand, and
raises a clear error when the optional extra is missing.
"""

from __future__ import annotations

import contextvars
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

BACKENDS = ("numpy", "torch")

_ACTIVE: contextvars.ContextVar[tuple[str, str | None]] = contextvars.ContextVar(
    "verifythm_backend", default=("numpy", None)
)


def active_backend() -> tuple[str, str | None]:
    """The backend (and torch device) that engine kernels use in the current context.

    ``("numpy", None)`` unless a :func:`use_backend` block is active; the evidence runner
    activates the backend of the run (``verifythm check --backend torch``), so every Gram
    matrix of every claim check is then computed by torch.
    """
    return _ACTIVE.get()


@contextmanager
def use_backend(name: str, device: str | None = None) -> Iterator[None]:
    """Run the block with ``name`` (``numpy`` or ``torch``) as the active backend.

    Examples
    --------
    >>> with use_backend("numpy"):
    ...     active_backend()
    ('numpy', None)
    """
    check_backend(name)
    token = _ACTIVE.set((name, device))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def torch_available() -> bool:
    """Whether torch can be imported (without importing it)."""
    return importlib.util.find_spec("torch") is not None


def require_torch() -> Any:
    """Import and return torch, or raise ``ImportError`` explaining how to install it."""
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised without torch
        raise ImportError(
            "backend 'torch' needs the optional dependency torch: install the CPU build with "
            "`python -m pip install torch==2.13.0`, then `python -m pip install -e .[torch]`"
        ) from exc
    return torch


def check_backend(name: str, arg: str = "backend") -> str:
    """Validate a backend name (``numpy`` or ``torch``), naming the argument on error."""
    if name not in BACKENDS:
        raise ValueError(f"{arg}: unknown backend {name!r} (choose one of {', '.join(BACKENDS)})")
    if name == "torch" and not torch_available():
        raise ValueError(f"{arg}: torch is not installed (python -m pip install torch==2.13.0)")
    return name


__all__ = [
    "BACKENDS",
    "active_backend",
    "check_backend",
    "require_torch",
    "torch_available",
    "use_backend",
]

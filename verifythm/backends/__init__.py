"""Computational backends: numpy (default) and torch (optional, CPU or CUDA).

``import verifythm`` never imports torch; :func:`require_torch` does, on demand, and
raises a clear error when the optional extra is missing.
"""

from __future__ import annotations

import importlib.util
from typing import Any

BACKENDS = ("numpy", "torch")


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


__all__ = ["BACKENDS", "check_backend", "require_torch", "torch_available"]

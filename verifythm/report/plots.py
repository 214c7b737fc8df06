"""matplotlib for figures and maps, optional (extra ``plots``): headless, imported on demand."""

from __future__ import annotations

import importlib.util
from typing import Any


def matplotlib_available(*, say: bool = True) -> bool:
    """Whether matplotlib can be imported; prints a note when it cannot and ``say`` is set."""
    ok = importlib.util.find_spec("matplotlib") is not None
    if not ok and say:
        print("matplotlib not installed (optional extra 'plots'): images skipped, data only")
    return ok


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (raises ImportError without it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt

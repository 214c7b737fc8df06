r"""Large allocations checked before they are made: a request that cannot fit fails at once.

A Gram matrix :math:`K = GG^T` of ``n = 10⁵`` samples takes 80 GB in float64; building it on a
machine with 24 GB does not raise, it swaps or is killed after minutes.  The engine's
allocation sites whose size grows with :math:`n^2`, :math:`p^2` or :math:`m^2` (``K`` and its
eigendecomposition, the ``p × p`` form :math:`C = G^TG`, a dense moment operator on
:math:`\mathrm{Sym}(r)`) call :func:`require_memory` first, with an estimate of their peak
working set.  It raises :class:`InsufficientMemoryError` (a :class:`MemoryError`) naming the
argument, the object and its size, before anything is allocated; the command line turns it
into exit status 2 and that one line.

The memory counted as available is the smallest of

* ``MemAvailable`` of ``/proc/meminfo`` (Linux), else the free physical pages;
* the headroom under the control group's limit (cgroup v2 ``memory.max`` or v1
  ``memory.limit_in_bytes``, minus current usage), where the process runs in one;
* the headroom under the address-space limit ``RLIMIT_AS`` (set, e.g., by
  :func:`verifythm.search.guard.memory_guard`), minus the current virtual size;
* ``VERIFYTHM_MEMORY_LIMIT`` when set (bytes, or a number with ``KiB``/``MiB``/``GiB``/``TiB``),
  a cap chosen by the user.

Where none of them can be read the check passes (it never blocks a platform it cannot see);
requests up to :data:`SMALL_REQUEST_BYTES` are not checked at all.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ENV_LIMIT = "VERIFYTHM_MEMORY_LIMIT"
#: Requests up to this size are not checked (reading the limits costs ~0.1 ms).
SMALL_REQUEST_BYTES = 64 * 2**20

_UNITS = {"": 1, "b": 1, "k": 2**10, "kib": 2**10, "m": 2**20, "mib": 2**20, "g": 2**30, "gib": 2**30}
_UNITS |= {"t": 2**40, "tib": 2**40, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}


class InsufficientMemoryError(MemoryError):
    """A request whose estimated size exceeds the memory available; raised before allocating."""


def format_bytes(nbytes: float) -> str:
    """Human-readable size in binary units.

    Examples
    --------
    >>> format_bytes(3 * 2**30)
    '3.0 GiB'
    >>> format_bytes(1536)
    '1.5 KiB'
    """
    size = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(size) < 1024.0 or unit == "TiB":
            return f"{size:.0f} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024.0
    raise AssertionError("unreachable")  # pragma: no cover


def parse_bytes(text: str, name: str = ENV_LIMIT) -> int:
    """Bytes from ``"8GiB"``, ``"512 MiB"``, ``"1e9"`` or ``"2G"`` (binary for K/M/G/T alone).

    Raises
    ------
    ValueError
        Naming ``name`` when the text is not a positive size.

    Examples
    --------
    >>> parse_bytes("8GiB"), parse_bytes("512 MiB"), parse_bytes("1e9")
    (8589934592, 536870912, 1000000000)
    """
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    unit = m.group(2).lower() if m else ""
    if m is None or unit not in _UNITS or float(m.group(1)) <= 0:
        raise ValueError(f"{name}: expected a positive size such as 8GiB or 512MiB, got {text!r}")
    return int(float(m.group(1)) * _UNITS[unit])


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _cgroup_headroom() -> int | None:
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
    ):
        limit = _read_int(limit_file)  # "max" (no limit) reads as None
        if limit is not None and limit < 2**60:
            return max(limit - (_read_int(usage_file) or 0), 0)
    return None


def _address_space_headroom() -> int | None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft < 0:
        return None
    vsize = 0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                vsize = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return max(soft - vsize, 0)


def available_bytes() -> int | None:
    """The memory a new allocation can use (the smallest of the limits above), or ``None``.

    Raises
    ------
    ValueError
        Naming ``VERIFYTHM_MEMORY_LIMIT`` when it is set but not a size.
    """
    limits = (_meminfo_available(), _cgroup_headroom(), _address_space_headroom())
    found = [v for v in limits if v is not None]
    cap = os.environ.get(ENV_LIMIT)
    if cap:
        found.append(parse_bytes(cap))
    return min(found) if found else None


def require_memory(
    nbytes: float, what: str, *, name: str, hint: str = "use fewer samples or parameters, or more memory"
) -> None:
    """Raise :class:`InsufficientMemoryError` if ``nbytes`` exceed :func:`available_bytes`.

    Requests up to :data:`SMALL_REQUEST_BYTES` return at once.

    Parameters
    ----------
    nbytes
        Estimated peak working set of the request, in bytes.
    what
        The object, with its sizes (e.g. ``"the n × n Gram matrix K = GGᵀ (n = 100000)"``).
    name
        The argument the request comes from; the message starts with it.
    hint
        What the caller can do instead (ends the message).

    Examples
    --------
    >>> require_memory(1024, "a small table", name="x")  # fits: returns None
    """
    if nbytes <= SMALL_REQUEST_BYTES:
        return  # not worth reading /proc for: small requests sit in hot loops (property checks)
    avail = available_bytes()
    if avail is not None and nbytes > avail:
        raise InsufficientMemoryError(
            f"{name}: {what} needs about {format_bytes(nbytes)} in float64, but only "
            f"{format_bytes(avail)} of memory is available; {hint}"
        )

"""Citations: ``docs/references.bib`` is the single source of bibliographic data.

The file is shipped inside the package (``verifythm/data/references.bib`` is a
link to ``docs/references.bib`` in the source tree, copied at build time), so
``verifythm cite`` works after a normal install from any working directory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from verifythm.claims.model import Claim


@lru_cache(maxsize=1)
def bibliography() -> dict[str, str]:
    """Map each BibTeX key of ``references.bib`` to its entry text."""
    text = resources.files("verifythm").joinpath("data/references.bib").read_text("utf-8")
    return parse_bibtex(text)


def parse_bibtex(text: str) -> dict[str, str]:
    """Split BibTeX text into ``{key: entry}`` (entries start with ``@type{key,``)."""
    entries: dict[str, str] = {}
    starts = [m for m in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        entries[m.group(2)] = text[m.start() : end].strip()
    return entries


def bib_field(entry: str, name: str) -> str:
    """Value of a field of a BibTeX entry (braces removed), or ``""``."""
    m = re.search(rf"\b{name}\s*=\s*[{{\"](.+?)[}}\"]\s*,?\s*\n", entry, re.S | re.I)
    return re.sub(r"[{}]", "", m.group(1)).strip() if m else ""


def read_bib(path: str | Path) -> dict[str, str]:
    """The entries of a user's BibTeX file.

    Raises
    ------
    ValueError
        One line naming the file when it cannot be read or holds no entry.
    """
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p}: cannot read it ({type(exc).__name__}: {exc})") from None
    entries = parse_bibtex(text)
    if not entries:
        raise ValueError(f"{p}: no BibTeX entry (@type{{key, ...}}) found")
    return entries


def module_bib(module_file: str | Path | None) -> Path | None:
    """A ``references.bib`` next to an imported claim module or in one of its packages."""
    if module_file is None:
        return None
    d = Path(module_file).resolve().parent
    while True:
        cand = d / "references.bib"
        if cand.is_file():
            return cand
        if not (d / "__init__.py").is_file() or d.parent == d:
            return None
        d = d.parent


def cite(claim: Claim, extra: Mapping[str, str] | None = None) -> str:
    """The BibTeX entry of the claim's paper followed by the locator.

    ``extra`` holds the user's own entries (``--bib FILE`` or a ``references.bib`` next to
    their claims); they take precedence over the project's.

    Raises
    ------
    KeyError
        If the claim's source key is in neither bibliography.
    """
    bib = {**bibliography(), **(extra or {})}
    key = claim.source.key
    if key not in bib:
        where = "references.bib" if not extra else "references.bib or the given bibliography"
        raise KeyError(
            f"source.key: {key!r} (claim {claim.id}) is not in {where}; pass your own with --bib FILE"
        )
    page = f", p. {claim.source.page}" if claim.source.page is not None else ""
    return f"{bib[key]}\n\n% {claim.id}: {claim.source.locator}{page} of [{key}]"

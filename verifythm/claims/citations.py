"""Citations: ``docs/references.bib`` is the single source of bibliographic data.

The file is shipped inside the package (``verifythm/data/references.bib`` is a
link to ``docs/references.bib`` in the source tree, copied at build time), so
``verifythm cite`` works after a normal install from any working directory.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

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


def cite(claim: Claim) -> str:
    """The BibTeX entry of the claim's paper followed by the locator.

    Raises
    ------
    KeyError
        If the claim's source key is missing from ``references.bib``.
    """
    bib = bibliography()
    key = claim.source.key
    if key not in bib:
        raise KeyError(f"source.key: {key!r} (claim {claim.id}) is not in references.bib")
    page = f", p. {claim.source.page}" if claim.source.page is not None else ""
    return f"{bib[key]}\n\n% {claim.id}: {claim.source.locator}{page} of [{key}]"

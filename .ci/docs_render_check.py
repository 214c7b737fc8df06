"""Render built documentation pages in a real headless browser and check the maths rendered.

Offline by construction: the pages are opened from disk (``file://``), and a page that loads
any script from the network fails the check.  For each page, Chromium runs the page's
JavaScript (MathJax from ``_static/mathjax``), then the rendered DOM must hold MathJax output
(``mjx-container`` elements) and no unrendered TeX delimiters; a screenshot is saved.

usage: python .ci/docs_render_check.py SITE_DIR OUT_DIR [PAGE ...]

Exit 0 when every page rendered, 1 when one did not, 2 for bad arguments; when no Chromium
is installed it says so and exits 0 (the check is skipped, never silently).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

PAGES = ("claims/wu2022.thm3_3.html", "claims/dexter2024.thm1.html", "guides/writing_strategies.html")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
)
#: Virtual time the page's scripts get before the DOM is read (the second try is longer).
BUDGETS_MS = (20000, 90000)


def check_page(browser: str, page: Path, out: Path) -> list[str]:
    """Problems found on one page (empty when its maths rendered offline)."""
    html = page.read_text("utf-8")
    problems = [f"loads {src}" for src in re.findall(r'<script[^>]*src="(https?://[^"]+)"', html)]
    url = page.resolve().as_uri()
    dom = ""
    for budget in BUDGETS_MS:  # a slow machine gets a second, longer run before a verdict
        dom = subprocess.run(
            [browser, *FLAGS, f"--virtual-time-budget={budget}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        ).stdout
        if "<mjx-container" in dom:
            break
    shot = out / (page.stem + ".png")
    subprocess.run(
        [
            browser,
            *FLAGS,
            f"--virtual-time-budget={BUDGETS_MS[0]}",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            url,
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    rendered = dom.count("<mjx-container")
    text = re.sub(r"<(script|style)\b.*?</\1>", "", dom, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    if rendered == 0:
        problems.append("no MathJax output (mjx-container) in the rendered page")
    if "\\(" in text or "\\[" in text:
        problems.append("unrendered TeX delimiters remain in the page text")
    if not shot.is_file():
        problems.append("no screenshot was written")
    print(f"{page.name}: {rendered} formula(s) rendered; screenshot {shot}")
    return problems


def main(argv: list[str]) -> int:
    """Check the pages; see the module docstring."""
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-5], file=sys.stderr)
        return 2
    site, out = Path(argv[0]), Path(argv[1])
    pages = [site / p for p in (argv[2:] or PAGES)]
    missing = [str(p) for p in pages if not p.is_file()]
    if missing:
        print(f"docs_render_check: no such page(s): {', '.join(missing)}", file=sys.stderr)
        return 2
    browser = next((b for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        print("docs_render_check: no Chromium installed here: the browser check is skipped")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    for page in pages:
        for problem in check_page(browser, page, out):
            print(f"docs_render_check: {page.name}: {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The README's two commands exist, and .ci/run calls the README's test command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_test_command():
    blocks = _bash_blocks((ROOT / "README.md").read_text())
    test_cmd = next(b for b in blocks if "pytest" in b)
    assert test_cmd in (ROOT / ".ci" / "run").read_text()


def test_readme_main_command_runs_check_with_json():
    blocks = _bash_blocks((ROOT / "README.md").read_text())
    assert any("verifythm check" in b and "--json" in b and "pip install" in b for b in blocks)


def test_readme_lists_every_erratum_and_the_claim_count():
    from verifythm import default_registry

    text = (ROOT / "README.md").read_text()
    reg = list(default_registry())
    errata = [c for c in reg if c.expected.is_failure]
    for c in errata:
        assert f"[`{c.id}`]({c.expected.report})" in text, c.id
    assert f"encodes {len(reg)} claims" in text
    assert f"{len(errata)} of the claims are documented errata" in text

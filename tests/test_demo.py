"""`make demo`, the README's first quick-start command, as a user runs it."""

from __future__ import annotations

import subprocess
import sys


def test_the_demo_answers_with_evidence_and_writes_the_explorer(tmp_path):
    out = subprocess.run([sys.executable, "-m", "mbc_graph.demo", "explorer.html"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    sections = {block.split("\n", 1)[0]: block for block in out.stdout.split("\n== ")[1:]}

    assert "seizure" in sections["Which symptoms point to brain metastases?"]
    assert "bone scan" in sections["What looks for bone metastases?"]
    assert "trastuzumab" in sections["What treats HER2-positive metastatic breast cancer?"]
    evidence = sections["Why? The evidence behind two of those answers"]
    assert '001_c125eb9c1db86d14.txt: "Seizures"' in evidence  # file name and verbatim quote
    assert "triple-negative breast cancer --treated by-->" in sections[
        "How is triple-negative breast cancer connected to PD-L1?"]
    survival = sections["How long do people live? The sources disagree, so both claims are kept"]
    assert "15 percent" in survival and "33 percent" in survival  # side by side, not merged

    page = (tmp_path / "explorer.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "explorer.html" in out.stdout.splitlines()[-1]

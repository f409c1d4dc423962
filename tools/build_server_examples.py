"""Write mbc_graph/server/examples.json: the competency questions as the SPARQL page's examples.

The questions live in tests/competency/*.yaml (the test suite runs them);
the served package cannot read tests/, so it ships this copy.
``tests/test_server_api.py`` checks that the copy is current.

    PYTHONPATH=$PWD .venv/bin/python tools/build_server_examples.py
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "competency"
TARGET = ROOT / "mbc_graph" / "server" / "examples.json"


def examples() -> list[dict[str, str]]:
    """Every competency question, in file then document order."""
    found = []
    for path in sorted(SOURCE.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append({"id": item["id"], "question": item["question"], "sparql": item["sparql"].strip() + "\n"})
    return found


def text() -> str:
    return json.dumps(examples(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(text(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(examples())} examples")

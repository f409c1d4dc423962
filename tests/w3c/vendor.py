"""Copy the W3C SPARQL tests that tests/test_w3c.py runs from rdflib's source distribution.

    pip download --no-deps --no-binary :all: rdflib==7.6.0 -d /tmp/rdflib-sdist
    tar xzf /tmp/rdflib-sdist/rdflib-7.6.0.tar.gz -C /tmp/rdflib-sdist
    python tests/w3c/vendor.py /tmp/rdflib-sdist/rdflib-7.6.0/test/data/suites/w3c

Keeps the manifests and the files of the tests run, in their own folders.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
FOLDERS = ("dawg-data-r2", "sparql11")


def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for folder in FOLDERS:  # read the manifests from the source, through links
            target = HERE / folder
            if target.is_symlink():
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
            target.symlink_to(source / folder)
        sys.path[:0] = [str(HERE.parent)]
        import test_w3c

        run = {t for t in test_w3c.EVALUATION + test_w3c.SYNTAX}
        files = {path for t in run for path in (t.query, t.data, t.result) if path is not None}
        files |= {path for folder in FOLDERS for path in (HERE / folder).rglob("manifest*.ttl")
                  if any(f.parent == path.parent for f in files) or path.parent.name in FOLDERS}
        for path in sorted(files):
            relative = path.relative_to(HERE)
            (Path(tmp) / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(tmp) / relative)
        for folder in FOLDERS:
            (HERE / folder).unlink()
            shutil.copytree(Path(tmp) / folder, HERE / folder)
    shutil.copyfile(source / "dawg-data-r2" / "LICENSE", HERE / "LICENSE")
    print(f"{len(files)} files from {len(run)} tests")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

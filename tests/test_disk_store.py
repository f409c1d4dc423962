"""The on-disk store: built once, reopened read-only, never answering from stale data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from parity import CASES, assert_same_answers

import mbc_graph
from mbc_graph.cli import main
from mbc_graph.errors import MBCGraphError, StaleStore, StoreInUse, TurtleSyntaxError
from mbc_graph.stores import disk
from mbc_graph.stores.disk import DiskStore

pytestmark = pytest.mark.once  # the on-disk store against the Oxigraph reference: the store under test changes nothing


@pytest.fixture(scope="session")
def disk_kg(parity_cohort, tmp_path_factory):
    """The on-disk store, built once per session from the ontology and the cohort."""
    return mbc_graph.load(path=tmp_path_factory.mktemp("disk") / "db", extra=[parity_cohort])


@pytest.mark.parametrize("case", CASES)
def test_parity(disk_kg, parity_reference, case):
    assert_same_answers(disk_kg, parity_reference, case)


def small_file(tmp_path, text='<https://example.org/a> <https://example.org/p> "one" .\n'):
    path = tmp_path / "mine.ttl"
    path.write_text(text)
    return path


def ask_one(kg) -> bool:
    return bool(kg.query('ASK { <https://example.org/a> <https://example.org/p> "one" }'))


def test_built_once_then_reopened_read_only_without_parsing(tmp_path, monkeypatch):
    mine = small_file(tmp_path)
    kg = mbc_graph.load(path=tmp_path / "db", extra=[mine])
    assert kg.store.read_only and ask_one(kg)
    assert kg.sources[1] == mine
    size = len(kg.store)
    kg.store.close()

    def no_parsing(*args):
        raise AssertionError("a reopened store parses nothing")

    monkeypatch.setattr(DiskStore, "parse", no_parsing)
    monkeypatch.setattr(mbc_graph.stores.filling, "materialize", no_parsing)
    again = mbc_graph.load(path=tmp_path / "db")  # the recorded files
    assert again.store.read_only and ask_one(again) and len(again.store) == size
    assert again.sources[1] == mine.resolve()
    assert again.concept("bone metastasis").category == "metastasis"


def test_the_directory_is_readable_by_its_owner_only(tmp_path):
    (tmp_path / "empty").mkdir(mode=0o755)
    for directory in (tmp_path / "new" / "db", tmp_path / "empty"):
        mbc_graph.load(path=directory).store.close()
        assert directory.stat().st_mode & 0o777 == 0o700


def test_the_record_says_what_was_loaded(tmp_path):
    mine = small_file(tmp_path)
    mbc_graph.load(path=tmp_path / "db", extra=[mine]).store.close()
    record = json.loads((tmp_path / "db" / disk.RECORD).read_text())
    assert record["state"] == "complete"
    assert record["ontology"]["sha256"] == disk.ontology_digest(mbc_graph.bundled_ontology())
    assert record["files"] == [{"path": str(mine.resolve()), "size": mine.stat().st_size,
                                "mtime_ns": mine.stat().st_mtime_ns}]


@pytest.mark.parametrize("change", ["edited", "touched", "removed", "other files", "other ontology"])
def test_a_stale_store_refuses_to_answer_until_rebuilt(tmp_path, change):
    mine = small_file(tmp_path)
    mbc_graph.load(path=tmp_path / "db", extra=[mine]).store.close()
    options: dict = {}
    if change == "edited":
        mine.write_text('<https://example.org/a> <https://example.org/p> "two" .\n')
    elif change == "touched":
        os.utime(mine, ns=(mine.stat().st_atime_ns, mine.stat().st_mtime_ns + 10**9))
    elif change == "removed":
        mine.unlink()
    elif change == "other files":
        (tmp_path / "elsewhere").mkdir()
        options["extra"] = [small_file(tmp_path / "elsewhere")]
    else:
        ontology = tmp_path / "ontology.ttl"
        ontology.write_text(mbc_graph.bundled_ontology().read_text() + "\n# an edit\n")
        options["ontology"] = ontology
    with pytest.raises(StaleStore, match="out of date"):
        mbc_graph.load(path=tmp_path / "db", **options)
    with pytest.raises(StaleStore):
        mbc_graph.load(path=tmp_path / "db", read_only=True, rebuild=True, **options)
    if change == "removed":
        with pytest.raises(MBCGraphError, match="No such file"):
            mbc_graph.load(path=tmp_path / "db", rebuild=True, **options)
        return
    kg = mbc_graph.load(path=tmp_path / "db", rebuild=True, **options)
    assert ask_one(kg) is (change != "edited")
    kg.store.close()
    mbc_graph.load(path=tmp_path / "db", **options).store.close()  # up to date again


def test_an_interrupted_build_is_stale(tmp_path, monkeypatch):
    def fail(store, sources):
        raise KeyboardInterrupt

    monkeypatch.setattr(mbc_graph.loading, "fill", fail)
    with pytest.raises(KeyboardInterrupt):
        mbc_graph.load(path=tmp_path / "db")
    monkeypatch.undo()
    with pytest.raises(StaleStore, match="did not finish"):
        mbc_graph.load(path=tmp_path / "db")
    assert mbc_graph.load(path=tmp_path / "db", rebuild=True).query("ASK { ?s ?p ?o }")


def test_readers_share_and_never_open_beside_a_writer(tmp_path):
    first = mbc_graph.load(path=tmp_path / "db")
    second = mbc_graph.load(path=tmp_path / "db", read_only=True)  # readers share
    with pytest.raises(StoreInUse, match="elsewhere"):
        mbc_graph.load(path=tmp_path / "db", rebuild=True)  # no writer beside readers
    first.store.close()
    second.store.close()
    writer = DiskStore(tmp_path / "db", read_only=False)
    with pytest.raises(StoreInUse, match="being built"):
        mbc_graph.load(path=tmp_path / "db")
    code = f"import mbc_graph; mbc_graph.load(path={str(tmp_path / 'db')!r})"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "StoreInUse" in other.stderr and "being built" in other.stderr
    writer.close()
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_directory_with_other_files_is_never_touched(tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    for rebuild in (False, True):
        with pytest.raises(MBCGraphError, match="not empty"):
            mbc_graph.load(path=tmp_path / "photos", rebuild=rebuild)
    assert [p.name for p in (tmp_path / "photos").iterdir()] == ["cat.jpg"]
    with pytest.raises(MBCGraphError, match="No mbc-graph store"):
        mbc_graph.load(path=tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_a_damaged_record_is_stale(tmp_path):
    mbc_graph.load(path=tmp_path / "db").store.close()
    (tmp_path / "db" / disk.RECORD).write_text("{not json")
    with pytest.raises(StaleStore, match="damaged"):
        mbc_graph.load(path=tmp_path / "db")
    mbc_graph.load(path=tmp_path / "db", rebuild=True).store.close()


def test_cli_db_option(tmp_path):
    mine = small_file(tmp_path)
    query = ["query", 'ASK { <https://example.org/a> <https://example.org/p> "one" }']
    out = StringIO()
    assert main(["--db", str(tmp_path / "db"), "--extra", str(mine), *query], stdout=out) == 0
    assert out.getvalue().strip() == "true"
    mine.write_text('<https://example.org/a> <https://example.org/p> "two" .\n')
    err = StringIO()
    assert main(["--db", str(tmp_path / "db"), *query], stdout=StringIO(), stderr=err) == 1
    assert "out of date" in err.getvalue() and "--rebuild" in err.getvalue()
    out = StringIO()
    assert main(["--db", str(tmp_path / "db"), "--rebuild", *query], stdout=out) == 0
    assert out.getvalue().strip() == "false"


def test_a_file_loads_in_batches_and_a_blank_node_across_them_stays_one(tmp_path, monkeypatch):
    monkeypatch.setattr(disk, "_BATCH", 1000)  # the client holds one batch at a time, whatever the file's size
    ex = "https://example.org/"
    values = " ; ".join(f"<{ex}r> {i}" for i in range(2500))
    mine = small_file(tmp_path, f'<{ex}a> <{ex}p> "one" ; <{ex}q> [ {values} ] .\n')
    kg = mbc_graph.load(path=tmp_path / "db", extra=[mine])
    assert ask_one(kg)
    [row] = kg.query(f"SELECT (COUNT(DISTINCT ?b) AS ?nodes) (COUNT(?v) AS ?values) "
                     f"WHERE {{ <{ex}a> <{ex}q> ?b . ?b <{ex}r> ?v }}")
    assert (int(row[0]), int(row[1])) == (1, 2500)


def test_a_syntax_error_names_the_file_and_line(tmp_path, monkeypatch):
    monkeypatch.setattr(disk, "_BATCH", 1000)
    good = "".join(f'<https://example.org/a> <https://example.org/p> "{i}" .\n' for i in range(1500))
    mine = small_file(tmp_path, good + "<https://example.org/a> <https://example.org/p> .\n")
    with pytest.raises(TurtleSyntaxError, match=r"mine\.ttl, line 1501"):  # after a batch was loaded
        mbc_graph.load(path=tmp_path / "db", extra=[mine])
    with pytest.raises(StaleStore, match="did not finish"):
        mbc_graph.load(path=tmp_path / "db", extra=[mine])

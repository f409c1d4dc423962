# mbc-graph: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test typecheck install ontology check-ontology bench bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Answer a handful of questions with their evidence and write the HTML explorer.
demo: $(STAMP)
	$(BIN)/python -m mbc_graph.demo

## Type-check the package, then run the whole test suite (ontology, library, CLI,
## browser views, notebooks) once on each store; tests marked `once` run in the first pass only.
test: typecheck
	$(BIN)/python -m pytest --store oxigraph
	$(BIN)/python -m pytest --store memory -m "not once"

typecheck: $(STAMP)
	$(BIN)/python -m mypy

## Rebuild ontology/mbc.ttl from ontology/src/*.yaml (needs ../shared).
ontology: $(STAMP)
	$(BIN)/python tools/build_ontology.py

check-ontology: $(STAMP)
	$(BIN)/python tools/build_ontology.py --check

## Benchmarks against plain rdflib and raw pyoxigraph; writes benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

## 100k and 1M patients on the on-disk store, Oxigraph's server and Virtuoso (about 10 GB, an hour); benchmarks/SCALE.md.
bench-scale: $(STAMP)
	$(BIN)/python -m benchmarks.scale

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache test-artifacts

# mbc-graph: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test typecheck install ontology check-ontology bench bench-scale docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The demo needs the package alone: no Jupyter, Playwright or mypy.
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(DEMO_STAMP)

install: $(STAMP)

## Answer a handful of questions with their evidence and write the HTML explorer.
demo: $(DEMO_STAMP)
	$(BIN)/python -m mbc_graph.demo

## Type-check the package, then run the whole test suite (ontology, library, CLI,
## browser views, notebooks) once on each store; tests marked `once` run in the first pass only.
test: typecheck
	$(BIN)/python -m pytest --store oxigraph --durations=25
	$(BIN)/python -m pytest --store memory -m "not once" --durations=25

typecheck: $(STAMP)
	$(BIN)/python -m mypy

## Rebuild ontology/mbc.ttl and its release files (.owl .obo .json .sssom.tsv) from ontology/src/*.yaml (needs ../shared).
ontology: $(STAMP)
	$(BIN)/python tools/build_ontology.py

check-ontology: $(STAMP)
	$(BIN)/python tools/build_ontology.py --check

## Benchmarks against plain rdflib, raw pyoxigraph and Oxigraph's server; writes benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.serve

## 100k and 1M patients on the on-disk store, Oxigraph's server and Virtuoso (about 10 GB, an hour); benchmarks/SCALE.md.
bench-scale: $(STAMP)
	$(BIN)/python -m benchmarks.scale

## The docs site (MkDocs + mkdocstrings, the notebooks, the ontology's pyLODE page) in site/;
## warnings are errors.
docs: $(STAMP)
	mkdir -p docs/ontology
	$(BIN)/pylode -o docs/ontology/index.html ontology/mbc.ttl
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache test-artifacts site docs/ontology

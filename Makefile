# kolmap developer commands. `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
TYPES  := .build/typecheck

.PHONY: install test test-fast check lint typecheck format demo bench bench-neo4j sample clean neo4j neo4j-stop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,ui]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The suite in two processes at once: the Neo4j tests, and the rest on two workers
# (tools/run_tests.py says why). A plain `pytest` runs it all in one.
test: install
	$(BIN)/python tools/run_tests.py

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# mypy needs the package under its import name; the repository root *is* kolmap/.
typecheck: install
	mkdir -p $(TYPES) && ln -sfn ../.. $(TYPES)/kolmap
	cd $(TYPES) && ../../$(BIN)/mypy --config-file ../../pyproject.toml -p kolmap

check: lint typecheck test

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Loads the synthetic sample, prints the top KOLs per area, then opens the app.
demo: install
	$(BIN)/kolmap demo
	$(BIN)/kolmap ui --store kolmap-demo.duckdb

# The small benchmarks and the app's, then 100k/1M/10M edges against networkx and the floor
# (the 10M size takes about an hour; `benchmarks/scale.py --sizes 100k,1M` for a quick run).
bench: install
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/map_bench.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/memory_bench.py --out docs/benchmarks.md

# Local Neo4j 5.26 servers (with and without GDS) fetched from Maven Central: see neo4j-server/run.
neo4j:
	neo4j-server/run start

neo4j-stop:
	neo4j-server/run stop

# The same graph ingested and ranked on both stores (needs `make neo4j`).
bench-neo4j: install
	$(BIN)/python benchmarks/neo4j_bench.py
	$(BIN)/python benchmarks/neo4j_bulk_bench.py
	$(BIN)/python benchmarks/server_rank_bench.py
	$(BIN)/python benchmarks/gds_estimate.py

sample: install
	$(BIN)/kolmap sample data/samples

clean:
	rm -rf $(VENV) .build .mypy_cache .ruff_cache .pytest_cache *.egg-info kolmap-demo.duckdb kolmap-demo.cache

# tracegraph: `make demo` and `make test` do all set-up on a fresh machine.
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
TG       = $(BIN)/tracegraph
DEMO_DIR ?= .tracegraph/demo-data
DEMO_SERIALS ?= 10000
DEMO_PORT ?= 8000

.PHONY: install neo4j demo demo-data test bench bench-scope stop clean console-vendor

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

neo4j: install
	$(TG) neo4j start

$(DEMO_DIR)/.done: | install
	$(TG) generate --serials $(DEMO_SERIALS) --seed 7 --out $(DEMO_DIR)
	touch $@

demo-data: $(DEMO_DIR)/.done

# `tracegraph demo` starts Neo4j, loads, seeds a recall campaign, prints calls and serves; run
# again, it finds the running demo.
demo: install demo-data
	@$(TG) demo --data $(DEMO_DIR) --port $(DEMO_PORT)

# TEST_WORKERS=2 runs two pytest-xdist workers, each with a Neo4j of its own on
# TRACEGRAPH_TEST_NEO4J_PORT + N (tests/conftest.py). Not the default: on 2 cores, where the second
# Neo4j shares the CPU, it measured about a tenth faster (26:38 against 29:43; README "Tests").
TEST_WORKERS ?= 0
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

bench: install
	$(BIN)/pip install -q -e '.[dev,bench]'  # locust, for the load test (tests/test_bench_load.py)
	$(BIN)/pytest -m bench -s

# Trace / recall scope / genealogy against the relational peer (../shared/peers) alone.
bench-scope: install
	$(BIN)/pytest -m bench -s tests/test_bench_scope.py

# The console's browser libraries are committed (api/console/vendor); refresh them from npm.
console-vendor:
	npm ci --ignore-scripts && npm run vendor

stop:
	$(TG) neo4j stop

clean:
	rm -rf $(VENV) .tracegraph .pytest_cache .hypothesis

# Single-serial calls (serial, timeline, verify, backward trace) against the floor and the
# relational peer alone (issue 16); `make bench` runs it with the others.
.PHONY: bench-serial
bench-serial: install
	$(BIN)/pytest -m bench -s tests/test_serial_bench.py

# The property tests' full example counts (tests/examples.py): `make test` runs fewer of the
# ones that build a database per example.
.PHONY: test-full
test-full: install
	TRACEGRAPH_TEST_FULL_EXAMPLES=1 $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

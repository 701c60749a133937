# harvestgraph — `make demo` runs the main job on the sample corpus, `make test` runs the suite.
# Both set everything up on a fresh machine: a virtualenv in .venv with the pinned dependencies,
# and (for tests) Debian's Chromium and a JRE when missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HG     := $(BIN)/harvestgraph
STAMP  := $(VENV)/.installed
DEMO_STORE := out/demo/store

.PHONY: demo test setup system-deps bench bench-quick clean serve screenshots model

$(STAMP): pyproject.toml package.json package-lock.json scripts/vendor-js.sh $(wildcard web/*.js)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	./scripts/vendor-js.sh
	touch $(STAMP)

setup: $(STAMP)

# The learnt span model of actor names (graph/actors/data/actor_spans, committed): trained on every labelled set
# but the test set, fixed seed, one thread; ~90 CPU-s. Run it after any change to the labelled sets: a test compares
# the model's recorded training-data hash with the labels of the checkout.
model: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -W ignore -m harvestgraph.actors.learnt.build

system-deps:
	./scripts/system-deps.sh

demo: $(STAMP)
	@rm -rf out/demo && mkdir -p out/demo
	$(HG) ingest examples --store $(DEMO_STORE) --registry examples/actors.yaml --no-warnings
	$(HG) validate --store $(DEMO_STORE) --max 0
	$(HG) stats --store $(DEMO_STORE)
	$(HG) query outcomes_by_country_year --store $(DEMO_STORE)
	$(HG) query contributions_by_contributor --store $(DEMO_STORE)
	$(HG) query outcomes_by_type_of_change --store $(DEMO_STORE)
	@if $(HG) view --help >/dev/null 2>&1; then \
	  $(HG) view --store $(DEMO_STORE) -o out/demo/network.html && \
	  echo "network view: out/demo/network.html (open it in a browser; it needs no network)"; fi
	@if $(HG) report --help >/dev/null 2>&1; then \
	  $(HG) report --store $(DEMO_STORE) -o out/demo/report.html && echo "contribution report: out/demo/report.html"; fi
	@echo
	@echo "The graph is in $(DEMO_STORE) (embedded Oxigraph). Next:"
	@echo "  $(HG) query --list --store $(DEMO_STORE)        # the named queries"
	@echo "  $(HG) serve --store $(DEMO_STORE)               # then open http://127.0.0.1:8000 in a browser: outcomes, actors,"
	@echo "                                                   #   /explore (the network), /report, /sparql (query editor), /model"
	@echo "                                                   #   (the data model); also the REST API and the SPARQL endpoint"
	@echo "  $(HG) ingest YOUR_FILES --store $(DEMO_STORE)   # add your own fragments (.md/.txt, .csv, .xlsx)"

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n 2 -q --durations=15

# ~45 min (ingest 1k/10k/100k, views, API, named queries at 10k and 100k, rdflib at 10k); bench-quick ≤ 10 min
# (one 2k store for everything; 8 min at load 12-19, 30 Nov 2026).
# Figures: benchmarks/results/latest.{json,md} (quick.{json,md}). Options: make bench BENCH_ARGS="--only api --out api-check"
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick $(BENCH_ARGS)

# The pictures of the pages in docs/screenshots/ (home, outcomes, actor, sparql, explore): serve on the demo store,
# headless Chromium. Run by hand when the pages change; the test run never writes tracked files.
screenshots: $(STAMP) system-deps
	@test -d $(DEMO_STORE) || $(HG) ingest examples --store $(DEMO_STORE) --registry examples/actors.yaml --no-warnings
	$(BIN)/python scripts/screenshots.py --store $(DEMO_STORE) --out docs/screenshots
	$(BIN)/python scripts/screenshot_explore.py --store $(DEMO_STORE) --out docs/screenshots/explore.png

clean:
	rm -rf out .pytest_cache tests/artifacts

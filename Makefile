# The way everyone runs things. `make run` and `make test` bootstrap a local .venv.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check-deploy lint fmt train eval bench bench-load soak fuzz clean deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)

run: $(STAMP)
	$(BIN)/promptsentinel serve

test: $(STAMP)
	bash scripts/ensure-redis.sh
	bash bench/ensure-wrk.sh
	$(BIN)/python -m pytest

# The deployment artefacts only (also part of `make test`); docs/DEPLOYMENT.md.
check-deploy: $(STAMP)
	bash scripts/ensure-redis.sh
	bash scripts/ensure-nginx.sh
	$(BIN)/python -m pytest tests/deploy

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

train: $(STAMP)
	$(BIN)/promptsentinel train

# In-sample figures on the public files, then the hand-written hold-out set (never trained on).
eval: $(STAMP)
	$(BIN)/promptsentinel eval ../shared/datasets/*.jsonl
	$(BIN)/python bench/eval_holdout.py

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py

# Load (wrk, ~15 min), soak (30 min) and faults; results in docs/BENCHMARKS.md and
# docs/RELIABILITY.md (docs/RELIABILITY.md says how to read them).
bench-load: $(STAMP)
	bash scripts/ensure-redis.sh
	bash bench/ensure-wrk.sh
	$(BIN)/python bench/load.py --write
	$(BIN)/python bench/faults.py --write

soak: $(STAMP)
	bash bench/ensure-wrk.sh
	$(BIN)/python bench/soak.py --minutes $${SOAK_MINUTES:-30} --write

# The schemathesis fuzz of every route in every auth mode, with 1,000 examples per
# operation and generation mode instead of `make test`'s 25.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider --timeout=7200

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# The two commands: `make run` (serve the demo portal) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDRESS ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Two test processes (pytest-xdist); real-worker tests stay together in one of them.
PYTEST_PARALLEL ?= -n 2 --dist loadgroup

.PHONY: run test setup setup-dev system-deps system-deps-test messages lint bench bench-report bench-cluster cluster-test clean

run: setup messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_referential diagnostics/referentials/industrie-du-futur.yaml --publish
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(ADDRESS)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(ADDRESS)

test: setup-dev messages lint
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	$(PY) scripts/audit_dependencies.py

setup: system-deps $(VENV)/.installed
setup-dev: system-deps-test $(VENV)/.installed-dev

system-deps:
	@bash scripts/system-deps.sh run

system-deps-test:
	@bash scripts/system-deps.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# Benchmarks (bench/README.md): PostgreSQL and Redis from the environment, or these defaults; an empty
# database is first seeded with BENCH_COMPANIES companies. Writes bench/results.md.
# (The defaults are applied by the shell: a make-level assignment to DATABASE_URL, even one scoped to
# this target, stops make from passing the environment's DATABASE_URL to `make test`.)
BENCH_COMPANIES ?= 50000
BENCH_GROWTH ?= 5000
bench: setup-dev
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/national}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/7}" \
	$(PY) -m bench --companies $(BENCH_COMPANIES) --growth-companies $(BENCH_GROWTH) $(BENCH_ARGS)

# The multi-host test alone (README, "Scaling past one host"): as root, with PostgreSQL and Redis from the
# environment or these defaults; prints its timings. CLUSTER_FILES=local-disk shows it fail without object storage.
cluster-test: setup-dev
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	$(VENV)/bin/pytest -p no:xdist -s tests/deploy/test_cluster.py $(PYTEST_ARGS)

# Reports per minute with 1 and 2 worker hosts of the multi-host setup; writes bench/cluster.md.
bench-cluster: setup-dev
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	$(PY) -m bench.cluster $(BENCH_ARGS)

bench-report: setup-dev  # PDF report: median render, pages, size, full / bare WeasyPrint ratio, cache hit
	$(PY) -m bench.report

clean:
	rm -rf $(VENV) var staticfiles

# Chợ Nông Sản Bưu Điện — `make run` serves the demo marketplace, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install install-dev translations migrate demo lint bench bench-search bench-checkout clean system-deps

run: install translations migrate demo
	@echo "Serving on http://$(HOST):$(PORT)"
	@# the periodic sweeps run beside the site (inline without REDIS_URL); with REDIS_URL a job worker too
	@$(BIN)/flask jobs scheduler & scheduler=$$!; worker=; \
	if [ -n "$$REDIS_URL" ]; then $(BIN)/flask jobs worker & worker=$$!; \
	else echo "REDIS_URL is not set: background jobs run inline in the web process"; fi; \
	trap 'kill $$scheduler $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-dev translations system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@scripts/system_deps.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(BIN)/python scripts/i18n.py compile

migrate: install
	$(BIN)/flask db upgrade

demo: install
	$(BIN)/flask demo load
	$(BIN)/flask search rebuild

lint: install-dev
	$(BIN)/ruff check marketplace tests bench config.py wsgi.py gunicorn.conf.py

# 10k and 1M listings on PostgreSQL, each kept in its own database (BENCH_DATABASE_URL with {label}: 10k, 1m)
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/marketplace_bench_{label}

bench: install-dev translations
	$(BIN)/python bench/catalog.py --database-url '$(BENCH_DATABASE_URL)' $(BENCH_ARGS)

bench-search: install-dev translations
	$(BIN)/python bench/search.py --database-url '$(BENCH_DATABASE_URL)' $(BENCH_ARGS)

# a database of its own, emptied and rebuilt by each run
BENCH_CHECKOUT_DATABASE ?= marketplace_bench_checkout

bench-checkout: install-dev translations
	psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_CHECKOUT_DATABASE)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(BENCH_CHECKOUT_DATABASE)
	$(BIN)/python bench/checkout.py --database-url postgresql://postgres@127.0.0.1:5432/$(BENCH_CHECKOUT_DATABASE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance translations

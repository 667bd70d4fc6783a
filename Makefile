# Chợ Nông Sản Bưu Điện — `make run` serves the demo marketplace, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install install-dev translations migrate demo lint bench bench-search clean

run: install translations migrate demo
	@echo "Serving on http://$(HOST):$(PORT)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

clean:
	rm -rf $(VENV) instance translations

# One Makefile for developers and CI. The README's two commands are `make up` and `make test`.
SHELL := /bin/bash
UV := python3 -m uv
PORT ?= 8000
UI_DIST := src/dataops/web/dist/index.html
UI_SOURCES := $(shell find web/src web/index.html web/package.json web/vite.config.ts web/openapi.json -type f 2>/dev/null)

.PHONY: up test setup python-deps web-deps ui lint format openapi system-deps clean

## Install everything and start dataops on http://127.0.0.1:$(PORT)
up: setup ui
	$(UV) run dataops up --port $(PORT)

## Install everything (system packages for the test servers included) and run the test suite
test: system-deps setup ui
	$(UV) run pytest

setup: python-deps web-deps

python-deps:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

web-deps: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

ui: $(UI_DIST)

$(UI_DIST): web/node_modules/.package-lock.json $(UI_SOURCES)
	cd web && npm run build

system-deps:
	@bash scripts/system-deps.sh

## Static checks: ruff, mypy (strict on src/), import layers, the UI's lint and unit tests
lint: setup
	$(UV) run ruff check src tests benchmarks
	$(UV) run ruff format --check src tests benchmarks
	$(UV) run mypy
	$(UV) run lint-imports
	cd web && npm run gen:api && npm run lint && npm test

format: python-deps
	$(UV) run ruff format src tests benchmarks
	$(UV) run ruff check --fix src tests benchmarks

## Regenerate web/openapi.json (the UI's typed client is generated from it)
openapi: python-deps
	$(UV) run dataops openapi --output web/openapi.json

clean:
	rm -rf src/dataops/web/dist web/node_modules .venv test-results

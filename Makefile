# Targets match the README.
.PHONY: setup demo run ui test lint docs bench

setup:
	bash scripts/setup.sh

demo:
	uv run praevention demo --out reports/demo

run:
	uv run praevention run --raw-dir ../shared/data

ui:
	DAGSTER_HOME=$(CURDIR)/data/dagster_home uv run dagster dev -w workspace.yaml -h 127.0.0.1

test:
	uv run pytest

lint:
	uv run ruff check . && uv run ruff format --check .

docs:
	uv run python -m praevention.tables > docs/data-dictionary.md

bench:
	uv run python benchmarks/run.py

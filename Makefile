# perfkit: `make demo` and `make test` each set themselves up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := data/samples/demo-zh
OUT := build/demo
# perfkit is installed in place (-e): its bytecode is not written at install, and never at all
# where PYTHONDONTWRITEBYTECODE is set; every process (command, kernel) would compile it again.
BYTECODE := $(BIN)/python -m compileall -q src/perfkit

.PHONY: demo test test-fast bench lint samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BYTECODE)
	$(BIN)/perfkit sample $(OUT)/client --employees 300 --seed 7 --lang zh
	$(BIN)/perfkit report $(OUT)/client --out $(OUT)/reports --format html,pdf
	@echo "open $(OUT)/reports/client/report.html"

test: $(STAMP)
	$(BYTECODE)
	$(BIN)/python -m pytest -n 2 -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow and not browser and not pdf"

bench: $(STAMP)
	$(BYTECODE)
	$(BIN)/python -m benchmarks.run

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

samples: $(STAMP)
	$(BIN)/perfkit sample data/samples/demo-zh --employees 600 --seed 1 --lang zh
	$(BIN)/perfkit sample data/samples/demo-en --employees 300 --seed 2 --lang en

clean:
	rm -rf $(VENV) build .pytest_cache

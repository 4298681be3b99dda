# mesodesk — the two commands (run, test) and their companions (check, bench).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench clean dist dist-test

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 requis")'
	@bash scripts/system-libs.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

run: $(STAMP)
	@bash scripts/system-libs.sh --window
	$(BIN)/mesodesk

test: $(STAMP)
	@bash scripts/test-suite.sh

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The application bundle: dist/mesodesk/ (runs without Python) and its .tar.gz.
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DIST_STAMP := $(VENV)/.dist-installed
BUNDLE := dist/mesodesk/mesodesk
ARCHIVE := dist/mesodesk-$(VERSION)-linux-$(shell uname -m).tar.gz
SOURCES := $(shell find mesodesk_app mesodesk db reports ui packaging -type f -not -path '*/__pycache__/*')

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	@touch $(DIST_STAMP)

$(BUNDLE): $(DIST_STAMP) $(SOURCES) pyproject.toml
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/mesodesk.spec
	cp packaging/linux/mesodesk.desktop packaging/linux/installer.sh dist/mesodesk/
	@touch $(BUNDLE)

$(ARCHIVE): $(BUNDLE)
	tar -C dist -czf $(ARCHIVE) mesodesk
	@du -sh dist/mesodesk $(ARCHIVE)

dist: $(ARCHIVE)

dist-test: dist
	@bash scripts/system-libs.sh --xvfb
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m dist tests/dist

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

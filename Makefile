# Two commands on a fresh machine with python3 and make: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ROOT ?= .
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install system-deps serve index test soak lint bench clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the project needs (browser tests, fonts, ...); only the missing ones are installed.
# One package per line, so that adding one is a one-line change.  A package whose command is already
# on the PATH counts as present (e.g. npm bundled with a NodeSource nodejs, which Debian's npm conflicts with).
DEBIAN_PACKAGES := \
	chromium \
	fonts-noto-cjk \
	git \
	libreoffice-writer \
	libreoffice-impress \
	libreoffice-calc \
	poppler-utils \
	zbar-tools \
	nodejs \
	npm \
	ffmpeg

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || command -v $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

index: install
	$(BIN)/archive --root $(ROOT) index

serve: install index
	$(BIN)/archive --root $(ROOT) serve --host $(HOST) --port $(PORT)

# The accessibility and HTML checkers the tests run (axe-core, html-validate), pinned by the lock file.
A11Y := tools/a11y/node_modules/.package-lock.json
$(A11Y): tools/a11y/package-lock.json
	cd tools/a11y && npm ci --no-audit --no-fund --silent

# Tests run on every core (pytest-xdist; a module's tests stay on one worker, so its module-scoped
# fixtures are built once); TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto

test: install system-deps $(A11Y)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadscope

# Slow load and fault runs (50 readers and 5 archivists on 2,000 stories; SIGKILLs during saves,
# uploads and rebuilds); SOAK_SECONDS and SOAK_KILLS set their length.
soak: install system-deps
	$(BIN)/pytest -q -s -p no:cacheprovider soak

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf search_index cache .pytest_cache test-artifacts

# Two commands on a fresh Debian/Ubuntu machine: `make run` and `make test`.
# Both install what is missing (system packages through apt, Python packages into .venv).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make-stamps
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup system run test test-long screenshots bench bundle clean

# The system script checks each package with dpkg and installs only what is missing: cheap to run.
system:
	@bash scripts/setup-system.sh

$(STAMPS)/venv: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,package]'
	@mkdir -p $(STAMPS) && touch $@

setup: system $(STAMPS)/venv

run: setup
	@bash scripts/run-kiosk.sh

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

test-long: setup
	KIOSK_LONG_TESTS=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

screenshots: setup
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) -m app.ui.screenshots docs/screenshots
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) -m app.ui.screens.admin docs/screenshots

bench: setup
	@for b in benchmarks/*.py; do echo "== $$b"; QT_QPA_PLATFORM=offscreen $(PY) $$b; done

# One-folder bundle in dist/kiosk (about 1.5 min cold on two cores, ~490 MB). PyInstaller's
# work folder build/pyinstaller is kept: tests/test_bundle.py reuses it (and dist/kiosk).
bundle: setup
	$(VENV)/bin/pyinstaller --noconfirm --workpath build/pyinstaller --distpath dist kiosk.spec

clean:
	rm -rf $(STAMPS) build dist .pytest_cache

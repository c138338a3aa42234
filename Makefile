# firstcontact — `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test deps deps-run lint typecheck pytest package package-test soak catalogs check-strings bench bench-store bench-pack bench-startup bench-case bench-cli bench-sync bench-sync-load clean translations

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-package: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[package,postgresql]'
	@touch $@ $(VENV)/.installed-run

run: deps-run $(VENV)/.installed-run catalogs ## Create .venv if needed, install, and start the app on its default data directory
	$(BIN)/firstcontact

deps-run: ## Install the Debian packages a window needs (packaging/debian-packages.txt), only those missing
	@bash packaging/install-debian-deps.sh packaging/debian-packages.txt

deps: ## Install the Debian packages the app and the tests need, only those missing
	@bash packaging/install-debian-deps.sh packaging/debian-packages.txt packaging/debian-packages-test.txt

lint: $(VENV)/.installed-test ## ruff on src, tests, bench and the translation tools
	$(BIN)/ruff check src tests bench translations

typecheck: $(VENV)/.installed-test ## mypy --strict on src
	$(BIN)/mypy --strict src/firstcontact

pytest: $(VENV)/.installed-test catalogs ## pytest only (offscreen Qt)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_ARGS)

test: deps lint typecheck check-strings package pytest ## Everything CI runs: Debian deps, ruff, mypy --strict, the translation templates, the packaged build, pytest (the build's tests too)

package: deps $(VENV)/.installed-package ## Build the one-folder app into dist/firstcontact/ (PyInstaller; about 2 minutes)
	$(BIN)/pyinstaller --noconfirm --log-level ERROR --distpath dist --workpath build/pyinstaller packaging/pyinstaller/firstcontact.spec
	@echo "built dist/firstcontact/ (firstcontact, firstcontact-hub, install.sh)"

package-test: package $(VENV)/.installed-test ## Build, then run the build's tests only (tests/package: outside the venv)
	FIRSTCONTACT_PACKAGE_TEST=1 QT_QPA_PLATFORM=offscreen $(BIN)/pytest tests/package

soak: $(VENV)/.installed-test ## The reliability suite at full size (10,000 kill -9 autosaves, 1,000 round trips, a long faulty sync; about 7 minutes)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.soak

bench-store: $(VENV)/.installed-run ## Store benchmark: unlock, autosave p50/p95, ratio to plain SQLite
	$(BIN)/python bench/store.py

bench-startup: $(VENV)/.installed-run ## GUI cold start vs a bare PySide6 window; case list of 10,000
	$(BIN)/python bench/startup.py

bench-pack: $(VENV)/.installed-run ## Referral pack render + encryption vs a plain reportlab baseline
	$(BIN)/python bench/pack.py

bench-case: $(VENV)/.installed-run ## Answer save through the app vs the bare store write; opening a case of 60 answers
	$(BIN)/python bench/case.py

bench-cli: $(VENV)/.installed-run ## The command line's start vs a bare Python start (and the packaged build's)
	$(BIN)/python bench/cli.py

bench-sync: $(VENV)/.installed-test ## Sync: 1,000 envelopes of ~20 KB to a hub on loopback vs raw HTTP; resume after kill -9
	$(BIN)/python bench/sync.py

bench-sync-load: deps $(VENV)/.installed-test ## Sync load: 20 devices x 500 cases x 3 revisions at once, SQLite and PostgreSQL (a few minutes)
	$(BIN)/python bench/sync.py --load

bench: $(VENV)/.installed-test ## Every benchmark in bench/, one table, JSON in bench/results/ (bench-sync-load is separate: long)
	$(BIN)/python bench/_run.py

translations: $(VENV)/.installed-run ## Extract the code's and the data's strings into translations/*.pot, merge them into every catalog, compile
	$(BIN)/python translations/catalogs.py update
	$(BIN)/python translations/catalogs.py compile

# The compiled catalogs (src/firstcontact/locale/, not committed): rebuilt when a catalog changes.
CATALOGS := $(wildcard translations/*/LC_MESSAGES/*.po)
catalogs: src/firstcontact/locale/.compiled ## Compile the translation catalogs the app reads
src/firstcontact/locale/.compiled: $(CATALOGS) translations/catalogs.py | $(VENV)/.installed-run
	$(BIN)/python translations/catalogs.py compile
	@mkdir -p src/firstcontact/locale && touch $@

check-strings: $(VENV)/.installed-run ## Fail when a template is out of date with the code or the data, or a catalog has errors
	$(BIN)/python translations/catalogs.py check

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist src/*.egg-info

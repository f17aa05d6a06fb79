# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_LOG := $(VENV)/pip.log

.PHONY: run test lint format check install install-test clean demo serve bench bench-ci wrk gettext

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip > /dev/null

# Stamps make a second `make` a no-op until pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e . > $(PIP_LOG) 2>&1 || (cat $(PIP_LOG); exit 1)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]" > $(PIP_LOG) 2>&1 || (cat $(PIP_LOG); exit 1)
	touch $(VENV)/.installed $@

# Test-only checkers (axe-core, the Nu Html Checker), pinned in package-lock.json.
node_modules/.installed: package-lock.json
	@if command -v npm > /dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: accessibility and HTML checks will be skipped (apt-get install npm)."; \
	fi

# The translations (locale/<language>/LC_MESSAGES/django.po), compiled to the .mo files
# Django reads; built here, never committed. Each .mo is its own stamp.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed gettext
	$(BIN)/python manage.py compilemessages --locale $* --ignore .venv --ignore node_modules --verbosity 0
	touch $@

gettext:
	@command -v msgfmt > /dev/null || (apt-get update -qq && apt-get install -y -qq gettext > /dev/null 2>&1) \
		|| { echo "msgfmt is needed to compile the translations: apt-get install gettext"; exit 1; }

install: $(VENV)/.installed $(MO_FILES)
install-test: $(VENV)/.installed-test $(MO_FILES)

run: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_catalogue
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# A small generated community (demo-fan-NNNNNN accounts) on top of the catalogue.
demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_catalogue
	$(BIN)/python manage.py seed_community --users 300 --reviews 2000 --collections 150
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production settings under gunicorn: SECRET_KEY and ALLOWED_HOSTS must be set, and
# DATABASE_URL / REDIS_URL point at PostgreSQL and Redis (README: "Production").
serve: install
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(BIN)/python manage.py migrate --verbosity 0
	DEBUG=false CACHE_KEY_PREFIX=$${CACHE_KEY_PREFIX:-leonsite-$$(git rev-parse --short HEAD 2>/dev/null)} \
		$(BIN)/gunicorn leonsite.wsgi:application --config python:leonsite.gunicorn

# The scale benchmark (bench/run.py): report in bench/results/.
bench: install wrk
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The same at about 5,000 reviews with loose floors: CI runs it to catch regressions.
bench-ci: install wrk
	$(BIN)/python -m bench.run --ci $(BENCH_ARGS)

wrk:
	@command -v wrk > /dev/null || (apt-get update -qq && apt-get install -y -qq wrk > /dev/null 2>&1) \
		|| { echo "wrk is needed: apt-get install wrk"; exit 1; }

# The suite runs on every core (pytest-xdist); then the tests marked `alone`, which time
# the site, run by themselves. pytest's status 5 means PYTEST_ARGS chose none of a kind.
TEST_WORKERS ?= auto
test: install-test $(MO_FILES) node_modules/.installed lint check
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not alone" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/pytest -m alone $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Page budgets (README: "Page budgets"): Lighthouse on four pages under production settings;
# `make test` runs the same test alone, after the others. Reports in test-artifacts/budgets/.
.PHONY: budgets
budgets: install-test $(MO_FILES) node_modules/.installed
	$(BIN)/pytest tests/browser/test_budgets.py $(PYTEST_ARGS)

# Style, the rooms' import contracts (pyproject.toml) and the types.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-test
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts $(MO_FILES)

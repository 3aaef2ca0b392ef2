# leicester_perf: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEV := DJANGO_DEBUG=1

.PHONY: install run test test-sqlite test-postgres lint format migrations-check clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

run: install
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py load_seed_plans
	$(DEV) $(PY) manage.py create_demo_accounts
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite, on SQLite and then on a throwaway PostgreSQL server.
test: install lint test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: install
	scripts/with-postgres.sh $(PY) -m pytest

lint: install migrations-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis

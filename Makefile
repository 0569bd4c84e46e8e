# Takwin: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: setup system-deps run test lint check messages screenshots clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

system-deps:
	@bin/system-deps

setup: system-deps $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py extract_document_texts
	$(PY) manage.py update_index -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	@PORT=$(PORT) bin/run

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: setup lint check
	$(VENV)/bin/pytest -q --ds=config.settings.test -n 2 --durations=25 $(PYTEST_ARGS)

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l ar -l fr --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules --no-obsolete

clean:
	rm -rf $(VENV) var

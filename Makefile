# Pathway: `make run` (set up, migrate, seed demo data, serve) and `make test` (set up, run every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
GOVUK := static/govuk

.PHONY: install python-deps assets browser translations translations-update mutate run test test-sqlite test-postgres serve bench audit clean diagram reset-demo

install: python-deps assets browser translations  ## idempotent set-up: .venv, Python packages, GOV.UK assets, Chromium, compiled catalogues

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

assets: $(GOVUK)/.installed
$(GOVUK)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(GOVUK) static/fonts static/images && mkdir -p $(GOVUK)
	cp -R node_modules/govuk-frontend/dist/govuk/assets/. $(GOVUK)/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(GOVUK)/
	# The precompiled CSS asks for /assets/fonts/... and /assets/images/...: put them where it looks.
	cp -R node_modules/govuk-frontend/dist/govuk/assets/fonts node_modules/govuk-frontend/dist/govuk/assets/images static/
	touch $@

# Languages (issue 15): the catalogues in pathway/translations are text (.po); the binary .mo files
# the application reads are compiled here, never committed.
TRANSLATIONS := pathway/translations
translations: python-deps
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

# After marking new strings: extract every message (Python, forms, templates) and merge it into the
# Welsh catalogue, whose new entries then need a translation (tests/test_translations.py fails until then).
translations-update: python-deps
	$(BIN)/pybabel -q extract -F $(TRANSLATIONS)/babel.cfg -k msg -k lazy_gettext -k _l -c Translators: \
	  --no-wrap --sort-output --add-location=file --project Pathway -o $(TRANSLATIONS)/messages.pot .
	test -f $(TRANSLATIONS)/cy/LC_MESSAGES/messages.po || \
	  $(BIN)/pybabel -q init --no-wrap -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l cy
	$(BIN)/pybabel -q update --no-wrap --no-fuzzy-matching -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l cy

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
# The board pack's PDF (WeasyPrint) needs Pango, which Chromium's packages bring; asked for by name too.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0
browser:
	@if command -v chromium >/dev/null 2>&1 && /sbin/ldconfig -p | grep -q libpangoft2-1.0; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null) \
	    || echo "warning: could not install $(SYSTEM_PACKAGES); browser tests will be skipped"; \
	else echo "note: chromium or Pango not installed and not root; browser tests (and the pack's PDF) will not work"; fi

run: install
	PATHWAY_ENV=development $(FLASK) db upgrade
	PATHWAY_ENV=development $(FLASK) rebuild-projection
	PATHWAY_ENV=development $(FLASK) seed-demo --if-empty
	PATHWAY_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

# Start again with fresh demo data: only the default SQLite file, never a DATABASE_URL you named.
reset-demo: install
	@if [ -n "$$DATABASE_URL" ]; then echo "DATABASE_URL is set: reset-demo only replaces instance/pathway.db"; exit 1; fi
	rm -f instance/pathway.db
	PATHWAY_ENV=development $(FLASK) db upgrade
	PATHWAY_ENV=development $(FLASK) seed-demo

# Every test on SQLite; then, when TEST_DATABASE_URL names a PostgreSQL database, every test again there.
test: install
	$(BIN)/pytest -q -p no:cacheprovider
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL =="; \
	  PATHWAY_TEST_BACKEND=postgresql $(BIN)/pytest -q -p no:cacheprovider; \
	fi

# Production-style: several gunicorn workers (set DATABASE_URL and SECRET_KEY). On PostgreSQL set
# MIGRATION_DATABASE_URL to the owner too: the migrations run as the owner, which then grants the
# application's role (DATABASE_URL's user, created if missing) only what it needs (grant-app-role).
serve: install
	@if [ -n "$$MIGRATION_DATABASE_URL" ]; then \
	  DATABASE_URL="$$MIGRATION_DATABASE_URL" $(FLASK) db upgrade && \
	  DATABASE_URL="$$MIGRATION_DATABASE_URL" APP_DATABASE_URL="$$DATABASE_URL" $(FLASK) grant-app-role; \
	else \
	  case "$$DATABASE_URL" in postgres*) echo "warning: MIGRATION_DATABASE_URL is not set, so Pathway connects as the owner of its tables; see the README (Production)";; esac; \
	  $(FLASK) db upgrade; \
	fi
	$(FLASK) rebuild-projection
	$(BIN)/gunicorn --workers $${WORKERS:-4} --bind $${BIND:-127.0.0.1:8000} --access-logfile - wsgi:app

# Known vulnerabilities in the installed packages; skipped with a message when the database is unreachable.
audit: python-deps
	$(BIN)/python scripts/audit_dependencies.py

# The README's picture of the pathway, drawn from pathway/workflow.py (tests/test_guide.py checks it is current).
diagram: python-deps
	$(BIN)/python scripts/pathway_diagram.py england
	$(BIN)/python scripts/pathway_diagram.py wales

bench: install
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(GOVUK) static/fonts static/images instance

# Mutation testing (issue 18; README "Mutation testing"): not part of `make test`, it takes long.
# mutmut (configured in pyproject [tool.mutmut]) changes the core modules one small step at a time and
# runs the fast tests covering each changed function, one worker at a time and one module at a time;
# then prints per module: mutants, killed, survived, score, and the names of the surviving mutants.
# MODULES=pathway.timescales limits the run to one module; mutmut keeps results in mutants/.
MUTATE_MODULES := pathway.timescales pathway.queues.rules pathway.reports.definitions \
  pathway.reports.suppression pathway.reports.facts pathway.workflow pathway.services
MODULES ?= $(MUTATE_MODULES)
mutate: python-deps
	@for m in $(MODULES); do echo "== $$m"; \
	  start=$$(date +%s); $(BIN)/mutmut run --max-children 1 "$$m.*" >/dev/null 2>&1 || true; \
	  echo "   $$m took $$(( $$(date +%s) - start )) s"; done
	@$(BIN)/python scripts/mutation_table.py $(BIN)/mutmut

# SafeWard: `make demo` sets everything up and serves on http://127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
VENDOR := src/safeward/web/static/vendor
export SAFEWARD_DEMO_MODE ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint pytest serve assets install bench messages clean fuzz cluster

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(VENDOR)/.built: package.json package-lock.json src/safeward/geo/land.py | $(STAMP)
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	mkdir -p $(VENDOR)/images && cp node_modules/leaflet/dist/images/* $(VENDOR)/images/
	cp node_modules/chart.js/dist/chart.umd.js $(VENDOR)/chart.umd.js
	mkdir -p $(VENDOR)/geo
	node_modules/.bin/topo2geo countries=$(VENDOR)/geo/countries.geojson < node_modules/world-atlas/countries-10m.json
	$(PY) -m safeward.geo.land build $(VENDOR)/geo/countries.geojson $(VENDOR)/geo
	rm $(VENDOR)/geo/countries.geojson
	cp node_modules/world-atlas/LICENSE $(VENDOR)/geo/LICENSE-world-atlas
	touch $@

# Hashed, compressed copies of every static file (served with a year's caching).
STATIC_SOURCES := $(shell find src/safeward -path '*/static/*' -type f -not -path '$(VENDOR)/*' 2>/dev/null)
var/static/staticfiles.json: $(VENDOR)/.built $(STATIC_SOURCES) | $(STAMP)
	mkdir -p var
	$(PY) manage.py collectstatic --noinput -v0

assets: $(VENDOR)/.built var/static/staticfiles.json

# The demo's text messages go to local outboxes (one JSON line each) unless gateways are set.
demo: export SAFEWARD_SMS_GATEWAY_URL ?= file://$(CURDIR)/var/outbox/sms.jsonl
demo: export SAFEWARD_ZALO_GATEWAY_URL ?= file://$(CURDIR)/var/outbox/zalo.jsonl
demo: install assets
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# nginx, two web instances, two RQ workers, PostgreSQL primary + replica, Redis and S3
# object storage (SeaweedFS), all on 127.0.0.1, with the demo loaded; Ctrl-C stops them all.
cluster: install assets
	$(PY) manage.py cluster --demo --port $(PORT)

serve: install assets
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py check
	SAFEWARD_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) SAFEWARD_SECURE_COOKIES=1 SAFEWARD_SSL_REDIRECT=1 SAFEWARD_HSTS_SECONDS=31536000 $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

pytest: install assets
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

messages: install
	cd src/safeward && ../../$(PY) ../../manage.py makemessages -l vi -l en -l ar --no-obsolete --no-location -i "*/migrations/*" && ../../$(PY) ../../manage.py compilemessages

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Every check over the whole OpenAPI schema, as three personas, on a throwaway database.
# Budget: FUZZ_EXAMPLES cases per operation, FUZZ_SECONDS per persona.
FUZZ_EXAMPLES ?= 100
FUZZ_SECONDS ?= 600
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SECONDS=$(FUZZ_SECONDS) $(PY) tests/fuzz/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var

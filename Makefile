# A thin wrapper over the CMake presets for people who type 'make'.
#   make run    build and serve the demo project (examples/blog) on :1337
#   make test   every test suite, on the dev build and under ASan+UBSan
PRESET ?= dev
BIN = build/$(PRESET)/tollgate
DEMO = examples/blog

.PHONY: all build deps test-deps run test test-dev test-asan unit http http-pg browser asan release fuzz lint clean

all: build

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps --test

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

run: build
	@test -f $(DEMO)/.env || ($(BIN) new $(DEMO) --no-example >/dev/null && \
		mkdir -p $(DEMO)/src && cp -R tests/fixtures/src/api $(DEMO)/src/ && \
		echo "created the demo project in $(DEMO)")
	$(BIN) serve --dir $(DEMO)

# The full suite: unit tests (storage contract tests on SQLite and
# PostgreSQL), fuzz corpus replays and the black-box HTTP suite on SQLite
# and on PostgreSQL, first on the dev build, then on the ASan+UBSan build;
# the admin panel's browser tests (headless Chromium) on the dev build.
# A throw-away PostgreSQL cluster (scripts/with-test-postgres) serves both.
test: test-deps
	@scripts/with-test-postgres $(MAKE) --no-print-directory test-dev test-asan

test-dev:
	@$(MAKE) --no-print-directory PRESET=dev unit http http-pg browser

test-asan:
	@$(MAKE) --no-print-directory PRESET=asan unit http http-pg

unit:
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)
	ctest --preset $(PRESET)

http:
	env -u TOLLGATE_TEST_PG_URL TOLLGATE_BIN=$(CURDIR)/$(BIN) node --test tests/http/

# The HTTP suite again with every project on PostgreSQL.
http-pg:
	@test -n "$$TOLLGATE_TEST_PG_URL" || { echo "http-pg: set TOLLGATE_TEST_PG_URL (or run: scripts/with-test-postgres make http-pg)" >&2; exit 1; }
	TOLLGATE_BIN=$(CURDIR)/$(BIN) node --test tests/http/

browser:
	env -u TOLLGATE_TEST_PG_URL TOLLGATE_BIN=$(CURDIR)/$(BIN) node --test tests/browser/

asan:
	@$(MAKE) --no-print-directory PRESET=asan build

release:
	@$(MAKE) --no-print-directory PRESET=release build

fuzz: test-deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz
	@for t in build/fuzz/fuzz_*; do case $$t in *_replay) continue;; esac; \
		n=$${t##*/fuzz_}; mkdir -p tests/fuzz/corpus/$$n; \
		$$t -max_total_time=30 tests/fuzz/corpus/$$n || exit 1; done

lint:
	@scripts/check-adapters.sh

clean:
	rm -rf build

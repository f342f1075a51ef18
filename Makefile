# Two commands set everything up on a fresh Debian 12 machine: `make demo` and `make test`.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PACKAGES := build-essential cmake ninja-build pkg-config python3 \
  libicu-dev nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev libcli11-dev \
  libsqlite3-dev libcurl4-openssl-dev libpq-dev postgresql-15 libssl-dev libxxhash-dev libjemalloc-dev libgtest-dev libgmock-dev \
  ccache clang-format chromium libboost-dev wrk nginx-light mecab libmecab-dev mecab-ipadic-utf8 clang
# Node.js for the browser tests: Debian's nodejs and npm, unless a Node.js with npm is already there
# (NodeSource's nodejs ships npm and conflicts with Debian's npm package).
NODE_PACKAGES := $(shell command -v npm >/dev/null 2>&1 || echo nodejs npm)
DEMO_HOME ?= $(BUILD)/demo-home

.PHONY: deps browser-deps build build-tests demo demo-serve test package package-test cluster cluster-test bench eval format format-check clean fuzz fuzz-replay \
  sanitize sanitize-asan sanitize-tsan kill-test

# Installs the Debian packages the build needs, only when some are missing (idempotent).
deps:
	@missing=$$(for p in $(DEB_PACKAGES) $(NODE_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCLEARANCE_BUILD_TESTS=ON

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@rm -rf $(DEMO_HOME)
	./scripts/demo.sh $(BUILD)/clearance $(DEMO_HOME)

# The analyst page on the demo's data, in the foreground (Ctrl-C stops it); run `make demo` first.
demo-serve: build
	@[ -d $(DEMO_HOME) ] || { echo "run make demo first"; exit 1; }
	@cat $(DEMO_HOME)/demo-keys.txt
	$(BUILD)/clearance --home $(DEMO_HOME) serve --listen 127.0.0.1:$${PORT:-8080}

# playwright-core (pinned in tests/browser/package-lock.json) drives Debian's Chromium.
browser-deps: deps
	@[ -d tests/browser/node_modules/playwright-core ] && [ -d tests/browser/node_modules/ajv ] && [ -d tests/browser/node_modules/axe-core ] || (cd tests/browser && npm ci --no-audit --no-fund)

test: build browser-deps
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# A Debian package (CPack): the binary, the bundled data and page, the systemd unit, the nginx sample.
PACKAGE_DIR := $(BUILD)/package
package: build
	@rm -f $(PACKAGE_DIR)/*.deb
	cd $(BUILD) && cpack -G DEB -B package >/dev/null
	@ls $(PACKAGE_DIR)/*.deb

# Installs the package with dpkg, serves and calls the installed binary, removes it (needs root or sudo).
package-test: package
	tests/package/package_test.sh $$(ls $(PACKAGE_DIR)/clearance_*.deb)

# Three replicas on a throw-away PostgreSQL behind nginx on loopback, until Ctrl-C (scripts/cluster.sh).
cluster: build
	scripts/cluster.sh --bin $(BUILD)/clearance

# Load through nginx while one replica is killed (SIGKILL) and restarted: zero failed requests,
# the audit chain verifies, one record per answer (tests/cluster/cluster_test.sh).
# No per-key rate limit: on a quiet machine the load would meet it (429), which is not what the test is about.
cluster-test: build
	CLUSTER_SERVE_OPTIONS="--rate-limit 0" scripts/cluster.sh --bin $(BUILD)/clearance -- tests/cluster/cluster_test.sh

# SIGKILL at random moments of lists import, lists update, a recorded batch screening and the server
# under load; after each kill the home opens, the last good snapshot is in force, the chain verifies
# and every answer received has its record (scripts/kill_loop.py, docs/RELIABILITY.md).
KILLS_PER_KIND ?= 13
kill-test: build
	./scripts/kill_loop.py $(BUILD)/clearance --shared ../shared/data --kills $(KILLS_PER_KIND)

bench: build
	./scripts/bench.sh $(BUILD)

eval: build
	../shared/eval/run.sh $(BUILD)/clearance ../shared/eval/screening-dev.csv --threshold 0.82
	../shared/eval/run.sh $(BUILD)/clearance ../shared/eval/cross-script-dev.csv --threshold 0.82
	../shared/eval/run.sh $(BUILD)/clearance ../shared/eval/world-scripts-dev.csv --threshold 0.82

# Sanitizer and fuzz jobs (docs/RELIABILITY.md), each in a clang build directory of its own. One
# ASan+UBSan build serves the whole test suite and the libFuzzer targets (fuzz/).
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_SECONDS ?= 60
FUZZ_REPLAY_SECONDS ?= 5

$(ASAN_BUILD)/build.ninja: CMakeLists.txt
	CXX=clang++ cmake -S . -B $(ASAN_BUILD) -G Ninja -DCLEARANCE_BUILD_TESTS=ON -DCLEARANCE_FUZZ=ON \
	  -DCLEARANCE_SANITIZE=address,undefined

$(TSAN_BUILD)/build.ninja: CMakeLists.txt
	CXX=clang++ cmake -S . -B $(TSAN_BUILD) -G Ninja -DCLEARANCE_BUILD_TESTS=ON -DCLEARANCE_SANITIZE=thread \
	  "-DCLEARANCE_TEST_DIRS=tests/server;tests/store;tests/match"

sanitize: sanitize-asan sanitize-tsan

sanitize-asan: deps browser-deps $(ASAN_BUILD)/build.ninja
	JOBS=$(JOBS) ./scripts/sanitize.sh asan $(ASAN_BUILD)

sanitize-tsan: deps $(TSAN_BUILD)/build.ninja
	JOBS=$(JOBS) ./scripts/sanitize.sh tsan $(TSAN_BUILD)

# Every target for FUZZ_SECONDS, seeded from ../shared/data and data/ (FUZZ_TARGETS="csl_csv http" for some).
fuzz: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target fuzz_targets clearance
	./scripts/fuzz.py run $(ASAN_BUILD) $(FUZZ_SECONDS)

# What CI runs: every committed input once, then FUZZ_REPLAY_SECONDS of fuzzing per target.
fuzz-replay: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target fuzz_targets
	./scripts/fuzz.py replay $(ASAN_BUILD) $(FUZZ_REPLAY_SECONDS)

# Every C++ file follows .clang-format; CI fails on a file that does not.
CXX_SOURCES = $$(git ls-files '*.cpp' '*.hpp')
format:
	clang-format -i $(CXX_SOURCES)

format-check: deps
	clang-format --dry-run --Werror $(CXX_SOURCES)

clean:
	rm -rf $(BUILD)

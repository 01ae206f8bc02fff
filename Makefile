# rill's front door. Every target that needs the Debian packages installs what is missing.
#   make run      build and start rill-server on 127.0.0.1:6379
#   make test     build, run every test, then again under AddressSanitizer + UBSan
#   make compat   differential tests against real Redis, and Redis's own Tcl suite
#   make bench    benchmarks against real Redis started in the same run
JOBS ?= $(shell nproc)
BUILD := build
ASAN_BUILD := build-asan

.PHONY: all deps build build-asan run test test-release test-asan compat compat-diff compat-tcl bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRILL_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

run: build
	./$(BUILD)/rill-server --port 6379 --bind 127.0.0.1

test: test-release test-asan compat-diff

test-release: build
	cd $(BUILD) && ctest --output-on-failure

test-asan: build-asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure

compat-diff: build
	python3 redis-compat/diff_runner.py --rill $(BUILD)/rill-server

compat-tcl: build
	redis-compat/run_tcl_suite.sh $(BUILD)/rill-server

compat: compat-diff compat-tcl

bench: build
	bench/run.sh $(BUILD)/rill-server
	python3 bench/memory.py $(BUILD)/rill-server --kind stream
	python3 bench/memory.py $(BUILD)/rill-server --kind list
	python3 bench/memory.py $(BUILD)/rill-server --kind string

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

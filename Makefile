# The two commands a new machine needs (see README):
#   make demo   build custody and walk through hash, sign, verify and tamper detection
#   make test   build, install the interop peers, run every test (and again under ASan/UBSan)
BUILD      ?= build
BUILD_ASAN ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all bootstrap build demo test test-asan peers bench fuzz clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD)

demo: build
	@scripts/demo $(BUILD)/custody

peers: bootstrap
	@scripts/npm-peers

test: build peers
	cd $(BUILD) && ctest --output-on-failure -j2
	$(MAKE) --no-print-directory test-asan

# The unit and command-line suites again, built with AddressSanitizer and UBSan.
test-asan: bootstrap
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCUSTODY_SANITIZE=ON -DCUSTODY_BENCH=OFF
	cmake --build $(BUILD_ASAN)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 CUSTODY_TEST_SAMPLE=10 ctest --output-on-failure -j2 -L 'unit|cli|fuzz'

# Long benchmarks: not part of `make test`.
bench: build
	bench/hash_bench.sh $(BUILD)/custody
	$(BUILD)/bench/rego_bench
	$(BUILD)/bench/tlog_bench
	$(BUILD)/bench/gate_bench
	bench/drift_bench.sh $(BUILD)/custody
	bench/iforest_bench.sh $(BUILD)/custody
	bench/scan_bench.sh $(BUILD)/custody

fuzz: bootstrap
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCUSTODY_FUZZ=ON -DCUSTODY_BENCH=OFF -DBUILD_TESTING=OFF
	cmake --build build-fuzz
	scripts/fuzz build-fuzz

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz

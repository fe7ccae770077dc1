# SPDX-License-Identifier: MIT
# Convenience front end over CMake.  `make` builds everything into build/;
# `make demo`, `make test`, `make bench`; `make NAME` builds one program.
# The build tree's own make lines (Entering/Leaving directory) are noise here.
MAKEFLAGS += --no-print-directory
BUILD     ?= build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all configure demo test test-sanitize bench install clean
all: configure
	cmake --build $(BUILD) -j $(JOBS)

configure: $(BUILD)/CMakeCache.txt
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)

demo: all
	scripts/demo.sh $(BUILD)

test: all
	cd $(BUILD) && ctest -j 2 --output-on-failure

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize:
	$(MAKE) BUILD=build-sanitize CMAKE_ARGS="-DSOCKLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" test

bench: all
	bench/run.sh $(BUILD)

install: all
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) build-sanitize

# Anything else names a program or target: `make tcpserv04`.
Makefile: ;
%: configure
	cmake --build $(BUILD) --target $@

# clientpass — build, demo and test on Debian 12 with Swift 6.
SWIFT ?= swift
DEMO_DIR ?= .run/demo
# Debian packages the build and the tests need (Dovecot, nginx and Python are for the end-to-end
# tests, which start their own instances on free loopback ports; man and the shells are for the
# tests of the man pages and completions).
DEB_PACKAGES = libsodium-dev libsqlite3-dev pkg-config \
	dovecot-imapd dovecot-pop3d dovecot-submissiond dovecot-auth-lua nginx libnginx-mod-mail python3 \
	man-db bash zsh fish

.PHONY: all deps build run test reference bench clean

all: build

# Installs the Debian packages in $(1) that are missing (with sudo when not root).
define install-packages
	@missing=""; \
	for package in $(1); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $$sudo apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install-packages,$(DEB_PACKAGES))

build: deps
	$(SWIFT) build

# Builds clientpass and shows it working on a demo store in $(DEMO_DIR).
run: build
	./scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/clientpass" "$(DEMO_DIR)"

# Fails first when man/ or completions/ no longer match the CLI's help.
test: deps
	SWIFT=$(SWIFT) ./scripts/generate-reference.sh --check
	$(SWIFT) test

# Regenerates man/ and completions/ from the CLI's help; commit the result.
reference: deps
	SWIFT=$(SWIFT) ./scripts/generate-reference.sh

# Measures login decisions against the Argon2id limit on this machine (release build, linked
# statically as installed); prints a table and writes $(BENCH_JSON). Not part of `make test`.
BENCH_JSON ?= .run/bench.json
BENCH_FLAGS ?=
bench: deps
	$(call install-packages,wrk)
	$(SWIFT) build -c release --static-swift-stdlib --product clientpass
	$(SWIFT) build -c release --static-swift-stdlib --product clientpass-bench
	@mkdir -p "$$(dirname "$(BENCH_JSON)")"
	bin="$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)"; \
	"$$bin/clientpass-bench" --clientpass "$$bin/clientpass" --json "$(BENCH_JSON)" $(BENCH_FLAGS)

clean:
	rm -rf .build .run

# clientpass — build, demo and test on Debian 12 with Swift 6.
SWIFT ?= swift
DEMO_DIR ?= .run/demo
# Debian packages the build and the tests need (Dovecot, nginx and Python are for the end-to-end
# tests, which start their own instances on free loopback ports).
DEB_PACKAGES = libsodium-dev libsqlite3-dev pkg-config \
	dovecot-imapd dovecot-pop3d dovecot-submissiond dovecot-auth-lua nginx libnginx-mod-mail python3

.PHONY: all deps build run test clean

all: build

# Installs the Debian packages that are missing (with sudo when not root).
deps:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# Builds clientpass and shows it working on a demo store in $(DEMO_DIR).
run: build
	./scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/clientpass" "$(DEMO_DIR)"

test: deps
	$(SWIFT) test

clean:
	rm -rf .build .run

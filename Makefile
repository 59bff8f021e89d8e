# clientpass — build, demo and test on Debian 12 with Swift 6.
SWIFT ?= swift
DEMO_DIR ?= .run/demo
# Debian packages the build and the tests need (Dovecot, nginx, Postfix and Python are for the
# end-to-end tests, which start their own instances on free loopback ports; Chromium, chromedriver and
# Selenium for the tests of the self-service page in a browser; openssl makes a certificate for
# the test over HTTPS; slapd and ldap-utils for the tests of directory mode; man, the shells and
# systemd are for the tests of the man pages, the completions and the unit; postgresql for the
# tests of the PostgreSQL store, which start their own server as an unprivileged user).
DEB_PACKAGES = libsodium-dev libsqlite3-dev libqrencode-dev libssl-dev libcrypt-dev libldap-dev pkg-config zbar-tools librsvg2-bin \
	dovecot-imapd dovecot-pop3d dovecot-submissiond dovecot-lmtpd dovecot-auth-lua nginx libnginx-mod-mail postfix python3 \
	chromium chromium-driver python3-selenium openssl slapd ldap-utils postgresql \
	man-db bash zsh fish systemd file binutils mmdebstrap
# `make run` serves the page here.
RUN_LISTEN ?= 127.0.0.1:8787

.PHONY: all deps build run demo test fuzz screenshots reference api bench bench-mail install uninstall clean

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

# Builds clientpass and starts the self-service page on a fresh demo store in $(DEMO_DIR) at
# http://$(RUN_LISTEN)/, printing the demo account and its mailbox password. Ctrl-C stops it.
run: build
	./scripts/run-page.sh "$$($(SWIFT) build --show-bin-path)/clientpass" "$(DEMO_DIR)" "$(RUN_LISTEN)"

# Shows the CLI at work on a fresh demo store in $(DEMO_DIR): each command, then its output.
demo: build
	./scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/clientpass" "$(DEMO_DIR)"

# Fails first when man/ or completions/ no longer match the CLI's help, or the API's generated
# code no longer matches openapi.yaml; then fuzzes every parser
# for FUZZ_SECONDS each (docs/security.md); then makes (once) the Debian 13 root whose Dovecot
# 2.4, nginx 1.26 and Postfix 3.10 the tests run beside Debian 12's; then runs every test.
FUZZ_SECONDS ?= 10
DEBIAN13_ROOT ?= /var/cache/clientpass-tests/debian13
test: deps
	SWIFT=$(SWIFT) ./scripts/generate-reference.sh --check
	SWIFT=$(SWIFT) ./scripts/generate-api.sh --check
	SWIFT=$(SWIFT) ./scripts/fuzz.sh --seconds $(FUZZ_SECONDS)
	./scripts/debian13-root.sh $(DEBIAN13_ROOT)
	CLIENTPASS_DEBIAN13_ROOT=$(DEBIAN13_ROOT) $(SWIFT) test

# libFuzzer with the address sanitizer over every parser that takes outside input, FUZZ_RUNS
# inputs each (docs/security.md); `make fuzz FUZZ_TARGETS="addresses"` for some.
FUZZ_RUNS ?= 1000000
FUZZ_TARGETS ?=
fuzz: deps
	SWIFT=$(SWIFT) ./scripts/fuzz.sh --runs $(FUZZ_RUNS) $(FUZZ_TARGETS)

# Refreshes docs/screenshots: the browser test's walk through the page, on the demo store.
screenshots: build
	./scripts/screenshots.sh "$$($(SWIFT) build --show-bin-path)/clientpass" "$(DEMO_DIR)" docs/screenshots

# Regenerates the self-service API's server code from openapi.yaml with the pinned
# swift-openapi-generator (scripts/openapi-generator); commit the result.
api:
	SWIFT=$(SWIFT) ./scripts/generate-api.sh

# Regenerates man/ and completions/ from the CLI's help; commit the result.
reference: deps
	SWIFT=$(SWIFT) ./scripts/generate-reference.sh

# Measures login decisions against the Argon2id limit on this machine (release build, linked
# statically as installed); prints a table and writes $(BENCH_JSON). Not part of `make test`.
BENCH_JSON ?= .run/bench.json
BENCH_FLAGS ?=
# BENCH_STORE=postgresql also measures the store on PostgreSQL (a server of its own), side by
# side with SQLite.
BENCH_STORE ?= sqlite
# `make bench-mail`: IMAP logins a second through real Dovecot and nginx, clientpass in front or
# not, and a flood of guesses (docs/benchmark.md). Not part of `make test`; needs root.
BENCH_MAIL_FLAGS ?=
bench: deps
	$(call install-packages,wrk)
	$(SWIFT) build -c release --static-swift-stdlib --product clientpass
	$(SWIFT) build -c release --static-swift-stdlib --product clientpass-bench
	@mkdir -p "$$(dirname "$(BENCH_JSON)")"
	bin="$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)"; \
	"$$bin/clientpass-bench" --clientpass "$$bin/clientpass" --json "$(BENCH_JSON)" $(if $(filter postgresql,$(BENCH_STORE)),--postgresql) $(BENCH_FLAGS)

bench-mail: deps
	$(call install-packages,python3-argon2)
	$(SWIFT) build -c release --static-swift-stdlib --product clientpass
	/usr/bin/python3 scripts/bench-mail.py --clientpass "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/clientpass" \
		--json .run/bench-mail.json $(BENCH_MAIL_FLAGS)

# Installation: `make install [PREFIX=/usr/local] [DESTDIR=…]` builds the release binary (linked
# statically) unless INSTALL_BINARY names one, and installs it with the man pages, the
# completions and the systemd unit for `clientpass serve`. `make uninstall` removes them.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_BINARY ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
BASH_COMPLETION_DIR = $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR = $(PREFIX)/share/zsh/site-functions
FISH_COMPLETION_DIR = $(PREFIX)/share/fish/vendor_completions.d
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
# contrib/dovecot/clientpass.lua, Dovecot's Lua passdb (docs/dovecot.md).
DOVECOT_LUA_DIR ?= $(PREFIX)/share/clientpass/dovecot

install:
	@binary="$(INSTALL_BINARY)"; \
	if [ -z "$$binary" ]; then \
		$(SWIFT) build -c release --static-swift-stdlib --product clientpass >&2 || exit 1; \
		binary="$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/clientpass"; \
	fi; \
	echo "install $$binary -> $(DESTDIR)$(BINDIR)/clientpass (stripped)"; \
	install -D -m 0755 -s "$$binary" "$(DESTDIR)$(BINDIR)/clientpass"
	install -d "$(DESTDIR)$(MANDIR)"
	install -m 0644 man/*.1 "$(DESTDIR)$(MANDIR)/"
	install -D -m 0644 completions/clientpass.bash "$(DESTDIR)$(BASH_COMPLETION_DIR)/clientpass"
	install -D -m 0644 completions/_clientpass "$(DESTDIR)$(ZSH_COMPLETION_DIR)/_clientpass"
	install -D -m 0644 completions/clientpass.fish "$(DESTDIR)$(FISH_COMPLETION_DIR)/clientpass.fish"
	install -d "$(DESTDIR)$(SYSTEMD_UNIT_DIR)"
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/systemd/clientpass.service > "$(DESTDIR)$(SYSTEMD_UNIT_DIR)/clientpass.service"
	chmod 0644 "$(DESTDIR)$(SYSTEMD_UNIT_DIR)/clientpass.service"
	install -D -m 0644 contrib/dovecot/clientpass.lua "$(DESTDIR)$(DOVECOT_LUA_DIR)/clientpass.lua"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/clientpass"
	rm -f "$(DESTDIR)$(MANDIR)/clientpass.1" "$(DESTDIR)$(MANDIR)"/clientpass.*.1
	rm -f "$(DESTDIR)$(BASH_COMPLETION_DIR)/clientpass" "$(DESTDIR)$(ZSH_COMPLETION_DIR)/_clientpass" \
		"$(DESTDIR)$(FISH_COMPLETION_DIR)/clientpass.fish"
	rm -f "$(DESTDIR)$(SYSTEMD_UNIT_DIR)/clientpass.service"
	rm -f "$(DESTDIR)$(DOVECOT_LUA_DIR)/clientpass.lua"

clean:
	rm -rf .build .build-fuzz .run

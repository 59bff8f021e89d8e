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
	man-db bash zsh fish systemd file binutils mmdebstrap dpkg-dev lintian apt-utils gnupg
# `make run` serves the page here.
RUN_LISTEN ?= 127.0.0.1:8787

.PHONY: all deps build run demo test test-fast format fuzz screenshots reference api api-check bench bench-mail install uninstall clean deb apt-repo

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

# One build serves the tests and the packages: release mode, with testability so the tests
# reach the code's internals, and the packages hold the very objects the tests ran.
RELEASE_BUILD = -c release -Xswiftc -enable-testing
DEBIAN13_ROOT ?= /var/cache/clientpass-tests/debian13
DEB_DIR ?= .build/deb
# Fails first when a Swift file is not laid out as .swift-format says, or when the API's
# generated code no longer matches openapi.yaml; makes (once) the
# Debian 13 root whose Dovecot 2.4, nginx 1.26 and Postfix 3.10 the tests run beside Debian 12's
# and against whose libraries the Debian 13 package is linked; builds; fails when man/ or
# completions/ no longer match the CLI's help; makes the packages for Debian 12 and 13 (packed
# with gzip -1 rather than make deb's xz: only the tests install them); then
# runs every test, the packages' own among them. The fuzzers' seed corpus is replayed by the
# tests; `make fuzz` fuzzes (docs/security.md).
test: deps
	SWIFT=$(SWIFT) ./scripts/format.sh --check
	SWIFT=$(SWIFT) ./scripts/generate-api.sh --check-digests
	./scripts/debian13-root.sh $(DEBIAN13_ROOT)
	$(SWIFT) build $(RELEASE_BUILD) --build-tests
	CLIENTPASS_BIN="$$($(SWIFT) build $(RELEASE_BUILD) --show-bin-path)/clientpass" SWIFT=$(SWIFT) ./scripts/generate-reference.sh --check
	rm -rf $(DEB_DIR)
	DEB_COMPRESSION="-Zgzip -z1" ./scripts/build-debs.sh $(DEB_DIR) $(DEBIAN13_ROOT)
	CLIENTPASS_DEBIAN13_ROOT=$(DEBIAN13_ROOT) CLIENTPASS_DEB_DIR=$(abspath $(DEB_DIR)) $(SWIFT) test $(RELEASE_BUILD) --skip-build

# Formats every Swift file of Sources/ and Tests/ as .swift-format says (make test checks it).
format:
	SWIFT=$(SWIFT) ./scripts/format.sh

# The tests that need no server from outside this project (CLIENTPASS_TESTS=fast leaves out
# Dovecot, nginx, Postfix, slapd, PostgreSQL, Chromium and the packages in fresh Debian roots):
# the parser in process, the core, the store contract on SQLite, the web routes, the commands
# on SQLite stores, serve and checkpassword. A debug build, which rebuilds in seconds after a
# change; `make test` is what lands.
test-fast: deps
	$(SWIFT) build --build-tests
	CLIENTPASS_TESTS=fast $(SWIFT) test --skip-build

# The Debian packages for Debian 12 and 13 in $(DEB_DIR) (scripts/build-debs.sh), and in
# $(DEB_DIR)/previous the same build as revision 0, from which the tests upgrade.
deb: deps
	./scripts/debian13-root.sh $(DEBIAN13_ROOT)
	$(SWIFT) build $(RELEASE_BUILD) --product clientpass
	rm -rf $(DEB_DIR)
	./scripts/build-debs.sh $(DEB_DIR) $(DEBIAN13_ROOT)

# The full check of the API's generated code: builds the pinned generator (minutes) and
# compares what it makes of openapi.yaml now with the committed code.
api-check:
	SWIFT=$(SWIFT) ./scripts/generate-api.sh --check

# An apt repository of the packages in $(DEB_DIR) (make deb first), signed with the OpenPGP key
# APT_REPO_KEY names, added to APT_REPO_DIR (docs/install.md).
APT_REPO_DIR ?= .build/apt-repo
apt-repo:
	$(call install-packages,apt-utils gnupg)
	@[ -n "$(APT_REPO_KEY)" ] || { echo "give APT_REPO_KEY=KEY-ID (gpg --list-secret-keys), the key that signs the repository" >&2; exit 64; }
	./scripts/apt-repo.sh $(DEB_DIR) $(APT_REPO_DIR) "$(APT_REPO_KEY)"

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
	$(SWIFT) build $(RELEASE_BUILD) --product clientpass
	$(SWIFT) build $(RELEASE_BUILD) --product clientpass-bench
	@mkdir -p "$$(dirname "$(BENCH_JSON)")" .run
	./scripts/link-release.sh .run/clientpass-release
	"$$($(SWIFT) build $(RELEASE_BUILD) --show-bin-path)/clientpass-bench" --clientpass .run/clientpass-release --json "$(BENCH_JSON)" \
		$(if $(filter postgresql,$(BENCH_STORE)),--postgresql) $(BENCH_FLAGS)

bench-mail: deps
	$(call install-packages,python3-argon2)
	$(SWIFT) build $(RELEASE_BUILD) --product clientpass
	@mkdir -p .run
	./scripts/link-release.sh .run/clientpass-release
	/usr/bin/python3 scripts/bench-mail.py --clientpass .run/clientpass-release \
		--json .run/bench-mail.json $(BENCH_MAIL_FLAGS)

# Installation: `make install [PREFIX=/usr/local] [DESTDIR=…]` builds the release binary (the
# build of make test and make deb, its Swift runtime linked statically by
# scripts/link-release.sh) unless INSTALL_BINARY names one, and installs it with the man pages, the
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
		$(SWIFT) build $(RELEASE_BUILD) --product clientpass >&2 || exit 1; \
		mkdir -p .run && ./scripts/link-release.sh .run/clientpass-release >&2 || exit 1; \
		binary=.run/clientpass-release; \
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

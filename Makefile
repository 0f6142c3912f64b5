# HotDesk: the two commands a new machine needs, plus a few conveniences.
#   make run    install what is missing, build, start a private PostgreSQL (unless DATABASE_URL is set),
#               migrate, and serve on http://127.0.0.1:8080
#   make test   the same, against a throwaway PostgreSQL, and run every test
#   make bench  the portal's benchmark: release build, seeded throwaway PostgreSQL, wrk (a few minutes)
#   make format format the Swift sources as make test's lint expects
#   make install    release build, installed with its systemd unit (PREFIX=/usr/local, DESTDIR for staging;
#                   HOTDESK_BINARY=path installs that binary instead of building one); make uninstall
.PHONY: run test bench build release deps format clean-db stop-db install uninstall release-binary

run:
	@scripts/run.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

build: deps
	swift build

release: deps
	swift build -c release

deps:
	@scripts/install-deps.sh run

# Formats the Swift sources with the checked-in .swift-format (make test fails on what is left).
format:
	swift format --in-place --parallel --recursive Sources Tests Fuzz Package.swift

# Stop the private development cluster (make run starts it again).
stop-db:
	@scripts/postgres-cluster.sh stop .hotdesk/postgres

# Delete the private development cluster and all its data (and, as root in a folder the postgres user cannot
# enter, its home under /var/lib/postgresql/hotdesk-clusters/).
clean-db:
	@scripts/postgres-cluster.sh remove .hotdesk/postgres

# --- make install / make uninstall -----------------------------------------------------------------------------
# Installs the binary, Resources/ and migrations/, the systemd unit and sysusers.d file from deploy/systemd/, and
# an environment file (only if absent: it is the local configuration). DESTDIR stages into another root (then no
# user is created and systemd is not reloaded). HOTDESK_BINARY=path installs that binary instead of building one.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/hotdesk
SYSCONFDIR ?= /etc
# The unit and sysusers.d file go where systemd looks for those of installed software: $(PREFIX)/lib/... for
# PREFIX /usr/local (locally built software: /usr/local/lib/systemd/system is on systemd's unit path) or /usr,
# leaving /etc/systemd/system to the administrator's own units and `systemctl edit` drop-ins, which override
# them. Any other PREFIX (e.g. /opt/hotdesk) is not on systemd's search paths, so those go under /etc.
ifneq ($(filter /usr /usr/local,$(PREFIX)),)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
else
SYSTEMDUNITDIR ?= /etc/systemd/system
SYSUSERSDIR ?= /etc/sysusers.d
endif
# Empty: `make install` builds the release binary first. A path: that binary is installed, nothing is built.
HOTDESK_BINARY ?=
ifeq ($(strip $(HOTDESK_BINARY)),)
install_binary := .build/release/hotdesk
install_build := release-binary
else
install_binary := $(HOTDESK_BINARY)
install_build :=
endif
unit_paths := -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

release-binary: deps
	swift build -c release --product hotdesk

install: $(install_build)
	@test -x "$(install_binary)" || { echo "make install: $(install_binary) is not an executable" >&2; exit 1; }
	install -d -m 755 "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(SYSTEMDUNITDIR)" \
		"$(DESTDIR)$(SYSUSERSDIR)" "$(DESTDIR)$(SYSCONFDIR)/hotdesk"
	install -m 755 "$(install_binary)" "$(DESTDIR)$(BINDIR)/hotdesk"
	rm -rf "$(DESTDIR)$(DATADIR)/Resources" "$(DESTDIR)$(DATADIR)/migrations"
	cp -R Resources "$(DESTDIR)$(DATADIR)/Resources"
	cp -R migrations "$(DESTDIR)$(DATADIR)/migrations"
	chmod -R u=rwX,go=rX "$(DESTDIR)$(DATADIR)"
	sed $(unit_paths) deploy/systemd/hotdesk.service > "$(DESTDIR)$(SYSTEMDUNITDIR)/hotdesk.service"
	chmod 644 "$(DESTDIR)$(SYSTEMDUNITDIR)/hotdesk.service"
	install -m 644 deploy/systemd/hotdesk.sysusers "$(DESTDIR)$(SYSUSERSDIR)/hotdesk.conf"
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
		echo "systemd-sysusers $(SYSUSERSDIR)/hotdesk.conf"; systemd-sysusers "$(SYSUSERSDIR)/hotdesk.conf"; fi
	@env="$(DESTDIR)$(SYSCONFDIR)/hotdesk/hotdesk.env"; \
	if [ -e "$$env" ]; then echo "Keeping the existing $$env"; else \
		echo "install -m 640 deploy/systemd/hotdesk.env $$env"; \
		install -m 640 deploy/systemd/hotdesk.env "$$env"; \
		if getent group hotdesk >/dev/null && [ "$$(id -u)" = 0 ]; then chown root:hotdesk "$$env"; fi; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "Installed. Edit $(SYSCONFDIR)/hotdesk/hotdesk.env, then: systemctl enable --now hotdesk"

# Removes what make install installed except the environment file (the local configuration) and the user.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl disable --now hotdesk 2>/dev/null || true; fi
	rm -f "$(DESTDIR)$(BINDIR)/hotdesk" "$(DESTDIR)$(SYSTEMDUNITDIR)/hotdesk.service" \
		"$(DESTDIR)$(SYSUSERSDIR)/hotdesk.conf"
	rm -rf "$(DESTDIR)$(DATADIR)"
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "Kept $(DESTDIR)$(SYSCONFDIR)/hotdesk/hotdesk.env and the hotdesk user; remove them by hand if wanted."

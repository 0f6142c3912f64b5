# HotDesk: the two commands a new machine needs, plus a few conveniences.
#   make run    install what is missing, build, start a private PostgreSQL (unless DATABASE_URL is set),
#               migrate, and serve on http://127.0.0.1:8080
#   make test   the same, against a throwaway PostgreSQL, and run every test
#   make bench  the portal's benchmark: release build, seeded throwaway PostgreSQL, wrk (a few minutes)
#   make format format the Swift sources as make test's lint expects
.PHONY: run test bench build release deps format clean-db stop-db

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

# Delete the private development cluster and all its data.
clean-db: stop-db
	rm -rf .hotdesk/postgres

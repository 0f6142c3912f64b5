#!/usr/bin/python3
"""Checks docker-compose.yml offline (no Docker engine runs here): it parses as YAML and wires what the
README promises: PostgreSQL 15 with a named volume and a health check, the portal built from this
repository with the database URLs set, waiting for a healthy database, with a health check of its own,
and every file it mounts present in the repository."""
import os
import sys

import yaml


def fail(message):
    sys.exit(f"docker-compose check: {message}")


path = sys.argv[1] if len(sys.argv) > 1 else "docker-compose.yml"
root = os.path.dirname(os.path.abspath(path))
with open(path, encoding="utf-8") as handle:
    document = yaml.safe_load(handle)

services = document.get("services") or fail("no services")
volumes = document.get("volumes") or {}
for name, service in services.items():
    if "image" not in service and "build" not in service:
        fail(f"service {name} has neither image nor build")
    if "healthcheck" not in service or not service["healthcheck"].get("test"):
        fail(f"service {name} has no health check")
    for volume in service.get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("."):
            if not os.path.exists(os.path.join(root, source)):
                fail(f"service {name} mounts {source}, which does not exist")
        elif source not in volumes:
            fail(f"service {name} uses volume {source}, which is not declared under volumes")

database = services.get("postgres") or fail("no postgres service")
if database.get("image") != "postgres:15":
    fail("the database must be postgres:15")
portal = services.get("portal") or fail("no portal service")
if portal.get("build") not in (".", {"context": "."}):
    fail("the portal must be built from the repository")
if not os.path.exists(os.path.join(root, "Dockerfile")):
    fail("Dockerfile is missing")
environment = portal.get("environment") or {}
if "@postgres:5432/" not in str(environment.get("HOTDESK_MIGRATION_DATABASE_URL", "")):
    fail("portal HOTDESK_MIGRATION_DATABASE_URL must point at the postgres service")
if not str(environment.get("DATABASE_URL", "")).startswith(("postgres://", "postgresql://")) or \
        "@postgres:5432," not in environment["DATABASE_URL"] or "target_session_attrs=read-write" not in environment["DATABASE_URL"]:
    fail("portal DATABASE_URL must list the postgres service first and follow the primary (target_session_attrs=read-write)")
if (portal.get("depends_on") or {}).get("postgres", {}).get("condition") != "service_healthy":
    fail("portal must wait for a healthy postgres")
if "/healthz" not in " ".join(portal["healthcheck"]["test"]):
    fail("portal health check must call /healthz")
registrar = services.get("registrar") or fail("no registrar service")
build = registrar.get("build") or {}
if not os.path.exists(os.path.join(root, build.get("dockerfile", "missing"))):
    fail("registrar must be built from the repository's Kamailio Dockerfile")
registrar_environment = registrar.get("environment") or {}
writes = str(registrar_environment.get("REGISTRAR_DATABASE_URL", ""))
if not writes.startswith("postgres://") or "host=postgres," not in writes or "target_session_attrs=read-write" not in writes:
    fail("registrar REGISTRAR_DATABASE_URL must list the postgres service first and follow the primary")
reads = str(registrar_environment.get("REGISTRAR_READER_URL", ""))
if "host=postgres-standby,postgres " not in reads or "target_session_attrs=prefer-standby" not in reads:
    fail("registrar REGISTRAR_READER_URL must prefer the standby and fall back to postgres")
# The scaling profile: a standby made from the primary, a second portal on the same URL, HAProxy over both.
scaling = {name for name, service in services.items() if "scaling" in service.get("profiles", [])}
if scaling != {"postgres-standby", "portal-b", "balancer"}:
    fail(f"the scaling profile must add postgres-standby, portal-b and balancer, not {sorted(scaling)}")
standby = services["postgres-standby"]
if standby.get("image") != "postgres:15" or "/usr/local/bin/hotdesk-standby.sh" not in standby.get("entrypoint", []):
    fail("postgres-standby must be postgres:15 started by scripts/docker/standby.sh")
if (services["portal-b"].get("environment") or {}).get("DATABASE_URL") != environment["DATABASE_URL"]:
    fail("portal-b must use the same database URL as portal")
balancer = services["balancer"]
if not str(balancer.get("image", "")).startswith("haproxy:"):
    fail("the balancer must be HAProxy")
if "./docs/haproxy-hotdesk.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" not in balancer.get("volumes", []):
    fail("the balancer must run docs/haproxy-hotdesk.cfg")
targets = {balancer["environment"].get("HOTDESK_PORTAL_A"), balancer["environment"].get("HOTDESK_PORTAL_B")}
if targets != {"portal:8080", "portal-b:8080"}:
    fail(f"the balancer must send to portal:8080 and portal-b:8080, not {targets}")
print(f"docker-compose check: {path} is consistent ({len(services)} services, {len(scaling)} in the scaling profile)")

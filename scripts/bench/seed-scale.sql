-- A second organization for run 7c, seeded by scripts/bench.sh as the cluster's superuser after seed.sql:
-- 100 installs of exactly 10,000 users each (every extension 0000-9999), one million users in all, 90% with
-- Hot Desk Access, and 10 ranges per install; one administrator, with the benchmark's password. It is what
-- Telephony Settings' first page looks like for a large customer: the page must cost what its 50 installs cost,
-- whatever they hold. No PINs and no audit events (the run reads neither), which keeps the seeding short; every
-- row still goes through the tables' triggers.
-- For run 10, operators logged in on handsets as the registrar records them (through the registrar's triggers, so
-- the history and the counts are kept too): all 10,000 of Centre 001, and 100 of Centre 002.
-- Variables: admin_email (the create-admin account of seed.sql, whose password hash is copied).

\set ON_ERROR_STOP 1
BEGIN;

SELECT password_hash FROM hotdesk.accounts WHERE email = :'admin_email' \gset
INSERT INTO hotdesk.organizations (name) VALUES ('Scale Company') RETURNING id AS scale_org \gset

INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
SELECT :scale_org, 'Centre ' || lpad(n::text, 3, '0'), 'centre' || lpad(n::text, 3, '0') || '.scale.example'
FROM generate_series(1, 100) n;

INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access)
SELECT i.id, lpad(e::text, 4, '0'), 'Operator ' || e, e % 10 <> 0
FROM hotdesk.installs i CROSS JOIN generate_series(0, 9999) e
WHERE i.organization_id = :scale_org;

INSERT INTO hotdesk.trusted_networks (install_id, network, description)
SELECT i.id, ('100.' || (64 + r) || '.' || (i.id % 250) || '.0/24')::cidr, i.name || ' floor ' || r
FROM hotdesk.installs i CROSS JOIN generate_series(0, 9) r
WHERE i.organization_id = :scale_org;

INSERT INTO hotdesk.accounts (organization_id, email, display_name, password_hash, role)
VALUES (:scale_org, 'admin@scale.example', 'Scale Administrator', :'password_hash', 'administrator');

INSERT INTO registrar_state.location (ruid, username, domain, contact, received, expires, callid, cseq, user_agent,
                                     last_modified)
SELECT 'bench-' || i.id || '-' || e, lpad(e::text, 4, '0'), i.sip_domain,
       'sip:' || lpad(e::text, 4, '0') || '@100.64.' || (i.id % 250) || '.' || (e % 250 + 1) || ':5060',
       'sip:100.64.' || (i.id % 250) || '.' || (e % 250 + 1) || ':' || (5060 + e / 250),
       extract(epoch FROM now())::bigint + 86400, 'bench-call-' || i.id || '-' || e, 2,
       'Yealink SIP-T46U 108.86.0.20 80:5e:c0:' || lpad(to_hex(e / 256), 2, '0') || ':' || lpad(to_hex(e % 256), 2, '0') || ':01',
       extract(epoch FROM now())::bigint
FROM hotdesk.installs i CROSS JOIN generate_series(0, 9999) e
WHERE i.organization_id = :scale_org AND (i.name = 'Centre 001' OR (i.name = 'Centre 002' AND e < 100));
-- What the registrar's timer does next: their history lines and counts.
SELECT registrar_state.record_logins();

COMMIT;
VACUUM ANALYZE;

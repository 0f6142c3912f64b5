-- The benchmark's organization, seeded in one transaction by scripts/bench.sh as the cluster's superuser.
-- `hotdesk create-admin` has already created the organization and its first administrator (so the
-- password hash is one the portal itself made); everything else is generated here with generate_series:
--   1,000 installs; "Head Office" has exactly 10,000 users (every extension 0000-9999) and 100 ranges;
--   100,000 users in all, 90% with Hot Desk Access and a PIN; 10,000 trusted ranges in all;
--   20 portal accounts (5 administrators, 15 managers with a few installs each, one of them Head Office);
--   an audit event for every install, user and range created, shaped like the portal's own.
-- Every row satisfies the schema's checks, and the registrar lookup tables are filled by their triggers.
-- Variables: admin_email (the create-admin account), password_hash is copied from it to the others.

\set ON_ERROR_STOP 1
BEGIN;

SELECT id AS admin_id, organization_id AS org_id, password_hash
FROM hotdesk.accounts WHERE email = :'admin_email' \gset

-- Installs: Head Office first (lowest id), then 999 sites.
INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
VALUES (:org_id, 'Head Office', 'hq.bench.example');
INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
SELECT :org_id, 'Site ' || lpad(n::text, 4, '0'), 'site' || lpad(n::text, 4, '0') || '.bench.example'
FROM generate_series(2, 1000) n;

CREATE TEMPORARY TABLE seed_names (first text[], last text[]);
INSERT INTO seed_names VALUES (
    ARRAY['Alice', 'Amir', 'Anna', 'Ben', 'Carla', 'Chen', 'Daniel', 'Dara', 'Elena', 'Emeka', 'Fatima', 'Felix',
          'Grace', 'Hannah', 'Hiro', 'Ivan', 'Jamal', 'Julia', 'Karin', 'Lars', 'Lena', 'Marco', 'Maria', 'Mark',
          'Martin', 'Nadia', 'Noah', 'Olga', 'Omar', 'Paula', 'Priya', 'Rafael', 'Rosa', 'Sam', 'Sofia', 'Tariq',
          'Tom', 'Uma', 'Victor', 'Yusuf'],
    ARRAY['Adams', 'Bauer', 'Berg', 'Costa', 'Dubois', 'Evans', 'Fischer', 'García', 'Hansen', 'Ito', 'Jensen',
          'Kowalski', 'Larsen', 'Lee', 'Martin', 'Müller', 'Nakamura', 'Novak', 'Okafor', 'Olsen', 'Patel',
          'Petrov', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Smith', 'Tanaka', 'Weber']);

-- Users: Head Office has every extension 0000-9999; the 999 sites have 90 users each (extensions
-- 1001-1090) and the first 90 sites one more (1091), 100,000 users in all. Every tenth user has no
-- access, every twentieth no PIN; PINs are four digits that pass the portal's weak-PIN rules.
INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin, pin_changed_at)
SELECT i.id, x.extension,
       n.first[1 + x.k % 40] || ' ' || n.last[1 + (x.k / 40) % 30],
       x.k % 10 <> 0,
       CASE WHEN x.k % 20 <> 0 THEN (ARRAY['4829', '3917', '5062', '7381', '2649', '8053'])[1 + x.k % 6] END,
       CASE WHEN x.k % 20 <> 0 THEN now() END
FROM hotdesk.installs i
CROSS JOIN seed_names n
CROSS JOIN LATERAL (
    SELECT e AS k, lpad(e::text, 4, '0') AS extension FROM generate_series(0, 9999) e WHERE i.name = 'Head Office'
    UNION ALL
    SELECT e, (1000 + e)::text FROM generate_series(1, 90) e WHERE i.name <> 'Head Office'
    UNION ALL
    SELECT 91, '1091' WHERE i.name BETWEEN 'Site 0002' AND 'Site 0091'
) x
WHERE i.organization_id = :org_id;

-- Trusted ranges: Head Office 100 (10.0.0.0/24 ... 10.0.99.0/24); sites 0002-0991 ten each.
INSERT INTO hotdesk.trusted_networks (install_id, network, description, created_by_account_id)
SELECT i.id, ('10.0.' || r || '.0/24')::cidr, 'Head Office floor ' || (r / 10) || ' segment ' || (r % 10), :admin_id
FROM hotdesk.installs i CROSS JOIN generate_series(0, 99) r
WHERE i.name = 'Head Office' AND i.organization_id = :org_id;
INSERT INTO hotdesk.trusted_networks (install_id, network, description, created_by_account_id)
SELECT i.id, ('172.' || (16 + r) || '.' || (i.id % 250) || '.' || (i.id / 250 * 16) || '/28')::cidr,
       i.name || ' VLAN ' || r, :admin_id
FROM hotdesk.installs i CROSS JOIN generate_series(0, 9) r
WHERE i.name BETWEEN 'Site 0002' AND 'Site 0991' AND i.organization_id = :org_id;

-- Accounts: 4 more administrators and 15 managers, all with the create-admin account's password.
INSERT INTO hotdesk.accounts (organization_id, email, display_name, password_hash, role)
SELECT :org_id, 'admin' || n || '@bench.example', 'Administrator ' || n, :'password_hash', 'administrator'
FROM generate_series(2, 5) n;
INSERT INTO hotdesk.accounts (organization_id, email, display_name, password_hash, role)
SELECT :org_id, 'manager' || n || '@bench.example', 'Manager ' || n, :'password_hash', 'manager'
FROM generate_series(1, 15) n;

-- Each manager looks after Head Office (manager1 only) or five sites.
INSERT INTO hotdesk.manager_installs (organization_id, account_id, install_id)
SELECT :org_id, a.id, i.id
FROM hotdesk.accounts a JOIN hotdesk.installs i ON i.organization_id = a.organization_id
WHERE a.organization_id = :org_id AND a.role = 'manager'
  AND (CASE WHEN a.email = 'manager1@bench.example' THEN i.name = 'Head Office'
            ELSE i.name IN (SELECT 'Site ' || lpad((1 + 5 * substring(a.email FROM '[0-9]+')::int + k)::text, 4, '0')
                            FROM generate_series(0, 4) k) END);

-- The audit trail the portal would have written while building this organization.
INSERT INTO hotdesk.audit_events
    (request_id, organization_id, account_id, account_email, account_role, action, install_id, target_type,
     target_id, target_label, result, changes)
SELECT 'bench-seed', :org_id, :admin_id, :'admin_email', 'administrator', 'install.created', i.id, 'install', i.id,
       i.name, 'success', jsonb_build_object('name', jsonb_build_object('before', NULL, 'after', i.name),
                                  'sip_domain', jsonb_build_object('before', NULL, 'after', i.sip_domain))
FROM hotdesk.installs i WHERE i.organization_id = :org_id ORDER BY i.id;
INSERT INTO hotdesk.audit_events
    (request_id, organization_id, account_id, account_email, account_role, action, install_id, target_type,
     target_id, target_label, result, changes)
SELECT 'bench-seed', :org_id, :admin_id, :'admin_email', 'administrator', 'user.created', u.install_id, 'user', u.id,
       u.extension || ' ' || u.display_name, 'success',
       jsonb_build_object('extension', jsonb_build_object('before', NULL, 'after', u.extension),
                          'display_name', jsonb_build_object('before', NULL, 'after', u.display_name))
FROM hotdesk.users u JOIN hotdesk.installs i ON i.id = u.install_id WHERE i.organization_id = :org_id ORDER BY u.id;
INSERT INTO hotdesk.audit_events
    (request_id, organization_id, account_id, account_email, account_role, action, install_id, target_type,
     target_id, target_label, result, changes)
SELECT 'bench-seed', :org_id, :admin_id, :'admin_email', 'administrator', 'trusted_network.added', t.install_id,
       'trusted_network', t.id, t.network::text, 'success',
       jsonb_build_object('network', jsonb_build_object('before', NULL, 'after', t.network::text),
                          'description', jsonb_build_object('before', NULL, 'after', t.description))
FROM hotdesk.trusted_networks t JOIN hotdesk.installs i ON i.id = t.install_id
WHERE i.organization_id = :org_id ORDER BY t.id;

COMMIT;
VACUUM ANALYZE;

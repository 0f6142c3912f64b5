-- The registrar interface: a `registrar` schema of read-only views shaped like the tables a stock
-- Kamailio reads (auth_db's subscriber, permissions' address, and version), plus trusted_networks for
-- live containment checks. The SIP registrar logs in with a role made by `hotdesk registrar-role`,
-- a member of the NOLOGIN group role hotdesk_registrar, which may SELECT these views and nothing else.
--
-- This schema is a contract with another program: views and columns are only ever added, never
-- renamed or removed. README "The registrar interface" lists them.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_registrar') THEN
        RAISE EXCEPTION 'role hotdesk_registrar does not exist'
            USING HINT = 'Create it before migrating: CREATE ROLE hotdesk_registrar NOLOGIN; (see README, "An existing PostgreSQL").';
    END IF;
END
$$;

CREATE SCHEMA registrar;
REVOKE ALL ON SCHEMA registrar FROM PUBLIC;
GRANT USAGE ON SCHEMA registrar TO hotdesk_registrar;

-- What PostgreSQL 15 still grants every role by default: nobody but the portal's and the registrar's
-- roles (and the owner) may connect, nobody may create temporary tables, nobody may use schema public,
-- and functions created from now on are not executable by PUBLIC.
DO $$
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO hotdesk_portal, hotdesk_registrar', current_database());
END
$$;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hotdesk FROM PUBLIC;

-- Kamailio auth_db (table version 7): operators with Hot Desk Access and a PIN. The PIN itself never
-- leaves the base table: HA1 = md5(username:realm:pin), HA1b = md5(username@domain:realm:pin).
-- username and domain stay plain text columns: a cast in the view would hide them from the leakproof
-- text equality that lets lookups by (username, domain) use the indexes through the security barrier.
CREATE VIEW registrar.subscriber WITH (security_barrier) AS
SELECT u.id::integer                                                                AS id,
       u.extension                                                                  AS username,
       i.sip_domain                                                                 AS domain,
       md5(u.extension || ':' || i.sip_domain || ':' || u.hot_desk_pin)              AS ha1,
       md5(u.extension || '@' || i.sip_domain || ':' || i.sip_domain || ':' || u.hot_desk_pin) AS ha1b
FROM hotdesk.users u
JOIN hotdesk.installs i ON i.id = u.install_id
WHERE u.hot_desk_access AND u.hot_desk_pin IS NOT NULL;

-- Kamailio permissions (table version 6). Quirks: permissions caches this table until the RPC
-- permissions.addressReload, and reads mask 0 as /32 — so 0.0.0.0/0 does not mean "everyone" there;
-- use trusted_networks for live checks.
CREATE VIEW registrar.address AS
SELECT n.id::integer                 AS id,
       n.install_id::integer         AS grp,
       host(n.network)::varchar(50)  AS ip_addr,
       masklen(n.network)::integer   AS mask,
       0::smallint                   AS port,
       i.sip_domain::varchar(64)     AS tag
FROM hotdesk.trusted_networks n
JOIN hotdesk.installs i ON i.id = n.install_id;

-- Live containment checks: SELECT 1 FROM trusted_networks WHERE domain = $1 AND $2::inet <<= network.
CREATE VIEW registrar.trusted_networks AS
SELECT i.sip_domain AS domain,
       n.network    AS network
FROM hotdesk.trusted_networks n
JOIN hotdesk.installs i ON i.id = n.install_id;

-- The table versions Kamailio checks at start-up, under plain and schema-qualified names.
CREATE VIEW registrar.version AS
SELECT table_name::varchar(32) AS table_name, table_version::integer AS table_version
FROM (VALUES ('subscriber', 7), ('registrar.subscriber', 7), ('address', 6), ('registrar.address', 6))
     AS versions (table_name, table_version);

GRANT SELECT ON registrar.subscriber, registrar.address, registrar.trusted_networks, registrar.version
    TO hotdesk_registrar;

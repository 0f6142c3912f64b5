-- Registrar lookups at table speed. Kamailio looks up one subscriber (username, domain) and checks one
-- source address per REGISTER; through joining views each lookup cost two index probes and an md5, about
-- 30% slower than Kamailio's own tables (scripts/bench-registrar.sh). These two tables hold exactly
-- what the views expose, kept in step by triggers in the same transaction as every change to users,
-- installs and trusted ranges, so the registrar still sees each change on its next REGISTER.
-- The view names and columns stay as they were (the registrar contract only grows).

CREATE TABLE hotdesk.registrar_subscribers (
    user_id  bigint PRIMARY KEY REFERENCES hotdesk.users (id) ON DELETE CASCADE,
    username text NOT NULL,
    domain   text NOT NULL,
    ha1      text NOT NULL,
    ha1b     text NOT NULL,
    CONSTRAINT registrar_subscribers_account_key UNIQUE (username, domain)
);

CREATE TABLE hotdesk.registrar_networks (
    network_id bigint PRIMARY KEY REFERENCES hotdesk.trusted_networks (id) ON DELETE CASCADE,
    domain     text NOT NULL,
    network    cidr NOT NULL
);
CREATE INDEX registrar_networks_domain_network_idx ON hotdesk.registrar_networks USING gist (network inet_ops);
CREATE INDEX registrar_networks_domain_idx ON hotdesk.registrar_networks (domain);

-- Rebuilds the rows of the given users / ranges from the base tables. SECURITY DEFINER: the portal's
-- role changes users and ranges but has no privileges on these tables.
CREATE FUNCTION hotdesk.sync_registrar_subscribers(user_ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DELETE FROM hotdesk.registrar_subscribers WHERE user_id = ANY(user_ids);
    INSERT INTO hotdesk.registrar_subscribers (user_id, username, domain, ha1, ha1b)
    SELECT u.id, u.extension, i.sip_domain,
           md5(u.extension || ':' || i.sip_domain || ':' || u.hot_desk_pin),
           md5(u.extension || '@' || i.sip_domain || ':' || i.sip_domain || ':' || u.hot_desk_pin)
    FROM hotdesk.users u JOIN hotdesk.installs i ON i.id = u.install_id
    WHERE u.id = ANY(user_ids) AND u.hot_desk_access AND u.hot_desk_pin IS NOT NULL;
$$;

CREATE FUNCTION hotdesk.sync_registrar_networks(network_ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DELETE FROM hotdesk.registrar_networks WHERE network_id = ANY(network_ids);
    INSERT INTO hotdesk.registrar_networks (network_id, domain, network)
    SELECT n.id, i.sip_domain, n.network
    FROM hotdesk.trusted_networks n JOIN hotdesk.installs i ON i.id = n.install_id
    WHERE n.id = ANY(network_ids);
$$;

CREATE FUNCTION hotdesk.users_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hotdesk.sync_registrar_subscribers(ARRAY[NEW.id]);
    RETURN NULL;
END
$$;

CREATE FUNCTION hotdesk.trusted_networks_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hotdesk.sync_registrar_networks(ARRAY[NEW.id]);
    RETURN NULL;
END
$$;

CREATE FUNCTION hotdesk.install_domain_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hotdesk.sync_registrar_subscribers(ARRAY(SELECT id FROM hotdesk.users WHERE install_id = NEW.id));
    PERFORM hotdesk.sync_registrar_networks(ARRAY(SELECT id FROM hotdesk.trusted_networks WHERE install_id = NEW.id));
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION hotdesk.sync_registrar_subscribers(bigint[]), hotdesk.sync_registrar_networks(bigint[]),
    hotdesk.users_changed(), hotdesk.trusted_networks_changed(), hotdesk.install_domain_changed() FROM PUBLIC;

CREATE TRIGGER users_registrar_sync AFTER INSERT OR UPDATE ON hotdesk.users
    FOR EACH ROW EXECUTE FUNCTION hotdesk.users_changed();
CREATE TRIGGER trusted_networks_registrar_sync AFTER INSERT OR UPDATE ON hotdesk.trusted_networks
    FOR EACH ROW EXECUTE FUNCTION hotdesk.trusted_networks_changed();
CREATE TRIGGER installs_registrar_sync AFTER UPDATE OF sip_domain ON hotdesk.installs
    FOR EACH ROW WHEN (OLD.sip_domain IS DISTINCT FROM NEW.sip_domain)
    EXECUTE FUNCTION hotdesk.install_domain_changed();

SELECT hotdesk.sync_registrar_subscribers(ARRAY(SELECT id FROM hotdesk.users));
SELECT hotdesk.sync_registrar_networks(ARRAY(SELECT id FROM hotdesk.trusted_networks));

CREATE OR REPLACE VIEW registrar.subscriber WITH (security_barrier) AS
SELECT user_id::integer AS id, username, domain, ha1, ha1b
FROM hotdesk.registrar_subscribers;

CREATE OR REPLACE VIEW registrar.trusted_networks AS
SELECT domain, network
FROM hotdesk.registrar_networks;

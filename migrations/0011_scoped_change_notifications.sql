-- The portal's read cache now keeps each read with the scopes it was read from (an install, an account), and a
-- change drops only the reads of the scopes it touched. Changes made through the portal say what they touched
-- themselves; every other writer (another portal instance, `hotdesk create-admin`, psql) is heard through these
-- notifications, which replace migration 0009's one-per-table "something changed": one NOTIFY hotdesk_changes
-- per install or account a statement touched, with the payload `install:<id>` or `account:<id>`, delivered when
-- the transaction commits (PostgreSQL folds a transaction's identical notifications into one). A statement that
-- touches more than 100 of them, and any TRUNCATE, sends `everything` instead.
--
-- What a kept read shows, and so what must be announced: an install's name, domain, users and trusted ranges
-- (`install:`), an account's role, status and manager assignments, and its sessions ending (`account:`). A
-- session's `last_seen_at` touch is not announced: a kept session expires before its next touch is due.

DROP TRIGGER accounts_announce ON hotdesk.accounts;
DROP TRIGGER manager_installs_announce ON hotdesk.manager_installs;
DROP TRIGGER sessions_announce ON hotdesk.sessions;
DROP TRIGGER installs_announce ON hotdesk.installs;
DROP TRIGGER users_announce ON hotdesk.users;
DROP FUNCTION hotdesk.announce_change();

CREATE FUNCTION hotdesk.announce(kind text, ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL THEN
        RETURN;
    ELSIF cardinality(ids) > 100 THEN
        PERFORM pg_notify('hotdesk_changes', 'everything');
    ELSE
        PERFORM pg_notify('hotdesk_changes', kind || ':' || id) FROM unnest(ids) AS id;
    END IF;
END
$$;

-- The scopes of the rows a statement touched: `TG_ARGV[0]` is the kind (`install`, `account`), `TG_ARGV[1]` the
-- column naming it (`install_id` for users and ranges, `id` for installs and accounts, `account_id` for
-- assignments and sessions), read through to_jsonb so that one function with static SQL serves every table.
-- Each branch names only the transition tables its event has: PL/pgSQL plans a statement when it first runs.
CREATE FUNCTION hotdesk.announce_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM hotdesk.announce(TG_ARGV[0],
            (SELECT array_agg(DISTINCT (to_jsonb(r) ->> TG_ARGV[1])::bigint) FROM new_rows r));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM hotdesk.announce(TG_ARGV[0],
            (SELECT array_agg(DISTINCT (to_jsonb(r) ->> TG_ARGV[1])::bigint) FROM old_rows r));
    ELSE
        PERFORM hotdesk.announce(TG_ARGV[0],
            (SELECT array_agg(DISTINCT id) FROM (
                SELECT (to_jsonb(r) ->> TG_ARGV[1])::bigint AS id FROM new_rows r
                UNION ALL SELECT (to_jsonb(r) ->> TG_ARGV[1])::bigint FROM old_rows r) s));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION hotdesk.announce_everything() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hotdesk_changes', 'everything');
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION hotdesk.announce(text, bigint[]), hotdesk.announce_rows(), hotdesk.announce_everything()
    FROM PUBLIC;
-- The triggers run as the role making the change; the portal's role is the one that changes these tables.
GRANT EXECUTE ON FUNCTION hotdesk.announce(text, bigint[]) TO hotdesk_portal;

CREATE TRIGGER users_announce_insert AFTER INSERT ON hotdesk.users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');
CREATE TRIGGER users_announce_update AFTER UPDATE ON hotdesk.users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');
CREATE TRIGGER users_announce_delete AFTER DELETE ON hotdesk.users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');

CREATE TRIGGER trusted_networks_announce_insert AFTER INSERT ON hotdesk.trusted_networks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');
CREATE TRIGGER trusted_networks_announce_update AFTER UPDATE ON hotdesk.trusted_networks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');
CREATE TRIGGER trusted_networks_announce_delete AFTER DELETE ON hotdesk.trusted_networks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');

CREATE TRIGGER installs_announce_update AFTER UPDATE ON hotdesk.installs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'id');
CREATE TRIGGER installs_announce_delete AFTER DELETE ON hotdesk.installs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'id');

CREATE TRIGGER accounts_announce_update AFTER UPDATE ON hotdesk.accounts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('account', 'id');
CREATE TRIGGER accounts_announce_delete AFTER DELETE ON hotdesk.accounts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('account', 'id');

CREATE TRIGGER manager_installs_announce_insert AFTER INSERT ON hotdesk.manager_installs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('account', 'account_id');
CREATE TRIGGER manager_installs_announce_update AFTER UPDATE ON hotdesk.manager_installs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('account', 'account_id');
CREATE TRIGGER manager_installs_announce_delete AFTER DELETE ON hotdesk.manager_installs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('account', 'account_id');

CREATE TRIGGER sessions_announce_delete AFTER DELETE ON hotdesk.sessions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('account', 'account_id');
-- Sessions change by `last_seen_at` alone, which nothing kept shows; any other change is announced as
-- everything (no transition tables with a column list).
CREATE TRIGGER sessions_announce_update AFTER UPDATE OF token_hash, csrf_token, account_id, created_at
    ON hotdesk.sessions FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();

CREATE TRIGGER users_announce_truncate AFTER TRUNCATE ON hotdesk.users
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();
CREATE TRIGGER trusted_networks_announce_truncate AFTER TRUNCATE ON hotdesk.trusted_networks
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();
CREATE TRIGGER installs_announce_truncate AFTER TRUNCATE ON hotdesk.installs
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();
CREATE TRIGGER accounts_announce_truncate AFTER TRUNCATE ON hotdesk.accounts
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();
CREATE TRIGGER manager_installs_announce_truncate AFTER TRUNCATE ON hotdesk.manager_installs
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();
CREATE TRIGGER sessions_announce_truncate AFTER TRUNCATE ON hotdesk.sessions
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_everything();

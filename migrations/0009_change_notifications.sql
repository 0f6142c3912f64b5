-- The portal keeps recent reads (sessions, installs, Users tab pages) in memory and must drop them as soon as
-- the rows behind them change. Changes made through the portal process itself are seen directly; every other
-- writer (another portal instance, `hotdesk create-admin`, psql) is heard through this notification: one
-- NOTIFY hotdesk_changes per statement that changes a table those reads come from, delivered when the
-- transaction commits (PostgreSQL folds a transaction's identical notifications into one). The payload names
-- the table, for diagnostics only: the portal drops every entry whatever changed.
CREATE FUNCTION hotdesk.announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hotdesk_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION hotdesk.announce_change() FROM PUBLIC;

CREATE TRIGGER accounts_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotdesk.accounts
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_change();
CREATE TRIGGER manager_installs_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotdesk.manager_installs
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_change();
-- A new session changes no cached read (only found sessions are kept); ending or touching one does.
CREATE TRIGGER sessions_announce AFTER UPDATE OR DELETE OR TRUNCATE ON hotdesk.sessions
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_change();
CREATE TRIGGER installs_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotdesk.installs
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_change();
CREATE TRIGGER users_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hotdesk.users
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_change();

-- The portal keeps an API key that authenticated in its read cache (a minute at most), as it keeps sessions; a key
-- revoked or given another expiry must drop out of every instance's cache at once. Revoking through the portal
-- says so itself; this trigger tells the other instances (and covers psql), with the payload `api_key:<id>`, when
-- the transaction commits. Only those two columns: the last-use touch, made once a minute, changes nothing a kept
-- key shows. A row trigger, since PostgreSQL 15 allows no column list on a statement trigger with transition
-- tables, and keys change one at a time.
CREATE FUNCTION hotdesk.announce_api_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hotdesk_changes', 'api_key:' || OLD.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_announce AFTER UPDATE OF revoked_at, expires_at OR DELETE ON hotdesk.api_keys
    FOR EACH ROW EXECUTE FUNCTION hotdesk.announce_api_key();

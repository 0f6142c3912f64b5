-- The REGISTER path in fewer and cheaper statements, for issue 13's target (at least 80% of the memory-only
-- registrar's rate; README "Registrar performance" has the figures). Each statement Kamailio sends is parsed and
-- planned afresh (db_postgres and sqlops prepare nothing), so the count of statements and the triggers' work
-- decide the rate:
--   * usrloc runs write-through (db_mode 1) instead of DB-only: lookups come from the registrar's memory, every
--     change is still written to `location` at once, and a restart loads the table again. A registration ended
--     in the data (a forced logout, a rule) is queued in `pending_logouts`; the registrar removes the queued ones
--     from its memory and the table every 200 ms (`ending_registrations`, unregister()). The view
--     `live_registrations` leaves them out at once, so the portal never shows a registration it has ended;
--   * `register_verdict` also returns the operator's HA1 and HA1b, and the digest is checked against them
--     (auth's pv_www_authenticate), so auth_db's own subscriber query goes;
--   * a registration's change no longer notifies the portals itself (a NOTIFY serializes the committing
--     transactions): it marks its install in `unannounced_changes`, and `announce_changes`, on the registrar's
--     one-second timer, notifies each marked install once;
--   * a login's work (source, trusted range, count, history line) is done in one trigger before the row is
--     written, instead of one before and one after; the counts' table keeps room in its pages for their updates;
--   * a refresh changes no indexed column (the index on `expires` goes; the table keeps free room in its pages),
--     so PostgreSQL updates the row in place (a HOT update) without touching an index;
--   * the history's purge walks the history by id (which rises with time), so its index on `at` goes.
-- The installs whose registrations changed since the registrar's timer last announced them: a login, a logout or
-- a move adds its install's domain (once: a second change finds it there and writes nothing), and
-- announce_changes empties the table. Unlogged: after a crash the portals' listeners start afresh anyway.
CREATE UNLOGGED TABLE registrar_state.unannounced_changes (
    domain text PRIMARY KEY
);

-- Notifies `hotdesk_changes` once for each install whose registrations changed since the last call, so the
-- portals' read caches (the Users tab's login marks) hear it. Returns how many installs were announced.
-- SECURITY DEFINER: it names the installs by id, read from the portal's data.
CREATE FUNCTION registrar_state.announce_changes() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    announced integer;
BEGIN
    WITH due AS (DELETE FROM registrar_state.unannounced_changes RETURNING domain)
    SELECT count(pg_notify('hotdesk_changes', 'install:' || i.id)) INTO announced
    FROM due JOIN hotdesk.installs i ON i.sip_domain = due.domain;
    RETURN announced;
END
$$;

-- Registrations ended in the data (by force_logout or a rule) that the registrar has yet to remove from its memory
-- and from `location`, with the history's reason (`kind:detail`). Removing the row writes the history line with
-- that reason and deletes the queue entry (location_changed).
CREATE TABLE registrar_state.pending_logouts (
    ruid      varchar(64) PRIMARY KEY,
    reason    text NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now()
);

-- The registrations the portal shows: not expired, and not ended and waiting for the registrar.
CREATE VIEW registrar_state.live_registrations AS
SELECT l.*
FROM registrar_state.location l
WHERE l.expires > extract(epoch FROM now())::bigint
  AND NOT EXISTS (SELECT FROM registrar_state.pending_logouts p WHERE p.ruid = l.ruid);

-- The registrar's queue, read every 200 ms: the AOR (sip:user@domain) and ruid of each registration to remove
-- with unregister(). Entries whose registration is already gone (it expired, or the handset logged out) go.
CREATE FUNCTION registrar_state.ending_registrations() RETURNS TABLE (aor text, ruid text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM registrar_state.pending_logouts p
    WHERE NOT EXISTS (SELECT FROM registrar_state.location l WHERE l.ruid = p.ruid);
    RETURN QUERY
        SELECT 'sip:' || l.username || '@' || l.domain, l.ruid::text
        FROM registrar_state.pending_logouts p JOIN registrar_state.location l ON l.ruid = p.ruid
        ORDER BY p.queued_at;
END
$$;

-- The registrar's own trigger (its role writes `location`), run with its rights and no search_path of its own
-- (every name is qualified), since it runs on every login.
-- A registration arriving (a login: INSERT) or moving to another source (an UPDATE of `received`): its source
-- address and port, and the most specific trusted range that admits it; for a login also its time, its install's
-- count and its history line, and its install is marked for announce_changes.
CREATE OR REPLACE FUNCTION registrar_state.location_arriving() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parts text[] := regexp_match(NEW.received, '^sips?:\[?([0-9A-Fa-f.:]+)\]?:([0-9]{1,5})');
BEGIN
    NEW.source_address := parts[1]::inet;
    NEW.source_port := parts[2]::integer;
    NEW.trusted_range := (SELECT t.network FROM registrar.trusted_networks t
                          WHERE t.domain = NEW.domain AND parts[1]::inet <<= t.network
                          ORDER BY pg_catalog.masklen(t.network) DESC LIMIT 1);
    IF TG_OP = 'INSERT' THEN
        NEW.login_at := now();
        INSERT INTO registrar_state.logged_in_counts AS c (domain, operators) VALUES (NEW.domain, 1)
            ON CONFLICT (domain) DO UPDATE SET operators = c.operators + 1;
        INSERT INTO registrar_state.unannounced_changes (domain) VALUES (NEW.domain) ON CONFLICT DO NOTHING;
        INSERT INTO registrar_state.login_events
            (domain, username, event, login_at, callid, source_address, source_port, user_agent)
        VALUES (NEW.domain, NEW.username, 'login', NEW.login_at, NEW.callid, NEW.source_address, NEW.source_port,
                NEW.user_agent);
    END IF;
    RETURN NEW;
END
$$;

-- A registration leaving (DELETE: its history line, with the reason queued for it if it was ended in the data)
-- or moved (UPDATE of `received`): its install's count, and its install is marked for announce_changes.
CREATE OR REPLACE FUNCTION registrar_state.location_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    said text;
    kind text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO registrar_state.unannounced_changes (domain) VALUES (NEW.domain) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    DELETE FROM registrar_state.pending_logouts p WHERE p.ruid = OLD.ruid RETURNING p.reason INTO said;
    IF said IS NOT NULL THEN
        kind := split_part(said, ':', 1);
    ELSIF OLD.expires <= extract(epoch FROM now())::bigint THEN
        kind := 'expired';
    ELSIF EXISTS (SELECT FROM registrar_state.location l
                  WHERE l.username = OLD.username AND l.domain = OLD.domain AND l.id <> OLD.id) THEN
        kind := 'replaced';
    ELSE
        kind := 'handset_logout';
    END IF;
    UPDATE registrar_state.logged_in_counts SET operators = greatest(operators - 1, 0) WHERE domain = OLD.domain;
    INSERT INTO registrar_state.unannounced_changes (domain) VALUES (OLD.domain) ON CONFLICT DO NOTHING;
    INSERT INTO registrar_state.login_events
        (domain, username, event, detail, login_at, callid, source_address, source_port, user_agent)
    VALUES (OLD.domain, OLD.username, kind, nullif(substr(said, length(kind) + 2), ''), OLD.login_at, OLD.callid,
            OLD.source_address, OLD.source_port, OLD.user_agent);
    RETURN NULL;
END
$$;
DROP TRIGGER location_changed ON registrar_state.location;
CREATE TRIGGER location_changed AFTER DELETE ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_changed();

-- The verdict on a REGISTER, and the credentials its digest is checked against: `verdict` is untrusted (the
-- source lies in none of the install's Trusted IPs; nothing else is answered), logged_out (a refresh of a
-- registration an administrator or a rule ended), logged_in_elsewhere (the install refuses second logins and
-- the operator is registered from another handset) or ok, always ok for a removal. `ha1` and `ha1b` are the
-- operator's from `registrar.subscriber`, NULL when the operator may not log in (no access, no PIN, unknown).
DROP FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text);
CREATE FUNCTION registrar_state.register_verdict(
    aor_domain text, from_address inet, aor_user text, request_call_id text, request_contact text,
    request_expires text, OUT verdict text, OUT ha1 text, OUT ha1b text
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    -- One statement, planned once per connection; CASE evaluates each check only when it is reached.
    SELECT CASE
               WHEN NOT EXISTS (SELECT FROM registrar.trusted_networks t
                                WHERE t.domain = aor_domain AND from_address <<= t.network) THEN 'untrusted'
               WHEN request_contact = '*' OR request_contact ~* ';\s*expires\s*=\s*0+\s*(;|,|>|$)'
                    OR (request_expires ~ '^\s*0+\s*$' AND request_contact !~* ';\s*expires\s*=') THEN 'ok'
               WHEN EXISTS (SELECT FROM registrar_state.ended_registrations e
                            WHERE e.callid = request_call_id AND e.username = aor_user AND e.domain = aor_domain)
                   THEN 'logged_out'
               WHEN EXISTS (SELECT FROM registrar.login_policy p WHERE p.domain = aor_domain AND p.refuse_second_login)
                    AND EXISTS (SELECT FROM registrar_state.location l
                                WHERE l.username = aor_user AND l.domain = aor_domain
                                  AND l.contact <> coalesce(substring(request_contact FROM '<([^>]*)>'),
                                                            split_part(request_contact, ';', 1))
                                  AND l.callid <> request_call_id AND l.expires > extract(epoch FROM now())::bigint)
                   THEN 'logged_in_elsewhere'
               ELSE 'ok'
           END,
           s.ha1, s.ha1b
    INTO verdict, ha1, ha1b
    FROM (SELECT) AS request
    LEFT JOIN registrar.subscriber s ON s.username = aor_user AND s.domain = aor_domain;
    IF verdict = 'untrusted' THEN
        ha1 := NULL;
        ha1b := NULL;
    END IF;
END
$$;

-- Ends the registrations selected by `victims` with the reason said (`kind:detail`): their refreshes are refused
-- from now on, and the registrar removes them within 200 ms. Returns how many ended (not counting those already
-- ending).
CREATE OR REPLACE FUNCTION registrar_state.end_registrations(victims integer[], said text) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ended integer;
BEGIN
    WITH ending AS (
        INSERT INTO registrar_state.pending_logouts (ruid, reason)
        SELECT l.ruid, said FROM registrar_state.location l WHERE l.id = ANY(victims)
        ON CONFLICT (ruid) DO NOTHING
        RETURNING ruid
    )
    INSERT INTO registrar_state.ended_registrations (callid, username, domain)
    SELECT l.callid, l.username, l.domain FROM registrar_state.location l JOIN ending USING (ruid)
    ON CONFLICT (callid, username, domain) DO UPDATE SET ended_at = now();
    GET DIAGNOSTICS ended = ROW_COUNT;
    RETURN ended;
END
$$;

-- The registrar's timer, every second: registrations past their install's maximum login time, or logged in
-- before the latest daily logout time (in the install's time zone), end with their rule. Expired registrations
-- are the registrar's own timer's (usrloc). Reads only the registrar's views and its own state, so it holds while
-- the portal is down.
CREATE OR REPLACE FUNCTION registrar_state.enforce_login_policy() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ended integer := 0;
BEGIN
    ended := ended + registrar_state.end_registrations(ARRAY(
        SELECT l.id FROM registrar.login_policy p
        JOIN registrar_state.location l ON l.domain = p.domain
        WHERE p.max_login_seconds IS NOT NULL
          AND l.login_at <= now() - make_interval(secs => p.max_login_seconds)), 'automatic_logout:max_login_time');
    ended := ended + registrar_state.end_registrations(ARRAY(
        SELECT l.id FROM (
            SELECT p.domain,
                   -- The latest daily logout time that has passed, as a timestamptz.
                   CASE WHEN (date_trunc('day', now() AT TIME ZONE p.time_zone) + p.daily_logout_at) AT TIME ZONE p.time_zone <= now()
                        THEN (date_trunc('day', now() AT TIME ZONE p.time_zone) + p.daily_logout_at) AT TIME ZONE p.time_zone
                        ELSE (date_trunc('day', now() AT TIME ZONE p.time_zone) - interval '1 day' + p.daily_logout_at) AT TIME ZONE p.time_zone
                   END AS latest
            FROM registrar.login_policy p WHERE p.daily_logout_at IS NOT NULL) d
        JOIN registrar_state.location l ON l.domain = d.domain AND l.login_at < d.latest), 'automatic_logout:daily_logout');
    RETURN ended;
END
$$;

CREATE OR REPLACE FUNCTION registrar_state.force_logout(aor_domain text, registration integer, actor text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ended_user text := (SELECT l.username FROM registrar_state.live_registrations l
                        WHERE l.id = registration AND l.domain = aor_domain);
BEGIN
    IF ended_user IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM registrar_state.end_registrations(ARRAY[registration], 'forced_logout:' || actor);
    RETURN ended_user;
END
$$;

-- The history's purge walks the oldest rows by id: at most `batch` of them, those older than the retention.
CREATE OR REPLACE FUNCTION registrar_state.purge(retention_days integer, batch integer) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    purged integer;
    more integer;
BEGIN
    DELETE FROM registrar_state.login_events WHERE id IN (
        SELECT oldest.id FROM (SELECT e.id, e.at FROM registrar_state.login_events e ORDER BY e.id LIMIT batch) oldest
        WHERE oldest.at < now() - make_interval(days => retention_days));
    GET DIAGNOSTICS purged = ROW_COUNT;
    DELETE FROM registrar_state.refusals WHERE (domain, username, source_address, reason) IN (
        SELECT domain, username, source_address, reason FROM registrar_state.refusals
        WHERE last_at < now() - make_interval(days => retention_days) ORDER BY last_at LIMIT batch);
    GET DIAGNOSTICS more = ROW_COUNT;
    purged := purged + more;
    DELETE FROM registrar_state.ended_registrations WHERE (callid, username, domain) IN (
        SELECT callid, username, domain FROM registrar_state.ended_registrations
        WHERE ended_at < now() - interval '1 day' ORDER BY ended_at LIMIT batch);
    GET DIAGNOSTICS more = ROW_COUNT;
    RETURN purged + more;
END
$$;
DROP INDEX registrar_state.login_events_at_idx;

-- A refresh rewrites expires, cseq, last_modified and the like, none of them indexed now, into room left free in
-- the row's page: PostgreSQL's heap-only update.
DROP INDEX registrar_state.location_expires_idx;
ALTER TABLE registrar_state.location SET (fillfactor = 70);
ALTER TABLE registrar_state.logged_in_counts SET (fillfactor = 50);

REVOKE ALL ON registrar_state.pending_logouts, registrar_state.live_registrations,
    registrar_state.unannounced_changes FROM PUBLIC;
GRANT INSERT ON registrar_state.unannounced_changes TO hotdesk_registrar;
GRANT SELECT, INSERT, DELETE ON registrar_state.pending_logouts TO hotdesk_registrar;
GRANT SELECT ON registrar_state.pending_logouts, registrar_state.live_registrations TO hotdesk_portal;
REVOKE EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text),
    registrar_state.announce_changes(), registrar_state.ending_registrations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text),
    registrar_state.announce_changes(), registrar_state.ending_registrations() TO hotdesk_registrar;

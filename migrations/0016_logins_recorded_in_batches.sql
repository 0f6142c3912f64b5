-- A login costs the registrar one INSERT with one small trigger, for issue 13's target (logins at 80% of the
-- memory-only registrar's rate; README "Registrar performance"). Until now each login's INSERT ran a trigger of
-- four statements (its source and trusted range, its install's count, the mark for announce_changes, its history
-- line), and usrloc's INSERT took 0.19 ms of PostgreSQL's time against 0.05 ms without it (pg_stat_statements;
-- pgbench of the same INSERT: 7,800 against 14,500 a second with the trigger below). Now:
--   * the INSERT's trigger only queues the registration in `unrecorded_logins`;
--   * `record_logins`, on the registrar's 200 ms timer, records the queued logins in a few statements for all of
--     them: their history lines, their installs' counts and the marks for announce_changes;
--   * a registration leaving first records the logins still queued (its own among them), so every end line
--     follows the login lines before it, and counts stay exact;
--   * the source address and port, and the trusted range that admits it, are read from usrloc's `received` when
--     the portal reads a registration or a history line (`live_registrations`, `login_history`): the history keeps
--     `received` as usrloc wrote it, and nothing parses it on the REGISTER path (a regular expression costs 7 µs).
-- Lock order, so that the timer and a registration leaving cannot deadlock: a queue entry, then a count.

-- Source address and port of a registration from usrloc's received value, sip:ADDRESS:PORT (IPv4, or IPv6 in
-- brackets). SQL, so each is inlined into the query that reads it.
CREATE FUNCTION registrar_state.source_address(received text) RETURNS inet
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (regexp_match(received, '^sips?:\[?([0-9A-Fa-f.:]+)\]?:[0-9]{1,5}'))[1]::inet;

CREATE FUNCTION registrar_state.source_port(received text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (regexp_match(received, '^sips?:\[?[0-9A-Fa-f.:]+\]?:([0-9]{1,5})'))[1]::integer;

-- The registrations the portal shows: not expired, and not ended and waiting for the registrar; with the source
-- and the most specific of the install's Trusted IPs that admits it (a registration whose range went is refused
-- at its next refresh, and shows none meanwhile). The computed columns cost nothing when a query does not read them.
DROP TRIGGER location_moved ON registrar_state.location;
DROP FUNCTION registrar_state.force_logout(text, integer, text);
DROP VIEW registrar_state.live_registrations;
ALTER TABLE registrar_state.location DROP COLUMN source_address, DROP COLUMN source_port, DROP COLUMN trusted_range;
CREATE VIEW registrar_state.live_registrations AS
SELECT l.*,
       registrar_state.source_address(l.received) AS source_address,
       registrar_state.source_port(l.received) AS source_port,
       (SELECT n.network FROM hotdesk.registrar_networks n
        WHERE n.domain = l.domain AND registrar_state.source_address(l.received) <<= n.network
        ORDER BY masklen(n.network) DESC LIMIT 1) AS trusted_range
FROM registrar_state.location l
WHERE l.expires > extract(epoch FROM now())::bigint
  AND NOT EXISTS (SELECT FROM registrar_state.pending_logouts p WHERE p.ruid = l.ruid);

-- The history keeps the registration's `received` value; its source address and port are read from it.
ALTER TABLE registrar_state.login_events ADD COLUMN received text;
UPDATE registrar_state.login_events
SET received = 'sip:' || CASE WHEN family(source_address) = 6 THEN '[' || host(source_address) || ']'
                              ELSE host(source_address) END || ':' || source_port
WHERE source_address IS NOT NULL AND source_port IS NOT NULL;
ALTER TABLE registrar_state.login_events DROP COLUMN source_address, DROP COLUMN source_port;

-- The history as the portal reads it: each line with its source address and port.
CREATE VIEW registrar_state.login_history AS
SELECT e.*,
       registrar_state.source_address(e.received) AS source_address,
       registrar_state.source_port(e.received) AS source_port
FROM registrar_state.login_events e;

-- Logins written by the registrar and not yet recorded by record_logins.
CREATE TABLE registrar_state.unrecorded_logins (
    ruid varchar(64) PRIMARY KEY
);

DROP TRIGGER location_arriving ON registrar_state.location;
DROP FUNCTION registrar_state.location_arriving();

-- The registrar's own trigger (its role writes `location`), run with its rights: one statement per login.
CREATE FUNCTION registrar_state.location_arrived() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO registrar_state.unrecorded_logins (ruid) VALUES (NEW.ruid);
    RETURN NULL;
END
$$;
CREATE TRIGGER location_arrived AFTER INSERT ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_arrived();

-- The registrar's timer, every 200 ms: the logins queued since its last run get their history lines (at their
-- login time), their installs' counts and the marks for announce_changes, in one statement for all of them.
-- Returns how many it recorded. Entries without a registration (left by a TRUNCATE) just go.
CREATE FUNCTION registrar_state.record_logins() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    due varchar(64)[];
    recorded integer;
BEGIN
    -- The queue's entries first, as an array: a join with the queue would be planned as a scan of `location`,
    -- and `ruid = ANY(due)` as a bitmap scan rechecking every row against the whole array; each is looked up alone.
    WITH taken AS (DELETE FROM registrar_state.unrecorded_logins RETURNING ruid)
    SELECT array_agg(ruid) INTO due FROM taken;
    IF due IS NULL THEN
        RETURN 0;
    END IF;
    WITH lines AS (
        INSERT INTO registrar_state.login_events
            (domain, username, event, at, login_at, callid, received, user_agent)
        SELECT l.domain, l.username, 'login', l.login_at, l.login_at, l.callid, l.received, l.user_agent
        FROM unnest(due) AS queued (ruid) JOIN registrar_state.location l ON l.ruid = queued.ruid
        ORDER BY l.id
        RETURNING domain
    ), counted AS (
        INSERT INTO registrar_state.logged_in_counts AS c (domain, operators)
        SELECT domain, count(*) FROM lines GROUP BY domain ORDER BY domain
        ON CONFLICT (domain) DO UPDATE SET operators = c.operators + excluded.operators
        RETURNING domain
    ), marked AS (
        INSERT INTO registrar_state.unannounced_changes (domain) SELECT domain FROM counted ON CONFLICT DO NOTHING
    )
    SELECT count(*) INTO recorded FROM lines;
    RETURN recorded;
END
$$;

-- A registration leaving (before its DELETE: its history line, with the reason queued for it if it was ended in the data) or
-- moved (UPDATE of `received`): its install's count, and its install is marked for announce_changes. The logins
-- still queued are recorded first (its own among them, if it leaves within 200 ms), so that every end line comes
-- after the login lines before it: a login that replaced this registration shows before "replaced".
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
    PERFORM registrar_state.record_logins();
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
        (domain, username, event, detail, login_at, callid, received, user_agent)
    VALUES (OLD.domain, OLD.username, kind, nullif(substr(said, length(kind) + 2), ''), OLD.login_at, OLD.callid,
            OLD.received, OLD.user_agent);
    RETURN OLD;
END
$$;
-- Before the row goes, so that record_logins still finds it.
DROP TRIGGER location_changed ON registrar_state.location;
CREATE TRIGGER location_changed BEFORE DELETE ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_changed();

-- How many operators of the install are logged in: the recorded count and the logins still queued (the Hot
-- Desk Status page counts exactly what it lists).
CREATE FUNCTION registrar_state.logged_in(aor_domain text) RETURNS integer
LANGUAGE sql STABLE
RETURN coalesce((SELECT c.operators FROM registrar_state.logged_in_counts c WHERE c.domain = aor_domain), 0)
       + (SELECT count(*) FROM registrar_state.unrecorded_logins q
          JOIN registrar_state.location l ON l.ruid = q.ruid WHERE l.domain = aor_domain)::integer;

-- Unchanged from 0015; made again because it reads live_registrations, which was made again.
CREATE FUNCTION registrar_state.force_logout(aor_domain text, registration integer, actor text) RETURNS text
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

REVOKE ALL ON registrar_state.unrecorded_logins, registrar_state.live_registrations, registrar_state.login_history
    FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION registrar_state.record_logins(), registrar_state.force_logout(text, integer, text),
    registrar_state.location_arrived(), registrar_state.logged_in(text), registrar_state.source_address(text),
    registrar_state.source_port(text) FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON registrar_state.unrecorded_logins TO hotdesk_registrar;
GRANT EXECUTE ON FUNCTION registrar_state.record_logins(), registrar_state.source_address(text),
    registrar_state.source_port(text) TO hotdesk_registrar;
GRANT SELECT ON registrar_state.unrecorded_logins, registrar_state.live_registrations,
    registrar_state.login_history TO hotdesk_portal;
GRANT EXECUTE ON FUNCTION registrar_state.force_logout(text, integer, text), registrar_state.logged_in(text),
    registrar_state.source_address(text),
    registrar_state.source_port(text) TO hotdesk_portal;

-- The verdict as one text, `verdict:ha1:ha1b` (empty HA1s when the operator may not log in, or for an untrusted
-- source), called in the select list: the same answer as 0015's three OUT columns, which PostgreSQL returned
-- through a function scan, its tuple store and a record type made on every call. pgbench with the registrar's
-- statement: 15,900 against 19,400-20,600 calls a second (4 clients).
DROP FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text);
CREATE FUNCTION registrar_state.register_verdict(
    aor_domain text, from_address inet, aor_user text, request_call_id text, request_contact text,
    request_expires text
) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    answer text;
BEGIN
    -- One statement, planned once per connection; CASE evaluates each check only when it is reached.
    SELECT CASE
               WHEN NOT EXISTS (SELECT FROM registrar.trusted_networks t
                                WHERE t.domain = aor_domain AND from_address <<= t.network) THEN 'untrusted::'
               ELSE CASE
                        WHEN request_contact = '*' OR request_contact ~* ';\s*expires\s*=\s*0+\s*(;|,|>|$)'
                             OR (request_expires ~ '^\s*0+\s*$' AND request_contact !~* ';\s*expires\s*=') THEN 'ok'
                        WHEN EXISTS (SELECT FROM registrar_state.ended_registrations e
                                     WHERE e.callid = request_call_id AND e.username = aor_user
                                       AND e.domain = aor_domain) THEN 'logged_out'
                        WHEN EXISTS (SELECT FROM registrar.login_policy p
                                     WHERE p.domain = aor_domain AND p.refuse_second_login)
                             AND EXISTS (SELECT FROM registrar_state.location l
                                         WHERE l.username = aor_user AND l.domain = aor_domain
                                           AND l.contact <> coalesce(substring(request_contact FROM '<([^>]*)>'),
                                                                     split_part(request_contact, ';', 1))
                                           AND l.callid <> request_call_id
                                           AND l.expires > extract(epoch FROM now())::bigint)
                            THEN 'logged_in_elsewhere'
                        ELSE 'ok'
                    END || ':' || coalesce(s.ha1, '') || ':' || coalesce(s.ha1b, '')
           END
    INTO answer
    FROM (SELECT) AS request
    LEFT JOIN registrar.subscriber s ON s.username = aor_user AND s.domain = aor_domain;
    RETURN answer;
END
$$;
REVOKE EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text) TO hotdesk_registrar;

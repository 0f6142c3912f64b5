-- A login costs the registrar usrloc's INSERT and a trigger of one small statement, for issue 13's target (logins
-- at 80% of the memory-only registrar's rate; README "Registrar performance"). Until now each login's INSERT ran a
-- trigger of four statements (its source and trusted range, its install's count, the mark for announce_changes,
-- its history line): 0.19 ms of PostgreSQL's time per INSERT under the benchmark's load, against 0.06 ms now. Now:
--   * the INSERT's trigger only queues the login in `unrecorded_logins`;
--   * `record_logins`, on the registrar's 200 ms timer, records the queued logins in one statement for all of
--     them: their history lines, their installs' counts and the marks for announce_changes;
--   * a registration leaving first records the logins still queued, so every end line follows the login lines
--     before it (its own login line too, if it leaves within 200 ms), and counts stay exact;
--   * `location` keeps what usrloc writes and the login time: the portal reads the source from `received`
--     (sip:ADDRESS:PORT) and finds the trusted range that admits it among the install's, so a refresh rewrites
--     only usrloc's columns, in the row's own page (a heap-only update);
--   * the verdict is one text in the select list (see the end of this file).
-- Lock order, so that the timer and a registration leaving cannot deadlock: queue entries, then counts.

-- Source address and port of a registration from usrloc's received value, sip:ADDRESS:PORT (IPv4, or IPv6 with
-- or without brackets; the registrar writes sip:$si:$sp), NULL for anything else, for the history's lines (the
-- portal reads registrations' with SourceEndpoint(received:)). String functions, not 0014's
-- regular expression (3 µs against 7 µs), in SQL, so each is inlined where it is used.
CREATE FUNCTION registrar_state.source_port(received text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN length(split_part(received, ':', -1)) BETWEEN 1 AND 5
             AND translate(split_part(received, ':', -1), '0123456789', '') = ''
            THEN split_part(received, ':', -1)::integer END;

-- The text between the scheme and the port, brackets removed.
CREATE FUNCTION registrar_state.source_host(received text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN btrim(substr(received, strpos(received, ':') + 1,
                    greatest(length(received) - strpos(received, ':') - length(split_part(received, ':', -1)) - 1, 0)),
             '[]');

CREATE FUNCTION registrar_state.source_address(received text) RETURNS inet
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN registrar_state.source_port(received) IS NOT NULL AND registrar_state.source_host(received) <> ''
             AND translate(registrar_state.source_host(received), '0123456789abcdefABCDEF.:', '') = ''
            THEN registrar_state.source_host(received)::inet END;

-- Logins written by the registrar and not yet recorded by record_logins.
CREATE TABLE registrar_state.unrecorded_logins (
    ruid varchar(64) PRIMARY KEY
);

-- `location` keeps usrloc's columns and the login time only.
DROP TRIGGER location_arriving ON registrar_state.location;
DROP TRIGGER location_moved ON registrar_state.location;
DROP FUNCTION registrar_state.location_arriving();
DROP FUNCTION registrar_state.force_logout(text, integer, text);
DROP VIEW registrar_state.live_registrations;
ALTER TABLE registrar_state.location DROP COLUMN source_address, DROP COLUMN source_port, DROP COLUMN trusted_range;

-- The registrar's own trigger (its role writes `location`), run with its rights, before a login's INSERT: its
-- time, and the queue.
CREATE FUNCTION registrar_state.location_arrived() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.login_at := now();
    INSERT INTO registrar_state.unrecorded_logins (ruid) VALUES (NEW.ruid);
    RETURN NEW;
END
$$;
CREATE TRIGGER location_arrived BEFORE INSERT ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_arrived();

-- The registrar's timer, every 200 ms, and a registration leaving (`leaving`: its own entry is left to it): the
-- logins queued since the last run get their history lines (at their login time), their installs' counts and the
-- marks for announce_changes, in one statement for all of them. Returns how many it recorded. Entries without a
-- registration (left by a TRUNCATE) just go.
CREATE FUNCTION registrar_state.record_logins(leaving varchar(64) DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    due varchar(64)[];
    recorded integer;
BEGIN
    -- The queue's entries first, as an array: a join with the queue would be planned as a scan of `location`,
    -- and `ruid = ANY(due)` as a bitmap scan rechecking every row against the whole array; each is looked up alone.
    WITH taken AS (
        DELETE FROM registrar_state.unrecorded_logins q WHERE q.ruid IS DISTINCT FROM leaving RETURNING q.ruid
    )
    SELECT array_agg(ruid) INTO due FROM taken;
    IF due IS NULL THEN
        RETURN 0;
    END IF;
    WITH lines AS (
        INSERT INTO registrar_state.login_events
            (domain, username, event, at, login_at, callid, source_address, source_port, user_agent)
        SELECT l.domain, l.username, 'login', l.login_at, l.login_at, l.callid,
               registrar_state.source_address(l.received), registrar_state.source_port(l.received), l.user_agent
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

-- A registration leaving (before its DELETE: its history line, with the reason queued for it if it was ended in
-- the data; its install's count) or moved (after an UPDATE of `received`), and its install is marked for
-- announce_changes. The other logins still queued are recorded first, so that every end line follows the login
-- lines before it (a login that replaced this registration shows before "replaced"); its own, if it leaves within
-- 200 ms, just before its end line, and it was never counted.
CREATE OR REPLACE FUNCTION registrar_state.location_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    said text;
    kind text;
    address inet := registrar_state.source_address(OLD.received);
    port integer := registrar_state.source_port(OLD.received);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO registrar_state.unannounced_changes (domain) VALUES (NEW.domain) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    PERFORM registrar_state.record_logins(OLD.ruid);
    DELETE FROM registrar_state.unrecorded_logins q WHERE q.ruid = OLD.ruid;
    IF FOUND THEN
        INSERT INTO registrar_state.login_events
            (domain, username, event, at, login_at, callid, source_address, source_port, user_agent)
        VALUES (OLD.domain, OLD.username, 'login', OLD.login_at, OLD.login_at, OLD.callid, address, port,
                OLD.user_agent);
    ELSE
        UPDATE registrar_state.logged_in_counts SET operators = greatest(operators - 1, 0) WHERE domain = OLD.domain;
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
    INSERT INTO registrar_state.unannounced_changes (domain) VALUES (OLD.domain) ON CONFLICT DO NOTHING;
    INSERT INTO registrar_state.login_events
        (domain, username, event, detail, login_at, callid, source_address, source_port, user_agent)
    VALUES (OLD.domain, OLD.username, kind, nullif(substr(said, length(kind) + 2), ''), OLD.login_at, OLD.callid,
            address, port, OLD.user_agent);
    RETURN OLD;
END
$$;
-- Before the row goes, so that the login lines it records can still read it.
DROP TRIGGER location_changed ON registrar_state.location;
CREATE TRIGGER location_changed BEFORE DELETE ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_changed();

-- As in 0015, without the columns that went.
CREATE VIEW registrar_state.live_registrations AS
SELECT l.*
FROM registrar_state.location l
WHERE l.expires > extract(epoch FROM now())::bigint
  AND NOT EXISTS (SELECT FROM registrar_state.pending_logouts p WHERE p.ruid = l.ruid);

-- Unchanged from 0015; made again because it reads live_registrations.
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

-- How many operators of the install are logged in: the recorded count and the logins still queued (the Hot
-- Desk Status page counts exactly what it lists). PL/pgSQL, so its statement is planned once per connection.
CREATE FUNCTION registrar_state.logged_in(aor_domain text) RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN coalesce((SELECT c.operators FROM registrar_state.logged_in_counts c WHERE c.domain = aor_domain), 0)
           + (SELECT count(*) FROM registrar_state.unrecorded_logins q
              JOIN registrar_state.location l ON l.ruid = q.ruid WHERE l.domain = aor_domain)::integer;
END
$$;

REVOKE ALL ON registrar_state.unrecorded_logins, registrar_state.live_registrations FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION registrar_state.record_logins(varchar), registrar_state.logged_in(text),
    registrar_state.force_logout(text, integer, text), registrar_state.location_arrived(),
    registrar_state.source_address(text), registrar_state.source_port(text), registrar_state.source_host(text)
    FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON registrar_state.unrecorded_logins TO hotdesk_registrar;
GRANT EXECUTE ON FUNCTION registrar_state.record_logins(varchar), registrar_state.source_address(text),
    registrar_state.source_port(text), registrar_state.source_host(text) TO hotdesk_registrar;
GRANT SELECT ON registrar_state.unrecorded_logins, registrar_state.live_registrations TO hotdesk_portal;
GRANT EXECUTE ON FUNCTION registrar_state.logged_in(text), registrar_state.force_logout(text, integer, text)
    TO hotdesk_portal;

-- The verdict as one text, `verdict:ha1:ha1b` (empty HA1s when the operator may not log in, or for an untrusted
-- source), called in the select list: the same answer as 0015's three OUT columns, which PostgreSQL returned
-- through a function scan, its tuple store and a record type made on every call. pgbench with the registrar's
-- statement: 15,900 against 19,400-20,600 calls a second (4 clients). Two more savings:
--   * a REGISTER without credentials is only challenged, so the registrar asks with a NULL Call-ID and only the
--     trust check runs ('ok::'): the operator's HA1, an ended Call-ID and the policy are looked up once per
--     exchange, for the REGISTER that carries the digest;
--   * the regular expressions that recognise a removal (3-7 µs each, two on every REGISTER) run only when the
--     Contact mentions expires or the Expires header starts with 0.
DROP FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text);
CREATE FUNCTION registrar_state.register_verdict(
    aor_domain text, from_address inet, aor_user text, request_call_id text, request_contact text,
    request_expires text
) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    answer text;
BEGIN
    -- One statement, planned once per connection; CASE evaluates each check only when it is reached, and AND
    -- stops at its first false operand.
    SELECT CASE
               WHEN NOT EXISTS (SELECT FROM registrar.trusted_networks t
                                WHERE t.domain = aor_domain AND from_address <<= t.network) THEN 'untrusted::'
               WHEN request_call_id IS NULL THEN 'ok::'
               ELSE CASE
                        WHEN request_contact = '*'
                             OR (strpos(lower(request_contact), 'expires') > 0
                                 AND request_contact ~* ';\s*expires\s*=\s*0+\s*(;|,|>|$)')
                             OR (left(ltrim(request_expires, E' \t'), 1) = '0' AND request_expires ~ '^\s*0+\s*$'
                                 AND NOT (strpos(lower(request_contact), 'expires') > 0
                                          AND request_contact ~* ';\s*expires\s*=')) THEN 'ok'
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
                    END || ':' || coalesce((SELECT s.ha1 || ':' || s.ha1b FROM registrar.subscriber s
                                            WHERE s.username = aor_user AND s.domain = aor_domain), ':')
           END
    INTO answer;
    RETURN answer;
END
$$;
REVOKE EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text) TO hotdesk_registrar;

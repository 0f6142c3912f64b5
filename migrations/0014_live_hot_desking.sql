-- Live hot desking. The registrar now writes its own state, and only that, into a schema of its own,
-- `registrar_state`: its registrations (Kamailio usrloc's `location`, table version 9, in DB-only mode with integer
-- expiry times), the login history, the refused attempts (aggregated) and the registrations ended by a rule or an
-- administrator. The portal reads that schema and changes it only through `registrar_state.force_logout`.
-- Each install's login policy lives with the portal's data (`hotdesk.login_policies`) and reaches the registrar
-- through the view `registrar.login_policy`. README "Live hot desking" tells the whole story.
--
-- Every time here is the database's: `now()` (timestamptz) or, in Kamailio's integer columns, Unix seconds. The
-- rules compare a registration's `login_at` with `now()`, so a test moves a registration's clock by changing its
-- `login_at`, not by waiting.

-- True when PostgreSQL can read `zone` as a time zone: the last line of defence behind the portal's check against
-- pg_timezone_names, so that no row can make the registrar's rules fail for every install.
CREATE FUNCTION hotdesk.is_time_zone(zone text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM now() AT TIME ZONE zone;
    RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END
$$;

-- The install's policy, edited on its Settings tab.
CREATE TABLE hotdesk.login_policies (
    install_id      bigint PRIMARY KEY REFERENCES hotdesk.installs (id) ON DELETE CASCADE,
    -- NULL: no maximum login time.
    max_login_hours integer CONSTRAINT login_policies_max_login_hours CHECK (max_login_hours BETWEEN 1 AND 168),
    -- NULL: no daily logout. A time of day in time_zone, to the minute.
    daily_logout_at time(0) without time zone
                    CONSTRAINT login_policies_daily_logout_minute CHECK (date_trunc('minute', daily_logout_at) = daily_logout_at),
    -- An IANA name PostgreSQL knows (pg_timezone_names); the portal checks it first.
    time_zone       text NOT NULL DEFAULT 'UTC'
                    CONSTRAINT login_policies_time_zone_shape CHECK (time_zone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$' AND char_length(time_zone) <= 64)
                    CONSTRAINT login_policies_time_zone_known CHECK (hotdesk.is_time_zone(time_zone)),
    -- A second login by the same operator on another handset: replace the earlier one, or refuse it.
    second_login    text NOT NULL DEFAULT 'replace'
                    CONSTRAINT login_policies_second_login CHECK (second_login IN ('replace', 'refuse')),
    version         integer NOT NULL DEFAULT 1 CONSTRAINT login_policies_version_positive CHECK (version > 0),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER login_policies_touch BEFORE UPDATE ON hotdesk.login_policies
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();

CREATE OR REPLACE FUNCTION hotdesk.install_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hotdesk.handset_settings (install_id) VALUES (NEW.id);
    INSERT INTO hotdesk.login_policies (install_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;
INSERT INTO hotdesk.login_policies (install_id) SELECT id FROM hotdesk.installs;
GRANT SELECT, INSERT, UPDATE ON hotdesk.login_policies TO hotdesk_portal;
GRANT EXECUTE ON FUNCTION hotdesk.is_time_zone(text) TO hotdesk_portal;

-- A policy change is a change to its install (the read cache keeps Settings pages).
CREATE TRIGGER login_policies_announce AFTER UPDATE ON hotdesk.login_policies
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.announce_rows('install', 'install_id');

-- What the registrar enforces, per SIP domain (a contract addition: README "The registrar interface").
CREATE VIEW registrar.login_policy AS
SELECT i.sip_domain                       AS domain,
       p.max_login_hours * 3600           AS max_login_seconds,
       p.daily_logout_at                  AS daily_logout_at,
       p.time_zone                        AS time_zone,
       p.second_login = 'refuse'          AS refuse_second_login
FROM hotdesk.login_policies p
JOIN hotdesk.installs i ON i.id = p.install_id;
GRANT SELECT ON registrar.login_policy TO hotdesk_registrar;

-- The trust check is answered by the domain's few ranges (the btree on domain, then a filter): a GiST index on
-- the network made PostgreSQL intersect the domain's ranges with every install's copy of a shared range (all
-- 1,000 installs trusting 127.0.0.0/8 in scripts/bench-registrar.sh), twice as slow.
DROP INDEX hotdesk.registrar_networks_domain_network_idx;

-- registrar.subscriber has projected registrar_subscribers, which holds only the operators who may log in, since
-- 0006: no row is filtered out any more, so the security barrier protected nothing, and planning through it cost
-- a sixth of each lookup (pgbench, simple protocol as auth_db sends it: 17,773 lookups/s against 21,242 on
-- Kamailio's own table with the barrier, 20,821 against 21,630 without).
ALTER VIEW registrar.subscriber RESET (security_barrier);

-- usrloc checks the table's version at start-up.
CREATE OR REPLACE VIEW registrar.version AS
SELECT table_name::varchar(32) AS table_name, table_version::integer AS table_version
FROM (VALUES ('subscriber', 7), ('registrar.subscriber', 7), ('address', 6), ('registrar.address', 6),
             ('location', 9), ('registrar_state.location', 9))
     AS versions (table_name, table_version);

CREATE SCHEMA registrar_state;
REVOKE ALL ON SCHEMA registrar_state FROM PUBLIC;
GRANT USAGE ON SCHEMA registrar_state TO hotdesk_registrar, hotdesk_portal;

-- Kamailio usrloc's table (version 9, /usr/share/kamailio/postgres/usrloc-create.sql) with expires and
-- last_modified as Unix seconds (usrloc's expires_type 1: no time zone to get wrong), plus HotDesk's columns,
-- which the triggers below fill: the login time (last_modified moves with every refresh), the source address and
-- port (from the registrar's received value, sip:ADDRESS:PORT) and the trusted range that admitted it.
CREATE TABLE registrar_state.location (
    id              serial PRIMARY KEY,
    ruid            varchar(64) NOT NULL DEFAULT '',
    username        varchar(64) NOT NULL DEFAULT '',
    domain          varchar(64) DEFAULT NULL,
    contact         varchar(512) NOT NULL DEFAULT '',
    received        varchar(128) DEFAULT NULL,
    path            varchar(512) DEFAULT NULL,
    expires         bigint NOT NULL DEFAULT 0,
    q               real NOT NULL DEFAULT 1.0,
    callid          varchar(255) NOT NULL DEFAULT 'Default-Call-ID',
    cseq            integer NOT NULL DEFAULT 1,
    last_modified   bigint NOT NULL DEFAULT 0,
    flags           integer NOT NULL DEFAULT 0,
    cflags          integer NOT NULL DEFAULT 0,
    user_agent      varchar(255) NOT NULL DEFAULT '',
    socket          varchar(64) DEFAULT NULL,
    methods         integer DEFAULT NULL,
    instance        varchar(255) DEFAULT NULL,
    reg_id          integer NOT NULL DEFAULT 0,
    server_id       integer NOT NULL DEFAULT 0,
    connection_id   integer NOT NULL DEFAULT 0,
    keepalive       integer NOT NULL DEFAULT 0,
    partition       integer NOT NULL DEFAULT 0,
    login_at        timestamptz NOT NULL DEFAULT now(),
    source_address  inet,
    source_port     integer,
    trusted_range   cidr,
    CONSTRAINT location_ruid_idx UNIQUE (ruid)
);
-- Every refresh moves `expires`, so no update is HOT and each one writes every index: only the indexes the
-- registrar's statements use. usrloc reads an operator's registrations by (username, domain) and changes one by
-- ruid; its timer and enforce_login_policy delete by expires; Hot Desk Status pages an install by extension.
-- (usrloc-create.sql's (username, domain, contact) and (server_id, connection_id) indexes serve TCP connection
-- matching and contact lookups that db_mode 3 over UDP does not make.)
CREATE INDEX location_expires_idx ON registrar_state.location (expires);
CREATE INDEX location_domain_username_idx ON registrar_state.location (domain, username, id);

-- Registrations per domain, kept by the location triggers, so the status page counts without scanning.
CREATE TABLE registrar_state.logged_in_counts (
    domain    text PRIMARY KEY,
    operators integer NOT NULL DEFAULT 0
);

-- Logins and their ends. detail: who forced a logout, which rule logged out automatically.
CREATE TABLE registrar_state.login_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    domain         text NOT NULL,
    username       text NOT NULL,
    event          text NOT NULL CONSTRAINT login_events_event CHECK (event IN (
                       'login', 'handset_logout', 'expired', 'forced_logout', 'automatic_logout', 'replaced')),
    detail         text,
    at             timestamptz NOT NULL DEFAULT now(),
    login_at       timestamptz NOT NULL,
    callid         text NOT NULL,
    source_address inet,
    source_port    integer,
    user_agent     text NOT NULL DEFAULT ''
);
CREATE INDEX login_events_domain_idx ON registrar_state.login_events (domain, id);
CREATE INDEX login_events_user_idx ON registrar_state.login_events (domain, username, id);
CREATE INDEX login_events_at_idx ON registrar_state.login_events (at);

-- Refused attempts, one row per domain, extension ('' when the user part is not one), source address and reason,
-- with a count: a brute-force run grows a count, not the table.
CREATE TABLE registrar_state.refusals (
    domain         text NOT NULL,
    username       text NOT NULL,
    source_address inet NOT NULL,
    reason         text NOT NULL CONSTRAINT refusals_reason CHECK (reason IN (
                       'untrusted_source', 'wrong_pin', 'no_access', 'no_pin', 'unknown_extension', 'banned',
                       'logged_in_elsewhere', 'logged_out')),
    attempts       bigint NOT NULL DEFAULT 1,
    first_at       timestamptz NOT NULL DEFAULT now(),
    last_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (domain, username, source_address, reason)
);
CREATE INDEX refusals_user_last_idx ON registrar_state.refusals (domain, username, last_at);
CREATE INDEX refusals_last_idx ON registrar_state.refusals (last_at);

-- Registrations ended by an administrator or a rule: their refreshes (same Call-ID) are refused. Kept a day,
-- far longer than any registration lives (max_expires 600 s).
CREATE TABLE registrar_state.ended_registrations (
    callid   text NOT NULL,
    username text NOT NULL,
    domain   text NOT NULL,
    ended_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (callid, username, domain)
);
CREATE INDEX ended_registrations_ended_idx ON registrar_state.ended_registrations (ended_at);

-- Source, port and admitting range from the received value sip:ADDRESS:PORT (IPv4, or IPv6 in brackets), and
-- the login time of a new registration (whatever the writer sent). SECURITY DEFINER: it reads the ranges.
CREATE FUNCTION registrar_state.location_arriving() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parts text[] := regexp_match(NEW.received, '^sips?:\[?([0-9A-Fa-f.:]+)\]?:([0-9]{1,5})');
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.login_at := now();
    END IF;
    NEW.source_address := parts[1]::inet;
    NEW.source_port := parts[2]::integer;
    NEW.trusted_range := (SELECT n.network FROM hotdesk.registrar_networks n
                          WHERE n.domain = NEW.domain AND parts[1]::inet <<= n.network
                          ORDER BY masklen(n.network) DESC LIMIT 1);
    RETURN NEW;
END
$$;

-- The history row, the count and the change notification for the install (its Users tab marks who is logged
-- in). Why a registration ended: what force_logout or enforce_login_policy said (`registrar_state.end_reason`,
-- set for their transaction), else expiry when its time had come, else replacement when the operator has
-- another registration (usrloc's replace flag deletes the others after saving the new one), else the handset's
-- own logout (Expires: 0).
CREATE FUNCTION registrar_state.location_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    registration registrar_state.location;
    said text := nullif(current_setting('registrar_state.end_reason', true), '');
    kind text;
    detail text;
    install bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        registration := OLD;
    ELSE
        registration := NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        kind := 'login';
        INSERT INTO registrar_state.logged_in_counts AS c (domain, operators) VALUES (registration.domain, 1)
            ON CONFLICT (domain) DO UPDATE SET operators = c.operators + 1;
    ELSIF TG_OP = 'DELETE' THEN
        IF said IS NOT NULL THEN
            kind := split_part(said, ':', 1);
            detail := nullif(substr(said, length(kind) + 2), '');
        ELSIF OLD.expires <= extract(epoch FROM now()) THEN
            kind := 'expired';
        ELSIF EXISTS (SELECT FROM registrar_state.location l
                      WHERE l.username = OLD.username AND l.domain = OLD.domain AND l.id <> OLD.id) THEN
            kind := 'replaced';
        ELSE
            kind := 'handset_logout';
        END IF;
        UPDATE registrar_state.logged_in_counts SET operators = greatest(operators - 1, 0)
        WHERE domain = registration.domain;
    END IF;
    IF kind IS NOT NULL THEN
        INSERT INTO registrar_state.login_events
            (domain, username, event, detail, login_at, callid, source_address, source_port, user_agent)
        VALUES (registration.domain, registration.username, kind, detail, registration.login_at, registration.callid,
                registration.source_address, registration.source_port, registration.user_agent);
    END IF;
    install := (SELECT i.id FROM hotdesk.installs i WHERE i.sip_domain = registration.domain);
    IF install IS NOT NULL THEN
        PERFORM pg_notify('hotdesk_changes', 'install:' || install);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER location_arriving BEFORE INSERT ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_arriving();
CREATE TRIGGER location_moved BEFORE UPDATE ON registrar_state.location
    FOR EACH ROW WHEN (OLD.received IS DISTINCT FROM NEW.received) EXECUTE FUNCTION registrar_state.location_arriving();
CREATE TRIGGER location_changed AFTER INSERT OR DELETE ON registrar_state.location
    FOR EACH ROW EXECUTE FUNCTION registrar_state.location_changed();
CREATE TRIGGER location_moved_announce AFTER UPDATE ON registrar_state.location
    FOR EACH ROW WHEN (OLD.received IS DISTINCT FROM NEW.received) EXECUTE FUNCTION registrar_state.location_changed();

-- The registrar's one question per REGISTER, asked before the challenge and again with the credentials:
--   untrusted            the source lies in none of the domain's Trusted IPs;
--   logged_out           this registration (its Call-ID) was ended by an administrator or a rule;
--   logged_in_elsewhere  the install refuses second logins and the operator is registered from another handset;
--   ok                   otherwise, and always for a removal (Contact: *, expires=0, Expires: 0).
-- request_contact is the Contact header's body as sent (<URI>;params); request_expires the Expires header or ''.
-- PL/pgSQL, so its statements are planned once per connection.
CREATE FUNCTION registrar_state.register_verdict(
    aor_domain text, from_address inet, aor_user text, request_call_id text, request_contact text,
    request_expires text
) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM registrar.trusted_networks t WHERE t.domain = aor_domain AND from_address <<= t.network) THEN
        RETURN 'untrusted';
    END IF;
    IF request_contact = '*' OR request_contact ~* ';\s*expires\s*=\s*0+\s*(;|,|>|$)'
       OR (request_expires ~ '^\s*0+\s*$' AND request_contact !~* ';\s*expires\s*=') THEN
        RETURN 'ok';
    END IF;
    IF EXISTS (SELECT FROM registrar_state.ended_registrations e
               WHERE e.callid = request_call_id AND e.username = aor_user AND e.domain = aor_domain) THEN
        RETURN 'logged_out';
    END IF;
    IF EXISTS (SELECT FROM registrar.login_policy p WHERE p.domain = aor_domain AND p.refuse_second_login)
       AND EXISTS (SELECT FROM registrar_state.location l
                   WHERE l.username = aor_user AND l.domain = aor_domain
                     AND l.contact <> coalesce(substring(request_contact FROM '<([^>]*)>'), split_part(request_contact, ';', 1))
                     AND l.callid <> request_call_id AND l.expires > extract(epoch FROM now())) THEN
        RETURN 'logged_in_elsewhere';
    END IF;
    RETURN 'ok';
END
$$;

-- Records a refused attempt for a known install, and returns the reason recorded. `credentials` (the digest did
-- not match a subscriber) becomes wrong_pin, no_access, no_pin or unknown_extension, read from the portal's data;
-- SECURITY DEFINER for that.
CREATE FUNCTION registrar_state.refuse(aor_domain text, aor_user text, from_address inet, said text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    install bigint := (SELECT i.id FROM hotdesk.installs i WHERE i.sip_domain = aor_domain);
    operator record;
    refused_user text := CASE WHEN aor_user ~ '^[0-9]{4}$' THEN aor_user ELSE '' END;
    recorded text := said;
BEGIN
    IF install IS NULL THEN
        RETURN NULL;
    END IF;
    IF said = 'credentials' THEN
        SELECT u.hot_desk_access, u.hot_desk_pin IS NOT NULL AS has_pin INTO operator
        FROM hotdesk.users u WHERE u.install_id = install AND u.extension = refused_user;
        recorded := CASE
            WHEN NOT FOUND THEN 'unknown_extension'
            WHEN NOT operator.hot_desk_access THEN 'no_access'
            WHEN NOT operator.has_pin THEN 'no_pin'
            ELSE 'wrong_pin' END;
    END IF;
    INSERT INTO registrar_state.refusals AS r (domain, username, source_address, reason)
    VALUES (aor_domain, refused_user, from_address, recorded)
    ON CONFLICT (domain, username, source_address, reason)
        DO UPDATE SET attempts = r.attempts + 1, last_at = now();
    RETURN recorded;
END
$$;

-- Ends the registrations selected by `victims` with the reason said (`kind:detail`), so their refreshes are
-- refused. Returns how many ended.
CREATE FUNCTION registrar_state.end_registrations(victims integer[], said text) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ended integer;
BEGIN
    PERFORM set_config('registrar_state.end_reason', said, true);
    WITH gone AS (
        DELETE FROM registrar_state.location WHERE id = ANY(victims) RETURNING callid, username, domain
    )
    INSERT INTO registrar_state.ended_registrations (callid, username, domain)
    SELECT callid, username, domain FROM gone
    ON CONFLICT (callid, username, domain) DO UPDATE SET ended_at = now();
    GET DIAGNOSTICS ended = ROW_COUNT;
    PERFORM set_config('registrar_state.end_reason', '', true);
    RETURN ended;
END
$$;

-- The registrar's timer, every second: registrations past their install's maximum login time, or logged in
-- before the latest daily logout time (in the install's time zone), end with their rule; registrations past
-- their expiry go (history: expired). Reads only the registrar's views and its own state, so it holds while
-- the portal is down.
CREATE FUNCTION registrar_state.enforce_login_policy() RETURNS integer
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
    DELETE FROM registrar_state.location WHERE expires > 0 AND expires <= extract(epoch FROM now());
    RETURN ended;
END
$$;

-- The registrar's housekeeping, every ten seconds: at most `batch` rows of history and refusals older than
-- `retention_days`, and ended registrations older than a day, so no run holds locks for long.
CREATE FUNCTION registrar_state.purge(retention_days integer, batch integer) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    purged integer;
    more integer;
BEGIN
    DELETE FROM registrar_state.login_events WHERE id IN (
        SELECT id FROM registrar_state.login_events WHERE at < now() - make_interval(days => retention_days)
        ORDER BY at LIMIT batch);
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

-- The portal's one way to change the registrar's state: ends registration `registration` of `aor_domain`
-- (the portal has checked the caller may see that install), saying who did it. Returns the extension whose
-- registration ended, or NULL when there was none.
CREATE FUNCTION registrar_state.force_logout(aor_domain text, registration integer, actor text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ended_user text := (SELECT l.username FROM registrar_state.location l WHERE l.id = registration AND l.domain = aor_domain);
BEGIN
    IF ended_user IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM registrar_state.end_registrations(ARRAY[registration], 'forced_logout:' || actor);
    RETURN ended_user;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA registrar_state FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA registrar_state FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON registrar_state.location TO hotdesk_registrar;
GRANT USAGE ON SEQUENCE registrar_state.location_id_seq TO hotdesk_registrar;
GRANT SELECT, INSERT, UPDATE, DELETE ON registrar_state.logged_in_counts, registrar_state.login_events,
    registrar_state.refusals, registrar_state.ended_registrations TO hotdesk_registrar;
GRANT EXECUTE ON FUNCTION registrar_state.register_verdict(text, inet, text, text, text, text),
    registrar_state.refuse(text, text, inet, text), registrar_state.end_registrations(integer[], text),
    registrar_state.enforce_login_policy(), registrar_state.purge(integer, integer) TO hotdesk_registrar;
GRANT SELECT ON ALL TABLES IN SCHEMA registrar_state TO hotdesk_portal;
GRANT EXECUTE ON FUNCTION registrar_state.force_logout(text, integer, text) TO hotdesk_portal;

-- Handsets: whether a handset that starts asks for an operator (phone_setting.logon_wizard with the
-- hotdesking.startup_* prompts), so that a hot desk phone that rebooted is not left with nobody logged in.
ALTER TABLE hotdesk.handset_settings ADD COLUMN login_prompt_at_startup boolean NOT NULL DEFAULT false;

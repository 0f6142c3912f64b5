-- Telephony Settings lists 50 installs a page, each with its user, access and range counts. Counting them at
-- every request cost what the installs held (an install of 10,000 users is 10,000 index entries, twice): with
-- 100 such installs the list served 32 requests/s. The counts are now data, kept in the same transaction as
-- every change to users and ranges by statement-level triggers over transition tables, so a bulk change is
-- one update per install touched, and a change that moves no count (a PIN reset, a rename) writes nothing here.
--
-- The portal's role may only read the counts; the triggers run as the schema's owner (SECURITY DEFINER), so
-- no role can set a count by hand.

CREATE TABLE hotdesk.install_counts (
    install_id  bigint PRIMARY KEY REFERENCES hotdesk.installs (id) ON DELETE CASCADE,
    users       integer NOT NULL DEFAULT 0 CONSTRAINT install_counts_users_not_negative CHECK (users >= 0),
    with_access integer NOT NULL DEFAULT 0
                CONSTRAINT install_counts_with_access_in_users CHECK (with_access BETWEEN 0 AND users),
    ranges      integer NOT NULL DEFAULT 0 CONSTRAINT install_counts_ranges_not_negative CHECK (ranges >= 0)
);

CREATE FUNCTION hotdesk.count_new_installs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO hotdesk.install_counts (install_id) SELECT id FROM new_rows;
    RETURN NULL;
END
$$;

-- Adds each install's difference in users and users with access that a statement made.
CREATE FUNCTION hotdesk.count_user_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE hotdesk.install_counts c SET users = c.users + d.n, with_access = c.with_access + d.a
        FROM (SELECT install_id, count(*) AS n, count(*) FILTER (WHERE hot_desk_access) AS a
              FROM new_rows GROUP BY install_id) d
        WHERE c.install_id = d.install_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE hotdesk.install_counts c SET users = c.users - d.n, with_access = c.with_access - d.a
        FROM (SELECT install_id, count(*) AS n, count(*) FILTER (WHERE hot_desk_access) AS a
              FROM old_rows GROUP BY install_id) d
        WHERE c.install_id = d.install_id;
    ELSE
        -- Most updates (PINs, names) move no count: only rows whose access or install changed are counted, and
        -- an install whose counts stay is not written.
        UPDATE hotdesk.install_counts c SET users = c.users + d.n, with_access = c.with_access + d.a
        FROM (SELECT side.install_id, sum(side.n) AS n, sum(side.a) AS a
              FROM (SELECT n.install_id, 1 AS n, n.hot_desk_access::int AS a, o.install_id AS old_install,
                           o.hot_desk_access AS old_access
                    FROM new_rows n JOIN old_rows o ON o.id = n.id
                    WHERE (n.install_id, n.hot_desk_access) IS DISTINCT FROM (o.install_id, o.hot_desk_access)) moved
              CROSS JOIN LATERAL (VALUES (moved.install_id, moved.n, moved.a),
                                         (moved.old_install, -1, -moved.old_access::int)) AS side (install_id, n, a)
              GROUP BY side.install_id HAVING sum(side.n) <> 0 OR sum(side.a) <> 0) d
        WHERE c.install_id = d.install_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION hotdesk.count_range_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE hotdesk.install_counts c SET ranges = c.ranges + d.n
        FROM (SELECT install_id, count(*) AS n FROM new_rows GROUP BY install_id) d WHERE c.install_id = d.install_id;
    ELSE
        UPDATE hotdesk.install_counts c SET ranges = c.ranges - d.n
        FROM (SELECT install_id, count(*) AS n FROM old_rows GROUP BY install_id) d WHERE c.install_id = d.install_id;
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE has no transition tables: it empties the counts it concerns.
CREATE FUNCTION hotdesk.count_truncation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'users' THEN
        UPDATE hotdesk.install_counts SET users = 0, with_access = 0;
    ELSE
        UPDATE hotdesk.install_counts SET ranges = 0;
    END IF;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION hotdesk.count_new_installs(), hotdesk.count_user_changes(), hotdesk.count_range_changes(), hotdesk.count_truncation() FROM PUBLIC;

CREATE TRIGGER installs_count AFTER INSERT ON hotdesk.installs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_new_installs();
CREATE TRIGGER users_count_insert AFTER INSERT ON hotdesk.users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_user_changes();
CREATE TRIGGER users_count_update AFTER UPDATE ON hotdesk.users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_user_changes();
CREATE TRIGGER users_count_delete AFTER DELETE ON hotdesk.users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_user_changes();
CREATE TRIGGER users_count_truncate AFTER TRUNCATE ON hotdesk.users
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_truncation();
CREATE TRIGGER trusted_networks_count_insert AFTER INSERT ON hotdesk.trusted_networks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_range_changes();
CREATE TRIGGER trusted_networks_count_delete AFTER DELETE ON hotdesk.trusted_networks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_range_changes();
CREATE TRIGGER trusted_networks_count_truncate AFTER TRUNCATE ON hotdesk.trusted_networks
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.count_truncation();

INSERT INTO hotdesk.install_counts (install_id, users, with_access, ranges)
SELECT i.id,
       (SELECT count(*) FROM hotdesk.users u WHERE u.install_id = i.id),
       (SELECT count(*) FROM hotdesk.users u WHERE u.install_id = i.id AND u.hot_desk_access),
       (SELECT count(*) FROM hotdesk.trusted_networks t WHERE t.install_id = i.id)
FROM hotdesk.installs i;

GRANT SELECT ON hotdesk.install_counts TO hotdesk_portal;

-- The partial index of 0008 served only the per-request access count.
DROP INDEX hotdesk.users_install_with_access_idx;

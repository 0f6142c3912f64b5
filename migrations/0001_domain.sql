-- The domain tables: organizations, phone system installs, their users and trusted IPv4 ranges.
-- Base tables live in the `hotdesk` schema (created by the migrator, which also keeps
-- hotdesk.schema_migrations). The constraints repeat the application's rules as the last line of
-- defence: the portal validates every value first and shows a friendly message.
--
-- Runs as the schema owner. The portal's runtime role is a member of the group role `hotdesk_portal`,
-- which gets data access (no DDL) below; see README "An existing PostgreSQL".

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotdesk_portal') THEN
        RAISE EXCEPTION 'role hotdesk_portal does not exist'
            USING HINT = 'Create it before migrating: CREATE ROLE hotdesk_portal NOLOGIN; then GRANT hotdesk_portal TO the portal''s login role (see README, "An existing PostgreSQL").';
    END IF;
END
$$;

REVOKE ALL ON SCHEMA hotdesk FROM PUBLIC;
GRANT USAGE ON SCHEMA hotdesk TO hotdesk_portal;
GRANT SELECT ON hotdesk.schema_migrations TO hotdesk_portal;

-- Keeps updated_at honest whatever statement changes a row.
CREATE FUNCTION hotdesk.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION hotdesk.touch_updated_at() FROM PUBLIC;

CREATE TABLE hotdesk.organizations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL
                CONSTRAINT organizations_name_length CHECK (char_length(name) BETWEEN 1 AND 200 AND name = btrim(name)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_name_key UNIQUE (name)
);

CREATE TABLE hotdesk.installs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES hotdesk.organizations (id) ON DELETE RESTRICT,
    name            text NOT NULL
                    CONSTRAINT installs_name_length CHECK (char_length(name) BETWEEN 1 AND 200 AND name = btrim(name)),
    -- A lowercase DNS host name: labels of 1-63 letters, digits and inner hyphens, 253 characters at most.
    sip_domain      text NOT NULL
                    CONSTRAINT installs_sip_domain_hostname CHECK (
                        octet_length(sip_domain) BETWEEN 1 AND 253
                        AND sip_domain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'),
    version         integer NOT NULL DEFAULT 1 CONSTRAINT installs_version_positive CHECK (version > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT installs_sip_domain_key UNIQUE (sip_domain)
);
CREATE INDEX installs_organization_name_idx ON hotdesk.installs (organization_id, name);

CREATE TABLE hotdesk.users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    install_id      bigint NOT NULL REFERENCES hotdesk.installs (id) ON DELETE CASCADE,
    -- Four ASCII digits: [0-9] in PostgreSQL's regex is the code point range, so no Unicode digits.
    extension       text NOT NULL
                    CONSTRAINT users_extension_four_ascii_digits CHECK (octet_length(extension) = 4 AND extension ~ '^[0-9]{4}$'),
    display_name    text NOT NULL
                    CONSTRAINT users_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 200),
    hot_desk_access boolean NOT NULL DEFAULT false,
    hot_desk_pin    text
                    CONSTRAINT users_pin_four_ascii_digits CHECK (octet_length(hot_desk_pin) = 4 AND hot_desk_pin ~ '^[0-9]{4}$'),
    pin_changed_at  timestamptz,
    -- Optimistic locking: every edit form carries the version it read; an UPDATE matches it and bumps it.
    version         integer NOT NULL DEFAULT 1 CONSTRAINT users_version_positive CHECK (version > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_install_extension_key UNIQUE (install_id, extension)
);
-- Name search within an install (the unique constraint above already serves extension order and lookup).
CREATE INDEX users_install_display_name_idx ON hotdesk.users (install_id, lower(display_name) text_pattern_ops);

CREATE TABLE hotdesk.trusted_networks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    install_id  bigint NOT NULL REFERENCES hotdesk.installs (id) ON DELETE CASCADE,
    -- cidr already refuses host bits; the checks keep out IPv6 and multicast/reserved space (224.0.0.0/3).
    network     cidr NOT NULL
                CONSTRAINT trusted_networks_ipv4_only CHECK (family(network) = 4)
                CONSTRAINT trusted_networks_not_multicast_or_reserved CHECK (NOT network <<= cidr '224.0.0.0/3'),
    description text NOT NULL
                CONSTRAINT trusted_networks_description_length CHECK (char_length(description) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT trusted_networks_install_network_key UNIQUE (install_id, network)
);
-- Containment lookups (`'203.0.113.7'::inet <<= network`) for the registrar and for overlap notes.
CREATE INDEX trusted_networks_network_idx ON hotdesk.trusted_networks USING gist (network inet_ops);

CREATE TRIGGER organizations_touch BEFORE UPDATE ON hotdesk.organizations
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();
CREATE TRIGGER installs_touch BEFORE UPDATE ON hotdesk.installs
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();
CREATE TRIGGER users_touch BEFORE UPDATE ON hotdesk.users
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();
CREATE TRIGGER trusted_networks_touch BEFORE UPDATE ON hotdesk.trusted_networks
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();

GRANT SELECT, INSERT, UPDATE, DELETE
    ON hotdesk.organizations, hotdesk.installs, hotdesk.users, hotdesk.trusted_networks
    TO hotdesk_portal;

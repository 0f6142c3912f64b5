-- Portal accounts, manager assignments, sessions, sign-in throttling and the audit log.

CREATE TYPE hotdesk.account_role AS ENUM ('administrator', 'manager');

-- Lets assignments below prove, with a foreign key, that account and install share an organization.
ALTER TABLE hotdesk.installs ADD CONSTRAINT installs_id_organization_key UNIQUE (id, organization_id);

CREATE TABLE hotdesk.accounts (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id     bigint NOT NULL REFERENCES hotdesk.organizations (id) ON DELETE RESTRICT,
    -- Stored lowercased: accounts are found case-insensitively and each address signs in to one account.
    email               text NOT NULL
                        CONSTRAINT accounts_email_shape CHECK (
                            email = lower(email) AND char_length(email) BETWEEN 3 AND 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    display_name        text NOT NULL
                        CONSTRAINT accounts_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 200),
    password_hash       text NOT NULL CONSTRAINT accounts_password_hash_argon2id CHECK (password_hash LIKE '$argon2id$%'),
    role                hotdesk.account_role NOT NULL,
    disabled            boolean NOT NULL DEFAULT false,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1 CONSTRAINT accounts_version_positive CHECK (version > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_email_key UNIQUE (email),
    CONSTRAINT accounts_id_organization_key UNIQUE (id, organization_id)
);
CREATE INDEX accounts_organization_idx ON hotdesk.accounts (organization_id, email);
CREATE TRIGGER accounts_touch BEFORE UPDATE ON hotdesk.accounts
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();

-- The installs a manager may see and reset PINs in; always within the manager's own organization.
CREATE TABLE hotdesk.manager_installs (
    organization_id bigint NOT NULL,
    account_id      bigint NOT NULL,
    install_id      bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, install_id),
    FOREIGN KEY (account_id, organization_id) REFERENCES hotdesk.accounts (id, organization_id) ON DELETE CASCADE,
    FOREIGN KEY (install_id, organization_id) REFERENCES hotdesk.installs (id, organization_id) ON DELETE CASCADE
);
CREATE INDEX manager_installs_install_idx ON hotdesk.manager_installs (install_id);

-- Only a SHA-256 of the session token is kept: a copy of this table signs nobody in.
CREATE TABLE hotdesk.sessions (
    token_hash     text PRIMARY KEY CONSTRAINT sessions_token_hash_sha256 CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    account_id     bigint NOT NULL REFERENCES hotdesk.accounts (id) ON DELETE CASCADE,
    csrf_token     text NOT NULL CONSTRAINT sessions_csrf_token_length CHECK (char_length(csrf_token) >= 32),
    source_address inet,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_account_idx ON hotdesk.sessions (account_id);

-- Failed sign-ins, kept in the database so that every portal instance counts the same failures.
CREATE TABLE hotdesk.sign_in_failures (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text NOT NULL,
    source_address inet NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_idx ON hotdesk.sign_in_failures (email, failed_at);
CREATE INDEX sign_in_failures_source_idx ON hotdesk.sign_in_failures (source_address, failed_at);

-- Every change, sign-in and sign-out. Append-only: the portal's role may INSERT and SELECT, and a
-- trigger refuses UPDATE, DELETE and TRUNCATE for everybody but a superuser disabling it on purpose.
CREATE TABLE hotdesk.audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    request_id      text,
    organization_id bigint REFERENCES hotdesk.organizations (id),
    account_id      bigint REFERENCES hotdesk.accounts (id),
    account_email   text,
    account_role    text,
    source_address  inet,
    action          text NOT NULL CONSTRAINT audit_events_action_shape CHECK (action ~ '^[a-z_.]+$'),
    install_id      bigint,
    target_type     text,
    target_id       bigint,
    target_label    text,
    result          text NOT NULL CONSTRAINT audit_events_result CHECK (result IN ('success', 'failure', 'refused')),
    changes         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_organization_idx ON hotdesk.audit_events (organization_id, id DESC);
CREATE INDEX audit_events_install_idx ON hotdesk.audit_events (organization_id, install_id, id DESC);
CREATE INDEX audit_events_account_idx ON hotdesk.audit_events (organization_id, account_id, id DESC);
CREATE INDEX audit_events_action_idx ON hotdesk.audit_events (organization_id, action, id DESC);

CREATE FUNCTION hotdesk.refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
REVOKE EXECUTE ON FUNCTION hotdesk.refuse_audit_change() FROM PUBLIC;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON hotdesk.audit_events
    FOR EACH ROW EXECUTE FUNCTION hotdesk.refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON hotdesk.audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION hotdesk.refuse_audit_change();

-- Who added a trusted range (shown on the Trusted IPs tab).
ALTER TABLE hotdesk.trusted_networks
    ADD COLUMN created_by_account_id bigint REFERENCES hotdesk.accounts (id);

GRANT SELECT, INSERT, UPDATE ON hotdesk.accounts TO hotdesk_portal;
GRANT SELECT, INSERT, DELETE ON hotdesk.manager_installs TO hotdesk_portal;
GRANT SELECT, INSERT, UPDATE, DELETE ON hotdesk.sessions TO hotdesk_portal;
GRANT SELECT, INSERT, DELETE ON hotdesk.sign_in_failures TO hotdesk_portal;
GRANT SELECT, INSERT ON hotdesk.audit_events TO hotdesk_portal;

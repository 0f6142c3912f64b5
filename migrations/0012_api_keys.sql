-- The JSON API's keys, the installs a manager key may touch, the idempotency records of its creating POSTs, and
-- the audit log naming the key that made a change.

-- A key acts for its organization with a role, like an account. Only a SHA-256 of its secret is kept (the secret
-- is 256 random bits, so a fast hash suffices and a copy of this table authenticates nobody); `prefix`, the
-- secret's first characters, tells keys apart in lists and logs. Revoking sets `revoked_at`: the row stays, so
-- the audit log and the key list still name it.
CREATE TABLE hotdesk.api_keys (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id   bigint NOT NULL REFERENCES hotdesk.organizations (id) ON DELETE RESTRICT,
    name              text NOT NULL CONSTRAINT api_keys_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    role              hotdesk.account_role NOT NULL,
    prefix            text NOT NULL CONSTRAINT api_keys_prefix_shape CHECK (prefix ~ '^hdk_[A-Za-z0-9_-]{8}$'),
    secret_hash       text NOT NULL CONSTRAINT api_keys_secret_hash_sha256 CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    expires_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        bigint REFERENCES hotdesk.accounts (id),
    revoked_at        timestamptz,
    last_used_at      timestamptz,
    last_used_address inet,
    CONSTRAINT api_keys_secret_hash_key UNIQUE (secret_hash),
    CONSTRAINT api_keys_id_organization_key UNIQUE (id, organization_id)
);
CREATE INDEX api_keys_organization_idx ON hotdesk.api_keys (organization_id, created_at DESC);

-- The installs a manager key may reach, always within the key's own organization.
CREATE TABLE hotdesk.api_key_installs (
    organization_id bigint NOT NULL,
    api_key_id      bigint NOT NULL,
    install_id      bigint NOT NULL,
    PRIMARY KEY (api_key_id, install_id),
    FOREIGN KEY (api_key_id, organization_id) REFERENCES hotdesk.api_keys (id, organization_id) ON DELETE CASCADE,
    FOREIGN KEY (install_id, organization_id) REFERENCES hotdesk.installs (id, organization_id) ON DELETE CASCADE
);
CREATE INDEX api_key_installs_install_idx ON hotdesk.api_key_installs (install_id);

-- The first answer to each creating POST that carried an `Idempotency-Key`, kept 24 hours, in PostgreSQL so that
-- every portal instance replays the same answer. A row without `status` is a request still running.
CREATE TABLE hotdesk.idempotent_requests (
    api_key_id      bigint NOT NULL REFERENCES hotdesk.api_keys (id) ON DELETE CASCADE,
    idempotency_key text NOT NULL CONSTRAINT idempotent_requests_key_length CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    request_hash    text NOT NULL CONSTRAINT idempotent_requests_hash_sha256 CHECK (request_hash ~ '^[0-9a-f]{64}$'),
    status          integer CONSTRAINT idempotent_requests_status_range CHECK (status BETWEEN 100 AND 599),
    location        text,
    body            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotent_requests_created_idx ON hotdesk.idempotent_requests (created_at);

-- A change made with a key names the key; `account_id` stays empty for it.
ALTER TABLE hotdesk.audit_events ADD COLUMN api_key_id bigint REFERENCES hotdesk.api_keys (id);
CREATE INDEX audit_events_api_key_idx ON hotdesk.audit_events (organization_id, api_key_id, id DESC)
    WHERE api_key_id IS NOT NULL;

-- Who added a trusted range, when it was a key.
ALTER TABLE hotdesk.trusted_networks ADD COLUMN created_by_api_key_id bigint REFERENCES hotdesk.api_keys (id);

GRANT SELECT, INSERT, UPDATE ON hotdesk.api_keys TO hotdesk_portal;
GRANT SELECT, INSERT ON hotdesk.api_key_installs TO hotdesk_portal;
GRANT SELECT, INSERT, UPDATE, DELETE ON hotdesk.idempotent_requests TO hotdesk_portal;

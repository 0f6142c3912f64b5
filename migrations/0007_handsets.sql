-- Handsets: each install's Yealink hot desking settings (the Hot Desking line key, the server prompt, the
-- registration expiry and the SIP server handsets register to) and its auto-provisioning URL. One row per
-- install, made by a trigger when the install is created, so every install always has its settings and
-- edits use the row's version like every other form.
--
-- The constraints repeat the rules of the HotDesk value types (LineKeyPosition, HotDeskKeyLabel,
-- RegistrationExpiry, SIPDomain, SIPPort, SIPTransport, HandsetFamily, ProvisioningToken).
-- Only the portal's role may read this table; the registrar's role has nothing here.

CREATE TABLE hotdesk.handset_settings (
    install_id         bigint PRIMARY KEY REFERENCES hotdesk.installs (id) ON DELETE CASCADE,
    -- Which Yealink family the generated file is for: its line key count and its configuration keys.
    handset_family     text NOT NULL DEFAULT 't46'
                       CONSTRAINT handset_settings_family CHECK (handset_family IN ('t40', 't41_t42', 't46', 't48', 't38')),
    line_key           integer NOT NULL DEFAULT 3,
    -- The families' line key counts, as in HandsetFamily.lineKeyCount.
    CONSTRAINT handset_settings_line_key_range CHECK (
        line_key >= 1 AND line_key <= CASE handset_family
            WHEN 't40' THEN 3 WHEN 't41_t42' THEN 15 WHEN 't46' THEN 27 WHEN 't48' THEN 29 WHEN 't38' THEN 6 END),
    -- One line of at most 32 characters without control, text-direction or zero-width characters.
    key_label          text NOT NULL DEFAULT 'Hot Desking'
                       CONSTRAINT handset_settings_key_label CHECK (
                           char_length(key_label) BETWEEN 1 AND 32 AND key_label = btrim(key_label)
                           AND key_label !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]'),
    hide_server_prompt boolean NOT NULL DEFAULT true,
    -- Handsets must re-register at least every ten minutes.
    registration_expiry integer NOT NULL DEFAULT 500
                       CONSTRAINT handset_settings_registration_expiry CHECK (registration_expiry BETWEEN 60 AND 600),
    -- NULL: the install's SIP domain (so a domain change reaches the handsets' file at once).
    sip_server         text
                       CONSTRAINT handset_settings_sip_server_hostname CHECK (
                           octet_length(sip_server) BETWEEN 1 AND 253
                           AND sip_server ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$'),
    sip_port           integer CONSTRAINT handset_settings_sip_port CHECK (sip_port BETWEEN 1 AND 65535),
    sip_transport      text CONSTRAINT handset_settings_sip_transport CHECK (sip_transport IN ('udp', 'tcp', 'tls')),
    provisioning_enabled boolean NOT NULL DEFAULT false,
    -- The provisioning URL's secret, kept readable (not only hashed) on purpose: administrators must see
    -- the URL again whenever they set up another handset or DHCP server, and the files it serves hold no
    -- credential (operators type extension and PIN on the handset), only the install's SIP server and key
    -- layout. It is as readable as the users' PINs in this schema: by the portal's role only. Lookups go
    -- through the SHA-256 below, so an index search on a guessed token reveals nothing about real ones.
    provisioning_token text
                       CONSTRAINT handset_settings_provisioning_token_shape CHECK (provisioning_token ~ '^[A-Za-z0-9_-]{43}$'),
    provisioning_token_hash text,
    CONSTRAINT handset_settings_provisioning_token_hash CHECK (
        provisioning_token_hash IS NOT DISTINCT FROM encode(sha256(convert_to(provisioning_token, 'UTF8')), 'hex')),
    CONSTRAINT handset_settings_enabled_has_token CHECK (NOT provisioning_enabled OR provisioning_token IS NOT NULL),
    -- Only addresses inside the install's trusted ranges may fetch the files.
    provisioning_trusted_only boolean NOT NULL DEFAULT false,
    version            integer NOT NULL DEFAULT 1 CONSTRAINT handset_settings_version_positive CHECK (version > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT handset_settings_provisioning_token_hash_key UNIQUE (provisioning_token_hash)
);
CREATE TRIGGER handset_settings_touch BEFORE UPDATE ON hotdesk.handset_settings
    FOR EACH ROW EXECUTE FUNCTION hotdesk.touch_updated_at();

-- Every install gets its settings row with the defaults, in the same statement that creates it.
CREATE FUNCTION hotdesk.install_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hotdesk.handset_settings (install_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION hotdesk.install_created() FROM PUBLIC;
CREATE TRIGGER installs_handset_settings AFTER INSERT ON hotdesk.installs
    FOR EACH ROW EXECUTE FUNCTION hotdesk.install_created();

INSERT INTO hotdesk.handset_settings (install_id) SELECT id FROM hotdesk.installs;

GRANT SELECT, INSERT, UPDATE ON hotdesk.handset_settings TO hotdesk_portal;

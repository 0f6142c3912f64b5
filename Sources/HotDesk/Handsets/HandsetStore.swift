import PostgresClient

/// What the provisioning URL found for a token: the install's settings and whether this fetch may have
/// them. The caller still compares `storedToken` with the presented one in constant time.
struct ProvisioningSource: Sendable {
    /// The install the token belongs to.
    let installID: Int
    /// The install's settings.
    let settings: HandsetSettings
    /// The host name handsets register to.
    let server: String
    /// False when provisioning is switched off (answer 404).
    let enabled: Bool
    /// The token as stored.
    let storedToken: String
    /// True when only the install's trusted ranges may fetch.
    let trustedRangesOnly: Bool
    /// True when the fetching address lies in one of the install's trusted ranges.
    let sourceIsTrusted: Bool
}

/// Each install's handset settings and provisioning URL: the SQL to read, save, switch provisioning on and off,
/// rotate the token, and find an install by its token. Changes are made to settings locked by `lock` and write
/// their audit event in the caller's transaction; the token itself is never audited.
///
/// Every method but `provisioningSource` takes an install id the caller has already scoped
/// (`InstallStore.find`). The row exists for every install (a trigger creates it with the install).
struct HandsetStore: Sendable {
    /// The install's settings and provisioning state.
    func find(installID: Int) -> PostgresStatement<HandsetProfile?> {
        PostgresStatement("SELECT * FROM hotdesk.handset_settings WHERE install_id = \(installID)") { rows in
            try rows.first.map(Self.profile)
        }
    }

    /// The install's settings, locked until the transaction ends, when they still have the version the caller
    /// read.
    func lock(installID: Int, version: Int, on connection: PostgresConnection) throws -> HandsetProfile {
        let rows = try connection.query(
            "SELECT * FROM hotdesk.handset_settings WHERE install_id = \(installID) FOR UPDATE")
        guard let current = try rows.first.map(Self.profile) else { throw OperationError.notFound }
        guard current.version == version else { throw OperationError.staleVersion }
        return current
    }

    /// Saves the locked settings `current` as `settings`; writes `handsets.changed` with the fields that changed.
    func update(
        _ current: HandsetProfile, to settings: HandsetSettings, audit: AuditContext, on connection: PostgresConnection
    ) throws {
        let installID = current.installID
        try connection.query(
            """
            UPDATE hotdesk.handset_settings
            SET handset_family = \(settings.family.rawValue), line_key = \(settings.lineKey.number),
                key_label = \(settings.label.text), hide_server_prompt = \(settings.hidesServerPrompt),
                login_prompt_at_startup = \(settings.promptsAtStartup),
                registration_expiry = \(settings.expiry.seconds), sip_server = \(settings.sipServer?.name),
                sip_port = \(settings.port?.number), sip_transport = \(settings.transport?.rawValue),
                version = version + 1
            WHERE install_id = \(installID)
            """)
        let changes = zip(Self.auditFields(current.settings), Self.auditFields(settings))
            .map { AuditChange($0.0, from: $0.1, to: $1.1) }
            .filter { $0.before != $0.after }
        guard !changes.isEmpty else { return }
        try AuditLog.record(
            AuditEvent(
                action: "handsets.changed", installID: installID, targetType: "install", targetID: installID,
                changes: changes),
            context: audit, on: connection)
    }

    /// Switches the provisioning URL on or off and sets whether only trusted ranges may use it. The first
    /// time it is switched on, `newToken` becomes the URL's secret; later it keeps its token. Writes
    /// `provisioning.enabled`, `provisioning.disabled` or `provisioning.changed`.
    func setProvisioning(
        _ current: HandsetProfile, enabled: Bool, trustedRangesOnly: Bool, newToken: ProvisioningToken,
        audit: AuditContext, on connection: PostgresConnection
    ) throws {
        let installID = current.installID
        let token = current.token?.text ?? newToken.text
        try connection.query(
            """
            UPDATE hotdesk.handset_settings
            SET provisioning_enabled = \(enabled), provisioning_trusted_only = \(trustedRangesOnly),
                provisioning_token = CASE WHEN \(enabled) THEN \(token) ELSE provisioning_token END,
                provisioning_token_hash = CASE WHEN \(enabled) THEN encode(sha256(convert_to(\(token), 'UTF8')), 'hex')
                                               ELSE provisioning_token_hash END,
                version = version + 1
            WHERE install_id = \(installID)
            """)
        let changes = [
            AuditChange("enabled", from: String(current.provisioningEnabled), to: String(enabled)),
            AuditChange("trusted_ranges_only", from: String(current.trustedRangesOnly), to: String(trustedRangesOnly)),
        ].filter { $0.before != $0.after }
        guard !changes.isEmpty else { return }
        let action =
            current.provisioningEnabled == enabled
            ? "provisioning.changed" : (enabled ? "provisioning.enabled" : "provisioning.disabled")
        try AuditLog.record(
            AuditEvent(
                action: action, installID: installID, targetType: "install", targetID: installID, changes: changes),
            context: audit, on: connection)
    }

    /// Replaces the provisioning token: the old URL stops working when the transaction commits. Writes
    /// `provisioning.token_rotated` (without either token).
    func rotateToken(
        to token: ProvisioningToken, installID: Int, audit: AuditContext, on connection: PostgresConnection
    ) throws {
        let updated = try connection.query(
            """
            UPDATE hotdesk.handset_settings
            SET provisioning_token = \(token.text),
                provisioning_token_hash = encode(sha256(convert_to(\(token.text), 'UTF8')), 'hex'),
                version = version + 1
            WHERE install_id = \(installID)
            """)
        guard updated.affectedRows == 1 else { throw OperationError.notFound }
        try AuditLog.record(
            AuditEvent(
                action: "provisioning.token_rotated", installID: installID, targetType: "install", targetID: installID,
                changes: [AuditChange("token", from: "replaced", to: "new")]),
            context: audit, on: connection)
    }

    /// The install whose token has the SHA-256 of `token`, with whether `sourceAddress` lies in its
    /// trusted ranges (an IPv4 client of a dual-stack listener, `::ffff:a.b.c.d`, counts as `a.b.c.d`);
    /// one indexed query whether or not the token exists.
    func provisioningSource(
        token: String, sourceAddress: String?, on connection: PostgresConnection
    ) throws
        -> ProvisioningSource?
    {
        let unmapped = sourceAddress.map { $0.lowercased().hasPrefix("::ffff:") ? String($0.dropFirst(7)) : $0 }
        let source = unmapped.flatMap { try? IPv4Address(text: $0) }?.description
        let rows = try connection.query(
            """
            SELECT h.*, i.sip_domain,
                   EXISTS (SELECT 1 FROM hotdesk.trusted_networks n
                           WHERE n.install_id = h.install_id AND \(source)::inet <<= n.network) AS source_trusted
            FROM hotdesk.handset_settings h JOIN hotdesk.installs i ON i.id = h.install_id
            WHERE h.provisioning_token_hash = encode(sha256(convert_to(\(token), 'UTF8')), 'hex')
            """)
        guard let row = rows.first, let stored: String = try row.decode("provisioning_token") else { return nil }
        let profile = try Self.profile(row)
        return ProvisioningSource(
            installID: profile.installID, settings: profile.settings,
            server: profile.settings.server(installDomain: try row.decode("sip_domain")),
            enabled: profile.provisioningEnabled, storedToken: stored, trustedRangesOnly: profile.trustedRangesOnly,
            sourceIsTrusted: try row.decode("source_trusted"))
    }

    /// The fields the audit event compares, as text.
    private static func auditFields(_ settings: HandsetSettings) -> [(String, String?)] {
        [
            ("handset_family", settings.family.rawValue), ("line_key", settings.lineKey.description),
            ("key_label", settings.label.text), ("hide_server_prompt", String(settings.hidesServerPrompt)),
            ("login_prompt_at_startup", String(settings.promptsAtStartup)),
            ("registration_expiry", settings.expiry.description), ("sip_server", settings.sipServer?.name),
            ("sip_port", settings.port?.description), ("sip_transport", settings.transport?.rawValue),
        ]
    }

    /// A row read back through the value types; the table's constraints guarantee they accept it.
    private static func profile(_ row: PostgresRow) throws -> HandsetProfile {
        guard let family = HandsetFamily(rawValue: try row.decode("handset_family")) else {
            throw PostgresError(kind: .decoding, message: "unknown handset family")
        }
        let lineKey: Int = try row.decode("line_key")
        let server: String? = try row.decode("sip_server")
        let port: Int? = try row.decode("sip_port")
        let transport: String? = try row.decode("sip_transport")
        let settings = HandsetSettings(
            family: family, lineKey: try LineKeyPosition(String(lineKey), family: family),
            label: try HotDeskKeyLabel(row.decode("key_label")),
            hidesServerPrompt: try row.decode("hide_server_prompt"),
            expiry: try RegistrationExpiry(String(try row.decode("registration_expiry", as: Int.self))),
            sipServer: try server.map { try SIPDomain($0) }, port: try port.map { try SIPPort(String($0)) },
            transport: transport.flatMap(SIPTransport.init(rawValue:)),
            promptsAtStartup: try row.decode("login_prompt_at_startup"))
        let token: String? = try row.decode("provisioning_token")
        return HandsetProfile(
            installID: try row.decode("install_id"), settings: settings,
            provisioningEnabled: try row.decode("provisioning_enabled"), token: token.flatMap(ProvisioningToken.init),
            trustedRangesOnly: try row.decode("provisioning_trusted_only"), version: try row.decode("version"))
    }
}

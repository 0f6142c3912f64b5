import Crypto
import PostgresClient

/// An install's Handsets tab: the handset settings, the generated configuration file, and the provisioning URL
/// (switching it on and off, the trusted-ranges restriction, rotating its token).
public struct HandsetOperations: Sendable {
    let database: Database
    let installs = InstallStore()
    let store = HandsetStore()

    /// The install and its handset settings and provisioning state, in one round trip.
    public func profile(_ caller: Caller, installID: Int) throws -> (Install, HandsetProfile) {
        try caller.require(.manageTelephony)
        let (install, profile) = try database.read { connection in
            try connection.run(installs.find(id: installID, for: caller.actor), store.find(installID: installID))
        }
        guard let install, let profile else { throw OperationError.notFound }
        return (install, profile)
    }

    /// Saves the settings, if nobody saved them since `version` was read; a SIP server equal to the install's SIP
    /// domain is kept as "the install's domain", so it follows later domain changes. Audited as
    /// `handsets.changed` with the fields that changed.
    public func update(_ caller: Caller, installID: Int, version: Int, settings: HandsetSettings) throws {
        try changing(caller, installID: installID, version: version) { install, current, connection in
            var saved = settings
            if saved.sipServer?.name == install.sipDomain { saved.sipServer = nil }
            try store.update(current, to: saved, audit: caller.audit, on: connection)
        }
    }

    /// Switches the provisioning URL on or off and sets whether only the install's trusted ranges may use it; the
    /// first switch-on draws the URL's random token. Audited as `provisioning.enabled`, `.disabled` or `.changed`.
    public func setProvisioning(
        _ caller: Caller, installID: Int, version: Int, enabled: Bool, trustedRangesOnly: Bool
    ) throws {
        try changing(caller, installID: installID, version: version) { _, current, connection in
            try store.setProvisioning(
                current, enabled: enabled, trustedRangesOnly: trustedRangesOnly, newToken: Self.newToken(),
                audit: caller.audit, on: connection)
        }
    }

    /// Replaces the provisioning token: the old URL answers "not found" once this commits. Audited as
    /// `provisioning.token_rotated`, without either token.
    public func rotateToken(_ caller: Caller, installID: Int) throws {
        try caller.require(.manageTelephony)
        try database.write(changing: [.install(installID)]) { connection in
            _ = try installs.require(id: installID, for: caller.actor, on: connection)
            try store.rotateToken(to: Self.newToken(), installID: installID, audit: caller.audit, on: connection)
        }
    }

    /// A fresh provisioning token: 256 random bits from libsodium.
    static func newToken() -> ProvisioningToken {
        guard let token = ProvisioningToken(Secrets.randomToken()) else {
            preconditionFailure("Secrets.randomToken() must give 43 base64url characters")
        }
        return token
    }

    private func changing(
        _ caller: Caller, installID: Int, version: Int,
        _ change: (Install, HandsetProfile, PostgresConnection) throws -> Void
    ) throws {
        try caller.require(.manageTelephony)
        try database.write(changing: [.install(installID)]) { connection in
            let install = try installs.require(id: installID, for: caller.actor, on: connection)
            let current = try store.lock(installID: installID, version: version, on: connection)
            try change(install, current, connection)
        }
    }
}

/// The auto-provisioning URL handsets fetch without a portal session, by the install's secret token.
public struct ProvisioningOperations: Sendable {
    let database: Database
    let store = HandsetStore()

    /// What a fetch may have.
    public enum Decision: Sendable, Equatable {
        /// No install has this token (or it was rotated away).
        case unknownToken
        /// The install's provisioning is switched off.
        case disabled(installID: Int)
        /// Only the install's trusted ranges may fetch, and the address is in none of them.
        case untrustedSource(installID: Int)
        /// Serve the install's files with these settings, registering to `server`.
        case serve(installID: Int, settings: HandsetSettings, server: String)
    }

    /// Whether the holder of `token`, fetching from `sourceAddress`, may have the install's files. The token is
    /// found by its SHA-256 (one index lookup whether it exists or not) and then compared in constant time.
    public func decide(token: ProvisioningToken, sourceAddress: String?) throws -> Decision {
        let source = try database.read { connection in
            try store.provisioningSource(token: token.text, sourceAddress: sourceAddress, on: connection)
        }
        guard let source, Secrets.constantTimeEquals(source.storedToken, token.text) else { return .unknownToken }
        guard source.enabled else { return .disabled(installID: source.installID) }
        guard !source.trustedRangesOnly || source.sourceIsTrusted else {
            return .untrustedSource(installID: source.installID)
        }
        return .serve(installID: source.installID, settings: source.settings, server: source.server)
    }
}

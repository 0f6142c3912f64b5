/// The IPv4 ranges an install trusts for hot desking: the Trusted IPs tab, Add IP Range and removing a range.
public struct TrustedNetworkOperations: Sendable {
    let database: Database
    let installs = InstallStore()
    let store = TrustedNetworkStore()

    /// The install's ranges in address order, with who added each and the narrowest wider range containing it, as
    /// `prepare` turns them into what the front end shows. The install and its ranges are read in one round trip
    /// and kept in the read cache until the install or the caller's account changes.
    public func list<Prepared: Sendable>(
        _ caller: Caller, installID: Int, prepare: (Install, [TrustedNetworkEntry]) -> Prepared
    ) throws -> Prepared {
        try caller.require(.manageTelephony)
        let key = ListRead(
            installID: installID, actor: caller.actor.principal, prepared: ObjectIdentifier(Prepared.self))
        return try database.cached(key) {
            let (install, entries) = try database.read { connection in
                try connection.run(installs.find(id: installID, for: caller.actor), store.list(installID: installID))
            }
            guard let install else { throw OperationError.notFound }
            return (prepare(install, entries), [.install(installID)] + caller.actor.scopes, nil)
        }
    }

    /// One range of the install, with the install.
    public func range(_ caller: Caller, installID: Int, rangeID: Int) throws -> (Install, TrustedNetworkEntry) {
        try caller.require(.manageTelephony)
        let (install, entries) = try database.read { connection in
            try connection.run(
                installs.find(id: installID, for: caller.actor), store.find(id: rangeID, installID: installID))
        }
        guard let install, let entry = entries.first else { throw OperationError.notFound }
        return (install, entry)
    }

    /// Why `network` cannot be added without a confirmation, given whether the confirmation named exactly it:
    /// a range wider than /8 admits millions of addresses. Nil when it may be added.
    public static func confirmationProblem(_ network: IPv4Network, confirmed: Bool) -> InputProblem? {
        network.requiresConfirmation && !confirmed ? .wideRangeUnconfirmed(network) : nil
    }

    /// Adds a range; the same range twice is refused naming the existing entry, and a range wider than /8 needs
    /// `confirmsWideRange`. Audited as `trusted_network.added`. The entry returned names the wider range that
    /// already contains it, if any.
    public func add(
        _ caller: Caller, installID: Int, network: IPv4Network, description: RangeDescription, confirmsWideRange: Bool
    ) throws -> TrustedNetworkEntry {
        try caller.require(.manageTelephony)
        if let problem = Self.confirmationProblem(network, confirmed: confirmsWideRange) {
            throw OperationError.unconfirmed(problem)
        }
        return try database.write(changing: [.install(installID)]) { connection in
            _ = try installs.require(id: installID, for: caller.actor, on: connection)
            return try store.add(
                network, description: description, installID: installID, audit: caller.audit, on: connection)
        }
    }

    /// Removes a range of the install; audited as `trusted_network.removed`.
    public func remove(_ caller: Caller, installID: Int, rangeID: Int) throws {
        try caller.require(.manageTelephony)
        try database.write(changing: [.install(installID)]) { connection in
            _ = try installs.require(id: installID, for: caller.actor, on: connection)
            try store.remove(id: rangeID, installID: installID, audit: caller.audit, on: connection)
        }
    }
}

/// The read-cache key of a Trusted IPs tab: the install as this account may see it, and the type the front end
/// prepared it into.
private struct ListRead: Hashable, Sendable {
    let installID: Int
    let actor: Principal
    let prepared: ObjectIdentifier
}

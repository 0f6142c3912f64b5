import Foundation
import PostgresClient

/// One trusted range as the Trusted IPs tab shows it.
public struct TrustedNetworkEntry: Sendable, Equatable {
    /// The entry's id.
    public let id: Int
    /// The range in canonical CIDR text, e.g. `192.168.1.0/24`.
    public let network: String
    /// What the range is, e.g. "Head office LAN".
    public let description: String
    /// When it was added.
    public let createdAt: Date
    /// The email of the account that added it, if known.
    public let addedBy: String?
    /// The narrowest other range of the install that already contains this one, if any.
    public let widerNetwork: String?
    /// That wider range's description.
    public let widerDescription: String?
}

/// The IPv4 ranges an install trusts for hot desking: the SQL of the list, adding (refusing duplicates, noting
/// wider ranges) and removing, each change with its audit event in the caller's transaction.
///
/// Every method takes an install id that the caller has already scoped (`InstallStore.find`).
struct TrustedNetworkStore: Sendable {
    /// The install's ranges in address order, each with who added it and the narrowest wider range
    /// that contains it.
    func list(installID: Int) -> PostgresStatement<[TrustedNetworkEntry]> {
        entries(installID: installID, id: nil)
    }

    /// One range of the install: an empty list or one entry.
    func find(id: Int, installID: Int) -> PostgresStatement<[TrustedNetworkEntry]> {
        entries(installID: installID, id: id)
    }

    /// Adds a range; returns the new entry (whose `widerNetwork` names a range already containing it).
    /// The same range twice is refused with `OperationError.invalid`, naming the existing entry.
    func add(
        _ network: IPv4Network, description: RangeDescription, installID: Int, audit: AuditContext,
        on connection: PostgresConnection
    ) throws -> TrustedNetworkEntry {
        let inserted = try connection.query(
            """
            INSERT INTO hotdesk.trusted_networks
                (install_id, network, description, created_by_account_id, created_by_api_key_id)
            VALUES (\(installID), \(network.description)::cidr, \(description.text), \(audit.actor?.accountID),
                    \(audit.actor?.apiKeyID))
            ON CONFLICT (install_id, network) DO NOTHING
            RETURNING id
            """)
        guard let row = inserted.first else {
            let existing = try connection.query(
                """
                SELECT description FROM hotdesk.trusted_networks
                WHERE install_id = \(installID) AND network = \(network.description)::cidr
                """)
            throw OperationError.invalid(.rangeAlreadyTrusted(network, as: try existing[0].decode("description")))
        }
        let id: Int = try row.decode("id")
        try AuditLog.record(
            AuditEvent(
                action: "trusted_network.added", installID: installID, targetType: "trusted_network", targetID: id,
                targetLabel: network.description,
                changes: [
                    AuditChange("network", from: nil, to: network.description),
                    AuditChange("description", from: nil, to: description.text),
                ]),
            context: audit, on: connection)
        guard let entry = try connection.run(find(id: id, installID: installID)).first else {
            throw OperationError.notFound
        }
        return entry
    }

    /// Removes a range of the install.
    func remove(id: Int, installID: Int, audit: AuditContext, on connection: PostgresConnection) throws {
        let deleted = try connection.query(
            """
            DELETE FROM hotdesk.trusted_networks WHERE id = \(id) AND install_id = \(installID)
            RETURNING network::text AS network, description
            """)
        guard let row = deleted.first else { throw OperationError.notFound }
        let network: String = try row.decode("network")
        try AuditLog.record(
            AuditEvent(
                action: "trusted_network.removed", installID: installID, targetType: "trusted_network", targetID: id,
                targetLabel: network,
                changes: [
                    AuditChange("network", from: network, to: nil),
                    AuditChange("description", from: try row.decode("description"), to: nil),
                ]),
            context: audit, on: connection)
    }

    private func entries(installID: Int, id: Int?) -> PostgresStatement<[TrustedNetworkEntry]> {
        PostgresStatement(
            """
            SELECT t.id, t.network::text AS network, t.description, t.created_at, COALESCE(a.email, 'API key ' || k.name) AS added_by,
                   w.network::text AS wider_network, w.description AS wider_description
            FROM hotdesk.trusted_networks t
            LEFT JOIN hotdesk.accounts a ON a.id = t.created_by_account_id
            LEFT JOIN hotdesk.api_keys k ON k.id = t.created_by_api_key_id
            LEFT JOIN LATERAL (
                SELECT network, description FROM hotdesk.trusted_networks o
                WHERE o.install_id = t.install_id AND o.network >> t.network
                ORDER BY masklen(o.network) DESC LIMIT 1) w ON true
            WHERE t.install_id = \(installID) AND (\(id)::bigint IS NULL OR t.id = \(id))
            ORDER BY t.network
            """
        ) { rows in
            try rows.map { row in
                TrustedNetworkEntry(
                    id: try row.decode("id"), network: try row.decode("network"),
                    description: try row.decode("description"),
                    createdAt: try row.decode("created_at"), addedBy: try row.decode("added_by"),
                    widerNetwork: try row.decode("wider_network"), widerDescription: try row.decode("wider_description")
                )
            }
        }
    }
}

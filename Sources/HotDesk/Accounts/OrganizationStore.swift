import PostgresClient

/// Organizations (customers): every install and account belongs to one.
public struct OrganizationStore: Sendable {
    /// Creates the store.
    public init() {}

    /// The id of the organization called `name`, creating it when it does not exist yet.
    public func findOrCreate(name: String, on connection: PostgresConnection) throws -> Int {
        try connection.query(
            """
            WITH inserted AS (
                INSERT INTO hotdesk.organizations (name) VALUES (\(name)) ON CONFLICT (name) DO NOTHING RETURNING id
            )
            SELECT id FROM inserted UNION ALL SELECT id FROM hotdesk.organizations WHERE name = \(name) LIMIT 1
            """)[0].decode("id")
    }
}

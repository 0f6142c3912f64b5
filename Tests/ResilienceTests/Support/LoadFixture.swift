import Foundation
import PostgresClient
import TestSupport

/// The data the load runs against, made the way an operator would: `hotdesk migrate` and
/// `hotdesk create-admin` (the real binary, through ``PrivateCluster/migrateAndCreateAdministrator``), then
/// installs and users inserted as the schema owner.
/// One install (with its own users) per browser, so browsers never edit each other's rows.
struct LoadFixture: Sendable {
    struct Install: Sendable {
        /// The browser's number, also the second octet of the ranges it adds (10.<index>.x.y/32).
        let index: Int
        let id: Int
        let users: [Int]
    }

    let email: String
    let password: String
    let installs: [Install]

    /// Migrates the cluster's database and seeds `installCount` installs of `usersPerInstall` users each.
    static func seed(_ cluster: PrivateCluster, installCount: Int, usersPerInstall: Int = 8) throws -> LoadFixture {
        let email = "admin@load.example"
        let password = try cluster.migrateAndCreateAdministrator(organization: "Load Co", email: email)
        let connection = try cluster.ownerConnection()
        let installRows = try connection.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            SELECT o.id, 'Site ' || n, 'site' || n || '.load.example'
            FROM hotdesk.organizations o, generate_series(0, \(installCount - 1)) AS n
            WHERE o.name = 'Load Co'
            ORDER BY n
            RETURNING id
            """)
        var installs: [Install] = []
        for (index, row) in installRows.enumerated() {
            let id: Int = try row.decode("id")
            let users = try connection.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
                SELECT \(id), (2000 + k)::text, 'User ' || k, true, '8264'
                FROM generate_series(1, \(usersPerInstall)) AS k
                RETURNING id
                """
            ).map { try $0.decode("id") as Int }
            installs.append(Install(index: index, id: id, users: users))
        }
        return LoadFixture(email: email, password: password, installs: installs)
    }
}

import Foundation
import PostgresClient
import TestSupport

/// A private cluster with an organization, its administrator and one install whose provisioning URL only
/// answers handsets from its Trusted IPs (`trustedRange`), made with the real binary and SQL as the owner.
struct ProductionFixture {
    let cluster: PrivateCluster
    let email = "admin@production.example"
    let password: String
    let installID: Int
    /// The provisioning URL's secret (43 URL-safe characters).
    let provisioningToken: String
    /// The install's one trusted range.
    let trustedRange: String

    init(trustedRange: String = "127.0.0.2/32") throws {
        cluster = try PrivateCluster(purpose: "production")
        password = try cluster.migrateAndCreateAdministrator(organization: "Production Co", email: email)
        self.trustedRange = trustedRange
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        provisioningToken = String((0..<43).map { _ in alphabet.randomElement()! })
        let connection = try cluster.ownerConnection()
        installID = try connection.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            SELECT id, 'Head Office', 'office.production.example' FROM hotdesk.organizations
            WHERE name = 'Production Co' RETURNING id
            """
        ).map { try $0.decode("id") as Int }[0]
        try connection.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(installID), \(trustedRange)::cidr, 'Desk phones')
            """)
        // Creating the install made its handset settings row (a trigger); provisioning is switched on here.
        try connection.query(
            """
            UPDATE hotdesk.handset_settings
            SET provisioning_enabled = true, provisioning_token = \(provisioningToken),
                provisioning_token_hash = encode(sha256(convert_to(\(provisioningToken)::text, 'UTF8')), 'hex'),
                provisioning_trusted_only = true
            WHERE install_id = \(installID)
            """)
    }

    /// The provisioning path of the install's common boot file.
    var provisioningPath: String { "/provision/\(provisioningToken)/y000000000000.boot" }

    /// The audit events' source addresses for `action` and `result`, oldest first.
    func auditAddresses(action: String, result: String) throws -> [String] {
        try cluster.ownerConnection().query(
            """
            SELECT host(source_address) AS address FROM hotdesk.audit_events
            WHERE action = \(action) AND result = \(result) ORDER BY id
            """
        ).map { try $0.decode("address") as String }
    }
}

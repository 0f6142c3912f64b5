import Foundation
import PostgresClient
import TestSupport

/// HotDesk past one machine, on loopback: a PostgreSQL primary and a streaming hot standby (private clusters,
/// also on TCP for Kamailio), two `hotdesk serve` instances on the multi-host URL that follows the primary, and
/// HAProxy round robin over them (README "Scaling out"). The load fixture's data is made on the primary.
final class Topology {
    let primary: PrivateCluster
    let standby: PrivateCluster
    let fixture: LoadFixture
    let portals: [PortalProcess]
    let balancer: HAProxy

    /// With `synchronous`, a commit waits until the standby has the change (`synchronous_standby_names`), so a
    /// failover loses no acknowledged write. It is set after the base backup: a standby that inherited it would,
    /// once promoted, wait for a standby of its own that does not exist.
    init(installCount: Int, synchronous: Bool) throws {
        primary = try PrivateCluster(tcpPort: FreePort.tcp())
        fixture = try LoadFixture.seed(primary, installCount: installCount)
        standby = try PrivateCluster(tcpPort: FreePort.tcp(), standbyOf: primary)
        // A throwaway cluster commits without waiting for its WAL to be written (synchronous_commit off), and a
        // standby only receives written WAL: changes would reach it up to the WAL writer's 200 ms late.
        let settings = try primary.superuserConnection()
        try settings.query("ALTER SYSTEM SET synchronous_commit = 'on'")
        if synchronous {
            try settings.query("ALTER SYSTEM SET synchronous_standby_names = '*'")
        }
        try settings.query("SELECT pg_reload_conf()")
        let url = PrivateCluster.url(role: "hotdesk_app", over: [primary, standby], target: "read-write")
        let cluster = primary
        portals = try (0..<2).map { _ in
            try PortalProcess(cluster: cluster, databaseURL: url, options: ["--trusted-proxies", "127.0.0.1/32"])
        }
        balancer = try HAProxy(folder: primary.folder, portalPorts: portals.map(\.port))
    }

    /// Kamailio writing its state to whichever cluster is the primary and asking the verdict of the standby
    /// while it runs (then of the primary), as the README's connection strings say.
    func registrar() throws -> KamailioProcess {
        let role = try primary.makeRegistrarRole()
        try waitForStandby()
        return try KamailioProcess(
            databaseURL: PrivateCluster.kamailioURL(role: role, over: [primary, standby], target: "read-write"),
            readerURL: PrivateCluster.kamailioURL(role: role, over: [standby, primary], target: "prefer-standby"),
            floodLimit: 10_000)
    }

    /// An install of its own for the registrar's logins, outside the load's (whose writes are checked): domain
    /// `desk.load.example`, trusting 127.0.0.0/8, with operator 2002 (PIN 5931); returns its id once the standby
    /// has it.
    func makeDeskInstall() throws -> Int {
        let owner = try primary.ownerConnection()
        let install: Int = try owner.query(
            """
            INSERT INTO hotdesk.installs (organization_id, name, sip_domain)
            SELECT id, 'Desks', 'desk.load.example' FROM hotdesk.organizations WHERE name = 'Load Co' RETURNING id
            """)[0].decode("id")
        try owner.query(
            """
            INSERT INTO hotdesk.trusted_networks (install_id, network, description)
            VALUES (\(install), '127.0.0.0/8', 'Loopback')
            """)
        try owner.query(
            """
            INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
            VALUES (\(install), '2002', 'Desk Operator', true, '5931')
            """)
        try waitForStandby()
        return install
    }

    /// Waits until the standby has replayed everything the primary has written so far.
    func waitForStandby() throws {
        let position: String = try primary.superuserConnection().query("SELECT pg_current_wal_lsn()::text AS l")[0]
            .decode("l")
        let standbyConnection = try standby.superuserConnection()
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            let caughtUp: Bool = try standbyConnection.query(
                "SELECT pg_last_wal_replay_lsn() >= \(position)::pg_lsn AS c")[0].decode("c")
            if caughtUp { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw ResilienceTestError.commandFailed("the standby did not catch up with \(position)")
    }
}

/// Quantiles of measured delays, for the printed figures.
extension Array where Element == Double {
    func quantile(_ fraction: Double) -> Double {
        let sorted = self.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[Swift.min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

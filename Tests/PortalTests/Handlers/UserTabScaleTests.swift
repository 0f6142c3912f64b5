import PostgresClient
import Testing
import WebServer

@testable import HotDesk

@Suite("Users tab at scale: a 10,000-user install pages and searches without reading the install")
struct UserTabScaleTests {
    /// What one query cost `hotdesk.users`: sequential scans, rows fetched by index scans, and scans of
    /// the name and extension indexes.
    private struct ReadCost {
        let sequentialScans: Int
        let rowsFetched: Int
        let nameIndexScans: Int
        let extensionIndexScans: Int
    }

    /// PostgreSQL's counters for this connection's not yet reported activity on `hotdesk.users`. Since
    /// PostgreSQL 15 they may include earlier transactions, so a cost is the difference of two readings.
    private func counters(_ connection: PostgresConnection) throws -> [Int] {
        let row = try connection.query(
            """
            SELECT seq_scan::int AS seq, idx_tup_fetch::int AS fetched,
                   pg_stat_get_xact_numscans('hotdesk.users_install_display_name_idx'::regclass)::int AS by_name,
                   pg_stat_get_xact_numscans('hotdesk.users_install_extension_key'::regclass)::int AS by_extension
            FROM pg_stat_xact_user_tables WHERE relid = 'hotdesk.users'::regclass
            """)[0]
        return [
            try row.decode("seq"), try row.decode("fetched"), try row.decode("by_name"), try row.decode("by_extension"),
        ]
    }

    /// Runs `UserStore.page` and reads what it cost from PostgreSQL's own counters.
    private func cost(
        _ harness: PortalHarness, install: Int, search: String, from start: String? = nil
    ) throws -> (UserPage, ReadCost) {
        try harness.pool.withTransaction { connection in
            let before = try counters(connection)
            let (page, _) = try connection.run(
                UserStore().page(
                    installID: install, search: UserSearch(search), from: try start.map { try Extension($0) }))
            let delta = zip(try counters(connection), before).map { $0 - $1 }
            return (
                page,
                ReadCost(
                    sequentialScans: delta[0], rowsFetched: delta[1], nameIndexScans: delta[2],
                    extensionIndexScans: delta[3])
            )
        }
    }

    @Test("pages, deep pages, extension and name searches read at most two pages of rows, by index, never a scan")
    func pagesAndSearchesReadFewRows() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        for (install, count) in [(fixture.install, 10_000), (fixture.secondInstall, 5_000)] {
            try harness.pool.query(
                """
                INSERT INTO hotdesk.users (install_id, extension, display_name, hot_desk_access, hot_desk_pin)
                SELECT \(install), lpad(n::text, 4, '0'),
                       (ARRAY['Ann','Bob','Cid','Dee','Eve','Fay','Gus','Hal','Ivy','Jon'])[1 + n % 10] || ' ' || md5(n::text),
                       n % 3 = 0, CASE WHEN n % 2 = 0 THEN '7391' END
                FROM generate_series(0, \(count - 1)) n
                """)
        }
        try harness.pool.query("UPDATE hotdesk.users SET display_name = 'Zelda Unique' WHERE extension = '4321'")
        try harness.database.ownerConnection().runScript("VACUUM ANALYZE hotdesk.users")

        let (first, firstCost) = try cost(harness, install: fixture.install, search: "")
        #expect(first.items.count == 50 && first.nextStart?.digits == "0050" && first.previousStart == nil)
        #expect(firstCost.sequentialScans == 0 && firstCost.extensionIndexScans >= 1)
        #expect(firstCost.rowsFetched <= 101, "\(firstCost.rowsFetched) rows")

        let (deep, deepCost) = try cost(harness, install: fixture.install, search: "", from: "9950")
        #expect(deep.items.first?.extension.digits == "9950" && deep.nextStart == nil)
        #expect(deep.previousStart?.digits == "9900")
        #expect(deepCost.sequentialScans == 0 && deepCost.rowsFetched <= 101, "\(deepCost.rowsFetched) rows")

        let (byExtension, extensionCost) = try cost(harness, install: fixture.install, search: "12")
        #expect(byExtension.items.map(\.extension.digits).first == "1200" && byExtension.nextStart?.digits == "1250")
        #expect(extensionCost.sequentialScans == 0 && extensionCost.rowsFetched <= 101)

        let (byName, nameCost) = try cost(harness, install: fixture.install, search: "zel")
        #expect(byName.items.map(\.displayName) == ["Zelda Unique"])
        #expect(nameCost.sequentialScans == 0 && nameCost.nameIndexScans >= 1 && nameCost.rowsFetched <= 10)

        let html = PortalHarness.text(
            try harness.get("/installs/\(fixture.install)/users?from=5000", session: fixture.administrator))
        #expect(html.components(separatedBy: "name=\"user\"").count - 1 == 50)
        #expect(html.contains("?from=5050\" rel=\"next\"") && html.contains("?from=4950\" rel=\"prev\""))
        let list = PortalHarness.text(try harness.get("/telephony", session: fixture.administrator))
        #expect(list.contains("<td class=\"number\">10,000</td>") && list.contains("<td class=\"number\">3,334</td>"))
    }
}

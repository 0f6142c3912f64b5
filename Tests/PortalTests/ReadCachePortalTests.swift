import Foundation
import HotDesk
import PostgresClient
import Testing
import WebServer

@testable import Portal

@Suite("Read cache in the portal: sessions and Users tab pages served from memory, never stale past a change")
struct ReadCachePortalTests {
    private func usersTab(_ fixture: AccountFixture) throws -> String {
        PortalHarness.text(
            try fixture.harness.get("/installs/\(fixture.install)/users", session: fixture.administrator))
    }

    @Test("a second Users tab load reads nothing from the database; this portal's own changes show on the next load")
    func usersTabIsKeptUntilAChange() throws {
        let fixture = try AccountFixture()
        let harness = fixture.harness
        let user = try harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann Smith")
        let cache = try #require(harness.portal.readCache)
        #expect(try usersTab(fixture).contains("Ann Smith"))
        let before = cache.statistics
        #expect(try usersTab(fixture).contains("Ann Smith"))
        #expect(cache.statistics.hits == before.hits + 2, "the session and the page")
        #expect(cache.statistics.misses == before.misses)
        try harness.pool.query("UPDATE hotdesk.users SET display_name = 'Ann Jones' WHERE id = \(user)")
        #expect(try usersTab(fixture).contains("Ann Jones"))
    }

    @Test("a change made by another writer (another portal, psql) shows on the Users tab within a second")
    func changeElsewhereShowsWithinASecond() throws {
        let fixture = try AccountFixture()
        let user = try fixture.harness.makeUser(installID: fixture.install, extension: "0042", name: "Ann Smith")
        #expect(try usersTab(fixture).contains("Ann Smith"))
        let elsewhere = try PostgresConnection(connectionString: fixture.harness.database.appURL)
        try elsewhere.query("UPDATE hotdesk.users SET display_name = 'Ann Brown' WHERE id = \(user)")
        let started = ContinuousClock.now
        var shown = false
        while !shown && ContinuousClock.now - started < .seconds(1) {
            shown = try usersTab(fixture).contains("Ann Brown")
            if !shown { Thread.sleep(forTimeInterval: 0.005) }
        }
        #expect(shown)
    }

    @Test("a kept session ends within a second when another writer disables its account")
    func keptSessionEndsWhenAccountIsDisabledElsewhere() throws {
        let fixture = try AccountFixture()
        #expect(try fixture.harness.get("/telephony", session: fixture.administrator).status == .ok)
        #expect(try fixture.harness.get("/telephony", session: fixture.administrator).status == .ok)
        let elsewhere = try PostgresConnection(connectionString: fixture.harness.database.appURL)
        try elsewhere.query("UPDATE hotdesk.accounts SET disabled = true WHERE id = \(fixture.administratorID)")
        let started = ContinuousClock.now
        var status = HTTPStatus.ok
        while status == .ok && ContinuousClock.now - started < .seconds(1) {
            status = try fixture.harness.get("/telephony", session: fixture.administrator).status
            if status == .ok { Thread.sleep(forTimeInterval: 0.005) }
        }
        #expect(status == .seeOther, "sent to the sign-in page")
    }

    @Test("a kept session still ends at its idle timeout, with nothing changed meanwhile")
    func keptSessionEndsAtItsIdleTimeout() throws {
        var operations = OperationSettings()
        operations.sessionIdleTimeout = .seconds(3)
        let fixture = try AccountFixture(operations: operations)
        let cache = try #require(fixture.harness.portal.readCache)
        let session = try fixture.harness.signIn(email: "admin@a.example")
        #expect(try fixture.harness.get("/telephony", session: session).status == .ok)
        let hits = cache.statistics.hits
        #expect(try fixture.harness.get("/telephony", session: session).status == .ok)
        #expect(cache.statistics.hits == hits + 1, "the session came from memory")
        Thread.sleep(forTimeInterval: 3.5)
        #expect(try fixture.harness.get("/telephony", session: session).status == .seeOther)
    }

    @Test("with --read-cache-entries 0 nothing is kept")
    func cacheCanBeTurnedOff() throws {
        let fixture = try AccountFixture(readCacheEntries: 0)
        _ = try usersTab(fixture)
        _ = try usersTab(fixture)
        #expect(fixture.harness.portal.readCache?.statistics ?? ReadCache.Statistics() == ReadCache.Statistics())
    }
}

import Foundation
import HotDesk
import Logging
import Portal
import PostgresClient
import TestSupport
import Testing
import WebServer

@Suite("Status page, health check and error pages")
struct StatusPageTests {
    private let resources = TestPostgres.repositoryRoot + "/Resources"

    private func portal(pool: PostgresPool, changes: ChangeFeed? = nil) throws -> Portal {
        try PortalHarness.portal(pool: pool, changes: changes)
    }

    private func unreachablePool() throws -> PostgresPool {
        try PostgresPool(
            configuration: .init(connectionString: TestPostgres.url(database: "no_such_database", role: "hotdesk_app")),
            logger: TestPostgres.logger)
    }

    @Test("the start page names the database and role and says the migrations are current")
    func startPageShowsDatabaseAndCurrentMigrations() throws {
        let database = try TestPostgres.makeDatabase()
        defer { database.drop() }
        let router = try portal(pool: database.appPool()).makeRouter()
        let response = try router.respond(to: Request(method: .GET, path: "/"))
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(html.contains("<dd>\(database.name)</dd>"))
        #expect(html.contains("<dd>hotdesk_app</dd>"))
        let count = try Migration.load(from: TestPostgres.migrationsFolder).count
        #expect(html.contains("Current</span>: all \(count) applied."))
    }

    @Test("the start page says whether the read cache serves, and how much")
    func startPageShowsTheReadCache() throws {
        let database = try TestPostgres.makeDatabase()
        defer { database.drop() }
        let off = try portal(pool: database.appPool()).makeRouter().respond(to: Request(method: .GET, path: "/"))
        #expect(
            String(decoding: off.body, as: UTF8.self).contains(
                "<dt>Read cache</dt><dd>Off (--read-cache-entries 0).</dd>"))
        let changes = try database.listeningChangeFeed()
        defer { changes.stop() }
        let on = try portal(pool: database.appPool(observer: changes), changes: changes).makeRouter().respond(
            to: Request(method: .GET, path: "/"))
        #expect(
            String(decoding: on.body, as: UTF8.self).contains("<dd>On, hearing database changes: 0 of 0 reads answered")
        )
        changes.stop()
        let paused = try portal(pool: database.appPool(observer: changes), changes: changes).makeRouter().respond(
            to: Request(method: .GET, path: "/"))
        #expect(String(decoding: paused.body, as: UTF8.self).contains("<dd>Paused: not hearing database changes"))
    }

    @Test("the start page says which migrations are pending on an unmigrated database")
    func startPageShowsPendingMigrations() throws {
        let database = try TestPostgres.makeDatabase(migrated: false)
        defer { database.drop() }
        let router = try portal(pool: database.appPool()).makeRouter()
        let html = String(decoding: try router.respond(to: Request(method: .GET, path: "/")).body, as: UTF8.self)
        #expect(html.contains("Not current"))
        #expect(html.contains("0001_domain.sql"))
        #expect(html.contains("hotdesk migrate"))
    }

    @Test("the health check answers 200 while the database answers and 503 when it does not")
    func healthCheckFollowsTheDatabase() throws {
        let database = try TestPostgres.makeDatabase()
        defer { database.drop() }
        let healthy = try portal(pool: database.appPool()).makeRouter().respond(
            to: Request(method: .GET, path: "/healthz"))
        #expect(healthy.status == .ok)
        let sick = try portal(pool: unreachablePool()).makeRouter().respond(to: Request(method: .GET, path: "/healthz"))
        #expect(sick.status == .serviceUnavailable)
    }

    @Test("the liveness probe answers 200 without the database, even when it is unreachable")
    func livenessProbeIgnoresTheDatabase() throws {
        let response = try portal(pool: unreachablePool()).makeRouter().respond(
            to: Request(method: .GET, path: "/livez"))
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok\n")
        #expect(response.headers["Cache-Control"] == "no-store")
    }

    @Test("a page that needs the database answers 503 with a plain message when it is unreachable")
    func unreachableDatabaseGives503() throws {
        let router = try portal(pool: unreachablePool()).makeRouter()
        #expect {
            try router.respond(to: Request(method: .GET, path: "/"))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.status == .serviceUnavailable && !error.message.contains("no_such_database")
        }
    }

    @Test("start-up stops with a message naming the folder when templates or static files are missing")
    func missingResourcesStopStartUp() throws {
        let pool = try unreachablePool()
        #expect {
            try PortalHarness.portal(pool: pool, changes: nil, resourcesFolder: "/no/such/folder")
        } throws: { error in
            "\(error)".contains("/no/such/folder/templates/layout.mustache")
        }
        let partial = NSTemporaryDirectory() + "resources-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: partial + "/templates", withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: resources + "/templates") {
            try FileManager.default.copyItem(
                atPath: resources + "/templates/\(name)", toPath: partial + "/templates/\(name)")
        }
        try FileManager.default.copyItem(
            atPath: resources + "/common-passwords.txt", toPath: partial + "/common-passwords.txt")
        defer { try? FileManager.default.removeItem(atPath: partial) }
        #expect {
            try PortalHarness.portal(pool: pool, changes: nil, resourcesFolder: partial)
        } throws: { error in
            "\(error)".contains(partial + "/static")
        }
    }

    @Test("over a real socket: security headers everywhere, and error pages carry the request's reference id")
    func realServerErrorPagesAndHeaders() throws {
        let database = try TestPostgres.makeDatabase()
        defer { database.drop() }
        let portal = try portal(pool: database.appPool())
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.threadCount = 2
        configuration.defaultHeaders = Portal.securityHeaders
        let server = HTTPServer(
            configuration: configuration, responder: portal.makeRouter(),
            errorPage: { error, id, path in portal.errorPage(for: error, requestID: id, path: path) },
            logger: TestPostgres.logger)
        try server.start()
        defer { server.shutdown() }
        for target in ["/", "/static/hotdesk.css", "/no/such/page", "/static/../Package.swift"] {
            let response = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", target))
            #expect(response.headers["X-Frame-Options"] == "DENY", "\(target)")
            #expect(response.headers["X-Content-Type-Options"] == "nosniff", "\(target)")
            #expect(response.headers["Referrer-Policy"] == "same-origin", "\(target)")
            #expect(
                response.headers["Content-Security-Policy"]?.contains("frame-ancestors 'none'") == true, "\(target)")
            #expect(response.headers["Content-Type"]?.hasSuffix("charset=utf-8") == true, "\(target)")
        }
        let missing = try RawHTTPClient.exchange(port: server.port, RawHTTPClient.request("GET", "/no/such/page"))
        #expect(missing.statusCode == 404)
        let reference = missing.headers["X-Request-ID"] ?? "missing"
        #expect(missing.bodyText.contains("<code>\(reference)</code>"))
        #expect(missing.bodyText.contains("Not found"))
    }
}

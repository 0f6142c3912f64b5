import Foundation
import HotDesk
import Logging
import PostgresClient
import WebServer

/// The portal's composition root: it turns the database, the templates and the static files into the
/// router the HTTP server runs, and supplies the error page and the headers every response carries.
public struct Portal: Sendable {
    /// The headers every response carries, error pages and static files included.
    public static let securityHeaders: HTTPHeaders = {
        var headers = HTTPHeaders()
        headers.add(
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        headers.add("X-Frame-Options", "DENY")
        headers.add("X-Content-Type-Options", "nosniff")
        headers.add("Referrer-Policy", "same-origin")
        return headers
    }()

    /// URL prefixes followed by a secret path segment (the provisioning token), kept out of the access log.
    public static let secretPathPrefixes = ["/provision/"]

    let pool: PostgresPool
    let migrator: Migrator
    let templates: TemplateLibrary
    let staticFiles: StaticFiles
    let settings: PortalSettings
    let passwordPolicy: PasswordPolicy
    let hasher: PasswordHasher
    let sessions: SessionStore
    let accounts: AccountStore
    let guardrail: RequestGuard
    /// Recent reads, kept current by the pool's change feed; nil when the pool has none or the settings say 0.
    let readCache: ReadCache?
    let logger: Logger

    /// Loads templates, static files and the common-password list from `resourcesFolder`, failing fast
    /// with a message naming what is missing.
    public init(
        resourcesFolder: String, pool: PostgresPool, migrator: Migrator, settings: PortalSettings = PortalSettings(),
        logger: Logger
    ) throws {
        self.templates = try TemplateLibrary(
            folder: resourcesFolder + "/templates",
            required: TemplateLibrary.core + AccountHandlers.templates + AuditHandlers.templates
                + TelephonyHandlers.templates)
        do {
            self.staticFiles = try StaticFiles(folder: resourcesFolder + "/static", urlPrefix: "/static")
        } catch {
            throw PortalStartupError.missingStaticFolder(resourcesFolder + "/static")
        }
        self.passwordPolicy = PasswordPolicy(commonPasswords: try Self.loadCommonPasswords(resourcesFolder))
        self.hasher = PasswordHasher(maximumConcurrent: settings.concurrentPasswordHashes)
        self.sessions = SessionStore(idleTimeout: settings.sessionIdleTimeout, absoluteTimeout: settings.sessionAbsoluteTimeout)
        self.accounts = AccountStore(sessions: sessions)
        self.guardrail = RequestGuard(settings: settings)
        self.readCache =
            settings.readCacheEntries > 0 ? pool.changes.map { ReadCache(changes: $0, capacity: settings.readCacheEntries) } : nil
        self.settings = settings
        self.pool = pool
        self.migrator = migrator
        self.logger = logger
    }

    /// Every route of the portal.
    public func makeRouter() -> Router {
        var router = Router()
        let status = StatusHandlers(portal: self)
        router.get("/", status.home)
        router.get("/healthz", status.health)
        router.get("/livez", status.liveness)
        let signIn = SignInHandlers(portal: self)
        router.get("/login", signIn.form)
        router.post("/login", signIn.signIn)
        router.post("/logout", signIn.signOut)
        AccountHandlers(portal: self).register(on: &router)
        AuditHandlers(portal: self).register(on: &router)
        TelephonyHandlers(portal: self).register(on: &router)
        ProvisioningHandlers(portal: self).register(on: &router)
        let files = staticFiles
        router.get("/static/*path") { request in
            guard let response = files.response(for: request) else {
                throw HTTPError(status: .notFound, message: "There is no such file.")
            }
            return response
        }
        return router
    }

    /// The HTML page for an error: a heading, a message safe to show, and the reference id that also
    /// appears in the log. Never a stack trace, SQL or libpq text.
    public func errorPage(for error: HTTPError, requestID: String) -> Response {
        let view = ErrorView(heading: ErrorView.heading(for: error.status), message: error.message, reference: requestID)
        var response: Response
        if let html = try? templates.page(title: view.heading, template: "error", context: view) {
            response = .html(bytes: html.bytes, status: error.status)
        } else {
            response = .text("\(view.heading): \(error.message) (reference \(requestID))", status: error.status)
        }
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }

    /// Runs a handler body, turning an unreachable database, an exhausted pool, a statement cancelled by the
    /// statement timeout or a busy password hasher into a 503 page with `Retry-After`; every other error passes through to the server's error handling (a 500
    /// with a reference id). The pool logs an outage when it begins and ends; each 503 shows in the access log.
    func guarded(_ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let error as PostgresError where error.isUnavailable {
            logger.debug("database unavailable", metadata: ["error": "\(error)"])
            throw Self.unavailable(
                error.kind == .poolTimeout
                    ? "The portal is too busy to answer right now: every database connection is in use. "
                        + "Please try again in a moment."
                    : "The database cannot be reached right now. Nothing was changed; please try again in a moment.")
        } catch let error as PostgresError where error.sqlState == .queryCanceled {
            logger.warning("a statement ran past the statement timeout", metadata: ["error": "\(error)"])
            throw Self.unavailable("The database took too long to answer. Please try again in a moment.")
        } catch is PasswordHasher.Busy {
            throw Self.unavailable("Too many sign-ins are being checked right now. Please try again.")
        }
    }

    /// `read()`'s value, from the read cache when it keeps one for `key` (see `ReadCache`); `read` returns how
    /// long its value may be kept, capped at the configured lifetime.
    func cached<Key: Hashable & Sendable, Value: Sendable>(
        _ key: Key, read: () throws -> (value: Value, lifetime: Duration)
    ) throws -> Value {
        guard let readCache else { return try read().value }
        return try readCache.value(for: key) {
            let (value, lifetime) = try read()
            return (value, min(lifetime, settings.readCacheLifetime))
        }
    }

    /// `read()`'s value, from the read cache when it keeps one for `key`, kept for the configured lifetime.
    func cached<Key: Hashable & Sendable, Value: Sendable>(_ key: Key, read: () throws -> Value) throws -> Value {
        try cached(key) { (try read(), settings.readCacheLifetime) }
    }

    /// Seconds a 503 page asks the client to wait before trying again.
    static let retryAfterSeconds = 5

    private static func unavailable(_ message: String) -> HTTPError {
        HTTPError(status: .serviceUnavailable, message: message, headers: ["Retry-After": "\(retryAfterSeconds)"])
    }

    private static func loadCommonPasswords(_ resourcesFolder: String) throws -> Set<String> {
        let path = resourcesFolder + "/common-passwords.txt"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PortalStartupError.missingResource(path)
        }
        return Set(
            String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }
}

import Foundation
import HotDesk
import Logging
import Templates
import WebServer

/// The portal's composition root: it turns HotDesk's operations, the templates and the static files into the
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

    /// The routes that take a file upload, with the most their bodies may hold (the server's default is 64 KiB).
    public static let uploadLimits = TelephonyHandlers.uploadLimits.merging(
        [APIHandlers.routerPattern(APIHandlers.importPath): APIHandlers.importBodyLimit], uniquingKeysWith: max)

    /// URL prefixes followed by a secret path segment (the provisioning token), kept out of the access log.
    public static let secretPathPrefixes = ["/provision/"]

    /// Every use case the screens call.
    let operations: Operations
    /// The migrations this binary ships, for the status page.
    let migrator: Migrator
    let templates: TemplateLibrary
    let staticFiles: StaticFiles
    let settings: PortalSettings
    let passwordPolicy: PasswordPolicy
    let guardrail: RequestGuard
    /// Each API key's request budget on this instance.
    let apiLimiter: APIRateLimiter
    /// The API's OpenAPI document, served at `/api/v1/openapi.json`.
    let openAPIDocument: [UInt8]
    let logger: Logger

    /// Loads templates and static files from `resourcesFolder`, failing fast with a message naming what is
    /// missing; `passwordPolicy` is the one `operations` apply, which the forms check typed passwords against.
    public init(
        resourcesFolder: String, operations: Operations, migrator: Migrator, passwordPolicy: PasswordPolicy,
        settings: PortalSettings = PortalSettings(), logger: Logger
    ) throws(PortalStartupError) {
        do {
            self.templates = try TemplateLibrary(folder: resourcesFolder + "/templates", names: PortalTemplates.names)
        } catch {
            throw PortalStartupError(error)
        }
        do {
            self.staticFiles = try StaticFiles(folder: resourcesFolder + "/static", urlPrefix: "/static")
        } catch {
            throw .missingStaticFolder(resourcesFolder + "/static")
        }
        let documentPath = resourcesFolder + "/openapi.json"
        guard let document = FileManager.default.contents(atPath: documentPath) else {
            throw .missingResource(documentPath)
        }
        self.openAPIDocument = Array(document)
        self.apiLimiter = APIRateLimiter(perMinute: settings.apiRequestsPerMinute)
        self.operations = operations
        self.migrator = migrator
        self.passwordPolicy = passwordPolicy
        self.guardrail = RequestGuard(settings: settings)
        self.settings = settings
        self.logger = logger
    }

    /// The common-password list of `resourcesFolder`, as `init` and `hotdesk create-admin` need it.
    public static func passwordPolicy(resourcesFolder: String) throws(PortalStartupError) -> PasswordPolicy {
        let path = resourcesFolder + "/common-passwords.txt"
        guard let policy = PasswordPolicy.load(fromFile: path) else { throw .missingResource(path) }
        return policy
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
        APIKeyHandlers(portal: self).register(on: &router)
        AuditHandlers(portal: self).register(on: &router)
        TelephonyHandlers(portal: self).register(on: &router)
        ProvisioningHandlers(portal: self).register(on: &router)
        APIHandlers(portal: self, limiter: apiLimiter, openAPIDocument: openAPIDocument).register(on: &router)
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
    /// appears in the log. Never a stack trace, SQL or libpq text. Under `/api/` it is an RFC 9457 problem
    /// document instead, whoever raised the error (the router's 404 and 405, the server's 413).
    public func errorPage(for error: HTTPError, requestID: String, path: String) -> Response {
        if APIHandlers.serves(path) { return APIProblem(error).response(requestID: requestID) }
        let view = ErrorView(
            heading: ErrorView.heading(for: error.status), message: error.message, reference: requestID)
        var response: Response
        if let html = try? templates.render("error", view),
            let page = try? templates.render(
                "layout", LayoutView(title: view.heading, content: html, account: nil, flash: nil))
        {
            response = .html(bytes: page.bytes, status: error.status)
        } else {
            response = .text("\(view.heading): \(error.message) (reference \(requestID))", status: error.status)
        }
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }

    /// Runs a handler body, answering the domain's refusals that no form shows as error pages (see
    /// `HTTPError(_:)`): the one place where an `OperationError` becomes an HTTP status.
    func guarded(_ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let error as OperationError {
            throw HTTPError(error)
        }
    }

    /// The read cache the operations use, when one is kept.
    var readCache: ReadCache? { operations.system.readCache }
}

extension HTTPError {
    /// The page for a domain refusal that reached no form: not found (404), not allowed (403), a lost race
    /// (409), a refused input (422), too many attempts (429) or the database away (503 with `Retry-After`).
    init(_ error: OperationError) {
        switch error {
        case .notFound:
            self = .noSuchPage
        case .forbidden:
            self.init(status: .forbidden, message: "Your account's role cannot use this page.")
        case .staleVersion:
            self.init(
                status: .conflict,
                message: "Someone else changed this while you were working on it. Nothing was changed; reload the page."
            )
        case .invalid(let problem), .unconfirmed(let problem):
            self.init(status: .unprocessableContent, message: problem.message)
        case .unauthenticated:
            self.init(status: .unauthorized, message: SignInHandlers.failureMessage)
        case .throttled(let wait):
            self.init(
                status: .tooManyRequests, message: "Too many failed attempts. Please wait and try again.",
                headers: ["Retry-After": "\(Int(wait.components.seconds) + 1)"])
        case .unavailable(let reason):
            self.init(
                status: .serviceUnavailable, message: reason.message,
                headers: ["Retry-After": "\(Portal.retryAfterSeconds)"])
        }
    }

    /// The answer to an address, or an id in it or in a form, that the account may not see or that does not exist.
    static let noSuchPage = HTTPError(status: .notFound, message: "There is no such page.")
}

extension Portal {
    /// Seconds a 503 page asks the client to wait before trying again.
    static let retryAfterSeconds = 5
}

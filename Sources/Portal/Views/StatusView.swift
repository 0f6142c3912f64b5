import HotDesk
import Templates
import WebServer

/// The status page's view model.
struct StatusView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let database: String
    let user: String
    let host: String
    let port: String
    let serverVersion: String
    let migrationCount: Int
    let pendingCount: Int
    let pending: [String]
    let isCurrent: Bool
    let signedIn: Bool
    /// Whether the read cache serves, and how much it has answered.
    let readCache: String

    init(_ status: DatabaseStatus, readCache cache: ReadCache?, signedIn: Bool) {
        self.signedIn = signedIn
        if let cache, cache.isServing {
            let counts = cache.statistics
            readCache =
                "On, hearing database changes: \(counts.hits) of \(counts.hits + counts.misses) reads "
                + "answered from memory since start-up."
        } else if cache != nil {
            readCache = "Paused: not hearing database changes, so every read goes to the database (see the log)."
        } else {
            readCache = "Off (--read-cache-entries 0)."
        }
        database = status.database
        user = status.user
        host = status.host
        port = status.port
        serverVersion = status.serverVersion
        migrationCount = status.migrationCount
        pending = status.pendingMigrations
        pendingCount = status.pendingMigrations.count
        isCurrent = status.isCurrent
    }
}

/// The error page's view model.
struct ErrorView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let heading: String
    let message: String
    let reference: String

    static func heading(for status: HTTPStatus) -> String {
        switch status.code {
        case 404: return "Not found"
        case 403: return "Not allowed"
        case 503: return "Temporarily unavailable"
        case 500...: return "Something went wrong"
        default: return status.reason
        }
    }
}

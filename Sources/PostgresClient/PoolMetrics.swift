import CoreMetrics

/// The database client's counters, through swift-metrics (exposed by whatever the executable bootstraps).
///
/// It exists so the metric names and labels are written once. Connections in use and callers waiting are not
/// counted here but read from ``PostgresPool/statistics`` when metrics are collected.
enum PoolMetrics {
    /// Callers that gave up waiting for a free connection (answered 503).
    static let acquireTimeouts = Counter(label: "hotdesk_db_pool_acquire_timeouts_total")

    /// The counter for errors like `error`: by kind, and by SQLSTATE class for the server's refusals
    /// ("23" integrity, "40" serialization or deadlock, "57" cancelled by timeout or shutdown).
    static func error(_ error: PostgresError) -> Counter {
        let sqlStateClass = error.kind == .server ? String(error.sqlState?.rawValue.prefix(2) ?? "") : ""
        return Counter(
            label: "hotdesk_db_errors_total",
            dimensions: [("kind", "\(error.kind)"), ("sqlstate_class", sqlStateClass)])
    }
}

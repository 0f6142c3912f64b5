import CoreMetrics
import Synchronization

/// The server's request metrics, through swift-metrics: a counter by route pattern, method and status, and a
/// latency timer by route pattern and method (a histogram in Prometheus).
///
/// It exists so the labels stay bounded: the route is the pattern that answered (`/installs/:id/users`), or
/// `none` for requests no route took (404s, malformed requests); an unknown method is `other`. The handles are
/// made once per label set and kept: asking the metrics back end for them on every request would cost more
/// than the request's own bookkeeping.
enum ServerMetrics {
    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Handles: Sendable {
        let requests: Counter
        let duration: Timer
    }

    private static let handles = Mutex<[Key: Handles]>([:])

    static func record(route: String?, method: HTTPMethod?, status: HTTPStatus, duration: Duration) {
        let key = Key(route: route ?? "none", method: method?.rawValue ?? "other", status: status.code)
        let found = handles.withLock { $0[key] } ?? makeHandles(key)
        found.requests.increment()
        let (seconds, attoseconds) = duration.components
        found.duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    private static func makeHandles(_ key: Key) -> Handles {
        let made = Handles(
            requests: Counter(
                label: "hotdesk_http_requests_total",
                dimensions: [("route", key.route), ("method", key.method), ("status", "\(key.status)")]),
            duration: Timer(
                label: "hotdesk_http_request_duration_seconds",
                dimensions: [("route", key.route), ("method", key.method)]))
        return handles.withLock { table in
            if let existing = table[key] { return existing }
            table[key] = made
            return made
        }
    }
}

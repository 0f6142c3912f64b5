import CoreMetrics

/// The server's request metrics, through swift-metrics: a counter by route pattern, method and status, and a
/// latency timer by route pattern and method (a histogram in Prometheus).
///
/// It exists so the labels stay bounded: the route is the pattern that answered (`/installs/:id/users`), or
/// `none` for requests no route took (404s, malformed requests); an unknown method is `other`.
enum ServerMetrics {
    static func record(route: String?, method: HTTPMethod?, status: HTTPStatus, duration: Duration) {
        let routeLabel = route ?? "none"
        let methodLabel = method?.rawValue ?? "other"
        Counter(
            label: "hotdesk_http_requests_total",
            dimensions: [("route", routeLabel), ("method", methodLabel), ("status", "\(status.code)")]
        ).increment()
        Timer(
            label: "hotdesk_http_request_duration_seconds",
            dimensions: [("route", routeLabel), ("method", methodLabel)]
        )
        .recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}

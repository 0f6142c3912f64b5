import CoreMetrics
import Prometheus

/// The swift-metrics back end of `hotdesk serve`: every counter and timer the libraries make lands in one
/// Prometheus registry, with the help text `MetricsCatalog` gives its name.
///
/// It exists because swift-prometheus's own factory registers swift-metrics handles without help text, which
/// `promtool check metrics` reports; this one goes through the registry's public, descriptor-taking calls.
struct HelpfulPrometheusFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry

    /// Latency buckets for request timers: 1 ms to 10 s.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Buckets for aggregated recorders (none are used today; Prometheus's usual spread).
    static let valueBuckets: [Double] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: MetricsCatalog.help(for: label))
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(
            descriptor: descriptor(label), labels: dimensions, buckets: Self.valueBuckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions, buckets: Self.durationBuckets)
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}

/// Every metric `hotdesk serve` exposes, by name, with its help text: the libraries name their metrics, this
/// says what each means. A name missing here is exposed with a placeholder that `promtool`'s test catches.
enum MetricsCatalog {
    static let helpTexts: [String: String] = [
        "hotdesk_http_requests_total": "HTTP requests answered, by route pattern, method and status.",
        "hotdesk_http_request_duration_seconds":
            "Time from the request line to the queued response, by route pattern and method.",
        "hotdesk_http_open_connections": "HTTP connections open now on the portal's listener.",
        "hotdesk_db_pool_connections": "Database connections of the pool, by state (in_use, idle).",
        "hotdesk_db_pool_waiting": "Requests waiting now for a free database connection.",
        "hotdesk_db_pool_size": "The most database connections the pool opens.",
        "hotdesk_db_pool_acquire_timeouts_total": "Requests that found no free database connection in time (503).",
        "hotdesk_db_errors_total":
            "Database errors, by kind and, for the server's refusals, SQLSTATE class (23 integrity, 40 "
            + "serialization, 57 timeout or shutdown).",
        "hotdesk_read_cache_hits_total": "Reads answered from the read cache.",
        "hotdesk_read_cache_misses_total": "Reads the read cache passed to the database.",
        "hotdesk_sign_ins_total": "Portal sign-in attempts, by outcome (success, failure, throttled).",
        "hotdesk_provisioning_fetches_total":
            "Handset provisioning fetches, by outcome (served, untrusted_source, disabled, unknown_token, "
            + "unknown_file).",
        "process_resident_memory_bytes": "Resident memory of the portal process.",
        "process_virtual_memory_bytes": "Virtual memory of the portal process.",
        "process_open_fds": "Open file descriptors of the portal process.",
        "process_threads": "Threads of the portal process.",
        "process_start_time_seconds": "Start time of the portal process, in seconds since the Unix epoch.",
    ]

    static func help(for name: String) -> String {
        helpTexts[name] ?? "(undocumented: add \(name) to MetricsCatalog)"
    }
}

import Crypto
import Foundation
import Logging
import PostgresClient
import Prometheus
import WebServer

/// `/metrics` in Prometheus's text format, on a listener of its own (loopback by default), optionally behind a
/// bearer token.
///
/// It exists so the portal's operators can scrape it without exposing it to the portal's users: the portal's
/// own listener has no `/metrics` route at all. Counters and timers accumulate in the registry as requests run;
/// the gauges (pool, connections, process) are read at each scrape.
final class MetricsEndpoint: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let server: HTTPServer
    private let listen: ListenAddress

    /// - Parameters:
    ///   - token: when set, a scrape must send `Authorization: Bearer <token>`.
    ///   - pool: its connections in use, idle and waiting.
    ///   - portal: the portal's own server, for its open connections.
    init(
        listen: ListenAddress, token: String?, registry: PrometheusCollectorRegistry, pool: PostgresPool,
        portal: HTTPServer, logger: Logger
    ) {
        self.registry = registry
        self.listen = listen
        let gauges = ScrapeGauges(registry: registry, pool: pool, portal: portal)
        var router = Router()
        router.get("/metrics") { request in
            if let token {
                let presented = request.headers["Authorization"].flatMap { header -> String? in
                    let parts = header.split(separator: " ", maxSplits: 1)
                    return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
                }
                guard let presented, Secrets.constantTimeEquals(presented, token) else {
                    throw HTTPError(
                        status: .unauthorized, message: "Send the metrics token as Authorization: Bearer <token>.",
                        headers: ["WWW-Authenticate": "Bearer realm=\"hotdesk metrics\""])
                }
            }
            gauges.sample()
            var response = Response(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                body: registry.emitToBuffer())
            response.headers.add("Cache-Control", "no-store")
            return response
        }
        var configuration = HTTPServer.Configuration(host: listen.host, port: listen.port, threadCount: 2)
        configuration.connectionLimit = 16
        // Scrapes come every few seconds: their access lines would drown the portal's, so this listener logs
        // warnings and errors only, unless the whole process logs at debug.
        var quiet = logger
        if quiet.logLevel > .debug { quiet.logLevel = max(quiet.logLevel, .warning) }
        server = HTTPServer(configuration: configuration, responder: router, logger: quiet)
    }

    func start() throws {
        do {
            try server.start()
        } catch {
            throw StartupError("metrics listener (--metrics-listen \(listen)): \(error)")
        }
    }

    /// The address it listens on, bracketed for IPv6.
    var host: String { listen.host.contains(":") ? "[\(listen.host)]" : listen.host }

    /// The port it listens on (the one it got, for port 0).
    var port: UInt16 { server.port }

    func shutdown() {
        server.shutdown(gracePeriod: .seconds(1))
    }
}

/// A start-up failure, worded for the log line that stops `hotdesk serve`.
struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The gauges read at each scrape: the database pool, the portal's open connections, and the process.
private struct ScrapeGauges: Sendable {
    let pool: PostgresPool
    let portal: HTTPServer
    let inUse: Prometheus.Gauge
    let idle: Prometheus.Gauge
    let waiting: Prometheus.Gauge
    let size: Prometheus.Gauge
    let connections: Prometheus.Gauge
    let resident: Prometheus.Gauge
    let virtual: Prometheus.Gauge
    let descriptors: Prometheus.Gauge
    let threads: Prometheus.Gauge

    init(registry: PrometheusCollectorRegistry, pool: PostgresPool, portal: HTTPServer) {
        func gauge(_ name: String, _ labels: [(String, String)] = []) -> Prometheus.Gauge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    metricName: name, unitName: "", helpText: MetricsCatalog.help(for: name)),
                labels: labels)
        }
        self.pool = pool
        self.portal = portal
        inUse = gauge("hotdesk_db_pool_connections", [("state", "in_use")])
        idle = gauge("hotdesk_db_pool_connections", [("state", "idle")])
        waiting = gauge("hotdesk_db_pool_waiting")
        size = gauge("hotdesk_db_pool_size")
        connections = gauge("hotdesk_http_open_connections")
        resident = gauge("process_resident_memory_bytes")
        virtual = gauge("process_virtual_memory_bytes")
        descriptors = gauge("process_open_fds")
        threads = gauge("process_threads")
        gauge("process_start_time_seconds").set(Date().timeIntervalSince1970.rounded())
    }

    func sample() {
        let statistics = pool.statistics
        inUse.set(Double(statistics.open - statistics.idle))
        idle.set(Double(statistics.idle))
        waiting.set(Double(statistics.waiting))
        size.set(Double(pool.configuration.maximumConnections))
        connections.set(Double(portal.openConnectionCount))
        let process = ProcessSample.current()
        resident.set(Double(process.residentBytes))
        virtual.set(Double(process.virtualBytes))
        descriptors.set(Double(process.openDescriptors))
        threads.set(Double(process.threads))
    }
}

/// The process's memory, threads and descriptors, read from `/proc/self` (Linux).
struct ProcessSample {
    var residentBytes = 0
    var virtualBytes = 0
    var openDescriptors = 0
    var threads = 0

    static func current() -> ProcessSample {
        var sample = ProcessSample()
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ").compactMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if fields.count >= 2 {
                sample.virtualBytes = fields[0] * pageSize
                sample.residentBytes = fields[1] * pageSize
            }
        }
        let files = FileManager.default
        // The listing itself holds one descriptor open while it reads the folder.
        sample.openDescriptors = max(0, ((try? files.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 1) - 1)
        sample.threads = (try? files.contentsOfDirectory(atPath: "/proc/self/task"))?.count ?? 0
        return sample
    }
}

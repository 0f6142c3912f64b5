import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard error, for log shippers
/// (`--log-format json`): `timestamp` (RFC 3339, UTC, milliseconds), `level`, `message`, `request_id` when the
/// line is about a request, and the rest of the metadata under `metadata`.
///
/// It exists so a shipper (Vector, Fluent Bit, journald's JSON export) needs no parsing rules. It writes what
/// the text format writes, no more: the portal never puts a password, PIN or token in a log line, and the
/// provisioning token is masked in paths before any handler sees it.
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private let label: String

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: Any] = [
            "timestamp": Self.timestamp(),
            "level": event.level.rawValue,
            "message": "\(event.message)",
            "logger": label,
        ]
        if let id = merged.removeValue(forKey: "request_id") {
            object["request_id"] = Self.plain(id)
        }
        if !merged.isEmpty {
            object["metadata"] = merged.mapValues(Self.plain)
        }
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        line.append(0x0A)
        Self.write(line)
    }

    /// A metadata value as JSON-serializable plain values.
    private static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }

    /// Now, as `2026-12-03T14:05:09.123Z`.
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1_000_000)
    }

    /// One `write(2)` per line, under a lock, so lines from several threads never interleave.
    private static let output = Mutex<Void>(())

    private static func write(_ line: Data) {
        output.withLock { _ in
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Foundation.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 {
                        if written < 0 && errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }
}

/// How log lines are written: `text` (swift-log's stream format, for people) or `json` (one object per line).
enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json
}

import Foundation
import PostgresClient

/// How HotDesk writes a moment for people on its screens and exports (to the minute) and for programs (RFC 3339), in
/// UTC, whatever the server's locale, computed by arithmetic (`UTCDateTime`), since a list page writes one per row.
public enum DisplayTime {
    /// `2026-01-05 14:03 UTC`.
    public static func minute(_ date: Date) -> String { text(date, seconds: false) }

    /// `2026-01-05 14:03:27 UTC`, for what moves by the second (a registration's refresh and expiry).
    public static func second(_ date: Date) -> String { text(date, seconds: true) }

    /// Written digit by digit: a page shows several times per row.
    private static func text(_ date: Date, seconds: Bool) -> String {
        let time = UTCDateTime(date)
        guard (0...9999).contains(time.year) else {
            let pad = UTCDateTime.padded
            return "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2)) \(pad(time.hour, 2)):"
                + "\(pad(time.minute, 2))\(seconds ? ":" + pad(time.second, 2) : "") UTC"
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func append(_ value: Int, digits: Int, then separator: Unicode.Scalar) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            bytes.append(UInt8(ascii: separator))
        }
        append(time.year, digits: 4, then: "-")
        append(time.month, digits: 2, then: "-")
        append(time.day, digits: 2, then: " ")
        append(time.hour, digits: 2, then: ":")
        if seconds {
            append(time.minute, digits: 2, then: ":")
            append(time.second, digits: 2, then: " ")
        } else {
            append(time.minute, digits: 2, then: " ")
        }
        bytes.append(contentsOf: "UTC".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2026-01-05T14:03:27.123456Z`: RFC 3339 in UTC, to the microsecond, as the API writes timestamps (and as the
    /// store sends them to PostgreSQL).
    public static func rfc3339(_ date: Date) -> String {
        date.postgresText
    }
}

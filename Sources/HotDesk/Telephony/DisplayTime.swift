import Foundation
import PostgresClient

/// How HotDesk writes a moment for people on its screens and exports (to the minute) and for programs (RFC 3339), in
/// UTC, whatever the server's locale, computed by arithmetic (`UTCDateTime`), since a list page writes one per row.
public enum DisplayTime {
    /// `2026-01-05 14:03 UTC`.
    public static func minute(_ date: Date) -> String {
        let time = UTCDateTime(date)
        let pad = UTCDateTime.padded
        return
            "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2)) \(pad(time.hour, 2)):\(pad(time.minute, 2)) UTC"
    }

    /// `2026-01-05 14:03:27 UTC`, for what moves by the second (a registration's refresh and expiry).
    public static func second(_ date: Date) -> String {
        let time = UTCDateTime(date)
        let pad = UTCDateTime.padded
        return
            "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2)) \(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2)) UTC"
    }

    /// `2026-01-05T14:03:27.123456Z`: RFC 3339 in UTC, to the microsecond, as the API writes timestamps (and as the
    /// store sends them to PostgreSQL).
    public static func rfc3339(_ date: Date) -> String {
        date.postgresText
    }
}

import Foundation
import PostgresClient

/// Slows down password guessing: after too many failures for one account or from one address within a
/// window, further attempts are refused for a delay that doubles with every further failure.
///
/// The failures live in PostgreSQL, so every portal instance behind a load balancer counts the same ones.
public struct SignInThrottle: Sendable {
    /// How far back failures count.
    public var window: Duration = .seconds(15 * 60)
    /// Failures for one account before it is locked.
    public var accountLimit = 5
    /// Failures from one source address before it is locked.
    public var sourceLimit = 20
    /// The first lock's length; each further failure doubles it.
    public var baseDelay: Duration = .seconds(30)
    /// The longest lock.
    public var maximumDelay: Duration = .seconds(15 * 60)

    /// Creates a throttle with the documented defaults.
    public init() {}

    /// The read of how long the caller must still wait before an attempt for `email` (nil: for no account, an API
    /// key) from `source` is considered, or nil when it may go ahead: a statement, so a sign-in sends it with the
    /// account's lookup.
    func remainingLock(email: String?, source: String) -> PostgresStatement<Duration?> {
        PostgresStatement(
            """
            SELECT count(*) FILTER (WHERE email = \(email))::int AS account_failures,
                   extract(epoch FROM now() - max(failed_at) FILTER (WHERE email = \(email)))::float8 AS account_age,
                   count(*) FILTER (WHERE source_address = \(source)::inet)::int AS source_failures,
                   extract(epoch FROM now() - max(failed_at) FILTER (WHERE source_address = \(source)::inet))::float8
                       AS source_age
            FROM hotdesk.sign_in_failures
            WHERE failed_at > now() - make_interval(secs => \(Int(window.seconds)))
              AND (email = \(email) OR source_address = \(source)::inet)
            """
        ) { rows in try remaining(rows[0]) }
    }

    private func remaining(_ row: PostgresRow) throws -> Duration? {
        let waits = [
            wait(failures: try row.decode("account_failures"), limit: accountLimit, age: try row.decode("account_age")),
            wait(failures: try row.decode("source_failures"), limit: sourceLimit, age: try row.decode("source_age")),
        ].compactMap { $0 }
        guard let longest = waits.max() else { return nil }
        return .milliseconds(Int((longest * 1000).rounded(.up)))
    }

    /// What failed API key attempts record as their email: it is no address, so it matches no account and only
    /// the source address's limit applies to them.
    static let apiKeyAttempt = "(api key)"

    /// Records one failed attempt.
    func recordFailure(email: String, source: String, on connection: PostgresConnection) throws {
        try connection.query(
            "INSERT INTO hotdesk.sign_in_failures (email, source_address) VALUES (\(email), \(source)::inet)")
    }

    /// Forgets an account's failures after a successful sign-in.
    func clear(email: String, on connection: PostgresConnection) throws {
        try connection.query("DELETE FROM hotdesk.sign_in_failures WHERE email = \(email)")
    }

    /// Seconds still to wait, given the failures in the window and the age of the newest one.
    private func wait(failures: Int, limit: Int, age: Double?) -> Double? {
        guard failures >= limit, let age else { return nil }
        let doublings = Double(min(failures - limit, 20))
        let delay = min(baseDelay.seconds.rounded(.down) * pow(2, doublings), maximumDelay.seconds.rounded(.down))
        let remaining = delay - age
        return remaining > 0 ? remaining : nil
    }
}

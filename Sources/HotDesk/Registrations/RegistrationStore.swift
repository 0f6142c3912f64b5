import Foundation
import PostgresClient

/// The SQL of live hot desking: what the registrar wrote into `registrar_state` (read only, joined to the
/// portal's users), the one call that changes it (`registrar_state.force_logout`), and the install's login
/// policy (`hotdesk.login_policies`).
struct RegistrationStore {
    /// Registrations per page on Hot Desk Status.
    static let pageSize = 50
    /// Login history lines per page.
    static let historyPageSize = 50

    /// The columns a `Registration` is read from, over `registrar_state.live_registrations l` (not expired, not
    /// ended and waiting for the registrar) left-joined to `hotdesk.users u`, with the install's Trusted IPs (read
    /// once per statement), among which the source's admitting range is found.
    private static func registrationColumns(_ install: Install) -> PostgresQuery {
        """
        l.id, l.username, u.id AS user_id, u.display_name, l.login_at, to_timestamp(l.last_modified) AS refreshed_at,
        to_timestamp(l.expires) AS expires_at, l.received,
        (SELECT string_agg(n.network::text, ' ') FROM hotdesk.trusted_networks n WHERE n.install_id = \(install.id))
            AS ranges,
        l.user_agent
        """
    }

    /// One page of the install's registrations matching `search` (extension prefix or name prefix, as on the
    /// Users tab), by extension, from `start`, with the page before's start and the counts: one statement, the
    /// same whatever the install's size (the counts are kept data; the matching count only when searching).
    /// Without a name to match, the statement has no name filter and no matching count: PostgreSQL then keeps one
    /// generic plan for it on each connection (planning it per request cost more than running it).
    func page(
        install: Install, search: UserSearch, from start: RegistrationStart?, limit: Int = pageSize
    ) -> PostgresStatement<(RegistrationPage, RegistrationCounts)> {
        let (lowest, highest, pattern) = UserStore.bounds(search)
        let fromExtension = start?.extension.digits ?? ""
        let fromID = start?.id ?? 0
        let users: PostgresQuery = "hotdesk.users u ON u.install_id = \(install.id) AND u.extension = l.username"
        let names: PostgresQuery =
            pattern.map { "AND lower(u.display_name) LIKE \($0)" } ?? ""
        let filter: PostgresQuery =
            "l.domain = \(install.sipDomain) AND l.username BETWEEN \(lowest) AND \(highest) \(names)"
        let matching: PostgresQuery =
            search == .everyone
            ? "NULL::bigint"
            : "(SELECT count(*) FROM registrar_state.live_registrations l LEFT JOIN \(users) WHERE \(filter))"
        return PostgresStatement(
            """
            WITH page AS (
                SELECT \(Self.registrationColumns(install))
                FROM registrar_state.live_registrations l
                LEFT JOIN \(users)
                WHERE \(filter) AND (l.username, l.id) >= (\(fromExtension)::text, \(fromID)::integer)
                ORDER BY l.username, l.id LIMIT \(limit + 1)
            ), previous AS (
                SELECT l.username, l.id
                FROM registrar_state.live_registrations l
                LEFT JOIN \(users)
                WHERE \(filter) AND (l.username, l.id) < (\(fromExtension)::text, \(fromID)::integer)
                ORDER BY l.username DESC, l.id DESC LIMIT \(limit)
            )
            SELECT page.*,
                   (SELECT username FROM previous ORDER BY username, id LIMIT 1) AS previous_extension,
                   (SELECT id FROM previous ORDER BY username, id LIMIT 1) AS previous_id,
                   (SELECT registrar_state.logged_in(\(install.sipDomain))) AS logged_in,
                   coalesce((SELECT with_access FROM hotdesk.install_counts WHERE install_id = \(install.id)), 0)
                       AS with_access,
                   \(matching) AS matching
            FROM page RIGHT JOIN (SELECT 1) AS always ON true
            ORDER BY page.username, page.id
            """
        ) { rows in
            let first = rows.first
            let ranges = try Self.installRanges(rows)
            let previousExtension: String? = try first?.decode("previous_extension")
            let previousID: Int? = try first?.decode("previous_id")
            let previous = try previousExtension.flatMap { digits in
                try previousID.map { RegistrationStart(extension: try Extension(digits), id: $0) }
            }
            let page = RegistrationPage(
                rows: try rows.filter { $0["id"] != nil }.map { try Self.registration($0, ranges: ranges) },
                pageSize: limit,
                previousStart: previous, start: { RegistrationStart(extension: $0.extension, id: $0.id) })
            let counts = RegistrationCounts(
                loggedIn: try first?.decode("logged_in") ?? 0, ableToLogIn: try first?.decode("with_access") ?? 0,
                matching: try first?.decode("matching"))
            return (page, counts)
        }
    }

    /// The user's registrations now, their latest refusal and their latest `recent` history lines: one statement.
    func activity(install: Install, user: HotDeskUser, recent: Int = 5) -> PostgresStatement<UserActivity> {
        let domain = install.sipDomain
        let number = user.extension.digits
        return PostgresStatement(
            """
            SELECT 'registration' AS part, \(Self.registrationColumns(install)),
                   NULL::text AS reason, NULL::bigint AS attempts, NULL::timestamptz AS first_at,
                   NULL::timestamptz AS last_at, NULL::text AS event, NULL::text AS detail, NULL::timestamptz AS at,
                   NULL::text AS source_address, NULL::integer AS source_port
            FROM registrar_state.live_registrations l
            LEFT JOIN hotdesk.users u ON u.install_id = \(install.id) AND u.extension = l.username
            WHERE l.domain = \(domain) AND l.username = \(number)
            UNION ALL (
                SELECT 'refusal', NULL, r.username, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       r.reason, r.attempts, r.first_at, r.last_at, NULL, NULL, NULL, host(r.source_address), NULL
                FROM registrar_state.refusals r
                WHERE r.domain = \(domain) AND r.username = \(number)
                ORDER BY r.last_at DESC LIMIT 1)
            UNION ALL (
                SELECT 'event', e.id::integer, e.username, NULL, NULL, e.login_at, NULL, NULL, NULL, NULL, e.user_agent,
                       NULL, NULL, NULL, NULL, e.event, e.detail, e.at, host(e.source_address), e.source_port
                FROM registrar_state.login_events e
                WHERE e.domain = \(domain) AND e.username = \(number)
                ORDER BY e.id DESC LIMIT \(recent))
            """
        ) { rows in
            let ranges = try Self.installRanges(rows)
            var registrations: [Registration] = []
            var refusal: Refusal?
            var events: [LoginEvent] = []
            for row in rows {
                switch try row.decode("part", as: String.self) {
                case "registration": registrations.append(try Self.registration(row, ranges: ranges))
                case "refusal": refusal = try Self.refusal(row)
                default: if let event = try Self.event(row) { events.append(event) }
                }
            }
            return UserActivity(registrations: registrations, lastRefusal: refusal, recentEvents: events)
        }
    }

    /// The install's `limit` latest refused attempts, newest first (an unknown extension's too, which no User
    /// Settings page shows).
    func latestRefusals(install: Install, limit: Int = 10) -> PostgresStatement<[Refusal]> {
        PostgresStatement(
            """
            SELECT r.username, host(r.source_address) AS source_address, r.reason, r.attempts, r.first_at, r.last_at
            FROM registrar_state.refusals r
            WHERE r.domain = \(install.sipDomain)
            ORDER BY r.last_at DESC LIMIT \(limit)
            """
        ) { rows in try rows.compactMap(Self.refusal) }
    }

    /// Registration `id` of the install, if it is still there.
    func registration(install: Install, id: Int) -> PostgresStatement<Registration?> {
        PostgresStatement(
            """
            SELECT \(Self.registrationColumns(install))
            FROM registrar_state.live_registrations l
            LEFT JOIN hotdesk.users u ON u.install_id = \(install.id) AND u.extension = l.username
            WHERE l.id = \(id)::integer AND l.domain = \(install.sipDomain)
            """
        ) { rows in try rows.first.map { try Self.registration($0, ranges: Self.installRanges(rows)) } }
    }

    /// One page of the install's login history, or of one extension's, newest first, from event `before`
    /// (exclusive; nil: the newest), with the page before's start: one statement.
    func history(
        install: Install, extension number: Extension?, before: Int?, limit: Int = historyPageSize
    ) -> PostgresStatement<LoginHistoryPage> {
        let filter: PostgresQuery = """
            e.domain = \(install.sipDomain) AND (\(number?.digits)::text IS NULL OR e.username = \(number?.digits))
            """
        let bound = before ?? Int(Int64.max)
        return PostgresStatement(
            """
            WITH page AS (
                SELECT e.id, e.username, e.event, e.detail, e.at, e.login_at, host(e.source_address) AS source_address,
                       e.source_port, e.user_agent
                FROM registrar_state.login_events e
                WHERE \(filter) AND e.id <= \(bound)
                ORDER BY e.id DESC LIMIT \(limit + 1)
            ), previous AS (
                SELECT e.id FROM registrar_state.login_events e
                WHERE \(filter) AND e.id > \(bound)
                ORDER BY e.id LIMIT \(limit)
            )
            SELECT page.*, (SELECT max(id) FROM previous) AS previous_start
            FROM page RIGHT JOIN (SELECT 1) AS always ON true
            ORDER BY page.id DESC
            """
        ) { rows in
            let previous: Int? = try rows.first?.decode("previous_start")
            return LoginHistoryPage(
                rows: try rows.filter { $0["id"] != nil }.compactMap(Self.event), pageSize: limit,
                previousStart: previous, start: \.id)
        }
    }

    /// Ends registration `id` of the install, as `actor` (recorded in the history): the registrar's state changes
    /// only through this SECURITY DEFINER function. The registration leaves `live_registrations` at once, its
    /// refreshes are refused, and the registrar removes it from its memory within 200 ms. Returns the extension
    /// whose registration ended, or nil.
    func forceLogout(
        install: Install, registrationID: Int, actor: String, on connection: PostgresConnection
    ) throws -> Extension? {
        let ended: String? = try connection.query(
            "SELECT registrar_state.force_logout(\(install.sipDomain), \(registrationID)::integer, \(actor)) AS ended"
        )[0].decode("ended")
        return try ended.map { try Extension($0) }
    }

    /// The install's login policy.
    func policy(installID: Int) -> PostgresStatement<SavedLoginPolicy?> {
        PostgresStatement(
            """
            SELECT max_login_hours, to_char(daily_logout_at, 'HH24:MI') AS daily_logout_at, time_zone, second_login,
                   version
            FROM hotdesk.login_policies WHERE install_id = \(installID)
            """
        ) { rows in try rows.first.map(Self.policy) }
    }

    /// The policy locked for a change, if its version is still `version`.
    func lockPolicy(installID: Int, version: Int, on connection: PostgresConnection) throws -> SavedLoginPolicy {
        let rows = try connection.query(
            """
            SELECT max_login_hours, to_char(daily_logout_at, 'HH24:MI') AS daily_logout_at, time_zone, second_login,
                   version
            FROM hotdesk.login_policies WHERE install_id = \(installID) FOR UPDATE
            """)
        guard let row = rows.first else { throw OperationError.notFound }
        let saved = try Self.policy(row)
        guard saved.version == version else { throw OperationError.staleVersion }
        return saved
    }

    /// Whether PostgreSQL knows the time zone (its list is read from disk: only when a policy is saved).
    func knowsTimeZone(_ zone: TimeZoneName, on connection: PostgresConnection) throws -> Bool {
        try connection.query(
            "SELECT EXISTS (SELECT FROM pg_timezone_names WHERE name = \(zone.name)) AS known"
        )[0].decode("known")
    }

    /// Saves the policy and bumps its version.
    func update(installID: Int, to policy: LoginPolicy, on connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE hotdesk.login_policies
            SET max_login_hours = \(policy.maximumLoginTime?.hours), daily_logout_at = \(policy.dailyLogout?.description)::time,
                time_zone = \(policy.timeZone.name), second_login = \(policy.secondLogin.rawValue), version = version + 1
            WHERE install_id = \(installID)
            """)
    }

    private static func policy(_ row: PostgresRow) throws -> SavedLoginPolicy {
        let hours: Int? = try row.decode("max_login_hours")
        let daily: String? = try row.decode("daily_logout_at")
        let zone: String = try row.decode("time_zone")
        let rule: String = try row.decode("second_login")
        return SavedLoginPolicy(
            policy: LoginPolicy(
                maximumLoginTime: hours.flatMap { MaximumLoginTime(hours: $0) },
                dailyLogout: try daily.map { try TimeOfDay($0) }, timeZone: try TimeZoneName(zone),
                secondLogin: SecondLoginRule(rawValue: rule) ?? .replace),
            version: try row.decode("version"))
    }

    /// The install's Trusted IPs, as a statement's registration rows carry them (the same in each).
    private static func installRanges(_ rows: PostgresRows) throws -> [IPv4Network] {
        for row in rows {
            guard let text = try row.decode("ranges", as: String?.self) else { continue }
            return text.split(separator: " ").compactMap { try? IPv4Network(text: String($0)) }
        }
        return []
    }

    private static func registration(_ row: PostgresRow, ranges: [IPv4Network]) throws -> Registration {
        let userID: Int? = try row.decode("user_id")
        let name: String? = try row.decode("display_name")
        let source = try row.decode("received", as: String?.self).flatMap(SourceEndpoint.init(received:))
        return Registration(
            id: try row.decode("id"), extension: try Extension(row.decode("username")),
            user: userID.map { RegisteredUser(id: $0, displayName: name ?? "") },
            loggedInAt: try row.decode("login_at"), lastRefreshAt: try row.decode("refreshed_at"),
            expiresAt: try row.decode("expires_at"), source: source,
            trustedRange: source?.admittingRange(among: ranges),
            handset: HandsetIdentity(userAgent: try row.decode("user_agent")))
    }

    private static func source(_ row: PostgresRow) throws -> SourceEndpoint? {
        let address: String? = try row.decode("source_address")
        let port: Int? = try row.decode("source_port")
        guard let address, let port else { return nil }
        return SourceEndpoint(address: address, port: port)
    }

    private static func refusal(_ row: PostgresRow) throws -> Refusal? {
        let username: String = try row.decode("username")
        guard let reason = RefusalReason(rawValue: try row.decode("reason")) else { return nil }
        return Refusal(
            extension: try? Extension(username), sourceAddress: try row.decode("source_address"), reason: reason,
            attempts: try row.decode("attempts"), firstAt: try row.decode("first_at"), lastAt: try row.decode("last_at")
        )
    }

    /// A history line; nil for an event this version does not know.
    private static func event(_ row: PostgresRow) throws -> LoginEvent? {
        guard let kind = LoginEventKind(event: try row.decode("event"), detail: try row.decode("detail")) else {
            return nil
        }
        return LoginEvent(
            id: try row.decode("id"), extension: try Extension(row.decode("username")), kind: kind,
            at: try row.decode("at"), loggedInAt: try row.decode("login_at"), source: try source(row),
            handset: HandsetIdentity(userAgent: try row.decode("user_agent")))
    }
}

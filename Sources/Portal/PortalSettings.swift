import WebServer

/// The portal's own settings (its public origin and the cookies that follow from it), read once by the
/// executable and handed down.
public struct PortalSettings: Sendable {
    /// The portal's public origin (`https://hotdesk.example.com`); nil trusts the request's `Host` over
    /// plain http (development). An https URL makes cookies `Secure` with the `__Host-` prefix.
    public var publicURL: String?
    /// Requests one API key may make per minute on this instance (a burst of that many, refilled evenly); more
    /// are answered 429 with `Retry-After`.
    public var apiRequestsPerMinute = 600

    /// Defaults for development on http://127.0.0.1:8080.
    public init() {}

    /// True when the public URL is https: cookies are then `Secure` and `__Host-` prefixed.
    var usesHTTPS: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    /// The session cookie's name.
    var sessionCookieName: String { usesHTTPS ? "__Host-hotdesk_session" : "hotdesk_session" }

    /// The sign-in form's anti-forgery cookie name.
    var signInCookieName: String { usesHTTPS ? "__Host-hotdesk_signin" : "hotdesk_signin" }

    /// The one-time message cookie's name.
    var flashCookieName: String { usesHTTPS ? "__Host-hotdesk_flash" : "hotdesk_flash" }

    /// The origin (`scheme://host[:port]`) that state-changing requests must come from.
    /// Without a public URL it is the request's scheme (https behind a trusted TLS proxy or on the portal's own
    /// TLS) and its `Host`.
    func expectedOrigin(host: String?, scheme: URLScheme) -> String? {
        if let publicURL {
            let trimmed = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
            guard let schemeEnd = trimmed.range(of: "://") else { return trimmed.lowercased() }
            let afterScheme = trimmed[schemeEnd.upperBound...]
            let authority = afterScheme.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
            return (trimmed[..<schemeEnd.upperBound] + authority).lowercased()
        }
        guard let host, !host.isEmpty else { return nil }
        return scheme.rawValue + "://" + host.lowercased()
    }
}

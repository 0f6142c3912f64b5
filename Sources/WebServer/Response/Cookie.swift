/// A cookie to set on the client, with safe defaults (`HttpOnly`, `SameSite=Lax`, `Path=/`).
///
/// It exists so `Set-Cookie` values are built in one place with the attributes spelled correctly. The name
/// must be an HTTP token and the value cookie-octets (no spaces, quotes, commas, semicolons or
/// backslashes); the application chooses both, so they are not escaped.
public struct Cookie: Sendable, Hashable {
    /// The `SameSite` attribute: whether the browser sends the cookie on cross-site requests.
    public enum SameSite: String, Sendable, Hashable {
        /// Only on same-site requests.
        case strict = "Strict"
        /// On same-site requests and top-level cross-site navigations with safe methods.
        case lax = "Lax"
        /// On every request; browsers require `secure` with it.
        case none = "None"
    }

    /// The cookie's name.
    public var name: String
    /// The cookie's value.
    public var value: String
    /// The path the cookie applies to.
    public var path: String
    /// Seconds until the cookie expires; nil makes a session cookie, 0 deletes the cookie.
    public var maxAge: Int?
    /// Whether scripts are kept from reading the cookie.
    public var httpOnly: Bool
    /// Whether the cookie is only sent over HTTPS.
    public var secure: Bool
    /// The `SameSite` attribute.
    public var sameSite: SameSite

    /// Creates a cookie.
    public init(
        name: String,
        value: String,
        path: String = "/",
        maxAge: Int? = nil,
        httpOnly: Bool = true,
        secure: Bool = false,
        sameSite: SameSite = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.maxAge = maxAge
        self.httpOnly = httpOnly
        self.secure = secure
        self.sameSite = sameSite
    }

    /// The value of a `Set-Cookie` field, for example `sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax`.
    public func headerValue() -> String {
        var parts = ["\(name)=\(value)", "Path=\(path)"]
        if let maxAge {
            parts.append("Max-Age=\(maxAge)")
        }
        if httpOnly {
            parts.append("HttpOnly")
        }
        if secure {
            parts.append("Secure")
        }
        parts.append("SameSite=\(sameSite.rawValue)")
        return parts.joined(separator: "; ")
    }
}

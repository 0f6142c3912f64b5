import Crypto
import WebServer

/// The checks every state-changing request passes before a handler may act on it: same-origin
/// (`Origin`, else `Referer`, and `Sec-Fetch-Site`) and a synchronizer token compared in constant time.
/// A failure is a 403 and nothing changes.
struct RequestGuard: Sendable {
    let settings: PortalSettings

    /// Refuses a request that a foreign page could have sent.
    func requireSameOrigin(_ request: Request) throws(HTTPError) {
        if let site = request.headers["Sec-Fetch-Site"]?.lowercased(), site == "cross-site" || site == "same-site" {
            throw Self.forbidden
        }
        guard let expected = settings.expectedOrigin(host: request.headers["Host"], scheme: request.scheme) else {
            throw Self.forbidden
        }
        if let origin = request.headers["Origin"] {
            guard origin.lowercased() == expected else { throw Self.forbidden }
            return
        }
        guard let referer = request.headers["Referer"]?.lowercased(),
            referer == expected || referer.hasPrefix(expected + "/")
        else { throw Self.forbidden }
    }

    /// Refuses a form whose `_csrf` field does not match the expected token.
    func requireToken(_ form: FormData, expected: String) throws(HTTPError) {
        guard let sent = try form.value(for: "_csrf"), Secrets.constantTimeEquals(sent, expected) else {
            throw Self.forbidden
        }
    }

    static let forbidden = HTTPError(
        status: .forbidden,
        message: "This form could not be accepted (it may have expired or come from another site). "
            + "Nothing was changed. Reload the page and try again.")
}

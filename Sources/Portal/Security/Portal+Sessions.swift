import HotDesk
import Templates
import WebServer

extension Portal {
    /// Runs `body` for a signed-in account whose role has `permission` (any role when nil), after the
    /// session, origin and CSRF checks; the response is never cached. Signed-out visitors are sent to the
    /// sign-in page, a role that may not use the page gets 403, and a POST that fails a check gets 403 with
    /// nothing changed. (The operations check the permission again, inside their transaction: this check
    /// only spares a page its reads.)
    ///
    /// A form with a file input (`takesUpload`) is read as `multipart/form-data`; every other as urlencoded.
    func signedIn(
        _ request: Request, permission: Permission? = nil, takesUpload: Bool = false,
        _ body: (RequestContext) throws -> Response
    ) throws -> Response {
        try guarded {
            guard let session = try currentSession(request) else {
                if request.method == .POST { throw RequestGuard.forbidden }
                return .redirect(to: "/login?" + FormData([("next", request.path)]).encoded)
            }
            var form = FormData()
            if request.method == .POST {
                try guardrail.requireSameOrigin(request)
                form = takesUpload ? try request.uploadForm() : try request.form()
                try guardrail.requireToken(form, expected: session.csrfToken)
            }
            guard permission.map(session.actor.may) ?? true else { throw HTTPError(OperationError.forbidden) }
            var response = try body(RequestContext(request: request, session: session, form: form))
            response.headers.replaceOrAdd("Cache-Control", "no-store")
            return response
        }
    }

    /// The live session named by the request's cookie, if any. Two session cookies (one planted by a
    /// sibling domain, say) are ambiguous and name no session: guessing could act as the planted account.
    func currentSession(_ request: Request) throws -> Session? {
        guard let token = request.cookies[settings.sessionCookieName], token.utf8.count == 43,
            request.cookieValues(named: settings.sessionCookieName).count <= 1
        else { return nil }
        return try operations.authentication.session(token: token)
    }

    /// Renders a page inside the layout, with the account's header and any one-time message.
    func page(
        _ template: String, title: String, context: some TemplateView, for request: Request, session: Session?,
        status: HTTPStatus = .ok
    ) throws -> Response {
        let flash = request.cookies[settings.flashCookieName].flatMap(FlashMessage.init(rawValue:))
        let content = try templates.render(template, context)
        let layout = LayoutView(
            title: title, content: content, account: session.map(AccountHeaderView.init), flash: flash?.text)
        var response = Response.html(bytes: try templates.render("layout", layout).bytes, status: status)
        if flash != nil {
            response.setCookie(Cookie(name: settings.flashCookieName, value: "", maxAge: 0, secure: settings.usesHTTPS))
        }
        return response
    }

    /// POST/redirect/GET: a 303 to `location` that shows `flash` once on the next page.
    func redirect(to location: String, flash: FlashMessage? = nil) -> Response {
        var response = Response.redirect(to: location)
        if let flash {
            response.setCookie(
                Cookie(name: settings.flashCookieName, value: flash.rawValue, secure: settings.usesHTTPS))
        }
        return response
    }

    /// The portal's own origin for links handsets and other devices follow: the public URL when set,
    /// else the request's scheme and `Host` (development, or a proxy in front without `--public-url`).
    func baseURL(for request: Request) -> String {
        if var url = settings.publicURL {
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        return request.scheme.rawValue + "://" + (request.headers["Host"] ?? "127.0.0.1:8080")
    }
}

/// The one-time messages a redirect can carry; only these fixed texts, never user input, reach the cookie.
enum FlashMessage: String {
    case saved
    case signedOut = "signed-out"
    case passwordChanged = "password-changed"
    case created, deleted
    case unchanged
    case accountDisabled = "account-disabled"
    case accountEnabled = "account-enabled"
    case domainChanged = "domain-changed"
    case accessGranted = "access-granted"
    case accessRevoked = "access-revoked"
    case pinReset = "pin-reset"
    case pinCleared = "pin-cleared"
    case rangeAdded = "range-added"
    case rangeRemoved = "range-removed"
    case rangeAddedInsideWider = "range-inside-wider"
    case provisioningOn = "provisioning-on"
    case provisioningOff = "provisioning-off"
    case tokenRotated = "token-rotated"
    case keyRevoked = "key-revoked"
    case loggedOut = "logged-out"

    var text: String {
        switch self {
        case .saved: return "Saved."
        case .signedOut: return "You are signed out."
        case .passwordChanged: return "Your password was changed."
        case .created: return "Created."
        case .deleted: return "Deleted."
        case .unchanged: return "Nothing was changed."
        case .accountDisabled: return "The account is disabled and was signed out everywhere."
        case .accountEnabled: return "The account is enabled again."
        case .domainChanged:
            return "Saved. The SIP domain changed: every handset must now be set to register to the new server."
        case .accessGranted: return "Hot Desk Access granted to the selected users."
        case .accessRevoked: return "Hot Desk Access revoked from the selected users."
        case .pinReset: return "The PIN was reset. Tell the user their new PIN."
        case .pinCleared: return "The PIN was cleared: the user cannot log in on a handset until a new one is set."
        case .rangeAdded: return "IP range added."
        case .rangeRemoved: return "IP range removed."
        case .rangeAddedInsideWider:
            return "IP range added. It lies inside a wider range this install already trusts; see the note beside it."
        case .provisioningOn: return "Saved. The provisioning URL below now serves this install's handset files."
        case .provisioningOff:
            return "Saved. The provisioning URL is off: it answers “not found” until you switch it on again."
        case .keyRevoked: return "The API key was revoked: requests made with it are refused from now on."
        case .loggedOut:
            return
                "The operator was logged out: the handset's next refresh is refused until someone logs in on it again."
        case .tokenRotated:
            return
                "The provisioning token was replaced. The old URL no longer works: point your handsets and DHCP server at the new one."
        }
    }
}

/// The layout's view of the signed-in account: name, role, and the sign-out form's token.
struct AccountHeaderView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    let displayName: String
    let roleTitle: String
    let isAdministrator: Bool
    let csrfToken: String

    init(_ session: Session) {
        displayName = session.actor.displayName
        roleTitle = session.actor.role.title
        isAdministrator = session.actor.isAdministrator
        csrfToken = session.csrfToken
    }
}

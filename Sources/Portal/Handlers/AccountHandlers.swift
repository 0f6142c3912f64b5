import HotDesk
import WebServer

/// Portal accounts (administrators): list, create, change role and installs, disable, reset passwords; every
/// account's own password.
struct AccountHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates = [
        "accounts", "account-new", "account-edit", "account-disable", "account-password-shown", "account-password",
        "account-access-fields",
    ]

    let portal: Portal

    /// Adds this family's routes.
    func register(on router: inout Router) {
        router.get("/accounts", list)
        router.get("/accounts/new", newForm)
        router.post("/accounts", create)
        router.get("/accounts/:id", edit)
        router.post("/accounts/:id", update)
        router.post("/accounts/:id/password", resetPassword)
        router.get("/account/password", ownPasswordForm)
        router.post("/account/password", changeOwnPassword)
    }

    /// `GET /accounts`: the organization's accounts by email, `AccountOperations.pageSize` a page.
    func list(_ request: Request) throws -> Response {
        try portal.signedIn(request, permission: .manageAccounts) { context in
            try request.query.requireOnly(["page"])
            let page = try portal.operations.accounts.page(
                context.caller, number: try request.query.wholeNumber("page") ?? 1)
            let view = AccountListView(page)
            return try portal.page("accounts", title: "Accounts", context: view, for: request, session: context.session)
        }
    }

    /// The account named by the URL's `:id`, of the actor's organization; 404 otherwise.
    func account(_ context: RequestContext) throws -> AccountSummary {
        try portal.operations.accounts.account(context.caller, id: try context.pathID("id"))
    }

    /// The installs the actor's organization can assign to managers.
    func installOptions(for context: RequestContext) throws -> [InstallOption] {
        try portal.operations.accounts.installOptions(context.caller)
    }

    /// The role radio button's value; nil (a message beside the field) when none or an unknown one was sent.
    static func role(in form: FormData, errors: inout FormErrors) throws(HTTPError) -> AccountRole? {
        guard let role = try form.value(for: "role").flatMap(AccountRole.init(rawValue:)) else {
            errors.add("role", "Choose Administrator or Manager.")
            return nil
        }
        return role
    }
}

extension FormData {
    /// The whole number sent as `name`; nil when the field is absent or empty.
    ///
    /// - Throws: 400 unless it is 1–18 ASCII digits (no sign, no Unicode digits), or sent twice.
    func wholeNumber(_ name: String) throws(HTTPError) -> Int? {
        guard let text = try value(for: name), !text.isEmpty else { return nil }
        return try Self.wholeNumber(text, field: name)
    }

    /// Every whole number sent as `name` (ticked checkboxes).
    ///
    /// - Throws: 400 unless each is 1–18 ASCII digits.
    func wholeNumbers(_ name: String) throws(HTTPError) -> Set<Int> {
        var numbers: Set<Int> = []
        for text in values(for: name) { numbers.insert(try Self.wholeNumber(text, field: name)) }
        return numbers
    }

    private static func wholeNumber(_ text: String, field: String) throws(HTTPError) -> Int {
        guard text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let number = Int(text)
        else { throw HTTPError(status: .badRequest, message: "The field “\(field)” must be a whole number.") }
        return number
    }
}

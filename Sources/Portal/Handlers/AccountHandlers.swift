import HotDesk
import WebServer

/// Portal accounts (administrators): list, create, change role and installs, disable, reset passwords; every account's own password.
struct AccountHandlers: Sendable {
    /// The templates these screens render, checked at start-up.
    static let templates = [
        "accounts", "account-new", "account-edit", "account-disable", "account-password-shown", "account-password",
        "account-access-fields",
    ]

    /// Only administrators manage accounts.
    static let administrators: Set<AccountRole> = [.administrator]

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

    /// `GET /accounts`: the organization's accounts by email, `AccountListView.pageSize` a page.
    func list(_ request: Request) throws -> Response {
        try portal.signedIn(request, roles: Self.administrators) { context in
            try request.query.requireOnly(["page"])
            let page = try request.query.wholeNumber("page") ?? 1
            let organization = context.actor.organizationID
            let view = try portal.pool.withConnection { connection in
                let total = try portal.accounts.count(organizationID: organization, on: connection)
                guard (1...AccountListView.pageCount(total: total)).contains(page) else {
                    throw HTTPError(status: .notFound, message: "There is no such page of accounts.")
                }
                let accounts = try portal.accounts.list(
                    organizationID: organization, limit: AccountListView.pageSize,
                    offset: (page - 1) * AccountListView.pageSize, on: connection)
                let options = try portal.accounts.installOptions(organizationID: organization, on: connection)
                return AccountListView(accounts: accounts, total: total, page: page, installs: options)
            }
            return try portal.page("accounts", title: "Accounts", context: view, for: request, session: context.session)
        }
    }

    /// The account `id` of the actor's organization; 404 when it is another's or does not exist.
    func account(_ id: Int, for context: RequestContext) throws -> AccountSummary {
        guard
            let account = try portal.pool.withConnection({
                try portal.accounts.find(id: id, organizationID: context.actor.organizationID, on: $0)
            })
        else { throw Self.notFound }
        return account
    }

    /// The installs the actor's organization can assign to managers.
    func installOptions(for context: RequestContext) throws -> [InstallOption] {
        try portal.pool.withConnection {
            try portal.accounts.installOptions(organizationID: context.actor.organizationID, on: $0)
        }
    }

    /// The ticked installs; 404, like an ID in a URL, when one is not the organization's.
    func installIDs(in form: FormData, for context: RequestContext) throws -> Set<Int> {
        let ids = try form.wholeNumbers("installs")
        guard try ids.isEmpty || ids.isSubset(of: installOptions(for: context).map(\.id)) else { throw Self.notFound }
        return ids
    }

    /// The role radio button's value; nil (a message beside the field) when none or an unknown one was sent.
    static func role(in form: FormData, errors: inout FormErrors) throws(HTTPError) -> AccountRole? {
        guard let role = try form.value(for: "role").flatMap(AccountRole.init(rawValue:)) else {
            errors.add("role", "Choose Administrator or Manager.")
            return nil
        }
        return role
    }

    /// The answer to an account or install id that is not the organization's.
    static let notFound = HTTPError(status: .notFound, message: "There is no such account.")
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

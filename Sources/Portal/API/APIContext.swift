import Foundation
import HotDesk
import WebServer

/// An API request after its key was checked: the request, the key's actor, and the helpers every route reads its
/// path, query and preconditions with.
struct APIContext {
    /// The request itself.
    let request: Request
    /// The key's actor (its organization, role and installs).
    let actor: Actor

    /// The key, the request and its address, as every operation takes them.
    var caller: Caller { Caller(actor: actor, requestID: request.id, sourceAddress: request.remoteAddress) }

    /// The key's id (every actor `APIHandlers.authorized` makes is a key's).
    var keyID: Int { actor.apiKeyID ?? 0 }

    /// An integer path parameter; 404 when it is not a number.
    func pathID(_ name: String) throws(APIProblem) -> Int {
        guard let text = request.parameters[name], !text.isEmpty, text.utf8.count <= 18,
            text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int(text)
        else { throw APIProblem(OperationError.notFound) }
        return id
    }

    /// The query's `limit` (1–200, default 50).
    func limit() throws(APIProblem) -> Int {
        let values = request.query.values(for: "limit")
        guard let text = values.first else { return APIPaging.defaultLimit }
        guard values.count == 1, text.utf8.count <= 3, let limit = Int(text), APIPaging.limits.contains(limit) else {
            throw .badRequest(
                "limit must be a whole number from 1 to 200.",
                errors: [.init(field: "limit", code: "invalid", message: "Send a whole number from 1 to 200.")])
        }
        return limit
    }

    /// One optional query field; 400 when it is sent twice or holds more than 200 characters.
    func query(_ name: String) throws(APIProblem) -> String? {
        let values = request.query.values(for: name)
        guard values.count <= 1 else { throw .badRequest("Send \(name) at most once.") }
        if let value = values.first, value.count > Self.maximumQueryLength {
            throw .badRequest(
                "\(name) holds more than \(Self.maximumQueryLength) characters.",
                errors: [.init(field: name, code: "too_long", message: "Send at most 200 characters.")])
        }
        return values.first
    }

    /// The most characters a query field may hold.
    static let maximumQueryLength = 200

    /// Refuses query fields other than `allowed`, as bodies refuse unknown fields.
    func requireOnlyQuery(_ allowed: Set<String>) throws(APIProblem) {
        if let unknown = request.query.keys.first(where: { !allowed.contains($0) }) {
            throw .badRequest(
                "The query field \(unknown) is not accepted here.",
                errors: [.init(field: unknown, code: "unknown_field", message: "This field is not accepted here.")])
        }
    }

    /// The version `If-Match` names; 428 without it, 400 when it is not one tag as this API writes them (`*` and
    /// lists included: a change names the one version it was made from). A tag of another version is the
    /// operation's 412.
    func requiredVersion() throws(APIProblem) -> Int {
        guard let header = request.headers["If-Match"] else {
            throw APIProblem(
                .preconditionRequired, code: "precondition_required", title: "Precondition required",
                detail: "Send If-Match with the ETag of the resource as you last read it.")
        }
        guard let version = EntityTag.version(inIfMatch: header) else {
            throw APIProblem.badRequest(
                "If-Match must be one ETag as this API sent it, such as \"7\".",
                errors: [
                    .init(field: "If-Match", code: "invalid", message: "Send the ETag of the resource as you read it.")
                ])
        }
        return version
    }
}

/// The API's entity tags: a resource's version, as a strong tag (`"7"`).
enum EntityTag {
    /// The tag of `version`.
    static func of(_ version: Int) -> String { "\"\(version)\"" }

    /// The one version an `If-Match` field names, or nil (a list, `*`, a weak or malformed tag).
    static func version(inIfMatch header: String) -> Int? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count >= 3, trimmed.utf8.count <= 20, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"")
        else { return nil }
        let digits = trimmed.dropFirst().dropLast()
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(digits)
    }

    /// True when `If-None-Match` lists `tag` (weak comparison) or is `*`.
    static func matches(ifNoneMatch header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var text = candidate.trimmingCharacters(in: .whitespaces)
            if text == "*" { return true }
            if text.hasPrefix("W/") { text.removeFirst(2) }
            return text == tag
        }
    }
}

/// Cursor pagination: `limit` 1–200 (default 50) and an `after` cursor, each page's next link in the body and in a
/// `Link` header. A cursor is the keyset position where the next page starts (an extension, an id), so a deep page
/// costs what the first does; clients pass `next_cursor` back as they got it.
enum APIPaging {
    static let defaultLimit = 50
    static let limits = 1...200

    /// The answer to an `after` that is no position of this list.
    static let invalidCursor = APIProblem.badRequest(
        "after is not a cursor of this list; pass next_cursor back as it came, or start again without it.",
        errors: [.init(field: "after", code: "invalid", message: "Use the next_cursor of the previous page.")])

    /// The whole number an id cursor holds, or `invalidCursor`.
    static func id(_ cursor: String) throws(APIProblem) -> Int {
        guard cursor.utf8.count <= 18, cursor.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int(cursor), id > 0
        else { throw invalidCursor }
        return id
    }

    /// A page encoded once: its JSON body and the next page's link. The Users list keeps it in the read cache, so a
    /// kept page costs a copy, not an encoding.
    struct EncodedPage: Sendable {
        let body: [UInt8]
        let link: String?
    }

    /// The query fields `names` as the request sent them, for the next page's link.
    static func kept(_ names: [String], of context: APIContext) throws(APIProblem) -> [(String, String)] {
        var fields: [(String, String)] = []
        for name in names {
            if let value = try context.query(name) { fields.append((name, value)) }
        }
        return fields
    }

    /// `items`, and the next page's cursor and link (`path?` the `kept` fields `&after=`) when there is one.
    static func encode<Item: Encodable>(
        _ items: [Item], next position: String?, path: String, keeping fields: [(String, String)]
    ) -> EncodedPage {
        let link = position.map { path + "?" + FormData(fields + [("after", $0)]).encoded }
        return EncodedPage(body: APIJSON.encode(Page(items: items, nextCursor: position, next: link)), link: link)
    }

    /// The page as a response, its link also in a `Link` header.
    static func response(_ page: EncodedPage) -> Response {
        var response = APIJSON.response(bytes: page.body)
        if let link = page.link { response.headers.add("Link", "<\(link)>; rel=\"next\"") }
        return response
    }

    private struct Page<Item: Encodable>: Encodable {
        let items: [Item]
        @Nullable var nextCursor: String?
        @Nullable var next: String?

        enum CodingKeys: String, CodingKey {
            case items
            case nextCursor = "next_cursor"
            case next
        }
    }
}

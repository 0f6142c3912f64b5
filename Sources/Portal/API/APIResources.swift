import Foundation
import HotDesk
import WebServer

/// The JSON shapes of the API's resources, as the OpenAPI document's schemas describe them. Field names are the
/// forms' field names, so a problem's `errors[].field` names the field that was sent.
enum APIResources {
    /// An install.
    struct InstallBody: Encodable {
        let id: Int
        let name: String
        let sipDomain: String

        init(_ install: Install) {
            (id, name, sipDomain) = (install.id, install.name, install.sipDomain)
        }

        enum CodingKeys: String, CodingKey {
            case id, name
            case sipDomain = "sip_domain"
        }
    }

    /// An install in the list, with its counts.
    struct InstallSummaryBody: Encodable {
        let id: Int
        let name: String
        let sipDomain: String
        let users: Int
        let usersWithAccess: Int
        let trustedRanges: Int

        init(_ summary: InstallSummary) {
            id = summary.id
            name = summary.name
            sipDomain = summary.sipDomain
            users = summary.userCount
            usersWithAccess = summary.accessCount
            trustedRanges = summary.rangeCount
        }

        enum CodingKeys: String, CodingKey {
            case id, name, users
            case sipDomain = "sip_domain"
            case usersWithAccess = "users_with_access"
            case trustedRanges = "trusted_ranges"
        }
    }

    /// A user of an install; never its PIN.
    struct UserBody: Encodable {
        let id: Int
        let installID: Int
        let `extension`: String
        let displayName: String
        let hotDeskAccess: Bool
        let hasPIN: Bool
        let updatedAt: Date

        init(_ user: HotDeskUser) {
            id = user.id
            installID = user.installID
            `extension` = user.extension.digits
            displayName = user.displayName
            hotDeskAccess = user.hasAccess
            hasPIN = user.hasPIN
            updatedAt = user.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id
            case installID = "install_id"
            case `extension`
            case displayName = "display_name"
            case hotDeskAccess = "hot_desk_access"
            case hasPIN = "has_pin"
            case updatedAt = "updated_at"
        }
    }

    /// A generated PIN, shown once, with the user it now belongs to.
    struct GeneratedPINBody: Encodable {
        let pin: String
        let user: UserBody
    }

    /// A trusted range.
    struct RangeBody: Encodable {
        let id: Int
        let network: String
        let description: String
        let createdAt: Date
        @Nullable var addedBy: String?
        @Nullable var insideNetwork: String?

        init(_ entry: TrustedNetworkEntry) {
            id = entry.id
            network = entry.network
            description = entry.description
            createdAt = entry.createdAt
            addedBy = entry.addedBy
            insideNetwork = entry.widerNetwork
        }

        enum CodingKeys: String, CodingKey {
            case id, network, description
            case createdAt = "created_at"
            case addedBy = "added_by"
            case insideNetwork = "inside_network"
        }
    }

    /// An install's handset settings.
    struct HandsetsBody: Encodable {
        let handsetFamily: String
        let lineKey: Int
        let keyLabel: String
        let hideServerPrompt: Bool
        let loginPromptAtStartup: Bool
        let registrationExpiry: Int
        @Nullable var sipServer: String?
        @Nullable var sipPort: Int?
        @Nullable var sipTransport: String?

        init(_ settings: HandsetSettings) {
            handsetFamily = settings.family.rawValue
            lineKey = settings.lineKey.number
            keyLabel = settings.label.text
            hideServerPrompt = settings.hidesServerPrompt
            loginPromptAtStartup = settings.promptsAtStartup
            registrationExpiry = settings.expiry.seconds
            sipServer = settings.sipServer?.name
            sipPort = settings.port?.number
            sipTransport = settings.transport?.rawValue
        }

        enum CodingKeys: String, CodingKey {
            case handsetFamily = "handset_family"
            case lineKey = "line_key"
            case keyLabel = "key_label"
            case hideServerPrompt = "hide_server_prompt"
            case loginPromptAtStartup = "login_prompt_at_startup"
            case registrationExpiry = "registration_expiry"
            case sipServer = "sip_server"
            case sipPort = "sip_port"
            case sipTransport = "sip_transport"
        }
    }

    /// An audit event.
    struct AuditEventBody: Encodable {
        struct Change: Encodable {
            @Nullable var before: String?
            @Nullable var after: String?

        }

        let id: Int
        let occurredAt: Date
        let action: String
        let result: String
        @Nullable var actor: String?
        @Nullable var actorRole: String?
        @Nullable var sourceAddress: String?
        @Nullable var installID: Int?
        @Nullable var targetType: String?
        @Nullable var targetID: Int?
        @Nullable var targetLabel: String?
        @Nullable var requestID: String?
        let changes: [String: Change]

        init(_ entry: AuditEntry) {
            id = entry.id
            occurredAt = entry.occurredAt
            action = entry.action
            result = entry.result.rawValue
            actor = entry.accountEmail
            actorRole = entry.accountRole
            sourceAddress = entry.sourceAddress
            installID = entry.installID
            targetType = entry.targetType
            targetID = entry.targetID
            targetLabel = entry.targetLabel
            requestID = entry.requestID
            changes = Dictionary(
                entry.changes.map { ($0.field, Change(before: $0.before, after: $0.after)) },
                uniquingKeysWith: { first, _ in first })
        }

        enum CodingKeys: String, CodingKey {
            case id, action, result, actor, changes
            case occurredAt = "occurred_at"
            case actorRole = "actor_role"
            case sourceAddress = "source_address"
            case installID = "install_id"
            case targetType = "target_type"
            case targetID = "target_id"
            case targetLabel = "target_label"
            case requestID = "request_id"
        }
    }
}

/// An optional field that the JSON spells out as `null` when it has no value, where synthesized `Encodable` would
/// leave it out: the document's schemas list every field as required.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension APIJSON {
    /// A resource with its `ETag`; 304 when `If-None-Match` already has it.
    static func resource(
        _ value: some Encodable, version: Int, request: Request, status: HTTPStatus = .ok
    ) -> Response {
        let tag = EntityTag.of(version)
        if status == .ok, let header = request.headers["If-None-Match"], EntityTag.matches(ifNoneMatch: header, tag) {
            var response = Response(status: .notModified)
            response.headers.replaceOrAdd("ETag", tag)
            return response
        }
        var response = response(value, status: status)
        response.headers.replaceOrAdd("ETag", tag)
        return response
    }
}

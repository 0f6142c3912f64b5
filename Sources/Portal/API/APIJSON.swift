import Foundation
import HotDesk
import WebServer

/// The API's JSON: one encoder for every response (RFC 3339 UTC timestamps, no escaped slashes), and the reading
/// of request bodies into `JSONValue`s.
enum APIJSON {
    /// The JSON of `value`, as a response with `status`.
    static func response(
        _ value: some Encodable, status: HTTPStatus = .ok, contentType: String = "application/json"
    ) -> Response {
        response(bytes: encode(value), status: status, contentType: contentType)
    }

    /// JSON already encoded, as a response with `status`.
    static func response(
        bytes: [UInt8], status: HTTPStatus = .ok, contentType: String = "application/json"
    ) -> Response {
        var response = Response(status: status, body: bytes)
        response.headers.replaceOrAdd("Content-Type", contentType)
        response.headers.replaceOrAdd("Cache-Control", "no-store")
        return response
    }

    /// The JSON of `value`: keys sorted, slashes unescaped, timestamps in RFC 3339 UTC with microseconds.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(DisplayTime.rfc3339(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
    }

    /// The request body as a JSON object's fields.
    ///
    /// - Throws: 415 when the body is not declared `application/json`; 400 when it is not one JSON object.
    static func object(in request: Request) throws(APIProblem) -> JSONFields {
        guard isJSON(request.headers["Content-Type"]) else {
            throw APIProblem(
                .unsupportedMediaType, code: "unsupported_media_type", title: "Unsupported media type",
                detail: "Send the body as JSON, with Content-Type: application/json.")
        }
        guard !request.body.isEmpty,
            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)),
            case .object(let fields) = value
        else { throw .badRequest("The body must be one JSON object.") }
        return JSONFields(fields)
    }

    /// True for `application/json` and `application/…+json`, with any parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces)
            .lowercased()
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}

/// A JSON value as a request body holds it: the types stay apart, so `true` is never read as `1`.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// The fields of a request's JSON object, read one by one with their expected types. A field of the wrong type
/// (`null` included, unless the field is `nullable`) is recorded, and `finish` refuses the request (400) when any
/// was, or when a field was sent that the operation does not know — as the forms refuse unknown fields.
struct JSONFields {
    private let fields: [String: JSONValue]
    private var read: Set<String> = []
    private var problems: [APIProblem.FieldProblem] = []

    init(_ fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// True when the body has `name` (even as null).
    func has(_ name: String) -> Bool { fields[name] != nil }

    /// A string field; nil when absent (or null, for a `nullable` one).
    mutating func string(_ name: String, nullable: Bool = false) -> String? {
        switch value(name) {
        case .string(let text)?: return text
        case nil: return nil
        case .null? where nullable: return nil
        default:
            wrongType(name, "a string")
            return nil
        }
    }

    /// A boolean field; nil when absent.
    mutating func bool(_ name: String) -> Bool? {
        switch value(name) {
        case .bool(let flag)?: return flag
        case nil: return nil
        default:
            wrongType(name, "true or false")
            return nil
        }
    }

    /// A whole-number field; nil when absent (or null, for a `nullable` one).
    mutating func integer(_ name: String, nullable: Bool = false) -> Int? {
        switch value(name) {
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case nil: return nil
        case .null? where nullable: return nil
        default:
            wrongType(name, "a whole number")
            return nil
        }
    }

    /// An array of whole numbers; nil when absent.
    mutating func integers(_ name: String) -> [Int]? {
        switch value(name) {
        case .array(let items)?:
            let numbers = items.compactMap { item -> Int? in
                guard case .number(let number) = item, number.rounded() == number, abs(number) < 1e15 else {
                    return nil
                }
                return Int(number)
            }
            if numbers.count == items.count { return numbers }
            wrongType(name, "an array of whole numbers")
            return nil
        case nil: return nil
        default:
            wrongType(name, "an array of whole numbers")
            return nil
        }
    }

    /// Records that the required field `name` is missing.
    mutating func missing(_ name: String, _ message: String) {
        problems.append(APIProblem.FieldProblem(field: name, code: "required", message: message))
    }

    /// Throws 400 when a field had the wrong type, a required one was missing or one was not read.
    func finish() throws(APIProblem) {
        let unknown = fields.keys.filter { !read.contains($0) }.sorted()
        let all =
            problems
            + unknown.map {
                APIProblem.FieldProblem(field: $0, code: "unknown_field", message: "This field is not accepted here.")
            }
        guard all.isEmpty else {
            throw .badRequest(all.count == 1 ? "\(all[0].field): \(all[0].message)" : "See errors.", errors: all)
        }
    }

    private mutating func value(_ name: String) -> JSONValue? {
        read.insert(name)
        return fields[name]
    }

    private mutating func wrongType(_ name: String, _ expected: String) {
        problems.append(APIProblem.FieldProblem(field: name, code: "type", message: "Send \(expected)."))
    }
}

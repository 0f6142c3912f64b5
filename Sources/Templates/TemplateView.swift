@_spi(Reflection) import Swift
import Synchronization

/// A view model that templates read by field name: `{{name}}` reads the stored property `name`.
///
/// Every view model conforms with one line, which builds the type's field table once:
///
///     struct UserListView: TemplateView {
///         static let templateFields = TemplateFields(Self.self)
///         …
///     }
public protocol TemplateView: TemplateRepresentable {
    /// The type's stored properties, readable by name.
    static var templateFields: TemplateFields { get }
}

extension TemplateView {
    /// The view read into a template object through its field table.
    @inlinable
    public var templateValue: TemplateValue {
        .view(withUnsafePointer(to: self) { Self.templateFields.object(at: UnsafeRawPointer($0)) })
    }
}

/// What a template sees of a field: the few kinds of value view models hold, so that rendering
/// switches over a closed set instead of casting `Any`. Values never change once made, so a cache may
/// share them between threads.
public enum TemplateValue: Sendable {
    /// Text, HTML-escaped by `{{ }}`.
    case text(String)
    case number(Int)
    /// Shows or hides a section; the section's body reads the enclosing views.
    case flag(Bool)
    /// A nested view: a section over it reads its fields first.
    case view(TemplateObject)
    /// A section repeats its body once per element.
    case list([TemplateValue])
    /// Markup another template rendered, inserted as it is by `{{{ }}}`.
    case markup(RenderedHTML)
    /// An optional field holding nil: hides a section, shows an inverted one, renders as nothing.
    case absent
}

/// A type whose values a view model may hold in a field a template reads.
public protocol TemplateRepresentable {
    /// What a template sees of the value.
    var templateValue: TemplateValue { get }
}

extension String: TemplateRepresentable {
    /// What a template sees of the value.
    public var templateValue: TemplateValue { .text(self) }
}

extension Int: TemplateRepresentable {
    /// What a template sees of the value.
    public var templateValue: TemplateValue { .number(self) }
}

extension Bool: TemplateRepresentable {
    /// What a template sees of the value.
    public var templateValue: TemplateValue { .flag(self) }
}

extension Optional: TemplateRepresentable where Wrapped: TemplateRepresentable {
    /// What a template sees of the value.
    @inlinable
    public var templateValue: TemplateValue { self?.templateValue ?? .absent }
}

extension Array: TemplateRepresentable where Element: TemplateRepresentable {
    /// What a template sees of the value.
    @inlinable
    public var templateValue: TemplateValue { .list(map { $0.templateValue }) }
}

/// A list of views turned into template values once, for a page whose rows the read cache keeps: requests
/// served from the cache then build neither the row views nor their template objects again.
public struct TemplateRows: TemplateRepresentable, Sendable {
    /// The rows, ready for a section.
    public let templateValue: TemplateValue

    /// Reads every view once.
    @inlinable
    public init(_ views: [some TemplateView]) {
        templateValue = views.templateValue
    }
}

/// The UTF-8 output of a rendered template: HTML, already escaped where the template asked for it.
public struct RenderedHTML: TemplateRepresentable, Sendable {
    /// The UTF-8 bytes.
    public let bytes: [UInt8]

    /// Markup that is already HTML (the output of a template).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Inserted as it is by `{{{ }}}`, escaped by `{{ }}`.
    public var templateValue: TemplateValue { .markup(self) }
}

/// A name templates read, interned once: looking a field up compares small integers, never strings.
///
/// Templates intern the names they use when they compile, and view types intern their fields' names when
/// their field table is built; both get the same number for the same name.
struct TemplateName: Hashable, Sendable, CustomStringConvertible {
    /// The name's number, an index into each view type's field table.
    let index: Int

    private static let interned = Mutex<(numbers: [String: Int], names: [String])>(([:], []))

    init(_ name: String) {
        index = Self.interned.withLock { table in
            if let index = table.numbers[name] { return index }
            table.numbers[name] = table.names.count
            table.names.append(name)
            return table.names.count - 1
        }
    }

    /// The name as written (for error messages only: it takes a lock).
    var description: String { Self.interned.withLock { $0.names[index] } }
}

/// The stored properties of a view model type, each turned into a typed reader once per type.
///
/// The table is built with the standard library's reflection SPI `_forEachFieldWithKeyPath`, which walks the
/// type's field metadata once, when the type is first rendered. Each field is read at its byte offset in the
/// value with its own type: no reflection, no key path and no cast per read. A property of a type templates
/// cannot show (not `TemplateRepresentable`) stops the portal at that first use with its name.
public struct TemplateFields: @unchecked Sendable {
    // @unchecked: the readers capture only an offset and a type, immutable values safe to share between threads.
    /// Reads one field of a value of the view type, given the value's address.
    private typealias Reader = (UnsafeRawPointer) -> TemplateValue

    /// The type's name, for error messages.
    let typeName: String
    /// One per stored property, in declaration order.
    private let readers: [Reader]
    /// By `TemplateName.index`: the position in `readers` of the field of that name, or -1.
    private let positions: [Int]

    /// Reads the stored properties of `type`, a struct.
    public init<View>(_ type: View.Type) {
        var readers: [Reader] = []
        var positions: [Int] = []
        let supported = _forEachFieldWithKeyPath(of: type) { name, path in
            let field = String(cString: name)
            let valueType = Swift.type(of: path).valueType
            guard let representable = valueType as? any TemplateRepresentable.Type else {
                preconditionFailure("\(type).\(field) is a \(valueType), which templates cannot show")
            }
            guard let offset = MemoryLayout<View>.offset(of: path) else {
                preconditionFailure("\(type).\(field) has no fixed place in the value")
            }
            let index = TemplateName(field).index
            if positions.count <= index { positions += Array(repeating: -1, count: index + 1 - positions.count) }
            positions[index] = readers.count
            readers.append(Self.reader(at: offset, representable))
            return true
        }
        precondition(supported, "\(type) cannot be a TemplateView: only structs are supported")
        self.typeName = "\(type)"
        self.readers = readers
        self.positions = positions
    }

    /// Every field of the view stored at `view`, read once for the template.
    @usableFromInline
    func object(at view: UnsafeRawPointer) -> TemplateObject {
        TemplateObject(fields: self, values: readers.map { $0(view) })
    }

    /// Where the field `name` is in `readers` (and in a `TemplateObject`'s values); nil when there is none.
    func position(of name: TemplateName) -> Int? {
        guard name.index < positions.count else { return nil }
        let position = positions[name.index]
        return position < 0 ? nil : position
    }

    /// A reader for a field of type `Value` at `offset`. The common field types get readers written for their
    /// type; any other goes through `TemplateRepresentable`, which, for a type known only at run time, costs a
    /// generic call per read.
    private static func reader<Value: TemplateRepresentable>(at offset: Int, _: Value.Type) -> Reader {
        switch Value.self {
        case is String.Type: return { .text($0.load(fromByteOffset: offset, as: String.self)) }
        case is Int.Type: return { .number($0.load(fromByteOffset: offset, as: Int.self)) }
        case is Bool.Type: return { .flag($0.load(fromByteOffset: offset, as: Bool.self)) }
        case is String?.Type: return { $0.load(fromByteOffset: offset, as: String?.self).map { .text($0) } ?? .absent }
        case is Int?.Type: return { $0.load(fromByteOffset: offset, as: Int?.self).map { .number($0) } ?? .absent }
        default: return { $0.load(fromByteOffset: offset, as: Value.self).templateValue }
        }
    }
}

/// A view model as a template reads it: its fields' values, read once when the view enters the template, so
/// that each of the many lookups a page makes is two array reads.
public final class TemplateObject: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: every property is a constant, and the values themselves never change.
    private let fields: TemplateFields
    private let values: [TemplateValue]

    fileprivate init(fields: TemplateFields, values: [TemplateValue]) {
        self.fields = fields
        self.values = values
    }

    /// The field called `name`; nil when the view has no such field (`.absent` when it holds nil).
    func value(_ name: TemplateName) -> TemplateValue? {
        fields.position(of: name).map { values[$0] }
    }

    /// The view type's name.
    public var description: String { fields.typeName }
}

@_spi(Reflection) import Swift

/// A view model that templates read by field name: `{{name}}` reads the stored property `name`.
///
/// Every view model conforms with one line, which builds the type's field table once:
///
///     struct UserListView: TemplateView {
///         static let templateFields = TemplateFields(Self.self)
///         …
///     }
protocol TemplateView: TemplateRepresentable {
    /// The type's stored properties by name.
    static var templateFields: TemplateFields<Self> { get }

    /// The field called `name`; nil when the type has no such field (`.absent` when it holds nil).
    func templateValue(named name: String) -> TemplateValue?
}

extension TemplateView {
    func templateValue(named name: String) -> TemplateValue? {
        Self.templateFields.value(named: name, in: self)
    }

    var templateValue: TemplateValue { .view(self) }
}

/// What a template sees of a field: the few kinds of value view models hold, so that rendering
/// switches over a closed set instead of casting `Any`.
enum TemplateValue {
    /// Text, HTML-escaped by `{{ }}`.
    case text(String)
    case number(Int)
    /// Shows or hides a section; the section's body reads the enclosing views.
    case flag(Bool)
    /// A nested view: a section over it reads its fields first.
    case view(any TemplateView)
    /// A section repeats its body once per element.
    case list([TemplateValue])
    /// An optional field holding nil: hides a section, shows an inverted one, renders as nothing.
    case absent
}

/// A type whose values a view model may hold in a field a template reads.
protocol TemplateRepresentable {
    var templateValue: TemplateValue { get }
}

extension String: TemplateRepresentable {
    var templateValue: TemplateValue { .text(self) }
}

extension Int: TemplateRepresentable {
    var templateValue: TemplateValue { .number(self) }
}

extension Bool: TemplateRepresentable {
    var templateValue: TemplateValue { .flag(self) }
}

extension Optional: TemplateRepresentable where Wrapped: TemplateRepresentable {
    var templateValue: TemplateValue { self?.templateValue ?? .absent }
}

extension Array: TemplateRepresentable where Element: TemplateRepresentable {
    var templateValue: TemplateValue { .list(map(\.templateValue)) }
}

/// The stored properties of a view model type, each turned into a typed reader once per type.
///
/// The table is built with the standard library's reflection SPI `_forEachFieldWithKeyPath`, which walks the
/// type's field metadata once, when the type is first rendered; reading a field afterwards is a dictionary hit
/// and a key path, with no reflection and no cast. A property of a type templates cannot show (not
/// `TemplateRepresentable`) stops the portal at that first use with its name.
struct TemplateFields<View>: @unchecked Sendable {
    // @unchecked: the readers capture only key paths, immutable values safe to share between threads.
    private let readers: [String: (View) -> TemplateValue]

    /// Reads the stored properties of `type`, a struct.
    init(_ type: View.Type) {
        var readers: [String: (View) -> TemplateValue] = [:]
        let supported = _forEachFieldWithKeyPath(of: type) { name, path in
            let valueType = Swift.type(of: path).valueType
            guard let representable = valueType as? any TemplateRepresentable.Type else {
                preconditionFailure("\(type).\(String(cString: name)) is a \(valueType), which templates cannot show")
            }
            readers[String(cString: name)] = Self.reader(path, representable)
            return true
        }
        precondition(supported, "\(type) cannot be a TemplateView: only structs are supported")
        self.readers = readers
    }

    /// The value of the property `name` of `view`; nil when the type has no such property.
    func value(named name: String, in view: View) -> TemplateValue? {
        readers[name].map { $0(view) }
    }

    private static func reader<Value: TemplateRepresentable>(
        _ path: PartialKeyPath<View>, _: Value.Type
    ) -> (View) -> TemplateValue {
        // Cannot fail: `Value` is the key path's own value type.
        let path = path as! KeyPath<View, Value>
        return { $0[keyPath: path].templateValue }
    }
}

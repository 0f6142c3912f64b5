@_spi(Reflection) import Swift
import Mustache

/// A view model that the templates read through a table of its stored properties, built once per type.
///
/// swift-mustache finds `{{name}}` in a plain value with `Mirror`, which reflects every property of the
/// value (demangling each property's type) on every lookup, and again for each enclosing value while it
/// climbs the context stack. On the Users tab that was over 90% of a request's CPU (`make bench`). A
/// `TemplateView` answers a lookup with a dictionary hit and a key path instead. Conform every view model:
///
///     struct UserListView: TemplateView {
///         static let templateFields = TemplateFields(Self.self)
///         …
///     }
protocol TemplateView: MustacheParent {
    /// The type's stored properties by name.
    static var templateFields: TemplateFields<Self> { get }
}

extension TemplateView {
    /// The stored property called `name`, with an optional unwrapped (nil renders as missing, as with `Mirror`).
    func child(named name: String) -> Any? {
        Self.templateFields.value(named: name, in: self)
    }
}

/// The stored properties of a view model type, as key paths by property name.
///
/// Built with the standard library's reflection SPI `_forEachFieldWithKeyPath`, which walks the type's field
/// metadata once; reading a field afterwards is a key path application, with no reflection.
struct TemplateFields<View>: @unchecked Sendable {
    // @unchecked: key paths are immutable values, safe to share between threads.
    private let fields: [String: (path: PartialKeyPath<View>, isOptional: Bool)]

    /// Reads the stored properties of `type`, a struct.
    init(_ type: View.Type) {
        var fields: [String: (path: PartialKeyPath<View>, isOptional: Bool)] = [:]
        let supported = _forEachFieldWithKeyPath(of: type) { name, path in
            fields[String(cString: name)] = (path, Swift.type(of: path).valueType is any OptionalValue.Type)
            return true
        }
        precondition(supported, "\(type) cannot be a TemplateView: only structs are supported")
        self.fields = fields
    }

    /// The value of the property `name` of `view`, optionals unwrapped; nil when there is no such property.
    func value(named name: String, in view: View) -> Any? {
        guard let field = fields[name] else { return nil }
        let value = view[keyPath: field.path]
        guard field.isOptional, let optional = value as? any OptionalValue else { return value }
        return optional.wrappedValue
    }
}

/// Lets `TemplateFields` see through an optional held in an `Any`.
private protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedValue: Any? { self.map { $0 } }
}

import ArgumentParser

/// One setting of a `hotdesk` command, declared once: its flag, its environment variable, what it means, its
/// default and how its text is read. The `--help` text is derived from it, and so is the message that refuses a
/// value. A flag wins over the environment, which wins over the default.
struct Setting<Value: Sendable>: Sendable {
    /// The flag without its dashes: `pool-size`.
    let flag: String
    /// The environment variables read, in order: `HOTDESK_DB_POOL_SIZE`.
    let variables: [String]
    /// The placeholder `--help` shows: `count`.
    let valueName: String
    /// What the setting does, in one or two sentences.
    let summary: String
    /// The value when neither the flag nor the environment gives one; nil when there is none (or it is computed
    /// from other settings, as `defaultText` then says).
    let defaultValue: Value?
    /// The default as `--help` writes it.
    let defaultText: String?
    /// What a value must be, for the message that refuses one: `a whole number above 0`.
    let expectation: String
    /// The value a text means, or nil when it means none.
    let parse: @Sendable (String) -> Value?

    /// A setting whose default, when there is one, is written as `describe` writes it.
    init(
        flag: String, variables: [String], valueName: String, summary: String, default defaultValue: Value?,
        defaultText: String? = nil, expectation: String, describe: @Sendable (Value) -> String = { "\($0)" },
        parse: @escaping @Sendable (String) -> Value?
    ) {
        self.flag = flag
        self.variables = variables
        self.valueName = valueName
        self.summary = summary
        self.defaultValue = defaultValue
        self.defaultText = defaultText ?? defaultValue.map(describe)
        self.expectation = expectation
        self.parse = parse
    }

    /// The option's help: the summary, the variables and the default.
    var help: ArgumentHelp {
        let defaultPart = defaultText.map { " Default: \($0)." } ?? ""
        return ArgumentHelp(
            "\(summary) Env: \(variables.joined(separator: ", else ")).\(defaultPart)", valueName: valueName)
    }

    /// The value given by the flag's text, else by the environment, else the default; nil when none gives one.
    ///
    /// - Throws: a `ValidationError` naming the flag, the variables, what a value must be and what was given.
    func value(flag text: String?, in environment: [String: String]) throws -> Value? {
        var given = text
        for variable in variables where given == nil {
            given = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let given else { return defaultValue }
        guard let value = parse(given) else {
            let names = (["--\(flag)"] + variables).joined(separator: "/")
            throw ValidationError("\(names) must be \(expectation) (got \(given)).")
        }
        return value
    }
}

extension Setting {
    /// The value of a setting that has a default: given by the flag or the environment, else the default.
    func resolved(flag text: String?, in environment: [String: String]) throws -> Value {
        guard let value = try value(flag: text, in: environment) else {
            preconditionFailure("the setting --\(flag) has no default")
        }
        return value
    }
}

extension Setting where Value == Int {
    /// A whole number above 0.
    static func positive(
        _ flag: String, _ variable: String, summary: String, default defaultValue: Int?, defaultText: String? = nil
    ) -> Setting<Int> {
        Setting(
            flag: flag, variables: [variable], valueName: "count", summary: summary, default: defaultValue,
            defaultText: defaultText, expectation: "a whole number above 0"
        ) { text in Int(text).flatMap { $0 > 0 ? $0 : nil } }
    }
}

extension Setting where Value == Duration {
    /// A number of seconds above 0 (fractions allowed).
    static func seconds(
        _ flag: String, _ variable: String, summary: String, default defaultValue: Duration
    )
        -> Setting<Duration>
    {
        Setting(
            flag: flag, variables: [variable], valueName: "seconds", summary: summary, default: defaultValue,
            expectation: "a number of seconds above 0", describe: Self.secondsText
        ) { text in
            guard let seconds = Double(text), seconds > 0, seconds < 1e9 else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
    }

    /// A whole number of `unit`s above 0 (`--session-idle-timeout` in minutes).
    static func whole(
        _ flag: String, _ variable: String, unit: Duration, unitName: String, summary: String,
        default defaultValue: Duration
    ) -> Setting<Duration> {
        Setting(
            flag: flag, variables: [variable], valueName: unitName, summary: summary, default: defaultValue,
            expectation: "a whole number of \(unitName) above 0", describe: { "\(Int($0 / unit))" },
            parse: { text in Int(text).flatMap { $0 > 0 && $0 < 1_000_000 ? unit * $0 : nil } })
    }

    /// `5`, `0.5`: a duration in seconds as help texts write it.
    @Sendable static func secondsText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard attoseconds != 0 else { return "\(seconds)" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18)"
    }
}

extension Setting where Value == String {
    /// Any non-empty text, read from `variables` in order.
    static func text(
        _ flag: String, _ variables: [String], valueName: String, summary: String, default defaultValue: String?
    ) -> Setting<String> {
        Setting(
            flag: flag, variables: variables, valueName: valueName, summary: summary, default: defaultValue,
            expectation: "some text"
        ) { $0.isEmpty ? nil : $0 }
    }
}

/// Audit text made safe to read: what a client typed is recorded as it came, and shown with every
/// hidden character spelled out.
///
/// It exists because an audit log must show exactly what happened without letting the recorded text
/// deceive its reader: a line break or bell in a typed address, a text-direction override in a name,
/// or a zero-width space that makes two names look alike (the characters `HiddenScalar` describes) is
/// shown as `\u000A`, `\u202E`, `\u200B`. A backslash is shown doubled, so `\u0007` typed literally
/// (`\\u0007` on screen) cannot pass for an escaped bell.
public enum AuditText {
    /// `text` with hidden characters as `\uXXXX` and backslashes doubled.
    public static func visible(_ text: String) -> String {
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                output += "\\\\"
            } else if HiddenScalar(scalar) != nil {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

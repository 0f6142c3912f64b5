import Foundation

/// What Telephony Settings' search box asks for: installs whose name or SIP domain starts with the text,
/// ignoring case, chosen so that it is answered from indexes.
///
/// Names match on `(organization_id, lower(name) text_pattern_ops)` and domains (always lowercase) on
/// `(organization_id, sip_domain text_pattern_ops)`, both ranges within the organization. A "contains"
/// search would need a trigram index or a scan of every install, so both match from their start, as the
/// Users tab's name search does.
public struct InstallSearch: Sendable, Equatable {
    /// The `LIKE` pattern, lowercased and escaped, ending in `%`; nil for no search (every install).
    public let pattern: String?

    /// Reads the search box: surrounding white space is trimmed; empty text means every install.
    public init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        pattern = trimmed.isEmpty ? nil : LikePattern.lowercasedPrefix(trimmed)
    }
}

/// Why a change to an install, a user or a trusted range was refused; each case maps to a message on
/// the form or to a 404 page.
public enum TelephonyError: Error, Sendable, Equatable {
    /// No such install, user or range within the scope the caller may see (answer 404).
    case notFound
    /// Someone else saved the row after the form read it; nothing was overwritten.
    case staleVersion
    /// Another install already registers handsets under this SIP domain.
    case domainTaken
    /// Another user of the install already has this extension.
    case extensionTaken
    /// The install already trusts exactly this range; carries the existing entry's description.
    case duplicateRange(existingDescription: String)
}

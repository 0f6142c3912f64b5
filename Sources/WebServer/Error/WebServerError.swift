/// Why the server or its static files could not be set up: a port in use, a bad host, a missing folder.
///
/// It exists apart from ``HTTPError`` because these failures happen at start-up, before there is any
/// request to answer; the message is meant for the operator reading the program's output.
public struct WebServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the host, port or path involved.
    public let message: String

    /// Creates an error with an operator-facing message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

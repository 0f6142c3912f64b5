/// Why a fault test's set-up or a page it read was not what it needs.
enum ResilienceTestError: Error {
    case commandFailed(String)
    case unexpectedPage(String)
}

import Glibc
import Testing
import WebServer

@Suite("TerminationSignal")
struct TerminationSignalTests {
    @Test("wait() returns a SIGTERM that arrives while it is blocked", arguments: [SIGTERM, SIGINT])
    func waitsForSignal(_ signal: Int32) {
        let received = onThreads(1) { _ in
            TerminationSignal.blockInCurrentThread()
            pthread_kill(pthread_self(), signal)
            return TerminationSignal.wait()
        }
        #expect(received == [signal])
    }
}

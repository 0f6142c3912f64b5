import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

extension Resilience {
    /// Hundreds of connections that trickle their request (slowloris) while a normal user loads pages.
    @Suite struct SlowClientTests {
        static let headerTricklers = 300
        static let bodyTricklers = 100

        @Test func slowClientsHoldingHundredsOfConnectionsDoNotDelayOtherUsersPages() throws {
            Self.raiseOpenFileLimit()
            let cluster = try PrivateCluster()
            let fixture = try LoadFixture.seed(cluster, installCount: 1)
            let portal = try PortalProcess(cluster: cluster)
            let user = Browser(port: portal.port)
            try user.signIn(email: fixture.email, password: fixture.password)

            let slow = try SlowClients(
                port: portal.port, headerTricklers: Self.headerTricklers, bodyTricklers: Self.bodyTricklers)
            defer { slow.close() }
            let trickling = slow.trickleInBackground(for: .seconds(10), byteEvery: .seconds(1))
            Thread.sleep(forTimeInterval: 1)

            var latencies: [Double] = []
            let pages = ["/telephony", "/installs/\(fixture.installs[0].id)/users", "/static/hotdesk.css"]
            let until = Date(timeIntervalSinceNow: 7)
            while Date() < until {
                for page in pages {
                    user.disconnect()
                    let start = Date()
                    let answer = try user.get(page)
                    latencies.append(Date().timeIntervalSince(start))
                    #expect(answer.statusCode == 200, "\(page) answered \(answer.statusCode)")
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            let stillOpen = slow.openCount()
            let held = trickling()
            print(
                String(
                    format: "slow clients: %d of %d trickling connections still open; %d pages on new connections, "
                        + "slowest %.1f ms, median %.1f ms",
                    stillOpen, slow.count, latencies.count, (latencies.max() ?? 0) * 1000,
                    latencies.sorted()[latencies.count / 2] * 1000))

            #expect(latencies.allSatisfy { $0 < 1 }, "slowest page \(latencies.max() ?? 0) s")
            #expect(
                held >= (Self.headerTricklers + Self.bodyTricklers) * 9 / 10,
                "the server dropped the slow clients early")
            #expect(portal.isRunning)
        }

        /// 400 sockets plus the server's own: more than a default soft limit of 1024 allows in one process tree.
        static func raiseOpenFileLimit() {
            var limit = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            limit.rlim_cur = min(limit.rlim_max, max(limit.rlim_cur, 8192))
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}

/// Connections that send a request one byte at a time: header lines that never end, or a form body that
/// never completes (announced with `Content-Length`).
final class SlowClients: @unchecked Sendable {
    private let connections: [(client: RawHTTPClient, pending: [UInt8])]
    private let closed = Mutex<Set<Int32>>([])

    var count: Int { connections.count }

    init(port: UInt16, headerTricklers: Int, bodyTricklers: Int) throws {
        var connections: [(RawHTTPClient, [UInt8])] = []
        for index in 0..<(headerTricklers + bodyTricklers) {
            let client = try RawHTTPClient(port: port, timeoutSeconds: 1)
            if index < headerTricklers {
                client.send("GET /telephony HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                connections.append((client, Array(String(repeating: "X-Slow-\(index): trickle\r\n", count: 200).utf8)))
            } else {
                client.send(
                    "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 60000\r\n\r\n")
                connections.append((client, Array(String(repeating: "email=slow%40example.com&", count: 2400).utf8)))
            }
        }
        self.connections = connections
    }

    /// Sends every connection its next byte once per `interval`, for `duration`, on a thread of its own;
    /// the returned closure waits for the end and returns how many connections stayed open throughout.
    func trickleInBackground(for duration: Duration, byteEvery interval: Duration) -> () -> Int {
        let done = DispatchSemaphore(value: 0)
        Thread {
            let end = Date().addingTimeInterval(duration.seconds)
            var round = 0
            while Date() < end {
                for (client, pending) in self.connections where round < pending.count {
                    if !client.send([pending[round]]) { self.closed.withLock { _ = $0.insert(client.descriptor) } }
                }
                round += 1
                Thread.sleep(forTimeInterval: interval.seconds)
            }
            done.signal()
        }.start()
        return {
            done.wait()
            return self.openCount()
        }
    }

    /// Connections the server has not closed: a send still succeeds and nothing (no answer, no end of file)
    /// has arrived.
    func openCount() -> Int {
        connections.filter { client, _ in
            guard !closed.withLock({ $0.contains(client.descriptor) }) else { return false }
            var probe: UInt8 = 0
            return recv(client.descriptor, &probe, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) < 0 && errno == EAGAIN
        }.count
    }

    func close() {
        for connection in connections { connection.client.close() }
    }
}

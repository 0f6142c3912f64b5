import Testing

@testable import WebServer

@Suite("trusted proxies: forwarding headers believed only from a trusted peer, right-most untrusted address wins")
struct TrustedProxiesTests {
    private let proxies = TrustedProxies(parsing: "127.0.0.1/32, 10.0.0.0/8,fd00::/8")!

    private func origin(peer: String = "127.0.0.1", _ fields: [(String, String)], tls: Bool = false) -> RequestOrigin {
        proxies.origin(peer: peer, headers: HTTPHeaders(fields), peerScheme: tls ? .https : .http)
    }

    @Test func rangesParseIPv4AndIPv6AndRefuseHostBitsAndJunk() {
        #expect(IPAddressRange("10.0.0.0/8")?.description == "10.0.0.0/8")
        #expect(IPAddressRange("192.0.2.7")?.prefixLength == 32)
        #expect(IPAddressRange("2001:db8::/32")?.description == "2001:db8::/32")
        #expect(IPAddressRange("::1")?.prefixLength == 128)
        for bad in [
            "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/08", "10/8", "010.0.0.0/8", "::1/129", "example.com", "", "/8",
        ] {
            #expect(IPAddressRange(bad) == nil, "\(bad)")
        }
        #expect(TrustedProxies(parsing: "127.0.0.1/32,nope") == nil)
        #expect(TrustedProxies(parsing: "")?.ranges.isEmpty == true)
    }

    @Test func anIPv4MappedPeerIsTheIPv4Address() {
        #expect(proxies.trusts(IPAddress("::ffff:127.0.0.1")!))
        #expect(!proxies.trusts(IPAddress("::ffff:192.0.2.1")!))
        #expect(IPAddress("0:0:0:0:0:0:0:1") == IPAddress("::1"))
    }

    @Test func theRightMostAddressThatIsNotATrustedProxyIsTheClient() {
        let forged = origin([("X-Forwarded-For", "6.6.6.6, 192.0.2.7, 10.1.2.3")])
        #expect(forged == RequestOrigin(clientAddress: "192.0.2.7", scheme: .http, forwarding: .forwarded))
        let twoFields = origin([("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "192.0.2.8")])
        #expect(twoFields.clientAddress == "192.0.2.8")
        #expect(origin([("X-Forwarded-For", "10.9.9.9, 10.1.1.1")]).clientAddress == "10.9.9.9", "all trusted")
        #expect(origin([("X-Forwarded-For", "2001:db8::5")]).clientAddress == "2001:db8::5")
    }

    @Test func theSchemeComesFromXForwardedProtoOrForwardedProto() {
        let https = origin([("X-Forwarded-For", "192.0.2.7"), ("X-Forwarded-Proto", "HTTPS")])
        #expect(https.scheme == .https)
        #expect(
            origin([("X-Forwarded-Proto", "https")])
                == RequestOrigin(clientAddress: "127.0.0.1", scheme: .https, forwarding: .forwarded))
        #expect(origin([("Forwarded", "for=192.0.2.7;proto=https")]).scheme == .https)
        #expect(origin([], tls: true).scheme == .https)
    }

    @Test func forwardedFollowsRFC7239WithQuotedIPv6PortsAndUnknownNodes() {
        let chain = origin([("Forwarded", #"for="[2001:db8:cafe::17]:4711";proto=http, for=10.0.0.5;by=10.0.0.1"#)])
        #expect(chain.clientAddress == "2001:db8:cafe::17")
        #expect(origin([("Forwarded", #"for="192.0.2.60:8080""#)]).clientAddress == "192.0.2.60")
        #expect(origin([("Forwarded", "for=unknown")]).clientAddress == "127.0.0.1", "unknown leaves the peer")
        #expect(origin([("Forwarded", "for=_hidden, for=10.0.0.2")]).clientAddress == "127.0.0.1")
        #expect(
            origin([("Forwarded", "for=192.0.2.60"), ("X-Forwarded-For", "6.6.6.6")]).clientAddress == "192.0.2.60",
            "Forwarded wins over X-Forwarded-For")
    }

    @Test func malformedValuesAreIgnoredAndNeverTrusted() {
        for value in [
            "not-an-address", "192.0.2.7,", "192.0.2.7 6.6.6.6", "999.0.0.1", "192.0.2.7:80", "[::1]", "",
        ] {
            #expect(origin([("X-Forwarded-For", value)]).forwarding == .ignoredMalformed, "\(value)")
            #expect(origin([("X-Forwarded-For", value)]).clientAddress == "127.0.0.1")
        }
        for value in [
            "for=192.0.2.7;for=6.6.6.6", "for=2001:db8::1", "for=\"[2001:db8::1\"", "for", "for=192.0.2.7;proto=gopher",
            "for=\"192.0.2.7", "by=10.0.0.1", "for=192.0.2.7:99999",
        ] {
            #expect(origin([("Forwarded", value)]).forwarding == .ignoredMalformed, "\(value)")
        }
        #expect(
            origin([("X-Forwarded-For", "192.0.2.7"), ("X-Forwarded-Proto", "https, http")]).forwarding
                == .ignoredMalformed)
    }

    @Test func headersFromAPeerThatIsNotATrustedProxyAreIgnored() {
        let spoofed = origin(peer: "192.0.2.99", [("X-Forwarded-For", "10.0.0.1"), ("X-Forwarded-Proto", "https")])
        #expect(spoofed == RequestOrigin(clientAddress: "192.0.2.99", scheme: .http, forwarding: .ignoredUntrustedPeer))
        #expect(
            TrustedProxies().origin(
                peer: "127.0.0.1", headers: HTTPHeaders([("Forwarded", "for=1.2.3.4")]), peerScheme: .http
            ).forwarding == .ignoredUntrustedPeer)
        #expect(origin(peer: "192.0.2.99", []).forwarding == .direct)
    }
}

import Foundation
import TestSupport
import Testing
import WebServer

/// `multipart/form-data` bodies, read by libmicrohttpd's post processor, over real sockets; and the larger body
/// limit of the routes that take uploads.
@Suite("HTTPServer uploads")
struct HTTPServerUploadTests {
    private static func makeRouter() -> Router {
        var router = Router()
        router.post("/things/:id/import") { request in
            let form = try request.uploadForm()
            let file = request.uploadedFiles["file"]
            let describe = file.map {
                "\($0.fileName ?? "-") \($0.contentType ?? "-") \($0.bytes.count) \($0.bytes.reduce(0) { $0 &+ Int($1) })"
            }
            return .text(
                "mode=\(try form.value(for: "mode") ?? "-") note=\(try form.value(for: "note") ?? "-") file=\(describe ?? "none")"
            )
        }
        router.post("/small") { request in
            _ = try request.uploadForm()
            return .text("ok")
        }
        return router
    }

    private static var configuration: HTTPServer.Configuration {
        var configuration = HTTPServer.Configuration(port: 0, threadCount: 4)
        configuration.bodyLimits = ["/things/:id/import": 3 * 1024 * 1024]
        return configuration
    }

    private static func multipart(_ parts: [(name: String, fileName: String?, bytes: [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for part in parts {
            var head = "--XyZboundary\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { head += "; filename=\"\(fileName)\"\r\nContent-Type: text/csv" }
            body += Array((head + "\r\n\r\n").utf8) + part.bytes + Array("\r\n".utf8)
        }
        return body + Array("--XyZboundary--\r\n".utf8)
    }

    private func post(_ port: UInt16, _ path: String, _ body: [UInt8]) throws -> RawResponse {
        try RawHTTPClient.exchange(
            port: port,
            RawHTTPClient.request(
                "POST", path, headers: ["Content-Type: multipart/form-data; boundary=XyZboundary"], body: body))
    }

    @Test("text fields and a file of 2 MiB arrive whole, the file with its name and type, however the body is split")
    func readsFieldsAndFile() throws {
        let file = (0..<(2 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let sum = file.reduce(0) { $0 &+ Int($1) }
        try withServer(Self.makeRouter(), configuration: Self.configuration) { server in
            let response = try post(
                server.port, "/things/7/import",
                Self.multipart([
                    ("mode", nil, Array("update".utf8)), ("note", nil, Array("Zoë".utf8)), ("file", "users.csv", file),
                ]))
            #expect(response.statusCode == 200)
            #expect(response.bodyText == "mode=update note=Zoë file=users.csv text/csv \(file.count) \(sum)")
        }
    }

    @Test("a body over the route's limit is a 413 page, and other routes keep the 64 KiB limit")
    func limits() throws {
        try withServer(Self.makeRouter(), configuration: Self.configuration) { server in
            let tooLarge = try post(
                server.port, "/things/7/import",
                Self.multipart([("file", "big.csv", [UInt8](repeating: 65, count: 3 * 1024 * 1024 + 10))]))
            #expect(tooLarge.statusCode == 413)
            #expect(tooLarge.bodyText.contains("larger than"))
            let small = try post(
                server.port, "/small", Self.multipart([("file", "f.csv", [UInt8](repeating: 65, count: 100_000))]))
            #expect(small.statusCode == 413)
            #expect(try post(server.port, "/small", Self.multipart([("note", nil, Array("x".utf8))])).statusCode == 200)
        }
    }

    @Test("a multipart text field that is not UTF-8 is 400; where an upload is expected, any other form is 415")
    func malformedBodies() throws {
        try withServer(Self.makeRouter(), configuration: Self.configuration) { server in
            let text = try RawHTTPClient.exchange(
                port: server.port,
                RawHTTPClient.request(
                    "POST", "/things/7/import", headers: ["Content-Type: application/x-www-form-urlencoded"],
                    body: Array("mode=update".utf8)))
            #expect(text.statusCode == 415)
            let notUTF8 = try post(server.port, "/things/7/import", Self.multipart([("mode", nil, [0xC3, 0x28])]))
            #expect(notUTF8.statusCode == 400)
        }
    }
}

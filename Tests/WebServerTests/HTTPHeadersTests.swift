import Testing
import WebServer

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test("looks names up without regard to case and keeps repeated fields in order")
    func caseInsensitiveAndOrdered() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain"]
        headers.add("Set-Cookie", "a=1")
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.map(\.name) == ["Content-Type", "Set-Cookie", "set-cookie"])
        #expect(headers["Missing"] == nil)
    }

    @Test("replaceOrAdd replaces the first field in place and drops the other repeats")
    func replaceOrAdd() {
        var headers = HTTPHeaders([("A", "1"), ("X", "old"), ("B", "2"), ("x", "older")])
        headers.replaceOrAdd("X", "new")
        #expect(headers.map { "\($0.name)=\($0.value)" } == ["A=1", "X=new", "B=2"])
        headers.replaceOrAdd("C", "3")
        #expect(headers["c"] == "3")
        headers.remove("a")
        #expect(!headers.contains("A"))
        #expect(headers.count == 3)
    }
}

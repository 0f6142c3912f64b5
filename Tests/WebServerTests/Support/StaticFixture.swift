import Foundation

/// A temporary folder shaped like a project: `Package.swift` and `secret.txt` next to a `static/` folder
/// that holds a few files, a subfolder and dotfiles. Removed when the test ends.
struct StaticFixture: ~Copyable {
    let root: String
    var staticFolder: String { root + "/static" }

    static let css = "body { color: #333; }\n"
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]

    init() throws {
        root =
            FileManager.default.temporaryDirectory.appendingPathComponent("webserver-static-\(UUID().uuidString)").path
        let files: [String: [UInt8]] = [
            "Package.swift": Array("// outside the static folder\n".utf8),
            "secret.txt": Array("outside\n".utf8),
            "static/app.css": Array(Self.css.utf8),
            "static/app.js": Array("console.log(1)\n".utf8),
            "static/logo.png": Self.png,
            "static/icons/check.svg": Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n".utf8),
            "static/fonts/inter.woff2": [0x77, 0x4F, 0x46, 0x32],
            "static/readme.txt": Array("hello\n".utf8),
            "static/data.bin": [0, 1, 2],
            "static/app.js.map": Array("{}".utf8),
            "static/.hidden": Array("dotfile\n".utf8),
            "static/.git/config": Array("[core]\n".utf8),
        ]
        for (path, bytes) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }
}

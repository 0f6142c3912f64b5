#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a folder's regular files into memory, recursively.
enum FileTree {
    /// Every regular file under `folder`, keyed by its path relative to the folder ("css/app.css").
    ///
    /// Names starting with "." (files and folders) are skipped, and so are symbolic links and anything
    /// that is not a regular file or a folder.
    ///
    /// - Throws: when `folder` is missing or not a folder, or a file cannot be read.
    static func regularFiles(under folder: String) throws(WebServerError) -> [String: [UInt8]] {
        var status = stat()
        guard lstat(folder, &status) == 0 else {
            throw WebServerError("The static files folder “\(folder)” cannot be read: \(errorText()).")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw WebServerError("The static files path “\(folder)” is not a folder.")
        }
        var files: [String: [UInt8]] = [:]
        try collect(folder: folder, relativePrefix: "", into: &files)
        return files
    }

    private static func collect(
        folder: String,
        relativePrefix: String,
        into files: inout [String: [UInt8]]
    ) throws(WebServerError) {
        for name in try entries(of: folder) where !name.hasPrefix(".") {
            let path = folder + "/" + name
            let relativePath = relativePrefix + name
            var status = stat()
            guard lstat(path, &status) == 0 else {
                throw WebServerError("The static file “\(path)” cannot be read: \(errorText()).")
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                try collect(folder: path, relativePrefix: relativePath + "/", into: &files)
            case S_IFREG:
                files[relativePath] = try FileContents.bytes(at: path, describing: "static file “\(path)”")
            default:
                continue
            }
        }
    }

    /// The names in a folder, without "." and "..". The corresponding C function is `readdir`.
    private static func entries(of folder: String) throws(WebServerError) -> [String] {
        guard let directory = opendir(folder) else {
            throw WebServerError("The static files folder “\(folder)” cannot be opened: \(errorText()).")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(validating: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let name, name != ".", name != ".." {
                names.append(name)
            }
        }
        return names
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

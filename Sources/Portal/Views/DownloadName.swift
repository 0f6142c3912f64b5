import HotDesk

/// The name of a file the portal hands out for an install: a prefix, and the install's name in lowercase
/// ASCII letters, digits and hyphens (at most 48), so it says which install it is for and is safe in a
/// `Content-Disposition` header: `hotdesking-head-office.cfg`, `users-head-office.csv`.
enum DownloadName {
    static func of(_ prefix: String, _ install: Install, fileExtension: String) -> String {
        var slug = ""
        for scalar in install.name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
            if slug.count >= 48 { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return "\(prefix)-\(slug.isEmpty ? "install-\(install.id)" : slug).\(fileExtension)"
    }
}

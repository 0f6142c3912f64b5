import Testing

/// The pure value types of `Sources/HotDesk/Values`. Every suite in this folder nests here, so
/// `swift test --filter Values` runs exactly these tests; none needs a database.
@Suite("Value types")
enum Values {}

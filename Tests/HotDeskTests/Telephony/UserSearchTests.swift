import HotDesk
import Testing

@Suite("User search: digits search extensions by prefix, anything else names by their start")
struct UserSearchTests {
    @Test("empty and white-space-only text searches everyone")
    func emptySearchesEveryone() {
        #expect(UserSearch("") == .everyone)
        #expect(UserSearch(" \t ") == .everyone)
    }

    @Test("one to four ASCII digits are the extension range the prefix covers")
    func digitsAreExtensionRanges() {
        #expect(UserSearch("1") == .extensionRange(lowest: "1000", highest: "1999"))
        #expect(UserSearch(" 12 ") == .extensionRange(lowest: "1200", highest: "1299"))
        #expect(UserSearch("0042") == .extensionRange(lowest: "0042", highest: "0042"))
    }

    @Test("other text, five digits and non-ASCII digits search names, lowercased, LIKE signs escaped")
    func otherTextSearchesNames() {
        #expect(UserSearch("Ann") == .namePrefix(pattern: "ann%"))
        #expect(UserSearch("12345") == .namePrefix(pattern: "12345%"))
        #expect(UserSearch("１２") == .namePrefix(pattern: "１２%"))
        #expect(UserSearch("100%_a\\b") == .namePrefix(pattern: "100\\%\\_a\\\\b%"))
    }
}

import Testing

@testable import Portal

@Suite("Telephony Settings formats: counts")
struct TelephonyFormatTests {
    @Test("counts group their digits in threes")
    func counts() {
        #expect(TelephonyFormat.count(10_000) == "10,000")
        #expect(TelephonyFormat.count(7) == "7")
    }
}

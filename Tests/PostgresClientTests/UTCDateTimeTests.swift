import Foundation
import PostgresClient
import Testing

@Suite("UTC calendar fields computed without Calendar")
struct UTCDateTimeTests {
    @Test(
        "fields match Foundation's Gregorian calendar in UTC, before 1970, on leap days and at year ends",
        arguments: [
            0.0, -1, -86_400, 951_782_400, 951_868_799.5, 1_795_755_224.123456, 4_102_444_799, -2_208_988_800,
            253_402_300_799, 1_709_164_800.999_999_6,
        ])
    func fieldsMatchFoundation(_ seconds: Double) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let rounded = (seconds * 1_000_000).rounded() / 1_000_000
        let date = Date(timeIntervalSince1970: rounded)
        let expected = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let time = UTCDateTime(Date(timeIntervalSince1970: seconds))
        #expect(time.year == expected.year && time.month == expected.month && time.day == expected.day)
        #expect(time.hour == expected.hour && time.minute == expected.minute && time.second == expected.second)
        #expect(time.microsecond == Int(((rounded - rounded.rounded(.down)) * 1_000_000).rounded()) % 1_000_000)
    }

    @Test("padding adds zeros on the left up to the width and never cuts")
    func padding() {
        #expect(UTCDateTime.padded(7, 2) == "07")
        #expect(UTCDateTime.padded(42, 6) == "000042")
        #expect(UTCDateTime.padded(12345, 4) == "12345")
    }
}

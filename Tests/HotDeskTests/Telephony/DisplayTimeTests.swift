import Foundation
import HotDesk
import Testing

@Suite("Display times: to the minute, in UTC, whatever the locale")
struct DisplayTimeTests {
    @Test(
        "timestamps read year-month-day hours:minutes UTC, zero-padded, seconds dropped",
        arguments: [
            (1_767_621_780.0, "2026-01-05 14:03 UTC"), (0.0, "1970-01-01 00:00 UTC"),
            (951_868_799.9, "2000-02-29 23:59 UTC"),
            (-62_135_596_800.0, "0001-01-01 00:00 UTC"), (253_402_300_799.0, "9999-12-31 23:59 UTC"),
            (253_402_300_800.0, "10000-01-01 00:00 UTC"),
        ])
    func timestamps(_ seconds: Double, _ expected: String) {
        #expect(DisplayTime.minute(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(
        "to the second, the same with the seconds",
        arguments: [
            (1_767_621_807.9, "2026-01-05 14:03:27 UTC"), (0.0, "1970-01-01 00:00:00 UTC"),
            (253_402_300_800.0, "10000-01-01 00:00:00 UTC"),
        ])
    func timestampsToTheSecond(_ seconds: Double, _ expected: String) {
        #expect(DisplayTime.second(Date(timeIntervalSince1970: seconds)) == expected)
    }
}

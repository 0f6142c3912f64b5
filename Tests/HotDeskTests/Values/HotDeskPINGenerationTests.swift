import HotDesk
import Testing

extension Values {
    @Suite("Hot desk PIN generation: uniform over the PINs that are not weak")
    struct HotDeskPINGenerationTests {
        @Test(
            "10,000 generated PINs are never weak and never the extension or its reverse",
            arguments: ["5821", "0429", "1001", "1234"])
        func neverWeak(_ extensionText: String) throws {
            let userExtension = try Extension(extensionText)
            let reversed = String(extensionText.reversed())
            var seeded = SplitMix64(seed: 0x5EED_0000 + UInt64(extensionText)!)
            for round in 0..<10_000 {
                let pin =
                    round.isMultiple(of: 2)
                    ? HotDeskPIN.generate(for: userExtension) : HotDeskPIN.generate(for: userExtension, using: &seeded)
                #expect(pin.digits != extensionText && pin.digits != reversed)
                #expect((try? HotDeskPIN(pin.digits, for: userExtension)) != nil)
            }
        }

        @Test("200,000 seeded draws cover every acceptable PIN about equally often")
        func uniform() {
            let draws = 200_000
            var counts: [String: Int] = [:]
            var generator = SplitMix64(seed: 20_240_917)
            for _ in 0..<draws {
                counts[HotDeskPIN.generate(for: nil, using: &generator).digits, default: 0] += 1
            }
            let allowed = (0..<10_000).compactMap { number -> String? in
                let text = String(number)
                let padded = String(repeating: "0", count: 4 - text.count) + text
                return (try? HotDeskPIN(padded, for: nil))?.digits
            }
            #expect(allowed.count == 9_783)
            #expect(Set(counts.keys) == Set(allowed), "every acceptable PIN drawn, and nothing else")

            // Each PIN is drawn about 20.4 times; Poisson tails outside 3...50 have probability < 1e-6 each.
            let expected = Double(draws) / Double(allowed.count)
            let outliers = allowed.filter { !(3...50).contains(counts[$0, default: 0]) }
            #expect(outliers.isEmpty, "counts far from \(expected): \(outliers.prefix(5))")

            // Pearson's chi-square with 9,782 degrees of freedom: mean 9,782, standard deviation about 140.
            let chiSquare = allowed.reduce(0.0) { sum, pin in
                let difference = Double(counts[pin, default: 0]) - expected
                return sum + difference * difference / expected
            }
            let degrees = Double(allowed.count - 1)
            let spread = 5 * (2 * degrees).squareRoot()
            #expect(abs(chiSquare - degrees) < spread, "chi-square \(chiSquare) for \(degrees) degrees of freedom")
        }

        @Test("the same seed gives the same PINs, and the system generator varies")
        func seededIsRepeatable() {
            var first = SplitMix64(seed: 7)
            var second = SplitMix64(seed: 7)
            let a = (0..<20).map { _ in HotDeskPIN.generate(for: nil, using: &first) }
            let b = (0..<20).map { _ in HotDeskPIN.generate(for: nil, using: &second) }
            #expect(a == b)
            let system = Set((0..<20).map { _ in HotDeskPIN.generate(for: nil).digits })
            #expect(system.count > 1)
        }
    }
}

import Foundation
@testable import Signing
import Testing

/// The hand-written UTC formatter must give exactly the text Foundation's ISO 8601 style gave before
/// (`RFC3339.foundationFormat`), since stored audit entries and decision JSON carry these strings.
@Suite struct RFC3339FormatterTests {
    /// A fixed-seed generator (SplitMix64), so a failure names an instant that can be rerun.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mismatches(_ dates: [Date]) -> [String] {
        dates.compactMap { d in
            let fast = RFC3339.format(d), reference = RFC3339.foundationFormat(d)
            var bytes: [UInt8] = [0x22]
            RFC3339.append(d, to: &bytes)
            let appended = String(decoding: bytes.dropFirst(), as: UTF8.self)
            return fast == reference && appended == reference ? nil
                : "\(d.timeIntervalSinceReferenceDate): \(fast) / \(appended) vs Foundation \(reference)"
        }
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0), ("2000-02-29T00:00:00Z", 951_782_400), ("2000-02-29T23:59:59Z", 951_868_799),
        ("2100-03-01T00:00:00Z", 4_107_542_400), ("1900-01-01T00:00:00Z", -2_208_988_800), ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("2026-11-25T10:00:00.500Z", 1_795_600_800.5), ("1969-12-31T23:59:59.750Z", -0.25), ("2024-12-31T23:59:59.999Z", 1_735_689_599.9999),
    ])
    func knownInstants(expected: String, unixTime: Double) {
        let d = Date(timeIntervalSince1970: unixTime)
        #expect(RFC3339.format(d) == expected)
        #expect(RFC3339.foundationFormat(d) == expected)
    }

    @Test func randomInstantsOverTheWholeRange() {
        var g = SplitMix(state: 20_261_125)
        let dates = (0..<200_000).map { _ in Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...253_402_300_799, using: &g)) }
        #expect(Self.mismatches(dates) == [])
    }

    @Test func randomInstantsNearNowWithMilliseconds() {
        var g = SplitMix(state: 7)
        let dates = (0..<200_000).map { _ in Date(timeIntervalSince1970: Double.random(in: 1.6e9...2.1e9, using: &g)) }
        #expect(Self.mismatches(dates) == [])
    }

    /// Just around whole seconds and millisecond boundaries, where truncation and the "has a fraction"
    /// choice could differ.
    @Test func boundaries() {
        var g = SplitMix(state: 42)
        var dates: [Date] = []
        for _ in 0..<20_000 {
            let s = Double(Int.random(in: 1_500_000_000...2_100_000_000, using: &g)) + Double(Int.random(in: 0...999, using: &g)) / 1000
            for eps in [0.0, 1e-7, -1e-7, 1e-6, -1e-6, 3e-7] { dates.append(Date(timeIntervalSince1970: s + eps)) }
            let r = Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &g))
            for eps in [1e-9, -1e-9, 1e-12, -1e-12, 0.999_999_999_9, 0.0005, 0.9995] { dates.append(Date(timeIntervalSinceReferenceDate: r + eps)) }
            dates += [r.nextUp, r.nextDown, (r + 1).nextDown].map { Date(timeIntervalSinceReferenceDate: $0) }
        }
        #expect(Self.mismatches(dates) == [])
    }

    /// Every day from 1900 to 2100 (leap years, century years, year ends) at its first, middle and last second.
    @Test func everyDayOf1900To2100() {
        var dates: [Date] = []
        for day in -25_567...47_482 {
            for s in [0, 43_200, 86_399] { dates.append(Date(timeIntervalSince1970: Double(day * 86_400 + s))) }
        }
        #expect(Self.mismatches(dates) == [])
    }

    /// Outside 1900...9999 the Foundation text is used unchanged (Julian dates, five-digit years).
    @Test(arguments: [-62_135_596_800.0, -2_208_988_801, 253_402_300_800, 253_402_300_800.5, 1e12])
    func outsideTheFastRange(unixTime: Double) {
        let d = Date(timeIntervalSince1970: unixTime)
        #expect(RFC3339Formatter.bytes(of: d) == nil)
        #expect(RFC3339.format(d) == RFC3339.foundationFormat(d))
    }
}

import Foundation
@testable import Signing
import Testing

/// The hand-written UTC formatter must give exactly the text Foundation's ISO 8601 style gave before
/// (`RFC3339.foundationFormat`), since stored audit entries and decision JSON carry these strings, except for an
/// instant a rounding error below a millisecond, which it prints as that millisecond so that a time given with
/// milliseconds is printed as given (`textsSurviveParsingAndPrinting`).
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
            return appended == fast && (fast == reference || Self.isMillisecondAbove(fast, reference, at: d)) ? nil
                : "\(d.timeIntervalSinceReferenceDate): \(fast) / \(appended) vs Foundation \(reference)"
        }
    }

    /// The one permitted difference from Foundation: `fast` prints the next millisecond of the same second, and the
    /// instant lies less than a microsecond (or a few units in the last place, where a double is coarser) below that
    /// millisecond: a rounding error of the binary `Date`, which Foundation's truncation printed a millisecond early.
    static func isMillisecondAbove(_ fast: String, _ reference: String, at d: Date) -> Bool {
        guard fast.count == 24, reference.count == 24, fast.prefix(20) == reference.prefix(20),
              let f = Int(fast.dropFirst(20).prefix(3)), let r = Int(reference.dropFirst(20).prefix(3)), f == r + 1 else { return false }
        let t = d.timeIntervalSinceReferenceDate
        let gap = (t.rounded(.down) + Double(f) / 1000) - t
        return gap >= 0 && gap < max(1e-6, 8 * t.ulp)
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
    /// A time given with milliseconds (`check --at`, an API request's `at`, a stored entry's time) is printed as given:
    /// before, `2026-12-05T14:21:41.938Z` was parsed to a double just below .938 and printed `.937Z`, so the decision
    /// was logged a millisecond early (found by the DPO guide's test).
    @Test(arguments: ["2026-12-05T14:21:41.938Z", "2026-12-05T14:21:41.001Z", "2026-12-05T14:21:41.999Z", "1900-01-01T00:00:00.001Z",
                      "9999-12-31T23:59:59.999Z", "2000-02-29T12:00:00.500Z", "1969-12-31T23:59:59.999Z", "2026-12-05T14:21:41Z"])
    func textsSurviveParsingAndPrinting(text: String) throws {
        let d = try #require(RFC3339.parse(text))
        #expect(RFC3339.format(d) == text)
    }

    /// Every millisecond of a second, in seconds spread over 1900...9999, survives parsing and printing.
    @Test func everyMillisecondSurvivesParsingAndPrinting() throws {
        var g = SplitMix(state: 2026_12_05)
        var failures: [String] = []
        for _ in 0..<40 {
            let whole = Double(Int.random(in: -2_208_988_800...253_402_300_798, using: &g))
            let second = String(RFC3339.format(Date(timeIntervalSince1970: whole)).dropLast())
            for ms in 1...999 {
                let text = second + "." + String(1000 + ms).dropFirst() + "Z"
                let printed = RFC3339.parse(text).map(RFC3339.format)
                if printed != text { failures.append("\(text) -> \(printed ?? "nil")") }
            }
        }
        #expect(failures.count == 0, "\(failures.count) texts changed, e.g. \(failures.prefix(3))")
    }
}

import Foundation
import Testing
@testable import PolicyEngine

/// An earlier template version may carry `recordable-until: YYYY-MM-DD` (a Berlin calendar day): paper declarations
/// signed on that version by that day may still be recorded on it. The loader reads it, reports a bad value at its
/// place (wrong form, a day no calendar has, not text); the digest covers it only when present. (On the current version
/// it retires the template: `RetiredTemplateLoaderTests`.)
@Suite struct RecordingWindowLoaderTests {
    static let loader = EarlierTemplateVersionsLoaderTests.self

    /// Version 1 of the small fixture's `t` kept with `recordable-until: <value>` (line 7 of the items, line 53 of the file).
    static func withWindow(_ value: String) throws -> TempBundle {
        try loader.bundle(loader.versionOne + ["        recordable-until: \(value)"])
    }

    @Test(arguments: [("2027-01-31", "2027-01-31"), ("\"2027-01-31\"", "2027-01-31"), ("2028-02-29", "2028-02-29")])
    func aWindowLoadsOnTheEarlierVersion(_ written: String, _ day: String) throws {
        let b = try Self.withWindow(written)
        defer { b.remove() }
        #expect(b.problems.isEmpty, "\(b.problems)")
        let bundle = try BundleLoader.load(directory: b.url)
        let v1 = try #require(bundle.template("t", version: 1))
        #expect(v1.recordableUntil == UTCDay.parse(day))
        #expect(bundle.template("t")?.recordableUntil == nil, "the current version has none")
    }

    /// Without the key an earlier version has no window: nothing new is recorded on it.
    @Test func withoutTheKeyThereIsNoWindow() throws {
        let b = try Self.loader.bundle(Self.loader.versionOne)
        defer { b.remove() }
        let v1 = try #require(try BundleLoader.load(directory: b.url).template("t", version: 1))
        #expect(v1.recordableUntil == nil)
        #expect(!v1.isRecordable(grantedAt: Date(timeIntervalSince1970: 0)))
    }

    /// The window counts Berlin days: 2026-12-31T22:59:59Z is still 31 December in Berlin, 23:00Z is already 1 January.
    @Test(arguments: [("2026-12-31T22:59:59Z", true), ("2026-12-31T23:00:00Z", false), ("2026-12-31T23:30:00Z", false),
                      ("2026-06-30T21:59:59Z", true), ("2026-01-01T00:00:00Z", true)])
    func theWindowEndsAtBerlinMidnight(_ time: String, _ recordable: Bool) throws {
        var v1 = ConsentTemplate(id: "t", version: 1, texts: ["de": "x"], minimumAge: 16, maxValidity: ISODuration(years: 1), clauses: [])
        v1.recordableUntil = UTCDay.parse("2026-12-31")
        let at = try #require(ISO8601DateFormatter().date(from: time))
        #expect(v1.isRecordable(grantedAt: at) == recordable)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String
        var code: String
        /// The text on the line the error must point at, and words the English and German messages must hold.
        var at: String
        var english: String
        var german: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "a German date", value: "31.01.2027", code: "invalid-value", at: "31.01.2027",
                english: "recordable-until: `31.01.2027` is not a date of the form YYYY-MM-DD", german: "ist kein Datum der Form JJJJ-MM-TT"),
        BadCase(name: "no leading zeros", value: "2027-1-31", code: "invalid-value", at: "2027-1-31",
                english: "`2027-1-31` is not a date of the form YYYY-MM-DD", german: "`2027-1-31` ist kein Datum"),
        BadCase(name: "a time", value: "2027-01-31T00:00:00Z", code: "invalid-value", at: "2027-01-31T",
                english: "is not a date of the form YYYY-MM-DD", german: "ist kein Datum der Form JJJJ-MM-TT"),
        BadCase(name: "a sign", value: "+202-01-31", code: "invalid-value", at: "+202",
                english: "is not a date of the form YYYY-MM-DD", german: "ist kein Datum der Form JJJJ-MM-TT"),
        BadCase(name: "30 February", value: "2027-02-30", code: "invalid-value", at: "2027-02-30",
                english: "consent-templates.t.earlier-versions[0].recordable-until: `2027-02-30` is not a day of the calendar",
                german: "`2027-02-30` ist kein Kalendertag"),
        BadCase(name: "29 February of a common year", value: "2027-02-29", code: "invalid-value", at: "2027-02-29",
                english: "`2027-02-29` is not a day of the calendar", german: "ist kein Kalendertag"),
        BadCase(name: "month 13", value: "2027-13-01", code: "invalid-value", at: "2027-13-01",
                english: "is not a day of the calendar", german: "ist kein Kalendertag"),
        BadCase(name: "a list", value: "[2027-01-31]", code: "wrong-type", at: "[", english: "recordable-until: text expected", german: "Text erwartet"),
    ]

    @Test(arguments: badCases)
    func aBadWindowIsAnErrorAtItsPlace(_ c: BadCase) throws {
        let b = try Self.withWindow(c.value)
        defer { b.remove() }
        let problems = b.problems
        #expect(problems.count == 1, "\(problems)")
        let p = try #require(problems.first)
        #expect(p.code == c.code, "\(p)")
        #expect(p.message.en.contains(c.english), "\(p.message.en)")
        #expect(p.message.de.contains(c.german), "\(p.message.de)")
        // Line 44 is the last clause, 45 `earlier-versions:`, the items start at 46: the window is item line 7.
        let text = "        recordable-until: \(c.value)"
        let column = text.distance(from: text.startIndex, to: try #require(text.range(of: c.at)).lowerBound) + 1
        #expect(p.location?.file.hasSuffix("policy.yaml") == true && p.location?.line == 53 && p.location?.column == column, "\(p)")
    }

    /// The digest: a bundle without a window keeps the digest it had before windows existed (the small fixture's pin,
    /// and no `recordable-until` member); a window added, moved or removed changes it; the same window written quoted or
    /// plain does not.
    @Test func theDigestCoversAWindowOnlyWhenPresent() throws {
        #expect(try Fixture.small().digest == "sha256:6970a87acaa41bb6d9616dff8af849b8493e371f162e4ebc9d33e535d4f2928d")
        let without = try Self.loader.bundle(Self.loader.versionOne), until31 = try Self.withWindow("2027-01-31"),
            quoted = try Self.withWindow("\"2027-01-31\""), until28 = try Self.withWindow("2027-02-28")
        defer { without.remove(); until31.remove(); quoted.remove(); until28.remove() }
        let bundles = try [without, until31, quoted, until28].map { try BundleLoader.load(directory: $0.url) }
        let digests = bundles.map(\.digest)
        #expect(!BundleDigest.canonicalForm(of: bundles[0]).serialized.contains("recordable-until"))
        #expect(BundleDigest.canonicalForm(of: bundles[1]).serialized.contains("\"recordable-until\":\"2027-01-31\""))
        #expect(digests[0] != digests[1], "a window added changes the digest")
        #expect(digests[1] == digests[2], "quoted or plain, the same day")
        #expect(digests[1] != digests[3], "a window moved changes the digest")
        #expect(digests[0] != digests[3])
    }
}

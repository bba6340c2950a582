import Foundation
import Testing
@testable import PolicyEngine

/// A county retires a template it no longer uses with `recordable-until: YYYY-MM-DD` on its current version (the last
/// Berlin day a declaration signed on it is recorded), instead of deleting it, which would invalidate its consents. The
/// loader reads it as on an earlier version, reports a bad day at its place, refuses an earlier version's window that
/// ends after the template's own last day, and the digest covers it only when it is set. Before, the key was refused on
/// the current version (`only an earlier version has a recording window`), so there was no way to retire a template.
@Suite struct RetiredTemplateLoaderTests {
    static let loader = EarlierTemplateVersionsLoaderTests.self

    /// The small fixture with `t` (version 2) retired after `value`, written on the line after `max-validity`.
    static func retired(_ value: String, extra: [(String, String)] = []) throws -> TempBundle {
        try TempBundle(replacing: [("    max-validity: P1Y\n", "    max-validity: P1Y\n    recordable-until: \(value)\n")] + extra)
    }

    @Test(arguments: [("2027-01-31", "2027-01-31"), ("\"2022-12-31\"", "2022-12-31"), ("2028-02-29", "2028-02-29")])
    func aLastDayLoadsOnTheCurrentVersion(_ written: String, _ day: String) throws {
        let b = try Self.retired(written)
        defer { b.remove() }
        #expect(b.problems.isEmpty, "\(b.problems)")
        let t = try #require(try BundleLoader.load(directory: b.url).template("t"))
        #expect(t.version == 2)
        #expect(t.recordableUntil == UTCDay.parse(day))
    }

    /// Retired counts Berlin days: the whole of the last day (to 22:59:59Z in winter) is not retired yet.
    @Test(arguments: [("2022-12-31T22:59:59Z", false), ("2022-12-31T23:00:00Z", true), ("2022-06-30T21:59:59Z", false),
                      ("2026-12-06T10:00:00Z", true)])
    func retiredAfterTheLastBerlinDay(_ time: String, _ retired: Bool) throws {
        var t = ConsentTemplate(id: "t", version: 1, texts: ["de": "x"], minimumAge: 16, maxValidity: ISODuration(years: 1), clauses: [])
        let at = try #require(ISO8601DateFormatter().date(from: time))
        #expect(!t.isRetired(at: at), "without recordable-until a template is never retired")
        t.recordableUntil = UTCDay.parse("2022-12-31")
        #expect(t.isRetired(at: at) == retired)
    }

    @Test(arguments: [("31.12.2022", "is not a date of the form YYYY-MM-DD", "ist kein Datum der Form JJJJ-MM-TT"),
                      ("2022-02-30", "`2022-02-30` is not a day of the calendar", "`2022-02-30` ist kein Kalendertag"),
                      ("2022-12-31T00:00:00Z", "is not a date of the form YYYY-MM-DD", "ist kein Datum der Form JJJJ-MM-TT")])
    func aBadDayIsAnErrorAtItsPlace(_ value: String, _ english: String, _ german: String) throws {
        let b = try Self.retired(value)
        defer { b.remove() }
        let problems = b.problems
        #expect(problems.count == 1, "\(problems)")
        let p = try #require(problems.first)
        #expect(p.code == "invalid-value")
        #expect(p.message.en.contains("consent-templates.t.recordable-until: ") && p.message.en.contains(english), "\(p.message.en)")
        #expect(p.message.de.contains(german), "\(p.message.de)")
        let lines = try b.policyText().components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.hasPrefix("    recordable-until:") }) + 1
        #expect(p.location?.line == line && p.location?.column == 23, "\(p)")
    }

    /// An earlier version's window may not end after the template's own last day (the old wording would stay recordable
    /// after the template was retired); ending on it or before is fine. The other template checks still run.
    @Test(arguments: [("2027-02-01", false), ("2027-01-31", true), ("2026-12-31", true)])
    func anEarlierWindowEndsByTheTemplatesLastDay(_ window: String, _ accepted: Bool) throws {
        let b = try Self.loader.bundle(Self.loader.versionOne + ["        recordable-until: \(window)"])
        defer { b.remove() }
        var text = try b.policyText()
        text = text.replacingOccurrences(of: "    max-validity: P1Y\n", with: "    max-validity: P1Y\n    recordable-until: 2027-01-31\n")
        try b.write("policy.yaml", text)
        let problems = b.problems
        if accepted {
            #expect(problems.isEmpty, "\(problems)")
        } else {
            #expect(problems.count == 1, "\(problems)")
            #expect(problems.first?.message.en.contains("consent-templates.t.earlier-versions[0].recordable-until: 2027-02-01 lies after the template's own last day (consent-templates.t.recordable-until: 2027-01-31)") == true,
                    "\(problems)")
            #expect(problems.first?.message.de.contains("liegt nach dem letzten Tag der Vorlage selbst") == true)
        }
    }

    /// Retiring keeps the other template checks: a missing German text is still reported beside a valid day.
    @Test func theOtherChecksStillRun() throws {
        let b = try Self.retired("2027-01-31", extra: [("{de: {file: texts/t.de.md}, en: {file: texts/t.en.md}}", "{en: {file: texts/t.en.md}}")])
        defer { b.remove() }
        #expect(b.problems.map(\.code) == ["missing-key"], "\(b.problems)")
    }

    /// The digest: without the key every bundle keeps its digest (the small fixture's pin, no `recordable-until` member);
    /// a template retired, or its day moved, changes it; quoted or plain, the same day gives the same digest.
    @Test func theDigestCoversTheLastDayOnlyWhenSet() throws {
        #expect(try Fixture.small().digest == "sha256:6970a87acaa41bb6d9616dff8af849b8493e371f162e4ebc9d33e535d4f2928d")
        let without = try TempBundle(), retired = try Self.retired("2027-01-31"), quoted = try Self.retired("\"2027-01-31\""),
            moved = try Self.retired("2027-02-28")
        defer { without.remove(); retired.remove(); quoted.remove(); moved.remove() }
        let bundles = try [without, retired, quoted, moved].map { try BundleLoader.load(directory: $0.url) }
        #expect(!BundleDigest.canonicalForm(of: bundles[0]).serialized.contains("recordable-until"))
        #expect(BundleDigest.canonicalForm(of: bundles[1]).serialized.contains("\"recordable-until\":\"2027-01-31\""))
        #expect(bundles[0].digest == (try Fixture.small().digest))
        #expect(bundles[0].digest != bundles[1].digest, "a template retired changes the digest")
        #expect(bundles[1].digest == bundles[2].digest)
        #expect(bundles[1].digest != bundles[3].digest, "a last day moved changes the digest")
    }
}

import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` on a template retired (`recordable-until` on its current version): set, moved or removed, it is
/// reported in words as the template retired, its last day moved, its retirement withdrawn, in text and JSON
/// (`recording-windows-changed` with `current: true`), never as a change of the wording (no warning). Before, such a
/// bundle did not load, and a window compared only earlier versions.
@Suite struct TemplateDiffRetiredTemplateTests {
    /// The small fixture's `t` (version 2), retired after `day` when given.
    static func bundle(retiredAfter day: String?) throws -> TempBundle {
        try TempBundle(replacing: day.map { [("    max-validity: P1Y\n", "    max-validity: P1Y\n    recordable-until: \($0)\n")] } ?? [])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String?
        var new: String?
        var english: String
        var german: String
        var json: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "retired", old: nil, new: "2027-01-31",
             english: "\nTemplate t: changed; version 2 unchanged\n    template retired (current version 2, recordable-until 2027-01-31): new consents are recorded on it only when signed by 2027-01-31 (a day in Europe/Berlin); after that it is no longer offered — consents already given stay valid; the wording does not change\n",
             german: "    Vorlage stillgelegt (aktuelle Version 2, recordable-until 2027-01-31): neue Einwilligungen werden auf ihr nur noch aufgenommen, wenn sie bis 2027-01-31 (Tag in Europe/Berlin) unterschrieben wurden; danach wird sie nicht mehr angeboten — schon erteilte Einwilligungen bleiben gültig",
             json: "\"recording-windows-changed\":[{\"version\":2,\"recordable-until-before\":null,\"recordable-until-after\":\"2027-01-31\",\"current\":true}]"),
        Case(name: "last day moved", old: "2027-01-31", new: "2027-03-31",
             english: "    last recording day of the retired template (current version 2) changed: 2027-01-31 → 2027-03-31 (a day in Europe/Berlin)",
             german: "    letzter Aufnahmetag der stillgelegten Vorlage (aktuelle Version 2) geändert: 2027-01-31 → 2027-03-31 (Tag in Europe/Berlin)",
             json: "{\"version\":2,\"recordable-until-before\":\"2027-01-31\",\"recordable-until-after\":\"2027-03-31\",\"current\":true}"),
        Case(name: "retirement withdrawn", old: "2027-01-31", new: nil,
             english: "    retirement withdrawn (current version 2, recordable-until removed, was 2027-01-31): the template takes new consents again",
             german: "    Stilllegung aufgehoben (aktuelle Version 2, recordable-until entfernt, war 2027-01-31): die Vorlage nimmt wieder neue Einwilligungen auf",
             json: "{\"version\":2,\"recordable-until-before\":\"2027-01-31\",\"recordable-until-after\":null,\"current\":true}"),
    ]

    @Test(arguments: cases)
    func aRetirementIsReportedInWords(_ c: Case) throws {
        let old = try Self.bundle(retiredAfter: c.old), new = try Self.bundle(retiredAfter: c.new)
        defer { old.remove(); new.remove() }
        #expect(old.problems.isEmpty && new.problems.isEmpty, "\(old.problems) \(new.problems)")
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
        #expect(!diff.isEmpty)
        let change = try #require(diff.templates.changes.first { $0.template == "t" })
        #expect(change.recordingWindowsChanged == [TemplateDiff.RecordingWindowChange(
            version: 2, before: c.old.flatMap(UTCDay.parse), after: c.new.flatMap(UTCDay.parse), current: true)])
        #expect(!change.changedUnderSameVersion && change.earlierVersionsChanged.isEmpty)
        let en = diff.text(in: .en), de = diff.text(in: .de)
        #expect(en.contains(c.english), "\(en)")
        #expect(de.contains(c.german), "\(de)")
        #expect(!en.contains("WARNING") && !de.contains("WARNUNG"), "\(en)")
        #expect(diff.json().serialized.contains(c.json), "\(diff.json().serialized)")
    }

    /// A retired template bumped, keeping the retired version with the same last day under `earlier-versions`: that
    /// version's day is no change (compared by version, current or earlier); the bump is reported as before.
    @Test func aRetiredVersionKeptWithItsDayIsNoWindowChange() throws {
        let old = try Self.bundle(retiredAfter: "2027-01-31")
        let new = try TemplateDiffEarlierVersionsTests.bundle(bump: true, earlier: TemplateDiffEarlierVersionsTests.versionTwo
                                                              + ["        recordable-until: 2027-01-31"])
        defer { old.remove(); new.remove() }
        #expect(new.problems.isEmpty, "\(new.problems)")
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
        let change = try #require(diff.templates.changes.first)
        #expect(change.recordingWindowsChanged.isEmpty, "\(change.recordingWindowsChanged)")
        #expect(change.versionChanged && change.earlierVersionsAdded == [2])
    }
}

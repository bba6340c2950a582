import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` on an earlier version's recording window (`recordable-until`): added, removed or moved, it is reported
/// as a change of the recording window, in text and JSON, and never as a change of the version under its number (no
/// warning: consents already signed on it read the same wording).
@Suite struct TemplateDiffRecordingWindowTests {
    static let versionOne = EarlierTemplateVersionsLoaderTests.versionOne
    static let versionTwo = TemplateDiffEarlierVersionsTests.versionTwo

    static func window(_ day: String) -> [String] { versionOne + ["        recordable-until: \(day)"] }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var oldBump = false
        var oldEarlier: [String]
        var newBump = false
        var newEarlier: [String]
        var english: [String]
        var german: [String]
        var json: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a window added", oldEarlier: versionOne, newEarlier: window("2027-01-31"),
             english: ["\nTemplate t: changed; version 2 unchanged\n    earlier versions still kept: 1\n    version 1 recordable-until added: paper declarations signed on it by 2027-01-31 (a day in Europe/Berlin) may still be recorded on it — a change of the recording window, not of the wording; consents already given are unaffected\n"],
             german: ["    Version 1 recordable-until neu: darauf bis 2027-01-31 (Tag in Europe/Berlin) unterschriebene Papiererklärungen dürfen noch auf ihr aufgenommen werden — eine Änderung des Aufnahmefensters, nicht des Wortlauts"],
             json: "\"recording-windows-changed\":[{\"version\":1,\"recordable-until-before\":null,\"recordable-until-after\":\"2027-01-31\"}]"),
        Case(name: "a window removed", oldEarlier: window("2027-01-31"), newEarlier: versionOne,
             english: ["    version 1 recordable-until removed (was 2027-01-31): no new consent is recorded on it any more — a change of the recording window, not of the wording"],
             german: ["    Version 1 recordable-until entfernt (war 2027-01-31): auf ihr werden keine neuen Einwilligungen mehr aufgenommen"],
             json: "\"recording-windows-changed\":[{\"version\":1,\"recordable-until-before\":\"2027-01-31\",\"recordable-until-after\":null}]"),
        Case(name: "a window moved", oldEarlier: window("2027-01-31"), newEarlier: window("2027-03-31"),
             english: ["    version 1 recordable-until changed: 2027-01-31 → 2027-03-31 (a day in Europe/Berlin) — a change of the recording window"],
             german: ["    Version 1 recordable-until geändert: 2027-01-31 → 2027-03-31 (Tag in Europe/Berlin) — eine Änderung des Aufnahmefensters"],
             json: "\"recording-windows-changed\":[{\"version\":1,\"recordable-until-before\":\"2027-01-31\",\"recordable-until-after\":\"2027-03-31\"}]"),
        Case(name: "a bump keeping the old version with a window", oldEarlier: [], newBump: true,
             newEarlier: versionTwo + ["        recordable-until: 2027-01-31"],
             english: ["    earlier versions newly kept: 2 (consents given on them stay valid and are read against that version)\n    version 2 recordable-until added: paper declarations signed on it by 2027-01-31"],
             german: ["    Version 2 recordable-until neu: darauf bis 2027-01-31"],
             json: "\"earlier-versions-changed\":[],\"recording-windows-changed\":[{\"version\":2,\"recordable-until-before\":null,\"recordable-until-after\":\"2027-01-31\"}]"),
    ]

    @Test(arguments: cases)
    func aWindowChangeIsReportedApart(_ c: Case) throws {
        let b = TemplateDiffEarlierVersionsTests.self
        let old = try b.bundle(bump: c.oldBump, earlier: c.oldEarlier), new = try b.bundle(bump: c.newBump, earlier: c.newEarlier)
        defer { old.remove(); new.remove() }
        #expect(old.problems.isEmpty && new.problems.isEmpty, "\(old.problems) \(new.problems)")
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
        let change = try #require(diff.templates.changes.first { $0.template == "t" })
        #expect(change.recordingWindowsChanged.count == 1)
        // Not a change of the version's content: no warning, nothing under its number.
        #expect(change.earlierVersionsChanged.isEmpty && diff.templates.earlierChangedUnderSameVersion.isEmpty)
        let en = diff.text(in: .en), de = diff.text(in: .de)
        for line in c.english { #expect(en.contains(line), "\(en)") }
        for line in c.german { #expect(de.contains(line), "\(de)") }
        #expect(!en.contains("WARNING") && !de.contains("WARNUNG"), "\(en)")
        let json = diff.json().serialized
        #expect(json.contains(c.json), "\(json)")
    }

    /// A window moved together with a changed wording: both are reported, each as what it is.
    @Test func aWindowMovedWithTheWordingChanged() throws {
        let b = TemplateDiffEarlierVersionsTests.self
        let reworded = Self.window("2027-03-31").map { $0.replacingOccurrences(of: "categories: [contact]}", with: "categories: [contact, identity]}") }
        let old = try b.bundle(earlier: Self.window("2027-01-31")), new = try b.bundle(earlier: reworded)
        defer { old.remove(); new.remove() }
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
        let change = try #require(diff.templates.changes.first)
        #expect(change.recordingWindowsChanged == [TemplateDiff.RecordingWindowChange(version: 1, before: UTCDay.parse("2027-01-31"),
                                                                                      after: UTCDay.parse("2027-03-31"))])
        #expect(change.earlierVersionsChanged.map { $0.after?.version } == [1])
        let en = diff.text(in: .en)
        #expect(en.contains("version 1 changed under the same number — WARNING: the scope of clause basic"), "\(en)")
        #expect(en.contains("version 1 recordable-until changed: 2027-01-31 → 2027-03-31"), "\(en)")
    }

    /// The same window on both sides adds nothing.
    @Test func anUnchangedWindowChangesNothing() throws {
        let b = TemplateDiffEarlierVersionsTests.self
        let old = try b.bundle(earlier: Self.window("2027-01-31")), new = try b.bundle(earlier: Self.window("2027-01-31"))
        defer { old.remove(); new.remove() }
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
        #expect(diff.templates.changes.isEmpty && diff.isEmpty)
    }
}

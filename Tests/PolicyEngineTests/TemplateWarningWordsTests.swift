import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// The template warnings of `policy diff`, as a DPO reads them (found in a review of policy authoring): German grammar
/// after a plural, what a removed clause does to the consents that name it, a remedy that keeps consents valid
/// (`earlier-versions`), and a version that went down, whose advice the loader must accept.
@Suite struct TemplateWarningWordsTests {
    @Test func aRemovedClauseSaysItsConsentsBecomeInvalidAsAWhole() throws {
        let changed = try TempBundle(replacing: [("      - {id: religion-plain, partners: [agency], purposes: [help], categories: [religion]}\n", "")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(de.contains("aber entfallene Klauseln (religion-plain) haben sich geändert."), "\(de)")
        #expect(de.contains("Eine Einwilligung auf Version 2, die eine entfallene Klausel (religion-plain) nennt, ist damit als Ganzes ungültig (consent-invalid), auch für alle anderen Stellen, die sie abdeckt."), "\(de)")
        #expect(de.contains("Version 2 in ihrer ausgegebenen Fassung unter `earlier-versions` behalten (so bleiben die darauf erteilten Einwilligungen gültig)"), "\(de)")
        #expect(en.contains("is then invalid as a whole (consent-invalid), also for every other partner it covers."), "\(en)")
    }

    @Test func aVersionThatWentDownIsAdvisedAHigherOne() throws {
        let changed = try TempBundle(replacing: [("  t:\n    version: 2\n", "  t:\n    version: 1\n")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(de.contains("Vorlage t geht von Version 2 auf 1 zurück"), "\(de)")
        #expect(de.contains("Eine Version kann nur steigen: Version 2 beibehalten, oder eine neue Fassung als Version 3 ausgeben"), "\(de)")
        #expect(en.contains("A version can only go up: keep version 2, or issue new wording as version 3"), "\(en)")
        #expect(!de.contains("2 mit unveränderter Fassung unter `consent-templates.t.earlier-versions` behalten."), "the advice the loader refuses")
    }
}

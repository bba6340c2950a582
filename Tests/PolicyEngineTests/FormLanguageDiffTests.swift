import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` shows what a change did to the county's wording of the printed declaration (`form-languages`): a DPO
/// reviews it like a template's wording, since it is what a person reads before signing. Before, such a change moved
/// the digest while the diff said "no change to what is released" and nothing else.
@Suite struct FormLanguageDiffTests {
    static func policy(_ replacements: [(String, String)] = [], withWording: Bool = true, language: String = "ar") throws -> (TempBundle, CompiledPolicy) {
        let b = try FormLanguageLoaderTests.bundle(replacements, language: language)
        if !withWording { try FileManager.default.removeItem(at: b.url.appendingPathComponent("form-languages.yaml")) }
        return (b, try CompiledPolicy.load(directory: b.url))
    }

    @Test func aLanguageAddedAndRemovedIsNamed() throws {
        let (b1, without) = try Self.policy(withWording: false)
        let (b2, with) = try Self.policy()
        defer { b1.remove(); b2.remove() }
        let added = PolicyDiff(old: without, new: with)
        #expect(!added.isEmpty)
        #expect(added.formLanguages.added == ["ar"] && added.formLanguages.removed.isEmpty)
        #expect(added.text(in: .en).contains("The printed declaration's wording (form-languages):\n    added: ar\n"))
        #expect(added.text(in: .de).contains("Rahmentext der gedruckten Erklärung (form-languages):\n    neu: ar\n"))
        let removed = PolicyDiff(old: with, new: without)
        #expect(removed.formLanguages.removed == ["ar"])
        #expect(removed.text(in: .en).contains("    removed: ar. The declaration no longer prints in these languages"))
        #expect(PolicyDiff(old: with, new: with).formLanguages.isEmpty)
    }

    @Test func theChangedPartsAreNamed() throws {
        // Under `tr`, which the loader lets change direction (for `ar` it insists on `rtl`).
        let (b1, before) = try Self.policy(language: "tr")
        let (b2, after) = try Self.policy([("تاريخ الميلاد", "تاريخ الولادة"), ("direction: rtl", "direction: ltr"),
                                           ("P2Y: \"سنتين\"", "P2Y: \"عامين\""), ("en: Arabic}", "en: Arabic (standard)}")], language: "tr")
        defer { b1.remove(); b2.remove() }
        let diff = PolicyDiff(old: before, new: after)
        #expect(diff.formLanguages.changed == [FormLanguageDiff.Change(code: "tr", texts: [.birthDate], name: true, rightToLeft: false,
                                                                       durations: ["P2Y"], names: [])])
        #expect(diff.text(in: .en).contains("    tr: changed: texts birth-date; name; now left to right; durations P2Y. Blank forms and copies of consents already signed show the new wording from then on"))
        #expect(diff.text(in: .de).contains("    tr: geändert: Texte birth-date; Name; jetzt von links nach rechts; Dauern P2Y. Leere Formulare und Abschriften"))
        let json = diff.json().serialized
        #expect(json.hasSuffix(#""form-languages":{"added":[],"removed":[],"changed":[{"language":"tr","texts":["birth-date"],"name":true,"direction":"ltr","durations":["P2Y"],"names":[]}]}}"#), "\(json)")
    }
}

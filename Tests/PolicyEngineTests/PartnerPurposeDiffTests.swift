import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` names what changed about partners and purposes themselves, and warns first when a partner's drive
/// folder changed: found in a review of policy authoring, where two partners' folders swapped sent one agency's export
/// into the other's folder while the diff said "no change".
@Suite struct PartnerPurposeDiffTests {
    @Test func swappedFoldersAreWarnedAboutFirst() throws {
        let changed = try TempBundle(replacing: [("office: {name: {de: Amt, en: Office}, folder: Amt}", "office: {name: {de: Amt, en: Office}, folder: Agentur_1}"),
                                                 ("agency: {name: {de: Agentur, en: Agency}, folder: Agentur_1}", "agency: {name: {de: Agentur, en: Agency}, folder: Amt}")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        #expect(!diff.isEmpty && diff.changes.isEmpty, "the rules release the same, but the bundle differs")
        #expect(diff.partnersAndPurposes.changedPartners.map(\.id) == ["agency", "office"])
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(!de.contains("Keine Änderung") && !en.contains("No change"), "\(de)")
        let warning = "WARNUNG: Die Exporte an Amt (office) gehen künftig in den Laufwerksordner „Agentur_1“ statt „Amt“"
        #expect(de.contains(warning), "\(de)")
        #expect(de.range(of: warning)!.lowerBound < de.range(of: "Die Regeln geben")!.lowerBound, "the warning comes first")
        #expect(en.contains("WARNING: the exports to Agency (agency) go to the drive folder “Amt” from now on, not “Agentur_1”"), "\(en)")
        #expect(de.contains("    geändert: office: Laufwerksordner „Amt“ → „Agentur_1“"), "\(de)")
        let json = diff.json().serialized
        #expect(json.contains(#""folder-changed":true"#), "\(json)")
        #expect(diff.sendsMore && diff.wider.isEmpty, "a moved folder fails --fail-on-wider though no field goes wider")
        #expect(!PolicyDiff(old: try Fixture.small(), new: try Fixture.small()).sendsMore)
    }

    @Test func namesLabelsAndNewPartnersAndPurposesAreListed() throws {
        let changed = try TempBundle(replacing: [
            ("office: {name: {de: Amt, en: Office}, folder: Amt}", "office: {name: {de: Amt Bonn, en: Office Bonn}, folder: Amt}\n  housing: {name: {de: Wohnungsamt, en: Housing office}, folder: Wohnen}"),
            ("help: {label: {de: Hilfe, en: Help}}", "help: {label: {de: Hilfe und Statistik, en: Help and statistics}}\n  flats: {label: {de: Wohnraum, en: Housing}}")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let p = diff.partnersAndPurposes
        #expect(p.addedPartners.map(\.id) == ["housing"] && p.addedPurposes.map(\.id) == ["flats"])
        #expect(p.changedPartners.map(\.id) == ["office"] && !p.changedPartners[0].folderChanged)
        #expect(p.changedPurposes.map(\.id) == ["help"])
        let de = diff.text(in: .de)
        #expect(de.contains("    neu: housing (Wohnungsamt; Ordner Wohnen)"), "\(de)")
        #expect(de.contains("    geändert: office: Name „Amt“ → „Amt Bonn“"), "\(de)")
        #expect(de.contains("    neu: flats (Wohnraum)") && de.contains("    geändert: help: „Hilfe“ → „Hilfe und Statistik“"), "\(de)")
        #expect(!de.contains("WARNUNG: Die Exporte"), "no folder changed")
        // Removed again, the other way round.
        let back = PolicyDiff(old: try CompiledPolicy.load(directory: changed.url), new: try Fixture.small())
        #expect(back.partnersAndPurposes.removedPartners.map(\.id) == ["housing"] && back.partnersAndPurposes.removedPurposes.map(\.id) == ["flats"])
        #expect(back.text(in: .en).contains("    removed: housing (Housing office; folder Wohnen)"))
    }

    /// A bundle changed under the same `version` gets a note: the log and the pages name a policy by its version, so the
    /// two would read alike (found in a review of policy authoring); a raised version gets none.
    @Test func aChangeUnderTheSameVersionIsNoted() throws {
        let same = try TempBundle(replacing: [("help: {label: {de: Hilfe, en: Help}}", "help: {label: {de: Hilfe neu, en: Help}}")])
        defer { same.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: same.url))
        #expect(diff.versionUnchanged)
        #expect(diff.text(in: .de).hasSuffix("\nHinweis: Der Inhalt hat sich geändert, die Version (1) aber nicht: Protokoll, Seiten und Erläuterungen nennen ein Regelwerk bei seiner Version, die beiden Fassungen läsen sich gleich. Bitte `version` in policy.yaml erhöhen.\n"), "\(diff.text(in: .de))")
        #expect(diff.json().serialized.contains(#""version-unchanged":true"#))
        let raised = try TempBundle(replacing: [("help: {label: {de: Hilfe, en: Help}}", "help: {label: {de: Hilfe neu, en: Help}}"), ("version: \"1\"", "version: \"2\"")])
        defer { raised.remove() }
        let diff2 = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: raised.url))
        #expect(!diff2.versionUnchanged && !diff2.text(in: .en).contains("Note: "))
        #expect(!PolicyDiff(old: try Fixture.small(), new: try Fixture.small()).versionUnchanged)
    }

    /// A partner id renamed (or a new agency in a removed one's folder): the new id writes to a folder that was another
    /// partner's, and that is warned about as a moved folder is. A name changed in the other language only shows both.
    @Test func aNewIdInAnOldFolderIsWarnedAbout() throws {
        let changed = try TempBundle(replacing: [("office: {name: {de: Amt, en: Office}, folder: Amt}", "bureau: {name: {de: Amt, en: Bureau}, folder: Amt}")])
        defer { changed.remove() }
        let text = try changed.policyText().replacingOccurrences(of: "partners: [office]", with: "partners: [bureau]")
            .replacingOccurrences(of: "partner: office", with: "partner: bureau")
        try changed.write("policy.yaml", text)
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let de = diff.text(in: .de)
        #expect(de.contains("WARNUNG: Der neue Partner Amt (bureau) schreibt in den Laufwerksordner „Amt“, der bisher office gehörte"), "\(de)")

        let english = try TempBundle(replacing: [("office: {name: {de: Amt, en: Office}, folder: Amt}", "office: {name: {de: Amt, en: Public office}, folder: Amt}")])
        defer { english.remove() }
        let d2 = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: english.url))
        #expect(d2.text(in: .de).contains("geändert: office: Name „Amt“/„Office“ → „Amt“/„Public office“"), "\(d2.text(in: .de))")
    }
}

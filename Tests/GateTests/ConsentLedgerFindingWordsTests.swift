import Diagnostics
import Testing
@testable import ConsentRecords
@testable import Gate

/// What `audit verify` and the consent commands say of a changed consent row reads in one language and names the
/// right consequence (a black-box review: a changed `expires_at` was said to make the consent "found for another person
/// or not at all", and a German message about a row naming another person ended in English).
@Suite struct ConsentLedgerFindingWordsTests {
    @Test(arguments: [
        ("subject", "für eine andere Person oder gar nicht gefunden", "found for another person or not at all"),
        ("id", "für eine andere Person oder gar nicht gefunden", "found for another person or not at all"),
        ("expires_at", "einen anderen Gültigkeitszeitraum als den signierten", "another period of validity than the signed one"),
        ("granted_at", "einen anderen Gültigkeitszeitraum als den signierten", "another period of validity than the signed one"),
        ("template_version", "einer anderen Vorlage zugeordnet", "taken for another template"),
    ])
    func aChangedColumnNamesItsConsequence(_ column: String, _ german: String, _ english: String) {
        let finding = ConsentLedgerFinding.consentColumnChanged(index: 7, consentID: "c-1", column: column)
        #expect(finding.message(in: .de).contains(german), "\(finding.message(in: .de))")
        #expect(finding.message(in: .en).contains(english))
        #expect(finding.message(in: .de).contains("Spalte \(column)") && finding.message(in: .en).contains("column \(column)"))
    }

    @Test func aCorruptRowReadsInOneLanguage() {
        let e = ConsentError.corruptRow(id: "c-1", reason: LocalizedText(de: "der Datensatz nennt die Person A, das signierte Dokument B",
                                                                         en: "the row names subject A, the signed payload B"))
        #expect(e.message(in: .de) == "gespeicherter Datensatz der Einwilligung c-1 ist beschädigt: der Datensatz nennt die Person A, das signierte Dokument B")
        #expect(e.message(in: .en) == "the stored row of consent c-1 is corrupt: the row names subject A, the signed payload B")
    }
}

import Foundation
import PolicyEngine
import Testing
@testable import ConsentRecords

/// A copy of a recorded consent (`ConsentForm.recorded`): the granted clauses ticked and said so in words, the others
/// marked as not granted, case id, date, recorder, municipality and consent id printed, escaped; the blank form keeps
/// its empty boxes and lines.
@Suite struct FormCopyTests {
    static let words = ["de": ("erteilt", "nicht erteilt", "Abschrift der erfassten Einwilligung, erteilt am 2026-11-25"),
                        "en": ("granted", "not granted", "Copy of the recorded consent, granted on 2026-11-25"),
                        "uk": ("надано", "не надано", "Копія зареєстрованої згоди, наданої 2026-11-25")]

    func render(_ language: String, recorded: ConsentForm.RecordedCopy?) throws -> String {
        try ConsentForm(template: Fixture.template, language: language, partnerNames: [:], purposeNames: [:], recorded: recorded).html()
    }

    @Test(arguments: ["de", "en", "uk"])
    func aCopyTicksTheGrantedClausesAndFillsInTheRecord(_ language: String) throws {
        let granted = try #require(Fixture.template.clauses.first?.id)
        let copy = ConsentForm.RecordedCopy(consentID: "6f1c0000-0000-4000-8000-000000000001", caseID: "RSK-2022-000017",
                                            grantedOn: "2026-11-25", caseManager: "cm<017>", municipality: "Troisdorf", clauses: [granted])
        let html = try render(language, recorded: copy)
        let (yes, no, note) = try #require(Self.words[language])
        #expect(html.contains("<p class=\"copy\" id=\"copy-note\">\(note)</p>"), "\(html)")
        let marked = html.matches(of: /<div class="clause" id="clause-([^"]+)" data-granted="(true|false)"><span class="box" aria-hidden="true">(✗?)<\/span><div>\n<p class="granted">([^<]+)<\/p>/)
            .map { "\($0.1) \($0.2) \($0.3) \($0.4)" }
        #expect(marked == Fixture.template.clauses.map { c in c.id == granted ? "\(c.id) true ✗ \(yes)" : "\(c.id) false  \(no)" })
        #expect(html.contains("<span class=\"line\">RSK-2022-000017</span>"))
        #expect(html.contains("<span class=\"line\">cm&lt;017&gt;</span>") && !html.contains("cm<017>"))
        #expect(html.contains("<span class=\"line\">Troisdorf</span>"))
        #expect(html.contains("<span class=\"line\">6f1c0000-0000-4000-8000-000000000001</span>"))
    }

    @Test func theBlankFormHasEmptyBoxesAndLines() throws {
        let html = try render("de", recorded: nil)
        #expect(!html.contains("data-granted") && !html.contains("id=\"copy-note\"") && !html.contains("✗"))
        #expect(!html.contains(#/<span class="line">[^<]/#))
    }
}

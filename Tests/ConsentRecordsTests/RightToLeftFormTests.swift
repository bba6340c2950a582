import Diagnostics
import Foundation
import PolicyEngine
import TestFolders
import Testing
@testable import ConsentRecords

/// The printed declaration in a county's own language (`form-languages`), here Arabic, written right to left: the page
/// says its language and direction, the county's words stand where the built-in ones stood, and the Latin-script parts
/// inside the Arabic (German office names, English partner names, ids, dates, the template id) are kept left to right,
/// so "2026-11-25" or "RSK-2022-000017" cannot be reordered by the bidirectional algorithm. Forms in the built-in
/// languages are not changed by a county's language beside them.
@Suite struct RightToLeftFormTests {
    let folder: TemporaryDirectory
    let bundle: PolicyBundle
    let template: ConsentTemplate

    init() throws {
        folder = try TemporaryDirectory("cg-rtl-form")
        bundle = try BundleLoader.load(directory: try ArabicPolicy.make(in: folder.url))
        template = try #require(bundle.template("kim-beratung"))
    }

    func count(_ needle: String, in haystack: String) -> Int { haystack.components(separatedBy: needle).count - 1 }

    @Test func theBlankArabicFormIsWrittenRightToLeftInTheCountysWords() throws {
        let html = try ConsentForm(template: template, language: "ar", bundle: bundle).html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"))
        #expect(html.contains("<h1>إقرار بالموافقة</h1>"))
        #expect(html.contains("<h2>الموافقة على تبادل البيانات</h2>"), "the template's Arabic text")
        // The validity in the county's words for the template's P2Y, the minimum age and the footer's values isolated.
        #expect(html.contains("<p>تسري هذه الموافقة من تاريخ التوقيع لمدة أقصاها سنتين.</p>"))
        #expect(html.contains("تقل أعمارهم عن <bdi>16</bdi> عامًا"))
        #expect(html.contains("<footer>النموذج <bdi>kim-beratung</bdi>، الإصدار <bdi>\(template.version)</bdi>، اللغة <bdi>ar</bdi></footer>"))
        // The German office named in the Arabic text, the English names of partners and purposes, the German office
        // labels: each in its language and left to right.
        #expect(html.contains("<strong><span lang=\"de\" dir=\"ltr\">Jobcenter</span></strong>"), "\(html)")
        #expect(html.contains("<dt>الجهة المستلمة</dt><dd><span lang=\"en\" dir=\"ltr\">"))
        #expect(html.contains("<h2>تملؤه إدارة الحالة · <span lang=\"de\" dir=\"ltr\">Vom Fallmanagement auszufüllen</span></h2>"))
        for c in template.clauses { #expect(html.contains("<p class=\"clause-id\"><bdi>\(c.id)</bdi></p>")) }
        // No placeholder left, no built-in English or Ukrainian wording of the frame.
        for left in ["%@", "%1", "%2", "%3", "Declaration of consent", "Your rights", "Заява про згоду"] {
            #expect(!html.contains(left), "found \(left)")
        }
    }

    @Test func anArabicCopyIsolatesItsValues() throws {
        let clause = try #require(template.clauses.first?.id)
        let copy = ConsentForm.RecordedCopy(consentID: "6f1c0000-0000-4000-8000-000000000001", caseID: "RSK-2022-000017",
                                            grantedOn: "2026-11-25", caseManager: "cm<017>", municipality: "Troisdorf",
                                            clauses: [clause], withdrawnOn: "2026-12-01 10:00")
        let html = try ConsentForm(template: template, language: "ar", bundle: bundle, recorded: copy).html()
        #expect(html.contains("<p class=\"copy\" id=\"copy-note\">نسخة من الموافقة المسجّلة، الممنوحة في <bdi>2026-11-25</bdi></p>"))
        #expect(html.contains("سُحبت الموافقة بكاملها في <bdi>2026-12-01 10:00</bdi>."))
        #expect(html.contains("<p class=\"granted\">ممنوحة، وسُحبت في <bdi>2026-12-01 10:00</bdi></p>"))
        #expect(html.contains("<p class=\"granted\">غير ممنوحة</p>"))
        for value in ["RSK-2022-000017", "cm&lt;017&gt;", "Troisdorf", "6f1c0000-0000-4000-8000-000000000001"] {
            #expect(html.contains("<span class=\"line\"><bdi>\(value)</bdi></span>"), "\(value)")
        }
        #expect(!html.contains("cm<017>"))
    }

    /// A county's language beside them changes nothing in the built-in languages' forms: they print as from the shipped
    /// policy, with no `dir` and no `<bdi>` (that they print as before this feature, `FormLanguageCLITests` pins).
    @Test(arguments: ["de", "en", "uk"])
    func theBuiltInLanguagesPrintAsBefore(_ language: String) throws {
        let shipped = try BundleLoader.load(directory: ArabicPolicy.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"))
        let plain = try #require(shipped.template("kim-beratung"))
        let before = try ConsentForm(template: plain, language: language, bundle: shipped).html()
        let now = try ConsentForm(template: template, language: language, bundle: bundle).html()
        #expect(now == before)
        #expect(!now.contains("dir=") && !now.contains("<bdi>"))
    }

    @Test func aLanguageWithoutWordingIsRefusedNamingTheCountysToo() throws {
        var t = template
        t.texts["fa"] = "متن"
        #expect(throws: ConsentError.formLanguageUnsupported(language: "fa", supported: ["ar", "de", "en", "uk"])) {
            try ConsentForm(template: t, language: "fa", bundle: bundle).html()
        }
        let message = ConsentError.formLanguageUnsupported(language: "fa", supported: ["ar", "de", "en", "uk"]).message(in: .en)
        #expect(message.contains("form-languages") && message.contains("consentgate consent form-language"))
    }

    /// The built-in English wording written as policy YAML (`consent form-language`) under another code loads back and
    /// prints the same form: every text lands where the built-in one stood (the key table is complete and in place).
    /// (Not from German: a German form neither marks German names nor repeats the office box in German.)
    @Test(arguments: ["en", "uk"])
    func theBuiltInWordingAsYAMLPrintsTheSameForm(_ source: String) throws {
        let wording = try #require(ConsentForm.builtInWording(source, durations: [template.maxValidity]))
        var copy = wording
        copy.code = "xx"
        let policy = try ArabicPolicy.make(in: folder.url, name: "policy-xx")
        try Data(FormLanguageYAML.text(of: copy, translatedFrom: source).utf8).write(to: policy.appendingPathComponent("form-languages.yaml"))
        var text = try String(contentsOf: policy.appendingPathComponent("consent-templates.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "      ar: {file: texts/kim-beratung.ar.md}\n", with: "      xx: {file: texts/kim-beratung.\(source).md}\n")
        try Data(text.utf8).write(to: policy.appendingPathComponent("consent-templates.yaml"))
        let xxBundle = try BundleLoader.load(directory: policy)
        let xxTemplate = try #require(xxBundle.template("kim-beratung"))
        // A blank form and two copies (one with a line withdrawn, one withdrawn whole): every text of the wording prints.
        let clauses = xxTemplate.clauses.map(\.id)
        let lines = ConsentForm.RecordedCopy(consentID: "c-1", caseID: "RSK-1", grantedOn: "25.11.2026", caseManager: "cm", municipality: "Troisdorf",
                                             clauses: Set(clauses.prefix(2)), withdrawnClauses: [clauses[0]: "01.12.2026 11:00"])
        var whole = lines
        whole.withdrawnOn = "02.12.2026 12:00"
        func all(_ code: String) throws -> String {
            try [nil, lines, whole].map { try ConsentForm(template: xxTemplate, language: code, bundle: xxBundle, recorded: $0).html() }.joined()
        }
        let builtIn = try all(source)
        let county = try all("xx")
        // Only the language code differs (the page's `lang`, the footer's language); the names language of `xx` is
        // English, so for German and Ukrainian the partners' names differ too, and the clauses' own wording is the
        // template's (it has none in `xx`): both are left out of the comparison.
        func frame(_ html: String, _ code: String) -> String {
            html.replacingOccurrences(of: "lang=\"\(code)\"", with: "lang=\"?\"").replacingOccurrences(of: ", \(code)</footer>", with: ", ?</footer>")
                .replacingOccurrences(of: "\(code)</footer>", with: "?</footer>")
                .replacing(#/<dd>.*?</dd>/#, with: "<dd/>").replacing(#/<span lang="[a-z?]+">/#, with: "<span>")
                .replacing(#/<p class="wording">.*?</p>\n/#, with: "")
        }
        #expect(frame(county, "xx") == frame(builtIn, source))
    }

    /// A county's wording for a built-in language replaces the built-in one (a Ukrainian text its own translator reviewed).
    @Test func aCountysWordingReplacesABuiltInOne() throws {
        var uk = try #require(ConsentForm.builtInWording("uk", durations: [template.maxValidity]))
        uk.texts[.title] = "Заява про згоду (перевірено)"
        let policy = try ArabicPolicy.make(in: folder.url, name: "policy-uk")
        try Data(FormLanguageYAML.text(of: uk).utf8).write(to: policy.appendingPathComponent("form-languages.yaml"))
        let reviewed = try BundleLoader.load(directory: policy)
        let html = try ConsentForm(template: try #require(reviewed.template("kim-beratung")), language: "uk", bundle: reviewed).html()
        #expect(html.contains("<h1>Заява про згоду (перевірено)</h1>"))
    }
}

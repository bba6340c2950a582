import Diagnostics
import Foundation
import PolicyEngine
import TestFolders
import Testing
@testable import ConsentRecords

/// The printed declaration names recipients, purposes and kinds of data in the person's language where the policy gives
/// those names (`form-languages.<code>.names`). A page probe found the Ukrainian declaration listing "Jobcentre",
/// "Job placement and basic income support" and "Health" in English under each tick box: the person could read the
/// frame, not whom they let their data go to (GDPR Art. 7(2)). The shipped policy gives Ukrainian names; a name the
/// policy does not give is printed in English, marked as such.
@Suite struct FormNamesTests {
    static var shipped: PolicyBundle {
        get throws { try BundleLoader.load(directory: ArabicPolicy.packageRoot.appendingPathComponent("policies/kim-rhein-sieg")) }
    }

    @Test func theUkrainianDeclarationNamesEveryRecipientPurposeAndKindOfDataInUkrainian() throws {
        let bundle = try Self.shipped
        let template = try #require(bundle.template("kim-beratung"))
        let html = try ConsentForm(template: template, language: "uk", bundle: bundle).html()
        let uk = try #require(bundle.formLanguage("uk")).names
        #expect(uk.partners["jobcenter"] == "Джобцентр (Jobcenter)")
        // The Jobcenter's line: its Ukrainian name with the German office name marked, purposes and data in Ukrainian.
        let clause = try #require(template.clauses.first { $0.id == "jobcenter" })
        let block = try #require(html.components(separatedBy: "id=\"clause-jobcenter\"").dropFirst().first?.components(separatedBy: "</dl>").first)
        #expect(block.contains("<dd>Джобцентр (<span lang=\"de\">Jobcenter</span>)</dd>"), "\(block)")
        #expect(block.contains("<dd>\(try #require(uk.purposes["job-placement"]))</dd>"))
        let categories = clause.categories.map { uk.categories[$0] ?? "?" }.joined(separator: ", ")
        #expect(block.contains("<dd>\(categories)</dd>"), "\(block)")
        // Every line of the template: no English name left, no `lang="en"` anywhere in the clause lists.
        let lists = html.components(separatedBy: "<dl>").dropFirst().map { $0.components(separatedBy: "</dl>")[0] }
        #expect(lists.count == template.clauses.count)
        for list in lists { #expect(!list.contains("lang=\"en\""), "\(list)") }
        for english in bundle.partners.map(\.name.en) + bundle.purposes.map(\.label.en) { #expect(!html.contains("<dd>\(english)")) }
    }

    /// German and English forms keep the bundle's own names.
    @Test(arguments: [("de", "Jobcenter", "Arbeitsvermittlung und Grundsicherung"), ("en", "Jobcentre", "Job placement and basic income support")])
    func germanAndEnglishFormsUseTheBundlesNames(_ language: String, _ partner: String, _ purpose: String) throws {
        let bundle = try Self.shipped
        let html = try ConsentForm(template: try #require(bundle.template("kim-beratung")), language: language, bundle: bundle).html()
        let block = try #require(html.components(separatedBy: "id=\"clause-jobcenter\"").dropFirst().first?.components(separatedBy: "</dl>").first)
        #expect(block.contains("<dd>\(partner)</dd>") && block.contains("<dd>\(purpose)</dd>"), "\(block)")
    }

    /// A county language that names some things only: those in Arabic, the rest in English, each run marked English and
    /// left to right (before, the whole list was one English run).
    @Test func aLanguageGivingSomeNamesMarksTheOthersEnglish() throws {
        let folder = try TemporaryDirectory("cg-form-names")
        let policy = try ArabicPolicy.make(in: folder.url)
        let file = policy.appendingPathComponent(ArabicPolicy.wordingFile)
        try Data((try String(contentsOf: file, encoding: .utf8) + "    names:\n      partners: {jobcenter: \"مركز التوظيف\"}\n"
                  + "      categories: {identity: \"الهوية\", address: \"العنوان\"}\n").utf8).write(to: file)
        let bundle = try BundleLoader.load(directory: policy)
        let template = try #require(bundle.template("kim-beratung"))
        let html = try ConsentForm(template: template, language: "ar", bundle: bundle).html()
        let block = try #require(html.components(separatedBy: "id=\"clause-jobcenter\"").dropFirst().first?.components(separatedBy: "</dl>").first)
        #expect(block.contains("<dd>مركز التوظيف</dd>"), "\(block)")
        #expect(block.contains("<dd><span lang=\"en\" dir=\"ltr\">Job placement and basic income support</span></dd>"), "\(block)")
        // case-admin (English), identity and address (Arabic), then the rest (English), in the clause's order.
        let clause = try #require(template.clauses.first { $0.id == "jobcenter" })
        #expect(Array(clause.categories.prefix(3)) == ["case-admin", "identity", "address"])
        #expect(block.contains("<dd><span lang=\"en\" dir=\"ltr\">Case administration</span>, الهوية, العنوان, <span lang=\"en\" dir=\"ltr\">Contact, "), "\(block)")
        // What a translator starts from names everything, in the language started from.
        let start = ConsentForm.names(in: "ar", bundle: bundle)
        #expect(start.partners["jobcenter"] == "مركز التوظيف" && start.partners["jugendamt"] == "Youth welfare office")
        #expect(start.categories.count == bundle.categories.count && start.purposes.count == bundle.purposes.count)
        #expect(ConsentForm.names(in: "de", bundle: bundle).partners["auslaenderbehoerde"] == "Ausländerbehörde")
    }
}

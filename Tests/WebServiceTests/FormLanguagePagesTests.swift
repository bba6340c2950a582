import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
import TestFolders
@testable import WebService

/// The pages on a policy that gives the printed declaration's wording in Arabic (`form-languages`, written right to
/// left; `ArabicPolicy`): the recording page links the Arabic declaration by the name the policy gives the language,
/// the declaration (page and API) prints `<html lang="ar" dir="rtl">` under the same CSP as the other languages, and a
/// consent recorded in Arabic names its language so. A template text in a language the policy has no wording for
/// (`tr`) is named below the print links instead of linked, and asking for its declaration is a 422 that names the
/// languages there are and `form-languages`, never a 500.
@Suite struct FormLanguagePagesTests {
    /// A gate on the fixture's database (its accounts) over the policy folder `policy`.
    static func gate(_ fixture: WebFixture, policy: URL) throws -> Gate {
        try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                        policyDirectory: policy.path,
                                        trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
    }

    /// The application over `gate`, with the fixture's configuration.
    static func application(_ fixture: WebFixture, _ gate: Gate) -> some ApplicationProtocol {
        WebApplication.build(environment: WebEnvironment(configuration: fixture.environment.configuration, gate: gate))
    }

    /// `ArabicPolicy`'s copy with `kim-beratung` also given in Turkish, a language the policy has no wording of the
    /// printed form for.
    static func turkishPolicy(in folder: URL) throws -> URL {
        let policy = try ArabicPolicy.make(in: folder, name: "policy-ar-tr")
        let templates = policy.appendingPathComponent("consent-templates.yaml")
        var text = try String(contentsOf: templates, encoding: .utf8)
        let line = "      ar: {file: texts/kim-beratung.ar.md}\n"
        let at = try #require(text.range(of: line))
        text.replaceSubrange(at, with: line + "      tr: {file: texts/kim-beratung.tr.md}\n")
        try Data(text.utf8).write(to: templates)
        try Data("# Veri paylaşımına onay\n\nKişisel verilerimin **Jobcenter**'e iletilmesine onay veriyorum.\n".utf8)
            .write(to: policy.appendingPathComponent("texts/kim-beratung.tr.md"))
        return policy
    }

    /// The name of Arabic on the pages in each UI language: the policy's (`{de: Arabisch, en: Arabic}`) with the code.
    static let arabicNames: [(String, String)] = [("de", "Arabisch (ar)"), ("en", "Arabic (ar)")]

    @Test(arguments: arabicNames)
    func theRecordingPageLinksTheArabicDeclarationByThePolicysName(lang: String, name: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture, policy: try ArabicPolicy.make(in: fixture.directory))
        try await Self.application(fixture, gate).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/new?lang=\(lang)", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<li><a href=\"/declarations/kim-beratung?language=ar\" hreflang=\"ar\">kim-beratung – \(name)</a></li>"), "\(html)")
            #expect(html.contains("<option value=\"ar\">\(name)</option>"), "\(html)")
            // The print-only note names the address too.
            #expect(html.contains("<li>kim-beratung – \(name): /declarations/kim-beratung?language=ar</li>"), "\(html)")
            // The built-in languages keep their links; every template language is printable: no note of unprintable ones.
            for code in ["de", "en", "uk"] { #expect(html.contains("href=\"/declarations/kim-beratung?language=\(code)\""), "\(code)") }
            #expect(!html.contains("unprintable-languages"), "\(html)")
        }
    }

    @Test(arguments: ["de", "en"])
    func theArabicDeclarationPrintsRightToLeftUnderTheSameCSP(lang: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture, policy: try ArabicPolicy.make(in: fixture.directory))
        try await Self.application(fixture, gate).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            let token = try #require(fixture.tokens["caseworker"])
            let german = try await client.execute(uri: "/declarations/kim-beratung?language=de&lang=\(lang)", method: .get, headers: cookie)
            #expect(german.status == .ok)
            let csp = try #require(german.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'none'"))
            let page = try await client.execute(uri: "/declarations/kim-beratung?language=ar&lang=\(lang)", method: .get, headers: cookie)
            let api = try await client.execute(uri: "/v1/consent-templates/kim-beratung/form?language=ar&lang=\(lang)", method: .get, headers: bearer(token))
            for (what, answer) in [("page", page), ("API", api)] {
                #expect(answer.status == .ok, "\(what): \(answer.text)")
                #expect(answer.headers[.contentType] == "text/html; charset=utf-8", "\(what)")
                #expect(answer.headers[.contentSecurityPolicy] == csp, "\(what)")
                let html = answer.text
                #expect(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "\(what): \(html)")
                #expect(html.contains("<h1>إقرار بالموافقة</h1>"), "\(what): \(html)")
                #expect(html.contains("<title>إقرار بالموافقة – kim-beratung v"), "\(what): \(html)")
                #expect(html.contains("<p class=\"clause-id\"><bdi>jobcenter</bdi></p>"), "\(what): \(html)")
                #expect(html.contains("<footer>النموذج <bdi>kim-beratung</bdi>"), "\(what): \(html)")
                // The county's Arabic text of the template, not a built-in one.
                #expect(html.contains("الموافقة على تبادل البيانات"), "\(what): \(html)")
            }
            // The German declaration on the same policy stays left to right.
            #expect(german.text.contains("<html lang=\"de\">"), "\(german.text)")
            #expect(!german.text.contains("dir=\"rtl\"") && !german.text.contains("<bdi>"))
        }
    }

    @Test(arguments: [("de", "Ohne Erklärung zum Ausdrucken"), ("en", "No declaration to print")])
    func aTemplateLanguageWithoutWordingIsNamedNotLinkedAndRefusedClearly(lang: String, note: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture, policy: try Self.turkishPolicy(in: fixture.directory))
        #expect(gate.policy.bundle.template("kim-beratung")?.texts["tr"] != nil)
        try await Self.application(fixture, gate).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            let page = try await client.execute(uri: "/consents/new?lang=\(lang)", method: .get, headers: cookie)
            #expect(page.status == .ok)
            let html = page.text
            // No link and no print-only address for Turkish; Arabic is still linked.
            #expect(!html.contains("language=tr"), "\(html)")
            #expect(html.contains("href=\"/declarations/kim-beratung?language=ar\""), "\(html)")
            let start = try #require(html.range(of: "<p class=\"muted\" id=\"unprintable-languages\">"), "\(html)")
            let paragraph = String(html[start.upperBound...].prefix { $0 != "<" })
            #expect(paragraph.hasPrefix(note), "\(paragraph)")
            #expect(paragraph.contains("`form-languages`"), "\(paragraph)")
            #expect(paragraph.hasSuffix(" kim-beratung – tr"), "\(paragraph)")
            #expect(!paragraph.contains("(ar)") && !paragraph.contains("(de)"), "\(paragraph)")

            // The declaration itself: a 422 naming the languages there are and where a county adds one.
            let refused = try await client.execute(uri: "/declarations/kim-beratung?language=tr&lang=\(lang)", method: .get, headers: cookie)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains(lang == "de" ? "vorhanden: ar, de, en, uk" : "available: ar, de, en, uk"), "\(refused.text)")
            // In words for a case worker: who adds a language, not the policy file's section and an operator's command (a review).
            #expect(refused.text.contains(lang == "de" ? "Weitere Sprachen richtet die Administration in der Richtlinie ein." : "The administrator adds further languages in the policy."), "\(refused.text)")
            #expect(!refused.text.contains("`form-languages`") && !refused.text.contains("consentgate consent"), "\(refused.text)")
            #expect(refused.text.contains(lang == "de" ? "„tr“" : "“tr”"), "\(refused.text)")
            let token = try #require(fixture.tokens["caseworker"])
            let api = try await client.execute(uri: "/v1/consent-templates/kim-beratung/form?language=tr&lang=\(lang)", method: .get, headers: bearer(token))
            #expect(api.status == .unprocessableContent, "\(api.text)")
            #expect(api.errorCode == "invalid-input", "\(api.text)")
            let message = try #require(api.errorMessage, "\(api.text)")
            #expect(message.contains("\"tr\"") && message.contains("ar, de, en, uk") && message.contains("`form-languages`"), "\(message)")
        }
    }

    @Test(arguments: [("de", "<dt>Sprache der Erklärung</dt><dd>Arabisch (ar)</dd>"), ("en", "<dt>Language of the declaration</dt><dd>Arabic (ar)</dd>")])
    func aConsentRecordedInArabicNamesItsLanguage(lang: String, line: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture, policy: try ArabicPolicy.make(in: fixture.directory))
        let (consent, _) = try gate.grantConsent(GrantRequest(
            subject: Subject(id: "RSK-2022-000701", birthDate: Date(timeIntervalSince1970: 0), municipality: "Siegburg"),
            templateID: "kim-beratung", language: "ar", clauses: ["jobcenter"], grantedAt: Date().addingTimeInterval(-3_600),
            collectedBy: CaseManagerReference(caseManager: "test-caseworker", municipality: "Siegburg")),
            actor: Actor(id: "test-caseworker", municipality: "Siegburg"))
        try await Self.application(fixture, gate).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            let page = try await client.execute(uri: "/consents/\(consent.id)?lang=\(lang)", method: .get, headers: cookie)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains(line), "\(page.text)")
            // Its copy prints in Arabic, right to left, with the consent's id isolated.
            let copy = try await client.execute(uri: "/consents/\(consent.id)/declaration?lang=\(lang)", method: .get, headers: cookie)
            #expect(copy.status == .ok, "\(copy.text)")
            #expect(copy.text.contains("<html lang=\"ar\" dir=\"rtl\">"), "\(copy.text)")
            #expect(copy.text.contains("<bdi>\(consent.id)</bdi>"), "\(copy.text)")
        }
        // Withdrawn, its copy says when in digits and the offset (ConsentGate has no words in Arabic): before, the zone was
        // said in Ukrainian ("за берлінським часом").
        _ = try gate.withdrawConsent(id: consent.id, recordedBy: CaseManagerReference(caseManager: "test-caseworker", municipality: "Siegburg"),
                                     actor: Actor(id: "test-caseworker", municipality: "Siegburg"))
        try await Self.application(fixture, gate).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let copy = try await client.execute(uri: "/consents/\(consent.id)/declaration?lang=\(lang)", method: .get,
                                                headers: [.cookie: "cg_session=\(session)"])
            #expect(copy.status == .ok, "\(copy.text)")
            #expect(!copy.text.contains("берлінським"), "\(copy.text)")
            #expect(copy.text.contains(#/سُحبت الموافقة بكاملها في <bdi>\d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+0[12]:00\)</bdi>/#), "\(copy.text)")
        }
    }

    /// The DPO's policy-change page names what a change did to the declaration's wording, in the page's language and
    /// escaped (a language added, and one changed), and says nothing when the wording is the same.
    @Test(arguments: [(Diagnostics.Language.de, "Rahmentext der gedruckten Erklärung (form-languages)", "neu: ar"),
                      (.en, "The printed declaration&#39;s wording (form-languages)", "added: ar")])
    func thePolicyChangePageNamesTheWordingChanges(_ l: Diagnostics.Language, _ heading: String, _ added: String) throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let shipped = try BundleLoader.load(directory: ArabicPolicy.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"))
        let withArabic = try BundleLoader.load(directory: try ArabicPolicy.make(in: fixture.directory))
        var reworded = withArabic
        reworded.formLanguages[0].texts[.title] = "<b>إقرار</b>"
        let html = AuditPages.formLanguageSection(FormLanguageDiff(old: shipped, new: withArabic), language: l).description
        #expect(html.contains("<section id=\"form-language-changes\""), "\(html)")
        #expect(html.contains(heading) && html.contains("<li>\(added)</li>"), "\(html)")
        let changed = AuditPages.formLanguageSection(FormLanguageDiff(old: withArabic, new: reworded), language: l).description
        #expect(changed.contains(l == .de ? "<li>ar: geändert: Texte title." : "<li>ar: changed: texts title."), "\(changed)")
        #expect(AuditPages.formLanguageSection(FormLanguageDiff(old: withArabic, new: withArabic), language: l).description.isEmpty)
    }

    /// A consent recorded in a language the policy gives no wording for (a county's own paper): its page says why no copy
    /// prints instead of linking to a refusal.
    @Test(arguments: [("de", "Eine Abschrift der Erklärung lässt sich nicht drucken"), ("en", "A copy of the declaration cannot be printed")])
    func aConsentInALanguageWithoutWordingSaysWhyNoCopyPrints(lang: String, words: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture, policy: try Self.turkishPolicy(in: fixture.directory))
        let (turkish, _) = try gate.grantConsent(GrantRequest(
            subject: Subject(id: "RSK-2022-000702", birthDate: Date(timeIntervalSince1970: 0), municipality: "Siegburg"),
            templateID: "kim-beratung", language: "tr", clauses: ["jobcenter"], grantedAt: Date().addingTimeInterval(-3_600),
            collectedBy: CaseManagerReference(caseManager: "test-caseworker", municipality: "Siegburg")),
            actor: Actor(id: "test-caseworker", municipality: "Siegburg"))
        try await Self.application(fixture, gate).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/\(turkish.id)?lang=\(lang)", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"print-copy-unavailable\">\(words)") && page.text.contains("(tr)"), "\(page.text)")
            #expect(!page.text.contains("id=\"print-copy\""))
        }
    }
}

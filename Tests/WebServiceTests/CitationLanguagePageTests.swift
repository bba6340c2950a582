import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// Every page that shows a rule's citation shows it in the page's language (the shipped bundle gives its citations as
/// `{de, en}`): the referral check's result and its referral sheet, the Art. 15 report (for release decisions and for
/// export disclosures alike) and "explain again". The machine answers keep the canonical German text.
@Suite struct CitationLanguagePageTests {
    static func language(_ lang: String) -> Language { lang == "de" ? .de : .en }
    static func other(_ lang: String) -> Language { lang == "de" ? .en : .de }

    /// The row of `field` in a result table.
    static func row(_ field: String, in html: String) -> String {
        guard let start = html.range(of: "<tr data-field=\"\(field)\">") else { return "" }
        return String(html[start.lowerBound...].prefix { $0 != "\n" }.split(separator: "</tr>").first ?? "")
    }

    @Test(arguments: ["de", "en"])
    func theCheckPageAndItsReferralSheetCiteInThePagesLanguage(_ lang: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let bundle = fixture.environment.gate.policy.bundle
        let released = try #require(bundle.rule("abh-registration")), forbidden = try #require(bundle.rule("abh-no-entrusted-data"))
        // The shipped bundle gives both rules an English text of their own.
        #expect(released.citationEnglish != nil && forbidden.citationEnglish != nil)
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check?lang=\(lang)", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: form.text))
            let r = try await following(client, try await client.execute(uri: "/check?lang=\(lang)", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                body: formEncode([("_csrf", csrf), ("subject", "RSK-2026-000901"), ("birth-date", "1985-03-14"), ("partner", "auslaenderbehoerde"),
                                  ("purpose", "residence-registration"), ("fields", "name.family"), ("fields", "health.notes")])), cookie: "cg_session=\(cookie)")
            #expect(r.status == .ok, "\(r.text.suffix(800))")
            for (field, rule) in [("name.family", released), ("health.notes", forbidden)] {
                let row = Self.row(field, in: r.text)
                #expect(row.contains(HTML.escape(rule.citation(in: Self.language(lang)))), "\(row)")
                #expect(!row.contains(HTML.escape(rule.citation(in: Self.other(lang)))), "\(row)")
            }
            let index = try #require(r.text.firstMatch(of: /data-audit-index="(\d+)"/).map { String($0.1) })
            let sheet = try await client.execute(uri: "/check/\(index)/sheet.csv?lang=\(lang)", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(sheet.status == .ok)
            #expect(sheet.text.contains(released.citation(in: Self.language(lang))), "\(sheet.text)")
            #expect(!sheet.text.contains(released.citation(in: Self.other(lang))), "\(sheet.text)")
        }
    }

    /// The referral sheet of a decision names the norms of the policy the decision was made under, also after a new
    /// policy with other wording for the rule is in force: the sheet is the basis of that referral (found in this
    /// session's review; the sheet used to look the rule up in the policy in force).
    @Test(arguments: ["de", "en"])
    func theSheetCitesThePolicyTheDecisionWasMadeUnder(_ lang: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let before = try #require(fixture.environment.gate.policy.bundle.rule("abh-registration"))
        let index: String = try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: form.text))
            let r = try await following(client, try await client.execute(uri: "/check", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                body: formEncode([("_csrf", csrf), ("subject", "RSK-2026-000902"), ("birth-date", "1985-03-14"), ("partner", "auslaenderbehoerde"),
                                  ("purpose", "residence-registration"), ("fields", "name.family")])), cookie: "cg_session=\(cookie)")
            return try #require(r.text.firstMatch(of: /data-audit-index="(\d+)"/).map { String($0.1) })
        }
        // The county rewords the rule's citation in both languages: a new policy in force on the same database.
        let changed = fixture.directory.appendingPathComponent("changed-policy")
        try FileManager.default.copyItem(at: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg"), to: changed)
        let rulesFile = changed.appendingPathComponent("rules.yaml")
        let rules = try String(contentsOf: rulesFile, encoding: .utf8)
            .replacingOccurrences(of: "(Auskunft auf Ersuchen); § 24 AufenthG", with: "(Auskunft auf Ersuchen, neu gefasst); § 24 AufenthG")
            .replacingOccurrences(of: "(information on request); § 24 AufenthG", with: "(information on request, reworded); § 24 AufenthG")
        try Data(rules.utf8).write(to: rulesFile)
        let gate = try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                                   policyDirectory: changed.path,
                                                   trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        let after = try #require(gate.policy.bundle.rule("abh-registration"))
        try #require(after.citation(in: Self.language(lang)) != before.citation(in: Self.language(lang)))
        let environment = WebEnvironment(configuration: fixture.environment.configuration, gate: gate)
        try await WebApplication.build(environment: environment).test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let sheet = try await client.execute(uri: "/check/\(index)/sheet.csv?lang=\(lang)", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(sheet.status == .ok)
            #expect(sheet.text.contains(before.citation(in: Self.language(lang))), "\(sheet.text)")
            #expect(!sheet.text.contains(after.citation(in: Self.language(lang))), "\(sheet.text)")
        }
    }

    /// The Art. 15 report page names the norm of a release decision and of an export's disclosure in the page's
    /// language (a person with disclosures only, too: their entries' policy gives the English text), "explain again"
    /// the decision's; the report's JSON keeps the canonical text.
    @Test(arguments: ["de", "en"])
    func theReportAndExplainAgainCiteInThePagesLanguage(_ lang: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let subject = "RSK-2022-000901", exportedOnly = "RSK-2022-000902"
        let released = try #require(gate.policy.bundle.rule("abh-registration"))
        let exported = try #require(gate.policy.bundle.rule("schulamt-school-age-children"))
        // An export's disclosure, as the export job logs it: the canonical citation under the policy in force.
        _ = try gate.auditLog.append([subject, exportedOnly].map { person in AuditEntry(actor: "export-test", policyDigest: gate.policy.digest,
            content: .disclosure(DisclosureRecord(partner: "schulamt", purpose: "school-planning", subject: person,
                fields: [DisclosedField(field: "name.family", basis: .statute, rule: exported.id, citation: exported.citation)], exportRun: "run-1"))) },
            signer: gate.auditSigner())
        try await fixture.application().test(.router) { client in
            let decided = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "\#(subject)", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family"]}"#))
            try #require(decided.status == .ok, "\(decided.text)")
            let index = try #require((decided.json["audit"] as? [String: Any])?["index"] as? Int)
            #expect((decided.json["fields"] as? [[String: Any]])?.first?["citation"] as? String == released.citation, "\(decided.text)")
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]

            let report = try await client.execute(uri: "/audit/report?subject=\(subject)&lang=\(lang)", method: .get, headers: cookie)
            #expect(report.status == .ok)
            for rule in [released, exported] {
                #expect(report.text.contains(HTML.escape(rule.citation(in: Self.language(lang)))), "\(rule.id): \(report.text)")
                #expect(!report.text.contains(HTML.escape(rule.citation(in: Self.other(lang)))), "\(rule.id): \(report.text)")
            }
            let onlyExported = try await client.execute(uri: "/audit/report?subject=\(exportedOnly)&lang=\(lang)", method: .get, headers: cookie)
            #expect(onlyExported.text.contains(HTML.escape(exported.citation(in: Self.language(lang)))), "\(onlyExported.text)")
            #expect(!onlyExported.text.contains(HTML.escape(exported.citation(in: Self.other(lang)))), "\(onlyExported.text)")
            let api = try await client.execute(uri: "/v1/audit/report/\(subject)", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(api.text.contains(released.citation) && api.text.contains(exported.citation), "\(api.text)")
            #expect(!api.text.contains(try #require(released.citationEnglish)), "\(api.text)")

            let explained = try await client.execute(uri: "/audit/entries/\(index)?explain=1&lang=\(lang)", method: .get, headers: cookie)
            let section = try #require(explained.text.range(of: "<section id=\"explain\"").map { String(explained.text[$0.lowerBound...]) })
            #expect(section.contains(HTML.escape(released.citation(in: Self.language(lang)))), "\(section)")
            #expect(!section.contains(HTML.escape(released.citation(in: Self.other(lang)))), "\(section)")
        }
    }
}

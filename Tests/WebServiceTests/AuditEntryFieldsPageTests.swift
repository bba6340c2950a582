import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import HummingbirdTesting
import StrictJSON
import Testing
@testable import WebService

/// The entry page names every field of an entry in words, whatever its kind (pages review F12: all kinds but a decision
/// showed only the canonical JSON): each key with its words, times in Berlin time, partners by name; the stored text
/// stays below, as it was signed.
@Suite struct AuditEntryFieldsPageTests {
    /// Every key of a JSON value, nested ones included.
    static func keys(_ value: JSONValue) -> Set<String> {
        switch value {
        case let .object(o): o.keys.reduce(into: Set(o.keys)) { $0.formUnion(keys(o[$1]!)) }
        case let .array(a): a.reduce(into: Set()) { $0.formUnion(keys($1)) }
        default: []
        }
    }

    @Test(arguments: [Language.de, .en])
    func everyKindsEntryIsShownInWords(_ language: Language) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            // A decision and a consent on top of what the fixture logged (policy, keys, accounts).
            let decided = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2022-000901", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family"]}"#))
            #expect(decided.status == .ok)
            let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: #"""
                {"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "de",
                 "clauses": ["abh-kontakt"], "granted-at": "2026-01-10T09:00:00Z"}
                """#))
            #expect(granted.status == .created || granted.status == .ok, "\(granted.text)")
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            // A DPO read of the log, with filters (an `audit-read` entry).
            let read = try await client.execute(uri: "/audit?since=2026-01-01&until=2027-01-01&partner=jobcenter", method: .get, headers: cookie)
            #expect(read.status == .ok)
            var byKind: [AuditEntryKind: StoredEntry] = [:]
            for e in try log.entries(matching: AuditQuery(limit: 10_000)) where byKind[e.entry.kind] == nil { byKind[e.entry.kind] = e }
            for kind in [AuditEntryKind.policyLoaded, .keyEvent, .accountEvent, .decision, .consentGranted, .auditRead] {
                let e = try #require(byKind[kind], "the fixture logs a \(kind)")
                let page = try await client.execute(uri: "/audit/entries/\(e.index)?lang=\(language.rawValue)", method: .get, headers: cookie)
                #expect(page.status == .ok)
                let html = page.text
                let fields = try #require(html.firstMatch(of: /<dl class="entry-fields" id="entry-fields">[\s\S]*?<h2 id="entry-stored">/).map { String($0.0) },
                                          "\(kind): \(html)")
                // Nothing left out, and nothing only by its key: every key of the stored entry is named in words.
                for key in Self.keys(try JSONParser.parse(e.bytes, limits: .init(maximumBytes: nil, maximumDepth: 32))) {
                    let named = try Regex("<dt>[^<]+ <code class=\"muted\">\(key)</code></dt>")
                    #expect(fields.contains(named), "\(kind): \(key) has no words")
                }
                // Words for the common ones, in the page's language.
                #expect(fields.contains(language == .de ? "<dt>Zeit <code class=\"muted\">time</code></dt>" : "<dt>Time <code class=\"muted\">time</code></dt>"), "\(kind)")
                #expect(fields.contains(language == .de ? "<dt>Wer <code class=\"muted\">actor</code></dt>" : "<dt>Who <code class=\"muted\">actor</code></dt>"))
                // The time in Berlin time (MEZ/CET in winter, MESZ/CEST in summer), the UTC time machine-readable.
                #expect(fields.contains("<time datetime=\"\(e.entry.time)\">"), "\(kind): \(fields)")
                #expect(html.contains("<pre class=\"entry\">"), "the stored text stays")
            }
            // A partner by its name, its id beside it.
            let decision = try await client.execute(uri: "/audit/entries/\(byKind[.decision]!.index)?lang=\(language.rawValue)", method: .get, headers: cookie).text
            let name = try #require(fixture.environment.gate.policy.bundle.partner("auslaenderbehoerde")?.name[language])
            #expect(decision.contains("\(name) (auslaenderbehoerde)"))
            // Values the log keeps as ids in words, the id beside them (a German page showed "Ergebnis permit", "Ereignis
            // created", "Rolle admin": a review of the pages); English words equal to the id are not said twice.
            let outcome = try #require(decision.firstMatch(of: /<code class="muted">outcome<\/code><\/dt><dd>([^<]*)<\/dd>/).map { String($0.1) }, "\(decision)")
            #expect(language == .de ? ["darf weitergegeben werden (permit)", "darf nicht weitergegeben werden (deny)"].contains(outcome)
                                    : ["may pass (permit)", "may not pass (deny)"].contains(outcome), "\(outcome)")
            #expect(decision.contains(language == .de ? "Entscheidung (decision)" : "Decision (decision)"), "\(decision)")
            let account = try await client.execute(uri: "/audit/entries/\(byKind[.accountEvent]!.index)?lang=\(language.rawValue)", method: .get, headers: cookie).text
            #expect(account.contains(language == .de ? "<dd>angelegt (created)</dd>" : "<dd>created</dd>"), "\(account)")
            let role = try #require(account.firstMatch(of: /<code class="muted">role<\/code><\/dt><dd>([^<]*) \(([a-z]+)\)<\/dd>/), "\(account)")
            #expect(AccountRole(rawValue: String(role.2))?.label[language] == String(role.1), "\(account)")
        }
    }

    /// An erasure notice's reason is said in words, the token beside it (a German page showed `consent-withdrawn:<id>`
    /// as the reason: a wording review); a denial reason still reads as before.
    @Test func anErasureNoticesReasonIsInWords() {
        let id = "721bf9b5-ce0e-4d95-bf55-b66510d01e58"
        let words = AuditEntryFields.valueWords("consent-withdrawn:\(id)", key: "reason")
        #expect(words?.de == "Widerruf der Einwilligung \(id)" && words?.en == "withdrawal of consent \(id)", "\(String(describing: words))")
        #expect(AuditEntryFields.valueWords("forbidden", key: "reason")?.en == DenialReason.forbidden.words.en)
        #expect(AuditEntryFields.valueWords("something-else", key: "reason") == nil)
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The page of a recorded consent shows what the person signed: each clause with its wording, guardians, who
/// recorded it where and the scan's checksum (it listed clause ids only), escaped, in German and English.
@Suite struct ConsentShowPageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func theConsentPageShowsClauseWordingGuardiansRecorderAndScan() async throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        try await fixture.application().test(.router) { client in
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: """
                {"subject": "RSK-2022-000404", "attributes": {"birth-date": "2014-03-01"}, "template": "kim-beratung", "language": "uk",
                 "clauses": ["jugendamt", "sprachkurs"], "guardians": [{"name": "Olena <b>K.</b>", "relation": "Mutter"}], "evidence": "\(digest)"}
                """))
            #expect(grant.status == .created || grant.status == .ok, "\(grant.text)")
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let de = try await client.execute(uri: "/consents/\(id)", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(de.status == .ok)
            #expect(de.text.contains("<li data-clause=\"jugendamt\"><code>jugendamt</code> – Weitergabe an das Jugendamt für Hilfen für Kinder und Familien</li>"), "\(de.text)")
            #expect(de.text.contains("<li data-clause=\"sprachkurs\"><code>sprachkurs</code> – Weitergabe an einen Sprachkursträger zur Anmeldung</li>"))
            #expect(de.text.contains("Olena &lt;b&gt;K.&lt;/b&gt; (Mutter)") && !de.text.contains("<b>K.</b>"), "the guardian's name is escaped")
            #expect(de.text.contains("<dd id=\"consent-collected-by\">test-caseworker, Siegburg</dd>"), "\(de.text)")
            #expect(de.text.contains("<dd id=\"consent-evidence\"><code>\(digest)</code></dd>"))
            let en = try await client.execute(uri: "/consents/\(id)?lang=en", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(en.text.contains("<code>jugendamt</code> – Passing to the youth welfare office for help for children and families"), "\(en.text)")
            #expect(en.text.contains("Scan of the signed declaration (SHA-256)"))
            // Title and heading say whose consent and when it was granted (every consent page was titled "Einwilligung").
            // The day of signing, not a time of day nobody entered (noon UTC read "13:00 MEZ": a review of the pages).
            #expect(de.text.contains(#/<title>Einwilligung von RSK-2022-000404, erteilt am \d\d\.\d\d\.\d{4} – ConsentGate</title>/#), "\(de.text)")
            #expect(de.text.contains(#/<dt>Erteilt am</dt><dd><time datetime="[^"]+Z">\d\d\.\d\d\.\d{4}</time></dd>/#), "\(de.text)")
            #expect(de.text.contains(#/<h1>Einwilligung von RSK-2022-000404, erteilt am /#))
            #expect(en.text.contains(#/<title>Consent of RSK-2022-000404, granted \d{1,2} [A-Z][a-z]{2} \d{4} – ConsentGate</title>/#), "\(en.text)")

            // The declaration printed from the consent page is a copy of what was recorded, in the person's language.
            let copy = try await client.execute(uri: "/consents/\(id)/declaration", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(copy.status == .ok)
            #expect(copy.text.contains("<html lang=\"uk\">") && copy.text.contains("id=\"copy-note\""), "\(copy.text)")
            // The day of signing as Ukrainian (and German) write dates, not ISO (a review of the pages, 2026-12-06).
            let note = try #require(copy.text.firstMatch(of: /<p class="copy" id="copy-note">[^<]*<\/p>/).map { String($0.0) }, "\(copy.text)")
            #expect(note.contains(#/\d\d\.\d\d\.\d{4}/#) && !note.contains(#/\d{4}-\d\d-\d\d/#), "\(note)")
            let ticked = copy.text.matches(of: /id="clause-([^"]+)" data-granted="true"/).map { String($0.1) }
            #expect(ticked.sorted() == ["jugendamt", "sprachkurs"])
            #expect(copy.text.contains("<span class=\"line\">RSK-2022-000404</span>") && copy.text.contains("<span class=\"line\">\(id)</span>"))
            // The recorded guardian on the first guardian's name line, escaped; the second line stays empty (a copy of a
            // minor's consent left both empty: a review of the pages).
            let guardianRows = copy.text.matches(of: /<div class="sig"><span class="line">([^<]*(?:&lt;[^<]*)*)<\/span><span class="label">Ім&#39;я законного представника<\/span>/).map { String($0.1) }
            #expect(guardianRows == ["Olena &lt;b&gt;K.&lt;/b&gt; (Mutter)", ""], "\(copy.text)")

            // Without a scan it says so.
            let plain = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2022-000405", "attributes": {"birth-date": "1980-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            let plainID = try #require((plain.json["consent"] as? [String: Any])?["id"] as? String)
            let noScan = try await client.execute(uri: "/consents/\(plainID)", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(noScan.text.contains("kein Scan erfasst") && !noScan.text.contains("id=\"consent-guardians\""), "\(noScan.text)")
        }
    }
}

import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// JSON bodies are read strictly on every route (web.md: "decoded strictly"): trailing commas, duplicate
/// keys, trailing text and numbers beyond the safe integers are refused with where they are, nothing is
/// recorded; the content type must be exactly `application/json` (parameters allowed).
@Suite struct StrictJSONBodyTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    var auditSize: Int64 { (try? fixture.environment.gate.auditLog.size()) ?? -1 }

    func post(_ client: some TestClientProtocol, _ uri: String, token: String, _ body: String,
              contentType: String = "application/json") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(token)", .contentType: contentType],
                                 body: ByteBuffer(string: body))
    }

    @Test func trailingCommasAreRefused() async throws {
        let before = auditSize
        try await fixture.application().test(.router) { client in
            let grant = try await post(client, "/v1/consents", token: fixture.tokens["caseworker"]!,
                #"{"subject":"RSK-2022-000063","template":"kim-beratung","language":"de","clauses":["jobcenter",],}"#)
            #expect(grant.status == .badRequest, "\(grant.text)")
            #expect(grant.errorCode == "malformed-json")
            #expect(grant.errorMessage == "Anfrage ist kein gültiges JSON: überzähliges Komma vor der schließenden Klammer (Zeile 1, Spalte 95)", "\(grant.text)")
            let account = try await post(client, "/v1/accounts", token: fixture.tokens["admin"]!, "{\"name\":\"tc1\",\n \"role\":\"exporter\",\n}")
            #expect(account.status == .badRequest, "\(account.text)")
            #expect(account.errorMessage?.hasSuffix("(Zeile 3, Spalte 1)") == true, "\(account.text)")
            #expect(try fixture.environment.accounts.account(named: "tc1") == nil)
        }
        #expect(auditSize == before)
    }

    @Test func duplicateKeysAreRefusedWhicheverComesFirst() async throws {
        let before = auditSize
        try await fixture.application().test(.router) { client in
            for body in [#"{"subject":"RSK-2022-000041","subject":"RSK-2022-000063","partner":"jobcenter","purpose":"job-placement","fields":["name.family"]}"#,
                         #"{"subject":"RSK-2022-000063","partner":"jobcenter","purpose":"job-placement","fields":["name.family"],"subject":"RSK-2022-000041"}"#] {
                let r = try await post(client, "/v1/decisions", token: fixture.tokens["caseworker"]!, body)
                #expect(r.status == .badRequest, "\(r.text)")
                #expect(r.errorCode == "malformed-json")
                #expect(r.errorMessage?.contains("Feld \"subject\" kommt mehrfach vor") == true, "\(r.text)")
            }
            let en = try await post(client, "/v1/decisions?lang=en", token: fixture.tokens["caseworker"]!,
                #"{"subject":"a","partner":"jobcenter","purpose":"job-placement","fields":["name.family"],"partner":"jobcenter"}"#)
            #expect(en.errorMessage == "request JSON refused: field \"partner\" appears more than once (line 1, column 89)", "\(en.text)")
        }
        #expect(auditSize == before)
    }

    @Test(arguments: [
        (#"{"subject":"#, "Anfrage ist kein gültiges JSON: unerwartetes Ende des JSON-Textes (Zeile 1, Spalte 12)"),
        (#"{"subject":"a"} x"#, "Anfrage ist kein gültiges JSON: weiterer Text nach dem JSON-Wert (Zeile 1, Spalte 17)"),
        (#"{"subject":"RSK-1","template":"kim-beratung","template-version":99999999999999999999999,"language":"de","clauses":["jobcenter"]}"#,
         "Anfrage-JSON abgelehnt: Zahl außerhalb des erlaubten Bereichs ±(2^53 − 1), bei „template-version“ (Zeile 1, Spalte 65)"),
        // The member is named (it was the position alone: API review M3), also nested ones.
        (#"{"subject":"RSK-1","template":"kim-beratung","template-version":1.5,"language":"de","clauses":["jobcenter"]}"#,
         "Anfrage-JSON abgelehnt: nur ganze Zahlen sind erlaubt, bei „template-version“ (Zeile 1, Spalte 66)"),
        (#"{"subject":1.5}"#, "Anfrage-JSON abgelehnt: nur ganze Zahlen sind erlaubt, bei „subject“ (Zeile 1, Spalte 13)"),
        (#"{"subject":"RSK-1","attributes":{"birth-date":3E0}}"#, "Anfrage-JSON abgelehnt: nur ganze Zahlen sind erlaubt, bei „attributes.birth-date“ (Zeile 1, Spalte 48)"),
        (#"{"clauses":["a",0.0]}"#, "Anfrage-JSON abgelehnt: nur ganze Zahlen sind erlaubt, bei „clauses[1]“ (Zeile 1, Spalte 18)"),
        ("{'subject':1}", "Anfrage ist kein gültiges JSON: Feldname in Anführungszeichen erwartet (Zeile 1, Spalte 2)"),
    ])
    func malformedBodiesSayWhatAndWhere(_ c: (String, String)) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await post(client, "/v1/consents", token: fixture.tokens["caseworker"]!, c.0)
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorCode == "malformed-json")
            #expect(r.errorMessage == c.1, "\(r.text)")
        }
    }

    /// A template version below 1 is a malformed request naming the member (it was 422 "v-1 nicht vorhanden": API
    /// review L3); nothing is logged.
    @Test(arguments: [0, -1])
    func aTemplateVersionBelowOneIs400(_ version: Int) async throws {
        let before = auditSize
        try await fixture.application().test(.router) { client in
            let r = try await post(client, "/v1/consents?lang=en", token: fixture.tokens["caseworker"]!,
                #"{"subject":"RSK-1","template":"kim-beratung","template-version":\#(version),"language":"de","clauses":["jobcenter"]}"#)
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorCode == "invalid-field", "\(r.text)")
            #expect(r.errorMessage?.contains("template-version") == true && r.errorMessage?.contains("expected a version number of 1 or more, not \(version)") == true,
                    "\(r.text)")
        }
        #expect(auditSize == before)
    }

    @Test func onlyApplicationJSONIsJSON() async throws {
        try await fixture.application().test(.router) { client in
            let body = #"{"subject":"RSK-1","partner":"jobcenter","purpose":"job-placement","fields":["name.family"]}"#
            for type in ["application/jsonx", "application/json-seq", "application/json5", "text/json", "application/x-json"] {
                let r = try await post(client, "/v1/decisions", token: fixture.tokens["caseworker"]!, body, contentType: type)
                #expect(r.status == .unsupportedMediaType, "\(type): \(r.text)")
                #expect(r.errorCode == "unsupported-media-type")
            }
            for type in ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", "application/json ;q=1"] {
                let r = try await post(client, "/v1/decisions", token: fixture.tokens["caseworker"]!, body, contentType: type)
                #expect(r.status == .ok, "\(type): \(r.text)")
            }
        }
    }
}

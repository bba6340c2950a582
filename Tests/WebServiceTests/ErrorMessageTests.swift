import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Error answers in the language asked for, whole: no English detail inside a German message, API
/// wording (JSON fields, not command-line flags), a bad parameter never silently ignored, the same kind of
/// mistake with the same status; and every code the service sends documented.
@Suite struct ErrorMessageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// (route, role, body, status, code, German message, English message)
    static let bodies: [(String, String, String, HTTPResponse.Status, String, String, String)] = [
        ("/v1/decisions", "caseworker", #"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": []}"#, .badRequest, "invalid-field",
         "Feld \"fields\": ungültiger Wert: mindestens ein Feld angeben", "field \"fields\": invalid value: name at least one field"),
        ("/v1/decisions", "caseworker", #"{"subject": "X", "attributes": {"birth-date": "1990-02-30"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#,
         .badRequest, "invalid-field", "Feld \"attributes.birth-date\": ungültiger Wert: \"1990-02-30\" ist kein Datum JJJJ-MM-TT",
         "field \"attributes.birth-date\": invalid value: \"1990-02-30\" is not a date YYYY-MM-DD"),
        ("/v1/decisions", "caseworker", #"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "at": "gestern"}"#,
         .badRequest, "invalid-field", "Feld \"at\": ungültiger Wert: \"gestern\" ist keine Zeit nach RFC 3339 (z. B. 2026-11-25T10:00:00Z)",
         "field \"at\": invalid value: \"gestern\" is not an RFC 3339 time (e.g. 2026-11-25T10:00:00Z)"),
        ("/v1/consents", "caseworker", #"{"subject": "RSK-1", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "evidence": "md5:x"}"#,
         .badRequest, "invalid-field", "Feld \"evidence\": ungültiger Wert: „sha256:“ gefolgt von 64 kleingeschriebenen Hex-Ziffern erwartet",
         "field \"evidence\": invalid value: expected \"sha256:\" followed by 64 lower-case hex digits"),
        ("/v1/accounts", "admin", #"{"name": "x", "role": "boss"}"#, .badRequest, "invalid-field",
         "Feld \"role\": ungültiger Wert: \"boss\" ist keine der Rollen caseworker, dpo, exporter, admin",
         "field \"role\": invalid value: \"boss\" is not one of caseworker, dpo, exporter, admin"),
        ("/v1/accounts", "admin", #"{"name": "x", "role": "caseworker"}"#, .unprocessableContent, "invalid-input",
         "Rolle caseworker braucht das Feld \"municipality\" (die Kommune des Kontos)",
         "role caseworker needs the field \"municipality\" (the account's municipality)"),
        ("/v1/accounts", "admin", #"{"name": "x", "role": "caseworker", "rolle": 1}"#, .badRequest, "unknown-field",
         "unbekanntes Feld \"rolle\" (erlaubt: municipality, name, role)", "unknown field \"rolle\" (allowed: municipality, name, role)"),
        ("/v1/consents", "caseworker", #"{"subject": "RSK-1", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "granted-at": "1969-07-20T20:17:00Z"}"#,
         .badRequest, "invalid-field",
         "Feld \"granted-at\": ungültiger Wert: zu diesem Zeitpunkt (1969-07-20T20:17:00Z) war kein Schlüssel zum Signieren von Einwilligungen gültig; bitte das Datum der Unterschrift angeben",
         "field \"granted-at\": invalid value: no key for signing consents was valid at that time (1969-07-20T20:17:00Z); give the date the declaration was signed"),
    ]

    @Test(arguments: bodies)
    func bodyErrorsInOneLanguage(_ c: (String, String, String, HTTPResponse.Status, String, String, String)) async throws {
        try await fixture.application().test(.router) { client in
            for (lang, expected) in [("", c.5), ("?lang=en", c.6)] {
                let r = try await client.execute(uri: c.0 + lang, method: .post, headers: jsonHeaders(fixture.tokens[c.1]!), body: ByteBuffer(string: c.2))
                #expect(r.status == c.3, "\(r.text)")
                #expect(r.errorCode == c.4, "\(r.text)")
                #expect(r.errorMessage == expected)
            }
        }
    }

    /// (query, status, code, German message, English message)
    static let queries: [(String, HTTPResponse.Status, String, String, String)] = [
        ("/v1/audit/proofs/inclusion?index=99", .unprocessableContent, "invalid-input",
         "Parameter index = 99 liegt außerhalb des Protokolls: muss kleiner als SIZE sein (Größe des Protokollbaums)",
         "parameter index = 99 is outside the log: it must be below SIZE (the size of the log tree)"),
        ("/v1/audit/proofs/inclusion?index=0&size=abc", .badRequest, "invalid-field",
         "Parameter size: \"abc\" ist keine ganze Zahl ≥ 1", "parameter size: \"abc\" is not a whole number ≥ 1"),
        ("/v1/audit/proofs/inclusion?index=0&size=0", .badRequest, "invalid-field",
         "Parameter size: \"0\" ist keine ganze Zahl ≥ 1", "parameter size: \"0\" is not a whole number ≥ 1"),
        ("/v1/audit/proofs/inclusion?index=x", .badRequest, "invalid-field",
         "Parameter index: \"x\" ist keine ganze Zahl ≥ 0", "parameter index: \"x\" is not a whole number ≥ 0"),
        ("/v1/audit/proofs/inclusion", .badRequest, "missing-field",
         "Parameter index (ganze Zahl ≥ 0) fehlt", "parameter index (whole number ≥ 0) is missing"),
        ("/v1/audit/proofs/consistency?from=2&to=1", .unprocessableContent, "invalid-input",
         "Parameter from = 2 muss höchstens to = 1 sein", "parameter from = 2 must be at most to = 1"),
        ("/v1/audit/entries?since=2026-99-99", .badRequest, "invalid-field",
         "Parameter since: \"2026-99-99\" ist keine Zeit (RFC 3339) und kein Datum (JJJJ-MM-TT)",
         "parameter since: \"2026-99-99\" is neither an RFC 3339 time nor a date (YYYY-MM-DD)"),
        ("/v1/audit/entries?since=yesterday", .badRequest, "invalid-field",
         "Parameter since: \"yesterday\" ist keine Zeit (RFC 3339) und kein Datum (JJJJ-MM-TT)",
         "parameter since: \"yesterday\" is neither an RFC 3339 time nor a date (YYYY-MM-DD)"),
        ("/v1/audit/entries?kind=foo", .badRequest, "invalid-field",
         "Parameter kind: unbekannte Eintragsart \"foo\" (erlaubt: KINDS)", "parameter kind: unknown entry kind \"foo\" (allowed: KINDS)"),
    ]

    @Test(arguments: queries)
    func parameterErrorsInOneLanguage(_ c: (String, HTTPResponse.Status, String, String, String)) async throws {
        let size = try fixture.environment.gate.auditLog.size()
        let kinds = "consent-granted"
        try await fixture.application().test(.router) { client in
            for (lang, expected) in [("", c.3), ("lang=en", c.4)] {
                let uri = lang.isEmpty ? c.0 : c.0 + (c.0.contains("?") ? "&" : "?") + lang
                let r = try await client.execute(uri: uri, method: .get, headers: bearer(fixture.tokens["dpo"]!))
                #expect(r.status == c.1, "\(uri): \(r.text)")
                #expect(r.errorCode == c.2, "\(uri): \(r.text)")
                if expected.contains("KINDS") {
                    let message = try #require(r.errorMessage)
                    #expect(message.hasPrefix(expected.components(separatedBy: "KINDS")[0]) && message.contains(kinds), "\(message)")
                } else {
                    #expect(r.errorMessage == expected.replacingOccurrences(of: "SIZE", with: String(size)), "\(uri)")
                }
            }
        }
    }

    /// A date alone is a valid `since` (midnight UTC), as web.md says.
    @Test func aDateIsAValidSince() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/audit/entries?since=2026-01-01&until=2027-01-01", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .ok, "\(r.text)")
        }
    }

    /// Every code the service answers with is in the OpenAPI `Error.code` examples and in web.md's table.
    @Test func everyCodeIsDocumented() throws {
        let codes = ["unauthenticated", "forbidden", "csrf-token-invalid", "denied", "other-municipality", "malformed-json", "unknown-field",
                     "missing-field", "wrong-type", "invalid-field", "malformed-form", "bad-request", "not-found", "conflict",
                     "export-not-configured", "body-too-large", "unsupported-media-type", "invalid-input", "integrity",
                     "unknown-partner", "unknown-purpose", "path-outside-allowed-directory", "invalid-path", "too-many-attempts",
                     "storage", "internal"]
        let line = try #require(OpenAPIDocument.yaml.split(separator: "\n").first { $0.contains("examples: [unauthenticated") })
        let examples = Set(line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let web = try String(contentsOf: WebFixture.root.appendingPathComponent("docs/web.md"), encoding: .utf8)
        for code in codes {
            #expect(examples.contains(code), "\(code) missing from Error.code examples")
            #expect(web.contains("`\(code)`"), "\(code) missing from docs/web.md")
        }
    }
}

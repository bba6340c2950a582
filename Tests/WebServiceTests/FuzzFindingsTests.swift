import Foundation
import Gate
import Hummingbird
import Signing
import HummingbirdTesting
import TestFolders
import Testing
@testable import WebService

/// What fuzzing the running service with schemathesis against its own OpenAPI document found, each kept
/// here as an in-process case so it stays fixed: the answers to odd requests are 4xx with a precise message,
/// and status codes, content types and bodies are those the document promises.
@Suite struct FuzzFindingsTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A literal path segment wins over a `{parameter}` in the router, so `/v1/exports/dry-run` is only ever
    /// the POST route: any other method is 405 with `Allow: POST` (it was `Allow: GET, POST`, borrowing the GET
    /// of `/v1/exports/{id}` that the path never reaches, and a GET was a bare 404).
    static let literalSegmentMethods: [(method: HTTPRequest.Method, uri: String, allow: String)] = [
        (.get, "/v1/exports/dry-run", "POST"),
        (.options, "/v1/exports/dry-run", "POST"),
        (.delete, "/v1/exports/dry-run", "POST"),
        (.delete, "/v1/exports/run-1", "GET, HEAD"),
        (.post, "/consents/new", "GET, HEAD"),
    ]

    @Test(arguments: literalSegmentMethods)
    func allowListsOnlyTheMethodsOfTheRouteThePathResolvesTo(_ c: (method: HTTPRequest.Method, uri: String, allow: String)) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: c.uri, method: c.method,
                                             headers: [.authorization: "Bearer \(fixture.tokens["exporter"]!)", .accept: "application/json"])
            #expect(r.status == .methodNotAllowed, "\(c.method) \(c.uri): \(r.text)")
            #expect(r.headers[.allow] == c.allow)
            #expect(r.errorCode == "method-not-allowed")
        }
    }

    @Test func catalogResolvesLikeTheRouterWithLiteralsFirstAndBacktracking() {
        let catalog = RouteCatalog()
        catalog.add(RouteEntry(method: "GET", path: "/a/b/c", access: .open, kind: .api))
        catalog.add(RouteEntry(method: "PUT", path: "/a/{x}/d", access: .open, kind: .api))
        catalog.add(RouteEntry(method: "POST", path: "/a/{x}/c", access: .open, kind: .api))
        #expect(catalog.methods(forPath: "/a/b/c") == ["GET"])
        // The literal `b` leads nowhere for `d`: the parameter route answers.
        #expect(catalog.methods(forPath: "/a/b/d") == ["PUT"])
        #expect(catalog.methods(forPath: "/a/z/c") == ["POST"])
        #expect(catalog.methods(forPath: "/a//c").isEmpty)
    }

    /// A consent id that is no UUID is the request's error, a 400 naming the path parameter (it was the
    /// store's undocumented 422 `invalid-input` about a field "id" of a consent document).
    static let malformedConsentIDs: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/v1/consents/0"),
        (.post, "/v1/consents/0/withdraw"),
        (.get, "/v1/consents/not-a-uuid"),
        (.get, "/v1/consents/0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d4"),
        (.get, "/v1/consents/%7B0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40%7D"),
    ]

    @Test(arguments: malformedConsentIDs)
    func malformedConsentIDIs400NamingThePathParameter(_ c: (method: HTTPRequest.Method, path: String)) async throws {
        try await fixture.application().test(.router) { client in
            for language in ["de", "en"] {
                let r = try await client.execute(uri: c.path + "?lang=\(language)", method: c.method, headers: bearer(fixture.tokens["caseworker"]!))
                #expect(r.status == .badRequest, "\(c.path): \(r.text)")
                #expect(r.errorCode == "invalid-field")
                #expect(r.errorMessage?.contains(language == "de" ? "Pfadparameter \"id\"" : "path parameter \"id\"") == true, "\(r.text)")
                #expect(r.errorMessage?.contains("UUID") == true, "\(r.text)")
            }
        }
    }

    @Test func wellFormedUnknownConsentIDStays404() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/consents/0F8E4A52-5A0B-4C3E-9D5E-2B7F1C9A6D40", method: .get,
                                             headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .notFound, "\(r.text)")
            #expect(r.errorCode == "not-found")
        }
    }

    @Test(arguments: ["/consents/0", "/consents/0/declaration"])
    func malformedConsentIDOnAPageIs400(path: String) async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await client.execute(uri: path, method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(r.status == .badRequest, "\(path): \(r.text)")
            #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(r.text.contains("UUID"))
        }
    }

    /// The status codes the document lists for one operation (`"400":` keys of its `responses:`).
    static func documentedStatuses(_ method: String, _ path: String, in yaml: String = OpenAPIDocument.yaml) -> Set<Int> {
        var statuses: Set<Int> = []
        var inPath = false, inMethod = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /") || line.hasPrefix("  \"") || (!line.hasPrefix(" ") && !line.isEmpty) {
                inPath = line == "  \(path):"; inMethod = false; continue
            }
            if inPath, line.hasPrefix("    "), !line.hasPrefix("     ") { inMethod = line == "    \(method.lowercased()):"; continue }
            if inMethod, line.hasPrefix("        \""), !line.hasPrefix("         "), let code = Int(line.dropFirst(9).prefix(3)) {
                statuses.insert(code)
            }
        }
        return statuses
    }

    /// Every form POST of the pages refuses a body it cannot read with a status the document lists for it
    /// (they answered 415, 413 and 400 before, but only /login listed 400): no Content-Type (415), a body over
    /// the limit (413), a form that is not UTF-8 (400). Asked with a session of a role the route allows (a case
    /// worker's where it may; the exporter pages' with an exporter's, the administrator's pages' with an admin's).
    @Test func pageFormPostsAnswerUnreadableBodiesWithDocumentedStatuses() async throws {
        let small = try WebFixture(configuration: WebServiceConfiguration(maxFormBodyBytes: 1024))
        defer { small.remove() }
        try await small.application().test(.router) { client in
            var sessions: [AccountRole: String] = [:]
            for role in AccountRole.allCases {
                let session = try #require(try await pageLogin(client, name: "test-\(role.rawValue)"))
                sessions[role] = session
            }
            // The catalog is filled while the application is built.
            let routes = small.environment.catalog.routes.filter { $0.kind == .page && $0.method == "POST" }
            #expect(routes.count >= 5, "\(routes)")
            for route in routes {
                let uri = route.path.replacingOccurrences(of: "{id}", with: "0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40")
                let documented = Self.documentedStatuses(route.method, route.path)
                var role = AccountRole.caseworker
                if case let .roles(allowed) = route.access, !allowed.contains(.caseworker), let first = allowed.sorted(by: { $0.rawValue < $1.rawValue }).first {
                    role = first
                }
                let cookie = "cg_session=\(sessions[role]!)"
                let noType = try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie], body: ByteBuffer(string: "a=b"))
                let tooLarge = try await client.execute(uri: uri, method: .post,
                    headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "a=" + String(repeating: "x", count: 2048)))
                let notUTF8 = try await client.execute(uri: uri, method: .post,
                    headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(bytes: [0x61, 0x3D, 0xFF, 0xFE]))
                for (response, expected) in [(noType, 415), (tooLarge, 413), (notUTF8, 400)] {
                    #expect(Int(response.status.code) == expected, "\(route.path): \(response.status)")
                    #expect(documented.contains(expected), "\(route.method) \(route.path) does not document \(expected): \(documented.sorted())")
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(route.path)")
                }
            }
        }
    }

    /// Values schemathesis generated as valid by the document that the server refuses with 400: the document
    /// now rules them out too (a negative index, `from=0`), each parameter's schema saying what the server holds it to.
    static let boundedParameters: [(uri: String, schema: String)] = [
        ("/v1/audit/entries/-1", "- {name: index, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}"),
        ("/v1/audit/proofs/inclusion?index=-2", "- {name: index, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}"),
        ("/v1/audit/proofs/consistency?from=0&to=1", "- {name: from, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 9223372036854775807}}"),
        ("/v1/audit/proofs/consistency?from=1&to=0", "- {name: to, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 9223372036854775807}}"),
    ]

    @Test(arguments: boundedParameters)
    func integerParametersOutsideTheirDocumentedMinimumAre400(_ c: (uri: String, schema: String)) async throws {
        #expect(OpenAPIDocument.yaml.contains(c.schema))
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: c.uri, method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest, "\(c.uri): \(r.text)")
            #expect(r.errorCode == "invalid-field")
        }
    }

    /// A grant's subject is held to the case-id rule as a decision's is (400 `invalid-field`); the document said
    /// only `type: string` for it, so a schema-valid `" "` was refused.
    @Test func grantSubjectFollowsTheDocumentedCaseIDPattern() async throws {
        let pattern = #"subject: {type: string, pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$""#
        let grant = try #require(OpenAPIDocument.yaml.range(of: "\n    GrantRequest:\n"))
        let consent = try #require(OpenAPIDocument.yaml.range(of: "\n    Consent:\n"))
        #expect(OpenAPIDocument.yaml[grant.upperBound..<consent.lowerBound].contains(pattern))
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": " x", "template": "kim-beratung", "language": "de", "clauses": []}"#))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorCode == "invalid-field")
            #expect(r.errorMessage?.contains("subject") == true)
        }
    }

    /// Text path parameters refuse control characters (400 `invalid-field`), and the document says so with a
    /// pattern; page indexes are whole numbers ≥ 0 as the API's are (they were `type: string`, so schemathesis
    /// sent `%0A` or `x` as valid values).
    static let textPathParameters: [(uri: String, role: String, documented: String)] = [
        ("/v1/subjects/RSK%0A1/consents", "dpo", #"- {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}"#),
        ("/v1/audit/report/RSK%C2%851", "dpo", #"- {name: subject, in: path, required: true, schema: {type: string, maxLength: 256, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}"#),
        ("/v1/consent-templates/kim%09beratung/form", "exporter", #"- {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}"#),
        ("/v1/exports/run%7F1", "exporter", #"- {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}"#),
    ]

    @Test(arguments: textPathParameters)
    func controlCharactersInTextPathParametersAreDocumentedAnd400(_ c: (uri: String, role: String, documented: String)) async throws {
        #expect(OpenAPIDocument.yaml.contains(c.documented))
        // Export folders configured, so /v1/exports/{id} reads its id (unconfigured, it is 409 before that).
        let exportFolder = try TemporaryDirectory("cg-fuzz-export")   // removed when the test ends
        let folder = exportFolder.path
        let configured = try WebFixture(configuration: WebServiceConfiguration(exportInputDirectory: folder, exportDriveDirectory: folder))
        defer { configured.remove() }
        try await configured.application().test(.router) { client in
            let r = try await client.execute(uri: c.uri, method: .get, headers: bearer(configured.tokens[c.role]!))
            #expect(r.status == .badRequest, "\(c.uri): \(r.text)")
            #expect(r.errorCode == "invalid-field")
        }
    }

    @Test func pageIndexParametersAreDocumentedAsWholeNumbers() {
        for path in ["/check/{index}/sheet.csv", "/audit/entries/{index}"] {
            guard let start = OpenAPIDocument.yaml.range(of: "\n  \(path):\n") else { Issue.record("\(path) not documented"); continue }
            let rest = OpenAPIDocument.yaml[start.upperBound...]
            let block = rest.range(of: "\n  /").map { rest[..<$0.lowerBound] } ?? rest
            #expect(block.contains("- {name: index, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}"), "\(path)")
        }
    }

    /// The referral sheet is CSV (the document said an HTML page), and the two index pages answer a bad index
    /// 400 and, for the audit entry, a missing one 404: statuses and content types the document now lists.
    @Test func indexPagesAnswerWithDocumentedStatusesAndContentTypes() async throws {
        try await fixture.application().test(.router) { client in
            let decided = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2022-000063", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            let index = try #require((decided.json["audit"] as? [String: Any])?["index"] as? Int, "\(decided.text)")
            let caseworker = try #require(try await pageLogin(client, name: "test-caseworker"))
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let sheet = try await client.execute(uri: "/check/\(index)/sheet.csv", method: .get, headers: [.cookie: "cg_session=\(caseworker)"])
            #expect(sheet.status == .ok, "\(sheet.text)")
            #expect(sheet.headers[.contentType]?.hasPrefix("text/csv") == true)
            let sheetBlock = try #require(OpenAPIDocument.yaml.range(of: "\n  /check/{index}/sheet.csv:\n"))
            let sheet200 = try #require(OpenAPIDocument.yaml.range(of: "\"200\":", range: sheetBlock.upperBound..<OpenAPIDocument.yaml.endIndex))
            #expect(OpenAPIDocument.yaml[sheet200.upperBound...].prefix(200).contains("text/csv: {}"))

            let cases: [(uri: String, session: String, status: Int, path: String)] = [
                ("/check/x/sheet.csv", caseworker, 400, "/check/{index}/sheet.csv"),
                ("/audit/entries/-1", dpo, 400, "/audit/entries/{index}"),
                ("/audit/entries/999999", dpo, 404, "/audit/entries/{index}"),
            ]
            for c in cases {
                let r = try await client.execute(uri: c.uri, method: .get, headers: [.cookie: "cg_session=\(c.session)"])
                #expect(Int(r.status.code) == c.status, "\(c.uri): \(r.status)")
                #expect(Self.documentedStatuses("GET", c.path).contains(c.status), "\(c.path) does not document \(c.status)")
            }
        }
    }

    /// Garbage in the pages' forms (a bounded fuzz of /check, /consents and the withdraw button with a valid
    /// session and CSRF token): a case id the rule refuses is the form's 400 on /consents as on /check (it was the
    /// store's 422 about a consent document's field), and the 422s that remain are listed in the document.
    static let pageFormCases: [(path: String, fields: [(String, String)], status: Int, says: String)] = [
        ("/consents", [("subject", "x y"), ("template", "kim-beratung"), ("language", "de"), ("clauses", "jobcenter")], 400, "Fall-ID \"x y\" ungültig"),
        ("/consents", [("subject", "-x"), ("template", "kim-beratung"), ("language", "de"), ("clauses", "jobcenter")], 400, "Fall-ID \"-x\" ungültig"),
        ("/consents", [("subject", "RSK-9"), ("template", "nope"), ("language", "de"), ("clauses", "jobcenter")], 422, "nope"),
        ("/check", [("subject", "x y"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")], 400, "Fall-ID \"x y\" ungültig"),
        ("/check", [("subject", "RSK-9"), ("partner", "nope"), ("purpose", "job-placement"), ("fields", "name.family")], 422, "nope"),
    ]

    @Test(arguments: pageFormCases)
    func pageFormGarbageIsAnsweredWithDocumentedStatuses(_ c: (path: String, fields: [(String, String)], status: Int, says: String)) async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let csrf = try #require(csrfToken(in: form.text))
            let r = try await client.execute(uri: c.path, method: .post,
                headers: [.cookie: "cg_session=\(session)", .contentType: "application/x-www-form-urlencoded"],
                body: formEncode(c.fields + [("_csrf", csrf)]))
            #expect(Int(r.status.code) == c.status, "\(c.path) \(c.fields): \(r.status)")
            #expect(r.text.contains(HTML.escape(c.says)) || r.text.contains(c.says), "\(r.text.suffix(2000))")
            #expect(Self.documentedStatuses("POST", c.path).contains(c.status), "POST \(c.path) does not document \(c.status)")
        }
    }

    /// U+0000 in the template form's `language` and in the login form's fields is 400 `invalid-field`; the
    /// document's schemas for them now exclude it, as the audit filters' does.
    @Test func nulInQueryAndLoginFieldsIsExcludedByTheDocumentAndRefused() async throws {
        let excluded = #"pattern: "^[^\\u0000]*$""#
        #expect(OpenAPIDocument.yaml.contains("- {name: language, in: query, required: false, schema: {type: string, default: de, \(excluded)}"))
        for field in ["name", "password", "_csrf"] { #expect(OpenAPIDocument.yaml.contains("                \(field): {type: string, \(excluded)}\n")) }
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/v1/consent-templates/kim-beratung/form?language=de%00", method: .get,
                                                headers: bearer(fixture.tokens["dpo"]!))
            #expect(form.status == .badRequest, "\(form.text)")
            let login = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: ByteBuffer(string: "name=a%00b&password=x&_csrf=y"))
            #expect(login.status == .badRequest)
        }
    }

    /// `null` for an optional field is a wrong type (400 `wrong-type` naming the field and the type expected), not
    /// the field left out: schemathesis sent `"municipality": null` to POST /v1/accounts and got 201, although no
    /// request schema allows `null`. The same held for every optional field of the other request bodies.
    static let nullForOptionalFields: [(uri: String, role: String, body: String, field: String, type: String)] = [
        ("/v1/decisions", "caseworker", #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "at": null}"#, "at", "string"),
        ("/v1/decisions", "caseworker", #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "referral": null}"#, "referral", "string"),
        ("/v1/decisions", "caseworker", #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "attributes": null}"#, "attributes", "object"),
        ("/v1/decisions", "caseworker", #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "attributes": {"birth-date": null}}"#, "attributes.birth-date", "string"),
        ("/v1/decisions", "caseworker", #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "attributes": {"unaccompanied-minor": null}}"#, "attributes.unaccompanied-minor", "boolean"),
        ("/v1/consents", "caseworker", #"{"subject": "RSK-1", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "evidence": null}"#, "evidence", "string"),
        ("/v1/consents", "caseworker", #"{"subject": "RSK-1", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "template-version": null}"#, "template-version", "number"),
        ("/v1/consents", "caseworker", #"{"subject": "RSK-1", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "guardians": [{"name": "A", "relation": null}]}"#, "guardians[0].relation", "string"),
        ("/v1/exports/dry-run", "exporter", #"{"input": "list.csv", "drive": ".", "full": null}"#, "full", "boolean"),
        ("/v1/accounts", "admin", #"{"name": "nulla", "role": "dpo", "municipality": null}"#, "municipality", "string"),
    ]

    @Test(arguments: nullForOptionalFields)
    func nullForAnOptionalFieldIsAWrongType(_ c: (uri: String, role: String, body: String, field: String, type: String)) async throws {
        let exportFolder = try TemporaryDirectory("cg-fuzz-export")   // removed when the test ends
        let folder = exportFolder.path
        let configured = try WebFixture(configuration: WebServiceConfiguration(exportInputDirectory: folder, exportDriveDirectory: folder))
        defer { configured.remove() }
        try await configured.application().test(.router) { client in
            for (language, expected) in [("de", "Feld \"\(c.field)\": \(c.type) erwartet, null erhalten"),
                                         ("en", "field \"\(c.field)\": expected \(c.type), got null")] {
                let r = try await client.execute(uri: c.uri + "?lang=\(language)", method: .post, headers: jsonHeaders(configured.tokens[c.role]!),
                                                 body: ByteBuffer(string: c.body))
                #expect(r.status == .badRequest, "\(c.body): \(r.text)")
                #expect(r.errorCode == "wrong-type")
                #expect(r.errorMessage == expected)
            }
        }
    }

    /// An index of digits beyond `Int64` was refused as "not a whole number ≥ 0", which it is; it is now told it is
    /// too large, and the document gives the indexes their maximum.
    static let tooLargeIndexes: [(uri: String, de: String, en: String)] = [
        ("/v1/audit/entries/10766079495058671616", "Pfadparameter \"index\": \"10766079495058671616\" ist zu groß (höchstens 9223372036854775807)",
         "path parameter \"index\": \"10766079495058671616\" is too large (at most 9223372036854775807)"),
        ("/v1/audit/proofs/inclusion?index=99999999999999999999", "Parameter index: \"99999999999999999999\" ist zu groß (höchstens 9223372036854775807)",
         "parameter index: \"99999999999999999999\" is too large (at most 9223372036854775807)"),
        ("/v1/audit/proofs/consistency?from=1&to=9223372036854775808", "Parameter to: \"9223372036854775808\" ist zu groß (höchstens 9223372036854775807)",
         "parameter to: \"9223372036854775808\" is too large (at most 9223372036854775807)"),
    ]

    @Test(arguments: tooLargeIndexes)
    func indexesBeyondInt64AreTooLargeNotNonNumbers(_ c: (uri: String, de: String, en: String)) async throws {
        try await fixture.application().test(.router) { client in
            let de = try await client.execute(uri: c.uri, method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(de.status == .badRequest)
            #expect(de.errorCode == "invalid-field")
            #expect(de.errorMessage == c.de)
            let en = try await client.execute(uri: c.uri + (c.uri.contains("?") ? "&" : "?") + "lang=en", method: .get,
                                              headers: bearer(fixture.tokens["dpo"]!))
            #expect(en.errorMessage == c.en)
        }
    }

    /// Times whose fields are out of range were rolled over by Foundation's ISO 8601 parser into another valid
    /// instant and decided at that one: `"at": "2026-02-30T00:00:00Z"` was decided for March 2, hour 25 for the next
    /// day, `9999-12-31T23:59:60Z` answered `"at": "10000-01-01T00:00:00Z"` (no RFC 3339 time). Each is now the
    /// field's 400, as `2026-13-01` already was.
    static let outOfRangeTimes = ["2026-02-30T00:00:00Z", "2025-02-29T12:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T25:00:00Z",
                                  "2026-01-01T10:60:00Z", "9999-12-31T23:59:60Z", "2026-01-01T10:00:00+24:00", "2026-00-10T10:00:00Z"]

    @Test(arguments: outOfRangeTimes)
    func outOfRangeTimesAreRefusedNotRolledOver(time: String) async throws {
        #expect(RFC3339.parse(time) == nil)
        try await fixture.application().test(.router) { client in
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "at": "\#(time)"}"#))
            #expect(decision.status == .badRequest, "\(time): \(decision.text)")
            #expect(decision.errorCode == "invalid-field")
            #expect(decision.errorMessage?.contains("Feld \"at\"") == true)
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-1", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "granted-at": "\#(time)"}"#))
            #expect(grant.status == .badRequest, "\(time): \(grant.text)")
            #expect(grant.errorMessage?.contains("Feld \"granted-at\"") == true)
        }
    }

    @Test(arguments: ["2024-02-29T00:00:00Z", "2026-11-25T10:00:00Z", "2026-11-25T10:00:00.125Z", "2026-11-25T11:00:00+01:00",
                      "2026-11-25T05:30:00-04:30", "2026-12-31T23:59:59Z", "2000-02-29T00:00:00Z"])
    func inRangeTimesStillParse(time: String) {
        #expect(RFC3339.parse(time) != nil, "\(time)")
    }

    /// The audit filters' `since` and `until` were rolled over the same way (since=2026-02-30T00:00:00Z filtered
    /// from March 2); they are the parameter's 400 now, as since=2026-02-30 already was.
    @Test(arguments: ["since=2026-02-30T00:00:00Z", "until=2026-01-01T25:00:00Z", "since=2026-02-30"])
    func outOfRangeAuditFilterTimesAre400(query: String) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/audit/entries?\(query)", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest, "\(query): \(r.text)")
            #expect(r.errorCode == "invalid-field")
        }
    }

    /// Every form POST of the pages describes its form (`requestBody`): without one, schemathesis took a POST with
    /// no body for a valid request and its 415 for a refusal of valid data (/check, /consents, /logout, withdraw).
    @Test func everyPageFormPostDescribesItsForm() async throws {
        try await fixture.application().test(.router) { _ in }
        let yaml = OpenAPIDocument.yaml
        for route in fixture.environment.catalog.routes where route.kind == .page && route.method == "POST" {
            // The path's block runs to the next path key; its `post:` line follows the path line directly or later.
            guard let start = yaml.range(of: "\n  \(route.path):\n") else { Issue.record("POST \(route.path) not documented"); continue }
            let end = yaml.range(of: "\n  /", range: start.upperBound..<yaml.endIndex)?.lowerBound ?? yaml.endIndex
            guard let post = yaml.range(of: "\n    post:\n", range: yaml.index(before: start.upperBound)..<end),
                  let responses = yaml.range(of: "\n      responses:\n", range: post.upperBound..<end) else {
                Issue.record("POST \(route.path) not documented"); continue
            }
            #expect(yaml[post.upperBound..<responses.lowerBound].contains("      requestBody:\n"), "POST \(route.path) has no requestBody")
        }
    }

    /// A form field name holding U+0000, or an empty multipart part name, is 400 (before the CSRF check); the form
    /// schemas say so with `propertyNames` (schemathesis sent such extra fields as valid ones).
    @Test func formFieldNamesWithNULOrEmptyAre400AndExcludedByTheDocument() async throws {
        let rule = #"propertyNames: {pattern: "^[^\\u0000]+$""#
        for schema in ["    CSRFForm:\n      type: object\n      ", "    CheckForm:\n      type: object\n      ", "    ConsentForm:\n      type: object\n      "] {
            #expect(OpenAPIDocument.yaml.contains(schema + rule), "\(schema)")
        }
        #expect(OpenAPIDocument.yaml.contains("              type: object\n              " + rule))
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let nul = try await client.execute(uri: "/logout", method: .post,
                headers: [.cookie: "cg_session=\(session)", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "a%00b=1&_csrf=x"))
            #expect(nul.status == .badRequest, "\(nul.status)")
            let boundary = "b0undary"
            let empty = try await client.execute(uri: "/consents", method: .post,
                headers: [.cookie: "cg_session=\(session)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nnull\r\n--\(boundary)--\r\n"))
            #expect(empty.status == .badRequest, "\(empty.status)")
        }
    }
}

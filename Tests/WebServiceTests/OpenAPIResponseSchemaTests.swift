import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Every answer of the JSON API, successes and refusals, is what `docs/openapi.yaml` says it is: for each real response
/// the document has the status under the operation, the media type, and (for JSON) a schema the body validates against,
/// checked by an independent validator (Python's `jsonschema`, draft 2020-12, formats checked). Until 2026-12-06 six
/// audit answers had no schema at all and several 404s no body, so a client generated from the document knew nothing of them.
@Suite struct OpenAPIResponseSchemaTests {
    static let validatorAvailable: Bool = {
        (try? python("import jsonschema, yaml; print('ok')"))?.contains("ok") == true
    }()

    /// One real response: the operation it answered (`GET /v1/audit/entries/{index}`), its status, media type and body.
    struct Sample: Sendable {
        let method: String, template: String, status: Int, mediaType: String, body: String
    }

    /// Calls a route and keeps the answer as a sample of `template`.
    final class Recorder: @unchecked Sendable {
        private(set) var samples: [Sample] = []
        @discardableResult
        func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, template: String? = nil,
                  token: String?, body: String? = nil, contentType: String = "application/json") async throws -> TestResponse {
            var headers: HTTPFields = [:]
            if let token { headers[.authorization] = "Bearer \(token)" }
            if body != nil { headers[.contentType] = contentType }
            let r = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            let media = (r.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            samples.append(Sample(method: method.rawValue.lowercased(), template: template ?? String(uri.split(separator: "?")[0]),
                                  status: Int(r.status.code), mediaType: media, body: r.text))
            return r
        }
    }

    /// Checks `samples` against the document; returns one line per sample that does not fit (empty when all fit).
    static func problems(_ samples: [Sample]) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cg-openapi-samples-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let list = samples.map { ["method": $0.method, "template": $0.template, "status": String($0.status), "media": $0.mediaType, "body": $0.body] }
        try JSONSerialization.data(withJSONObject: list).write(to: file)
        let out = try python(#"""
            import json, sys, yaml, jsonschema
            doc = yaml.safe_load(open(sys.argv[1]))
            def resolve(node):
                if isinstance(node, dict):
                    if "$ref" in node:
                        target = doc
                        for part in node["$ref"].lstrip("#/").split("/"):
                            target = target[part]
                        return resolve(target)
                    return {k: resolve(v) for k, v in node.items()}
                if isinstance(node, list):
                    return [resolve(v) for v in node]
                return node
            checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
            for s in json.load(open(sys.argv[2])):
                where = f'{s["method"].upper()} {s["template"]} {s["status"]}'
                op = doc["paths"].get(s["template"], {}).get(s["method"])
                if op is None:
                    print(f"{where}: no such operation in the document"); continue
                response = op["responses"].get(s["status"])
                if response is None:
                    print(f"{where}: status not documented"); continue
                content = resolve(response).get("content")
                if content is None or s["media"] not in content:
                    print(f'{where}: media type {s["media"]!r} not documented (documented: {sorted((content or {}).keys())})'); continue
                if s["media"] != "application/json":
                    continue
                schema = content[s["media"]].get("schema")
                if schema is None:
                    print(f"{where}: no schema for the JSON body"); continue
                try:
                    body = json.loads(s["body"])
                except Exception as e:
                    print(f"{where}: body is not JSON: {e}"); continue
                errors = sorted(jsonschema.Draft202012Validator(resolve(schema), format_checker=checker).iter_errors(body), key=str)
                for e in errors[:3]:
                    print(f'{where}: {"/".join(map(str, e.absolute_path))}: {e.message[:300]}')
            print("checked")
            """#, WebFixture.root.appendingPathComponent("docs/openapi.yaml").path, file.path)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.last == "checked", "\(out)")
        return lines.filter { $0 != "checked" }
    }

    @Test(.enabled(if: validatorAvailable, "Python jsonschema not installed (it comes with openapi-spec-validator)"))
    func accountKeyAndDecisionAnswersMatchTheDocument() async throws {
        let fixture = try WebFixture()
        let rec = Recorder()
        let admin = fixture.tokens["admin"]!, worker = fixture.tokens["caseworker"]!
        try await fixture.application().test(.router) { client in
            try await rec.call(client, .get, "/v1/me", token: worker)
            try await rec.call(client, .get, "/v1/me", token: nil)
            try await rec.call(client, .get, "/v1/me?x=1", token: worker)
            try await rec.call(client, .get, "/v1/accounts", token: admin)
            try await rec.call(client, .get, "/v1/accounts", token: worker)
            try await rec.call(client, .post, "/v1/accounts", token: admin, body: #"{"name": "carla", "role": "caseworker", "municipality": "Siegburg"}"#)
            try await rec.call(client, .post, "/v1/accounts", token: admin, body: #"{"name": "carla", "role": "dpo"}"#)
            try await rec.call(client, .post, "/v1/accounts", token: admin, body: #"{"name": "dora", "role": "caseworker", "municipality": "Atlantis"}"#)
            try await rec.call(client, .post, "/v1/accounts", token: admin, body: #"{"name": "dora", "role": "dpo", "colour": "blue"}"#)
            try await rec.call(client, .post, "/v1/accounts", token: admin, body: #"{"name": "dora"#)
            try await rec.call(client, .post, "/v1/accounts", token: admin, body: "name=dora", contentType: "application/x-www-form-urlencoded")
            try await rec.call(client, .post, "/v1/accounts/carla/token", template: "/v1/accounts/{name}/token", token: admin, body: "{}")
            try await rec.call(client, .post, "/v1/accounts/nobody/token", template: "/v1/accounts/{name}/token", token: admin, body: "{}")
            try await rec.call(client, .post, "/v1/accounts/carla/disable", template: "/v1/accounts/{name}/disable", token: admin, body: "{}")
            try await rec.call(client, .post, "/v1/accounts/carla/disable", template: "/v1/accounts/{name}/disable", token: admin, body: "{}")
            try await rec.call(client, .post, "/v1/accounts/nobody/disable", template: "/v1/accounts/{name}/disable", token: admin, body: "{}")
            try await rec.call(client, .post, "/v1/accounts/dora/disable", template: "/v1/accounts/{name}/disable", token: admin, body: #"{"dry-run": true}"#)
            try await rec.call(client, .post, "/v1/accounts/dora/token", template: "/v1/accounts/{name}/token", token: admin, body: "x", contentType: "text/plain")
            let keys = try await rec.call(client, .get, "/v1/keys", token: admin)
            let kid = try #require(((keys.json["keys"] as? [[String: Any]])?.first)?["kid"] as? String, "\(keys.text)")
            try await rec.call(client, .get, "/v1/keys/\(kid)", template: "/v1/keys/{kid}", token: admin)
            try await rec.call(client, .get, "/v1/keys/nokey", template: "/v1/keys/{kid}", token: admin)
            let decision = #"{"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family", "health.notes"]}"#
            try await rec.call(client, .post, "/v1/decisions", token: worker, body: decision)
            try await rec.call(client, .post, "/v1/decisions", token: worker, body: #"{"subject": "RSK-2022-000901", "partner": "nowhere", "purpose": "job-placement", "fields": ["name.family"]}"#)
            try await rec.call(client, .post, "/v1/decisions", token: worker, body: #"{"subject": 7, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#)
            try await rec.call(client, .post, "/v1/decisions", token: worker, body: String(repeating: " ", count: 300_000) + "{}")
            try await rec.call(client, .post, "/v1/decisions", token: worker, body: decision, contentType: "text/plain")
            try await rec.call(client, .post, "/v1/decisions", token: fixture.tokens["dpo"]!, body: decision)
        }
        let problems = try Self.problems(rec.samples)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(rec.samples.count == 27)
    }

    @Test(.enabled(if: validatorAvailable, "Python jsonschema not installed (it comes with openapi-spec-validator)"))
    func consentAndAuditAnswersMatchTheDocument() async throws {
        let fixture = try WebFixture()
        let rec = Recorder()
        let worker = fixture.tokens["caseworker"]!, dpo = fixture.tokens["dpo"]!
        try await fixture.application().test(.router) { client in
            let granted = try await rec.call(client, .post, "/v1/consents", token: worker, body: #"""
                {"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "de",
                 "clauses": ["jobcenter", "abh-kontakt"], "granted-at": "2026-01-10T09:00:00Z"}
                """#)
            let consent = try #require((granted.json["consent"] as? [String: Any])?["id"] as? String, "\(granted.text)")
            try await rec.call(client, .post, "/v1/consents", token: worker, body: #"{"subject": "RSK-2022-000902", "template": "kim-beratung", "language": "xx", "clauses": ["jobcenter"]}"#)
            try await rec.call(client, .get, "/v1/consents/\(consent)", template: "/v1/consents/{id}", token: worker)
            try await rec.call(client, .get, "/v1/consents/00000000-0000-4000-8000-000000000000", template: "/v1/consents/{id}", token: worker)
            try await rec.call(client, .get, "/v1/subjects/RSK-2022-000901/consents", template: "/v1/subjects/{id}/consents", token: worker)
            try await rec.call(client, .post, "/v1/decisions", token: worker,
                               body: #"{"subject": "RSK-2022-000901", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#)
            try await rec.call(client, .post, "/v1/consents/\(consent)/withdraw", template: "/v1/consents/{id}/withdraw", token: worker,
                               body: #"{"clauses": ["jobcenter"]}"#)
            try await rec.call(client, .post, "/v1/consents/\(consent)/withdraw", template: "/v1/consents/{id}/withdraw", token: worker,
                               body: #"{"clauses": ["no-such-line"]}"#)
            // A decision for an earlier moment: the report's row carries `as-of`, which the schema must declare.
            try await rec.call(client, .post, "/v1/decisions", token: worker,
                               body: #"{"subject": "RSK-2022-000901", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family"], "at": "2026-01-05T09:00:00Z"}"#)
            try await rec.call(client, .post, "/v1/consents/00000000-0000-4000-8000-000000000000/withdraw", template: "/v1/consents/{id}/withdraw",
                               token: worker, body: "{}")
            try await rec.call(client, .get, "/v1/consent-templates/kim-beratung/form?language=de", template: "/v1/consent-templates/{id}/form", token: worker)
            try await rec.call(client, .get, "/v1/consent-templates/no-such-template/form?language=de", template: "/v1/consent-templates/{id}/form", token: worker)
            try await rec.call(client, .get, "/v1/audit/checkpoint", token: dpo)
            try await rec.call(client, .get, "/v1/audit/entries?limit=5", token: dpo)
            try await rec.call(client, .get, "/v1/audit/entries?limit=0", token: dpo)
            try await rec.call(client, .get, "/v1/audit/entries?limit=5", token: worker)
            try await rec.call(client, .get, "/v1/audit/entries/1", template: "/v1/audit/entries/{index}", token: dpo)
            try await rec.call(client, .get, "/v1/audit/entries/999999", template: "/v1/audit/entries/{index}", token: dpo)
            try await rec.call(client, .get, "/v1/audit/proofs/inclusion?index=1", token: dpo)
            try await rec.call(client, .get, "/v1/audit/proofs/inclusion?index=999999", token: dpo)
            try await rec.call(client, .get, "/v1/audit/proofs/consistency?from=1&to=3", token: dpo)
            try await rec.call(client, .get, "/v1/audit/proofs/consistency?from=3&to=1", token: dpo)
            try await rec.call(client, .get, "/v1/audit/proofs/consistency?from=1&to=999999", token: dpo)
            try await rec.call(client, .get, "/v1/audit/report/RSK-2022-000901", template: "/v1/audit/report/{subject}", token: dpo)
            try await rec.call(client, .get, "/v1/audit/report/-bad", template: "/v1/audit/report/{subject}", token: dpo)
            try await rec.call(client, .get, "/v1/audit/stats", token: dpo)
            try await rec.call(client, .get, "/v1/audit/stats?since=yesterday", token: dpo)
            try await rec.call(client, .get, "/v1/audit/verify", token: dpo)
            try await rec.call(client, .get, "/v1/audit/verify?x=1", token: dpo)
            try await rec.call(client, .get, "/v1/audit/stats?kind=decision", token: dpo)
            try await rec.call(client, .post, "/v1/exports", token: fixture.tokens["exporter"]!, body: #"{"input": "a.csv", "drive": "d"}"#)
            try await rec.call(client, .get, "/v1/exports/no-such-run", template: "/v1/exports/{id}", token: fixture.tokens["exporter"]!)
        }
        let problems = try Self.problems(rec.samples)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The report really lists the withdrawn line and the released field: a schema over an empty report proves little.
        let report = try #require(rec.samples.first { $0.template == "/v1/audit/report/{subject}" && $0.status == 200 })
        #expect(report.body.contains("\"withdrawn-at\"") && report.body.contains("\"recipients\":[{"), "\(report.body)")
        #expect(report.body.contains("\"as-of\":\"2026-01-05T09:00:00Z\""), "\(report.body)")
    }

    @Test(.enabled(if: validatorAvailable, "Python jsonschema not installed (it comes with openapi-spec-validator)"))
    func exportAnswersMatchTheDocument() async throws {
        let fixture = try ExportRouteTests.ExportFixture()
        defer { fixture.remove() }
        let rec = Recorder()
        try await fixture.web.application().test(.router) { client in
            try await rec.call(client, .post, "/v1/exports/dry-run", token: fixture.token, body: #"{"input": "registrations-sample.csv", "drive": "drive"}"#)
            try await rec.call(client, .post, "/v1/exports/dry-run", token: fixture.token, body: #"{"input": "../etc/passwd", "drive": "drive"}"#)
            let started = try await rec.call(client, .post, "/v1/exports", token: fixture.token, body: #"{"input": "registrations-sample.csv", "drive": "drive"}"#)
            let id = try #require(started.json["id"] as? String, "\(started.text)")
            _ = try await ExportRouteTests.statusWhenEnded(client, id: id, token: fixture.token)
            try await rec.call(client, .get, "/v1/exports/\(id)", template: "/v1/exports/{id}", token: fixture.token)
            try await rec.call(client, .get, "/v1/exports/no-such-run", template: "/v1/exports/{id}", token: fixture.token)
        }
        let problems = try Self.problems(rec.samples)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The check itself finds what it should: a body that breaks its schema, an undocumented status, a JSON body
    /// without a schema. (Without this, a validator that never runs would pass every test above.)
    @Test(.enabled(if: validatorAvailable, "Python jsonschema not installed (it comes with openapi-spec-validator)"))
    func theCheckFindsMismatches() throws {
        let problems = try Self.problems([
            Sample(method: "get", template: "/v1/me", status: 200, mediaType: "application/json", body: #"{"name": 7}"#),
            Sample(method: "get", template: "/v1/me", status: 418, mediaType: "application/json", body: "{}"),
            Sample(method: "get", template: "/v1/me", status: 200, mediaType: "text/html", body: "<p>"),
            Sample(method: "get", template: "/v1/nothing", status: 200, mediaType: "application/json", body: "{}"),
        ])
        #expect(problems.count >= 4, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("GET /v1/me 200: name:") })
        #expect(problems.contains { $0.contains("418: status not documented") })
        #expect(problems.contains { $0.contains("media type 'text/html' not documented") })
        #expect(problems.contains { $0.contains("/v1/nothing 200: no such operation") })
    }
}

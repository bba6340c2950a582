import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import WebService

/// What `/accounts` refuses, and that a refusal changes nothing: a case worker without municipality (a form problem at
/// the field, entries kept), a duplicate name, the last active administrator (409, in words), a form without or with a
/// wrong CSRF token, another role; and that a new token appears in no log line.
@Suite struct AccountPagesRefusalTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// Every account's name and disabled state, and the number of audit entries: "nothing changed" means these are equal.
    func state() throws -> ([String: Bool], Int) {
        let accounts = try fixture.environment.gate.accounts.list()
        let entries = try fixture.environment.gate.auditLog.entries(matching: AuditQuery()).count
        return (Dictionary(uniqueKeysWithValues: accounts.map { ($0.name, $0.isActive) }), entries)
    }

    @Test func caseworkerWithoutMunicipalityIsAFormProblemAndNothingIsCreated() async throws {
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let before = try state()
            let r = try await admin.post("/accounts", [("name", "carla"), ("role", "caseworker"), ("municipality", "")])
            #expect(r.status == .unprocessableContent, "\(r.text)")
            #expect(r.text.contains("id=\"error-summary\"") && r.text.contains("<a href=\"#municipality\">"))
            #expect(r.text.contains("<p class=\"field-error\" id=\"municipality-error\">"))
            #expect(r.text.contains("Rolle „Fallmanagement“ handelt für eine Kommune: bitte die Kommune auswählen"))
            #expect(r.text.contains("<select id=\"municipality\" name=\"municipality\" aria-invalid=\"true\" aria-describedby=\"municipality-error municipality-hint\">"))
            // Every entry kept, no token.
            #expect(r.text.contains("id=\"name\" name=\"name\" value=\"carla\"") && r.text.contains("<option value=\"caseworker\" selected>"))
            #expect(shownToken(in: r.text) == nil)
            #expect(try state() == before)
            #expect(try fixture.environment.gate.accounts.account(named: "carla") == nil)
        }
    }

    @Test(arguments: [
        ([("name", "x"), ("role", "dpo"), ("municipality", "Siegburg")], "municipality", HTTPResponse.Status.unprocessableContent),
        ([("name", "x"), ("role", "caseworker"), ("municipality", "siegburg")], "municipality", .unprocessableContent),
        ([("name", "test-dpo"), ("role", "dpo")], "name", .conflict),
        ([("name", "a b"), ("role", "dpo")], "name", .unprocessableContent),
        ([("name", ""), ("role", "dpo")], "name", .badRequest),
        ([("name", "x"), ("role", "")], "role", .badRequest),
        ([("name", "x"), ("role", "superuser")], "role", .badRequest),
    ])
    func otherRefusalsOfTheAddForm(fields: [(String, String)], field: String, status: HTTPResponse.Status) async throws {
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let before = try state()
            let r = try await admin.post("/accounts", fields)
            #expect(r.status == status, "\(fields): \(r.text)")
            #expect(r.text.contains("<p class=\"field-error\" id=\"\(field)-error\">"), "\(fields): \(r.text)")
            #expect(shownToken(in: r.text) == nil)
            #expect(try state() == before)
        }
    }

    @Test func theLastActiveAdministratorIsRefusedInWordsAndNothingChanges() async throws {
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let before = try state()
            // Asked for anyway (the list offers no button): the confirmation, then 409 with the store's words.
            for lang in ["de", "en"] {
                let r = try await admin.post("/accounts/disable?lang=\(lang)", [("name", "test-admin"), ("confirm", "yes")])
                #expect(r.status == .conflict, "\(r.text)")
                #expect(r.text.contains("id=\"account-refused\" role=\"alert\""))
                #expect(r.text.contains(lang == "de" ? "letzte aktive Administrationskonto und wird nicht gesperrt" : "last active administrator and is not disabled"), "\(r.text)")
            }
            #expect(try state() == before)
            #expect(try await admin.get("/accounts").status == .ok, "the administrator's session lives on")
            // Disabled already, and no such account: said on the list too.
            try fixture.environment.gate.disableAccount(name: "test-dpo", actor: Actor(id: "test"))
            let again = try await admin.post("/accounts/disable", [("name", "test-dpo"), ("confirm", "yes")])
            #expect(again.status == .conflict && again.text.contains("ist bereits gesperrt"), "\(again.text)")
            let token = try await admin.post("/accounts/token", [("name", "test-dpo")])
            #expect(token.status == .conflict && shownToken(in: token.text) == nil, "\(token.text)")
            let unknown = try await admin.post("/accounts/token", [("name", "niemand")])
            #expect(unknown.status == .notFound && unknown.text.contains("kein Konto namens"), "\(unknown.text)")
            let unknownAsk = try await admin.post("/accounts/disable", [("name", "../x")])
            #expect(unknownAsk.status == .notFound, "\(unknownAsk.text)")
        }
    }

    @Test(arguments: ["/accounts", "/accounts/token", "/accounts/disable"])
    func missingOrWrongCSRFIsRefusedAndNothingChanges(path: String) async throws {
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let other = try await AdminPageSession.logIn(client)   // a valid token of another session
            let before = try state()
            let wrong = (admin.csrf.first == "x" ? "y" : "x") + admin.csrf.dropFirst()
            let fields = [("name", path == "/accounts" ? "mallory" : "test-dpo"), ("role", "admin"), ("confirm", "yes")]
            for csrf in [String??.none, .some(wrong), .some(other.csrf)] {
                let r = try await admin.post(path, fields, csrf: csrf)
                #expect(r.status == .forbidden, "\(path) \(String(describing: csrf)): \(r.status)")
                #expect(r.text.contains("CSRF") && shownToken(in: r.text) == nil)
            }
            #expect(try state() == before)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["dpo"]!)).status == .ok)
        }
    }

    @Test func otherRolesAreRefused() async throws {
        try await fixture.application().test(.router) { client in
            for role in AccountRole.allCases where role != .admin {
                let session = try #require(try await pageLogin(client, name: "test-\(role.rawValue)"))
                for uri in ["/accounts", "/keys"] {
                    let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: "cg_session=\(session)"])
                    #expect(r.status == .forbidden && r.text.contains("darf das nicht"), "\(uri) as \(role)")
                }
                let start = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
                #expect(!start.text.contains("href=\"/accounts\"") && !start.text.contains("href=\"/keys\""), "\(role)")
            }
        }
    }

    /// Collects log lines.
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func aNewTokenIsInNoLogLine() async throws {
        let out = Lines()
        var logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: out, metadataProvider: nil) }
        logger.logLevel = .trace
        let tokens = try await WebApplication.build(environment: fixture.environment, logger: logger).test(.live) { client in
            let admin = try await AdminPageSession.logIn(client)
            let created = try #require(shownToken(in: try await admin.post("/accounts", [("name", "carla"), ("role", "dpo")]).text))
            let renewed = try #require(shownToken(in: try await admin.post("/accounts/token", [("name", "carla")]).text))
            // A refusal logged nothing of the earlier answers either.
            _ = try await admin.post("/accounts", [("name", "carla"), ("role", "dpo")])
            return [created, renewed]
        }
        #expect(!out.all.isEmpty, "the service logged nothing: the check would prove nothing")
        for token in tokens { #expect(!out.all.joined().contains(token)) }
    }
}

import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The 401/403 matrix, derived from the route catalog so a new route is covered the day it is added:
/// every protected route answers 401 without credentials and 403 to every role it does not allow,
/// and lets every allowed role past the access check (whatever the handler then says, never 401/403
/// for lack of role).
@Suite struct AccessMatrixTests {
    @Test func everyProtectedRouteEnforcesItsRoles() async throws {
        let fixture = try WebFixture()
        let app = fixture.application()
        let routes = fixture.environment.catalog.routes
        #expect(routes.contains { $0.access != .open })
        try await app.test(.router) { client in
            // One page session per role.
            var sessions: [AccountRole: String] = [:]
            for role in AccountRole.allCases { sessions[role] = try await pageLogin(client, name: "test-\(role.rawValue)") }
            for route in routes {
                guard case let .roles(allowed) = route.access else { continue }
                let uri = route.path.replacingOccurrences(of: "{", with: "x").replacingOccurrences(of: "}", with: "")
                let method = HTTPRequest.Method(route.method)!
                let anonymous = try await client.execute(uri: uri, method: method)
                #expect(anonymous.status == .unauthorized, "\(route) without credentials")
                for role in AccountRole.allCases {
                    var headers: HTTPFields
                    switch route.kind {
                    case .api: headers = bearer(fixture.tokens[role.rawValue]!)
                    default: headers = [.cookie: "cg_session=\(sessions[role]!)"]
                    }
                    if method == .post { headers[.contentType] = route.kind == .api ? "application/json" : "application/x-www-form-urlencoded" }
                    let r = try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: route.kind == .api ? "{}" : ""))
                    if allowed.contains(role) {
                        #expect(r.status != .unauthorized, "\(route) as \(role)")
                        #expect(r.errorCode != "forbidden" && !r.text.contains("darf das nicht"), "\(route) as \(role): \(r.status)")
                    } else {
                        #expect(r.status == .forbidden, "\(route) as \(role)")
                        #expect(r.text.contains("darf das nicht"), "\(route) as \(role)")
                    }
                }
            }
        }
    }
}

/// The OpenAPI document and the router describe the same routes.
@Suite struct OpenAPITests {
    /// `METHOD path` pairs of the document's `paths:` section (two-space path keys, four-space methods).
    static func documentedRoutes(_ yaml: String) -> Set<String> {
        var result: Set<String> = []
        var inPaths = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = false; continue }
            if line.hasPrefix("  /") && line.hasSuffix(":") && !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
            } else if let current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(method)) { result.insert("\(method.uppercased()) \(current)") }
            }
        }
        return result
    }

    @Test func routerCatalogAndDocumentAgree() throws {
        let fixture = try WebFixture()
        let router = WebApplication.buildRouter(environment: fixture.environment)
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let catalogued = Set(fixture.environment.catalog.routes.map { "\($0.method) \($0.path)" })
        let documented = Self.documentedRoutes(OpenAPIDocument.yaml)
        #expect(registered.count >= 10)
        #expect(registered == catalogued)
        #expect(registered.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not routed: \(documented.subtracting(registered).sorted())")
    }

    /// Roles in the document (`x-roles`) are those the router enforces.
    @Test func documentedRolesMatch() throws {
        let fixture = try WebFixture()
        _ = WebApplication.buildRouter(environment: fixture.environment)
        let yaml = OpenAPIDocument.yaml
        for route in fixture.environment.catalog.routes where route.kind == .api {
            guard case let .roles(roles) = route.access else { continue }
            let pathStart = try #require(yaml.range(of: "\n  \(route.path):\n"), "\(route.path)")
            let methodStart = try #require(yaml.range(of: "\n    \(route.method.lowercased()):\n", range: yaml.index(before: pathStart.upperBound)..<yaml.endIndex))
            let rolesLine = try #require(yaml.range(of: "x-roles: [", range: methodStart.upperBound..<yaml.endIndex))
            let list = yaml[rolesLine.upperBound...].prefix { $0 != "]" }
            #expect(Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) == Set(roles.map(\.rawValue)), "\(route)")
        }
    }

    @Test func servedDocumentIsTheDocsFile() async throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml")
        let file = try String(contentsOf: docs, encoding: .utf8)
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(r.status == .ok)
            #expect(r.text == file, "docs/openapi.yaml and the served document differ: the served text is in Sources/WebService/OpenAPI/OpenAPIDocument*.swift")
            #expect(r.text.hasPrefix("openapi: 3.1.0\n"))
        }
    }
}

/// The document is valid OpenAPI 3.1 by an independent validator (Python's `openapi-spec-validator`).
@Suite struct OpenAPIValidityTests {
    static let validatorAvailable: Bool = {
        (try? python("import openapi_spec_validator, yaml; print('ok')"))?.contains("ok") == true
    }()

    @Test(.enabled(if: validatorAvailable, "Python openapi-spec-validator not installed: validity check skipped (pip install openapi-spec-validator)"))
    func documentIsValidOpenAPI31() throws {
        let docs = WebFixture.root.appendingPathComponent("docs/openapi.yaml").path
        let out = try python("""
            import sys, yaml
            from openapi_spec_validator import validate
            try:
                validate(yaml.safe_load(open(sys.argv[1])))
                print("valid")
            except Exception as e:
                print("invalid:", e)
            """, docs)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "valid", "\(out)")
    }
}

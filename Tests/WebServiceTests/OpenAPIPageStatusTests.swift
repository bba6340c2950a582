import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The statuses the OpenAPI document gives the pages are the ones they answer: every `GET` page answers, to an
/// allowed role and to no one, only statuses its operation documents, and no `GET` page documents a redirect it
/// never makes (only `/` and `/login` redirect).
@Suite struct OpenAPIPageStatusTests {
    /// The status codes documented for `method` on `path` (the `"NNN":` keys of its `responses`).
    static func documentedStatuses(_ yaml: String, path: String, method: String) -> Set<Int> {
        var statuses: Set<Int> = []
        var inPath = false, inMethod = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /") && !line.hasPrefix("   ") { inPath = line == "  \(path):"; inMethod = false; continue }
            guard inPath else { continue }
            if line.hasPrefix("    ") && !line.hasPrefix("     ") && line.hasSuffix(":") {
                inMethod = line.trimmingCharacters(in: .whitespaces) == "\(method):"
                continue
            }
            guard inMethod, line.hasPrefix("        \""), !line.hasPrefix("         ") else { continue }
            if let code = Int(line.dropFirst(9).prefix(3)) { statuses.insert(code) }
        }
        return statuses
    }

    @Test func getPagesAnswerOnlyDocumentedStatuses() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let yaml = OpenAPIDocument.yaml
        try await fixture.application().test(.router) { client in
            var sessions: [AccountRole: String] = [:]
            for role in AccountRole.allCases { sessions[role] = try await pageLogin(client, name: "test-\(role.rawValue)") }
            let pages = fixture.environment.catalog.routes.filter { $0.kind == .page && $0.method == "GET" }
            #expect(pages.count >= 8)
            for route in pages {
                let documented = Self.documentedStatuses(yaml, path: route.path, method: "get")
                #expect(!documented.isEmpty, "\(route.path) has no documented responses")
                if route.path != "/" && route.path != "/login" {
                    #expect(!documented.contains(303), "\(route.path) documents a redirect it never makes")
                }
                let uri = route.path.replacingOccurrences(of: "{index}", with: "0")
                    .replacingOccurrences(of: "{id}", with: "2f0c6a52-5b43-4a8e-9a4e-0c3f1b7d9e11")
                var answers: [(String, Int)] = []
                answers.append(("no one", Int(try await client.execute(uri: uri, method: .get).status.code)))
                if case let .roles(allowed) = route.access, let role = allowed.sorted(by: { $0.rawValue < $1.rawValue }).first {
                    let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: "cg_session=\(sessions[role]!)"])
                    answers.append((role.rawValue, Int(r.status.code)))
                }
                for (who, status) in answers {
                    #expect(documented.contains(status), "GET \(route.path) as \(who): \(status) is not among \(documented.sorted())")
                }
            }
        }
    }
}

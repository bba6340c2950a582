import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The language switch link is built from the request path, so it must stay on this site whatever the
/// path: never `//host` (a protocol-relative link to another site, on a ConsentGate page), also not
/// through `\`, tabs or line breaks that browsers rewrite or drop. It keeps the page's query.
@Suite struct LanguageLinkTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// The `href` of the language navigation's link.
    static func switchLink(_ html: String) -> String? {
        guard let nav = html.range(of: "<nav class=\"language\"") else { return nil }
        guard let href = html.range(of: "href=\"", range: nav.upperBound..<html.endIndex) else { return nil }
        return String(html[href.upperBound...].prefix { $0 != "\"" })
    }

    @Test(arguments: ["//evil.example", "///evil.example", "//evil.example/login", "/\\evil.example", "/%5Cevil.example",
                      "//evil.example?x=1", "/%2F%2Fevil.example", "//login"])
    func theSwitchLinkNeverLeavesTheSite(path: String) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: path, method: .get)
            let link = try #require(Self.switchLink(r.text), "\(path): no language link in \(r.text)")
            #expect(link.hasPrefix("/"), "\(path) → \(link)")
            #expect(!link.hasPrefix("//"), "\(path) → \(link)")
            #expect(!link.contains("\\"), "\(path) → \(link)")
            #expect(link.hasSuffix("lang=en"), "\(path) → \(link)")
        }
    }

    @Test func theSwitchLinkKeepsTheQuery() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/login?loggedout=1", method: .get)
            #expect(Self.switchLink(r.text) == "/login?loggedout=1&amp;lang=en", "\(Self.switchLink(r.text) ?? "-")")
            let en = try await client.execute(uri: "/login?lang=en&loggedout=1", method: .get)
            #expect(Self.switchLink(en.text) == "/login?loggedout=1&amp;lang=de", "\(Self.switchLink(en.text) ?? "-")")
        }
    }
}

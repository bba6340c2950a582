import Diagnostics
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// `/keys`: an administrator sees every key of the trust store the service loaded (the repository's demo keys), with
/// roles, validity window, revocation, demo flag and state in words, in German and English, read-only (no form), with
/// the note on `consentgate keys` and the restart; never a private key file.
@Suite struct KeyListPageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test(arguments: [Language.de, .en])
    func listsTheDemoKeysReadOnly(language: Language) async throws {
        let store = try TrustStore.load(file: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true)
        #expect(store.entries.count >= 5)
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-admin"))
            let r = try await client.execute(uri: "/keys?lang=\(language.rawValue)", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(r.status == .ok, "\(r.text)")
            let html = r.text
            // Every key, in the store's order, with its name and whether it is a demo key.
            let shown = html.components(separatedBy: "<tr data-kid=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(shown == store.entries.map(\.kid))
            for key in store.entries {
                #expect(html.contains("<code class=\"kid\">\(key.kid)</code><br>\(key.name)"), "\(key.kid)")
            }
            #expect(html.components(separatedBy: "<td data-demo=\"true\">").count - 1 == store.entries.filter(\.demo).count)
            #expect(html.components(separatedBy: "<td data-state=\"valid\">").count - 1 == store.entries.count)
            #expect(!html.contains("<form method=\"post\"") || html.components(separatedBy: "<form method=\"post\"").count == 2, "only the logout form")
            #expect(!html.contains(".key.pem") && !html.contains("PRIVATE"))
            switch language {
            case .de:
                #expect(html.contains("<h1>Schlüssel</h1>") && html.contains("<code>audit-log</code>: signiert die Prüfpunkte des Prüfprotokolls"))
                #expect(html.contains("ja (Demo-Schlüssel)") && html.contains("<td data-state=\"valid\">gültig</td>"))
                #expect(html.contains("consentgate keys") && html.contains("erst nach einem Neustart von consentgate serve"))
                #expect(html.contains("<a href=\"/keys\" aria-current=\"page\">Schlüssel</a>"))
                #expect(html.contains("MEZ</time>") || html.contains("MESZ</time>"))
            case .en:
                #expect(html.contains("<h1>Keys</h1>") && html.contains("<code>consent-signer</code>: signs consents and withdrawals"))
                #expect(html.contains("yes (demo key)") && html.contains("<td data-state=\"valid\">valid</td>"))
                #expect(html.contains("only after a restart of consentgate serve"))
            }
        }
    }
}

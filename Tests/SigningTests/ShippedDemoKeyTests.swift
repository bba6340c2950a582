import Foundation
import TestFolders
import Testing
@testable import Signing

/// A key shipped in `keys/demo/` is a demo key whatever its trust store entry says: anyone with the repository holds
/// its private key and passphrase. An entry without `demo: true` trusted it outside demo mode, and a consent forged with
/// it released health notes (consent review, session 40, M2).
@Suite struct ShippedDemoKeyTests {
    /// The list in the code is the folder's: every `keys/demo/*.pub.pem` by its thumbprint, and nothing else.
    @Test func theListIsTheShippedFolder() throws {
        let folder = TestSupport.packageRoot.appendingPathComponent("keys/demo")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pub.pem") }
        let kids = try files.map { try PublicKey(file: folder.appendingPathComponent($0).path).kid }
        #expect(!kids.isEmpty)
        #expect(Set(kids) == ShippedDemoKeys.kids)
    }

    /// The shipped consent-signer key entered as a production key (no `demo:` line, or `demo: false`).
    @Test(arguments: ["", "    demo: false\n"])
    func anEntryThatDoesNotSayDemoIsStillRefusedOutsideDemoMode(_ demoLine: String) throws {
        let folder = try TemporaryDirectory("shipped-demo-key")
        let pub = TestSupport.packageRoot.appendingPathComponent("keys/demo/consent-signer.pub.pem").path
        let kid = try PublicKey(file: pub).kid
        let yaml = """
            version: 1
            keys:
              - kid: "\(kid)"
                name: "Partner-Schlüssel"
                algorithm: ed25519
                public-key: "\(pub)"
                roles: [consent-signer]
                not-before: "2020-01-01T00:00:00Z"
                not-after: "2036-01-01T00:00:00Z"

            """ + demoLine
        let file = folder.url.appendingPathComponent("trust.yaml")
        try Data(yaml.utf8).write(to: file)
        let store = try TrustStore.load(file: file.path, demoMode: false)
        #expect(store.entries.first?.demo == true)
        #expect {
            try store.key(kid: kid, role: .consentSigner, at: Date())
        } throws: { error in
            guard case let .keyNotTrusted(_, reason) = error as? SigningError else { return false }
            return reason.en.contains("demo key refused outside demo mode") && reason.en.contains("its private key and passphrase are public")
                && reason.de.contains("sein privater Schlüssel und seine Passphrase sind öffentlich")
        }
        #expect(store.historicalKeys(for: .consentSigner).isEmpty)
        // In demo mode it is the demo key it is.
        let demo = try TrustStore.load(file: file.path, demoMode: true)
        #expect(try demo.key(kid: kid, role: .consentSigner, at: Date()).kid == kid)
    }
}

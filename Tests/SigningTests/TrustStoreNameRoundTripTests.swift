import Foundation
import Testing
@testable import Signing

/// A key's name comes back from the trust file exactly as it was saved, whatever characters it holds. Found in a key
/// review: the writer quoted names as JSON does, but YAML does not take DEL and the C1 controls literally, and reads NEL
/// (U+0085) as a line break, so `keys generate --name` with DEL wrote a store no command could load again, and one with
/// NEL came back with a space.
@Suite struct TrustStoreNameRoundTripTests {
    @Test(arguments: ["Del\u{7F}key", "C1\u{90}x", "NEL\u{85}x", "line\u{2028}sep", "para\u{2029}sep", "bom\u{FEFF}x", "non\u{FFFE}char", "non\u{FFFF}char",
                      "tab\tand \"quotes\" and \\ backslash", "Ausländerbehörde Siegburg", "newline\nin name"])
    func aNameSurvivesSaveAndLoad(_ name: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate()
        try key.publicKey.write(to: dir.appendingPathComponent("k.pub.pem").path)
        let entry = TrustedKey(kid: key.publicKey.kid, name: name, publicKey: key.publicKey, publicKeyFile: "k.pub.pem",
                               privateKeyFile: nil, roles: [.consentSigner], notBefore: RFC3339.parse("2025-01-01T00:00:00Z")!,
                               notAfter: RFC3339.parse("2030-01-01T00:00:00Z")!, revokedAt: nil, demo: false)
        let file = dir.appendingPathComponent("trust.yaml").path
        try TrustStore(keys: [entry], demoMode: false, directory: dir.path).save(to: file)
        let loaded = try TrustStore.load(file: file, demoMode: false)
        #expect(loaded.entries.map(\.name) == [name])
    }

    @Test func onlyWhatYAMLRefusesIsEscapedFurther() {
        #expect(TrustStoreWriter.quote("a\u{7F}b\u{85}c") == #""a\u007Fb\u0085c""#)
        #expect(TrustStoreWriter.quote("Behörde") == "\"Behörde\"")
    }
}

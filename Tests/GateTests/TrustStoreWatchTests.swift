import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// A long-running process (`serve`) learns that the trust store file no longer says what it opened with: a key revoked
/// or added in the file, or a file that no longer loads. Re-saving the same store is no change; putting the old file back
/// is in step again. Real key files and a real trust store file in a temporary installation.
@Suite struct TrustStoreWatchTests {
    /// The events of a `.changed` state as `kid event` (nil for any other state).
    static func events(_ state: TrustStoreFileState) -> [String]? {
        guard case let .changed(events) = state else { return nil }
        return events.map { "\($0.kid) \($0.event)" }
    }

    @Test func changesInTheFileAreSeenUntilTheyAreUndone() throws {
        let inst = try GateTestInstallation()
        let always = (Date(timeIntervalSince1970: 0), Date().addingTimeInterval(86_400 * 365))
        let made = try inst.realConfiguration(keys: [.init(name: "audit", role: .auditLog, notBefore: always.0, notAfter: always.1),
                                                     .init(name: "consents", role: .consentSigner, notBefore: always.0, notAfter: always.1)])
        let file = made.configuration.trustFile
        let gate = try Gate.open(made.configuration, actor: Actor(id: "test-system"))
        #expect(Self.events(gate.trustStoreFileState()) == nil)
        guard case .unchanged = gate.trustStoreFileState() else { Issue.record("a fresh installation is in step"); return }
        let original = try Data(contentsOf: URL(fileURLWithPath: file))

        // Saved again with the same content (a new file, a new inode): no change of trust.
        try TrustStore.load(file: file, demoMode: false).save(to: file)
        guard case .unchanged = gate.trustStoreFileState() else { Issue.record("re-saving the same store is no change"); return }

        // The consent key revoked in the file.
        let store = try TrustStore.load(file: file, demoMode: false)
        var revoked = store.entries
        let index = try #require(revoked.firstIndex { $0.kid == made.kids["consents"] })
        revoked[index].revokedAt = Date()
        var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
        for key in revoked { try edited.add(key) }
        try edited.save(to: file)
        #expect(Self.events(gate.trustStoreFileState()) == ["\(made.kids["consents"]!) revoked"])
        #expect(Self.events(gate.trustStoreFileState()) == ["\(made.kids["consents"]!) revoked"], "asked again: the same answer")

        // A file that no longer loads.
        try Data("version: 1\nkeys: [\n".utf8).write(to: URL(fileURLWithPath: file))
        guard case .unreadable = gate.trustStoreFileState() else { Issue.record("a broken file is unreadable"); return }

        // The original back: in step again.
        try original.write(to: URL(fileURLWithPath: file))
        guard case .unchanged = gate.trustStoreFileState() else { Issue.record("the original file is in step"); return }

        // A key added (as `keys generate` would): trusted.
        let key = try PrivateKey.generate(.ed25519)
        let keys = URL(fileURLWithPath: file).deletingLastPathComponent()
        try key.publicKey.write(to: keys.appendingPathComponent("new.pub.pem").path)
        var grown = try TrustStore.load(file: file, demoMode: false)
        try grown.add(TrustedKey(kid: key.publicKey.kid, name: "new", publicKey: key.publicKey, publicKeyFile: "new.pub.pem", privateKeyFile: nil,
                                 roles: [.consentSigner], notBefore: always.0, notAfter: always.1, revokedAt: nil, demo: false))
        try grown.save(to: file)
        #expect(Self.events(gate.trustStoreFileState()) == ["\(key.publicKey.kid) trusted"])
        // The process itself still works with the store it opened with.
        #expect(!gate.trustStore.entries.contains { $0.kid == key.publicKey.kid })
    }
}

import Foundation
import Testing
@testable import Signing

/// Private key files as installations keep them: behind a symlink (a secret mounted by the service manager or
/// a container orchestrator is a link into a `..data` folder), judged by the file that holds the key.
@Suite struct KeyFileReviewTests {
    /// An installation whose key `a` lives in `secrets/` and is reached through the symlink `a.key.pem`.
    static func linkedInstallation() throws -> (SigningKeyRingTests.Installation, kid: String, target: String) {
        var inst = try SigningKeyRingTests.Installation()
        let kid = try inst.add("a", roles: [.consentSigner], from: "2020-01-01T00:00:00Z", to: "2040-01-01T00:00:00Z")
        let secrets = inst.dir.appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        let link = inst.dir.appendingPathComponent("a.key.pem").path
        let target = secrets.appendingPathComponent("a.key.pem").path
        try FileManager.default.moveItem(atPath: link, toPath: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        return (inst, kid, target)
    }

    /// The link itself always shows mode 0777; only the target's mode says who can read the key. A 0600 target
    /// is accepted (before: refused as "mode 777; run chmod 600", which changes the target and never helps).
    @Test func aPrivateKeyBehindASymlinkIsJudgedByItsTarget() throws {
        let (inst, kid, _) = try Self.linkedInstallation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        let key = try inst.ring().signingKey(kid: kid, role: .consentSigner)
        #expect(key.kid == kid)
    }

    /// A target others (or its group) can read is still refused, and the message names the target's mode and who may
    /// read it (0640 is "readable by its group", not "by others": found in a key review).
    @Test(arguments: [(0o644, "by others"), (0o640, "by its group"), (0o604, "by others")])
    func aReadableTargetBehindASymlinkIsRefused(mode: Int, who: String) throws {
        let (inst, kid, target) = try Self.linkedInstallation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
        #expect {
            try inst.ring().signingKey(kid: kid, role: .consentSigner)
        } throws: { error in
            guard case let .invalidKey(_, reason) = error as? SigningError else { return false }
            return reason.en.contains("readable \(who) (mode \(String(mode, radix: 8)))")
        }
    }

    /// A passphrase or key file that is missing or a folder: the reason in the user's language, not English
    /// inside a German message ("nicht lesbar: no such file").
    @Test(arguments: ["missing", "folder"], ["passphrase", "key"])
    func anUnreadableFileIsExplainedInBothLanguages(situation: String, file: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.pem").path
        if situation == "folder" { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        let (de, en) = situation == "folder" ? ("ist ein Ordner, keine Datei", "is a folder, not a file") : ("keine solche Datei", "no such file")
        #expect {
            if file == "passphrase" { _ = try PassphraseSource.file(path).passphrase() } else { _ = try PrivateKey(file: path, passphrase: "x") }
        } throws: { error in
            guard let e = error as? SigningError else { return false }
            // A passphrase file is named as such (`unreadablePassphraseFile`, PassphraseFileMessageCLITests).
            if file == "passphrase" {
                guard case .unreadablePassphraseFile = e else { return false }
                return e.message(in: .de) == "Passphrasendatei \(path) nicht lesbar: \(de)"
                    && e.message(in: .en) == "passphrase file \(path) cannot be read: \(en)" && e.category == .invalidInput
            }
            guard case .unreadableFile = e else { return false }
            return e.message(in: .de) == "\(path): nicht lesbar: \(de)" && e.message(in: .en) == "\(path): cannot be read: \(en)"
                && e.category == .invalidInput
        }
    }
}

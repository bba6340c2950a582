import Foundation
import ChildProcess
import TestFolders
import Testing

/// A key file another user owns (`keys generate` run as root in an installation the service account runs, the key
/// review's I6): the service account's command says who owns the file, as whom it runs, and the `chown` that hands it
/// over, besides "no permission to read it", in German and English, and the trust store line (exit 3). A real process
/// run as `nobody` (through `setpriv`) on a key file root owns with mode 0600; skipped when the tests do not run as root.
@Suite struct KeyFileOwnerCLITests {
    @Test func aKeyFileOfAnotherUserIsNamedWithItsOwnerAndTheChown() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let folder = try TemporaryDirectory("cli-key-owner")
        let real = try CLIRealInstallation(folder, keys: [("exports", "export-signer")])
        // Everything but the private key readable by `nobody`, as the service account reads the installation.
        let keys = folder.path + "/keys"
        for path in [folder.path, keys] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: real.passphraseFile)
        let keyFile = try #require(try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasSuffix(".key.pem") })
        let message = folder.path + "/message.txt"
        try Data("to sign\n".utf8).write(to: URL(fileURLWithPath: message))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: message)
        let kid = try #require(try String(contentsOfFile: real.trust, encoding: .utf8).components(separatedBy: "\n")
            .first { $0.contains("kid:") }?.split(separator: "\"").dropFirst().first.map(String.init))

        for (language, words) in [("en", "no permission to read it; the file belongs to root, and this command runs as nobody: run it as root, or hand the file over (as root: chown nobody \(keys)/\(keyFile))"),
                                  ("de", "keine Leseberechtigung; die Datei gehört root, dieser Befehl läuft als nobody: als root ausführen oder die Datei übergeben (als root: chown nobody \(keys)/\(keyFile))")] {
            let r = try Spawn.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                                       try CLIRunner.executableURL.path, "keys", "sign", "--key", kid, "--in", message,
                                                       "--out", folder.path + "/message.sig", "--trust", real.trust,
                                                       "--passphrase-file", real.passphraseFile],
                                  environment: .exactly(["CONSENTGATE_LANG": language, "PATH": "/usr/bin:/bin"]), timeout: 60)
            let stderr = String(decoding: r.stderr, as: UTF8.self)
            #expect(r.status == 3, "\(language): \(r.status) \(stderr)")
            #expect(stderr.contains(words), "\(language): \(stderr)")
            #expect(stderr.contains("\(real.trust):"), "the trust store line: \(stderr)")
        }
    }
}

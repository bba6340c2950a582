import ChildProcess
import Foundation
import TestFolders
import Testing

/// A running `serve` notices an edit of its trust store file (here: the consent key revoked, as an administrator writes
/// `revoked-at` into `keys/trust.yaml`): within its 10 s check its log warns that the change counts only after a restart,
/// naming the key, and `/metrics` shows `consentgate_trust_store_changed 1`. Before, nothing told that the running
/// service still signed with the key the file had revoked.
@Suite struct ServeTrustStoreChangeCLITests {
    @Test func aRevocationWhileServeRunsIsLoggedAndShownInMetrics() throws {
        let folder = try TemporaryDirectory("cli-serve-trust-change")
        let real = try CLIRealInstallation(folder, keys: [("audit", "audit-log"), ("consents", "consent-signer")])
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CONSENTGATE_PASSPHRASE")
        let p = try Spawn.start(try CLIRunner.executableURL.path, ["serve", "--port", "0", "--passphrase-file", real.passphraseFile] + real.arguments,
                                environment: .exactly(env))
        defer { p.terminate(); _ = try? p.waitForExit(timeout: 20) }
        let printed = p.waitForStandardOutput(timeout: 60) { $0.contains("/  (") }
        let url = try #require(printed.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/).map { String($0.output) }, "\(printed)")
        func metric() throws -> String? {
            let r = try Spawn.start("/usr/bin/curl", ["-fsS", url + "/metrics"]).waitForExit(timeout: 30)
            let text = r.stdoutText
            return text.split(separator: "\n").first { $0.hasPrefix("consentgate_trust_store_changed ") }.map { String($0.split(separator: " ")[1]) }
        }
        #expect(try metric() == "0")

        // Revoke the consent key in the file: a `revoked-at` line after its `not-after`.
        let yaml = try String(contentsOfFile: real.trust, encoding: .utf8)
        var lines = yaml.components(separatedBy: "\n")
        let consentsAt = try #require(lines.firstIndex { $0.contains("name: \"consents\"") })
        let notAfterAt = try #require(lines.indices.first { $0 > consentsAt && lines[$0].contains("not-after:") })
        let indent = String(lines[notAfterAt].prefix { $0 == " " })
        lines.insert(indent + "revoked-at: \"2026-01-01T00:00:00Z\"", at: notAfterAt + 1)
        try lines.joined(separator: "\n").write(toFile: real.trust, atomically: true, encoding: .utf8)
        let kidLine = try #require(lines[..<consentsAt].last { $0.contains("kid:") })
        let kid = try #require(kidLine.split(separator: "\"").dropFirst().first.map(String.init), "\(kidLine)")

        #expect(try metric() == "1")
        var log = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            log = String(decoding: p.capturedStandardError(), as: UTF8.self) + String(decoding: p.capturedStandardOutput(), as: UTF8.self)
            if log.contains("trust store file changed") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(log.contains("trust store file changed since this service started") && log.contains("\(kid) revoked")
                && log.contains("restart"), "\(log)")
    }
}

import Foundation
import Testing

/// `keys list` and `keys show` say when a private key file is weakly encrypted (keys review, I5: a key re-encrypted with
/// the stock `openssl`'s defaults was used without a word), in German and English, naming the file and the `openssl`
/// command that re-encrypts it; running that very command makes the warning go. Nothing needs the passphrase.
@Suite struct WeakKeyFileCLITests {
    @Test func aWeakKeyFileIsWarnedOfUntilReencryptedWithTheCommandGiven() throws {
        let inst = try KeysCLITests.Installation()
        let file = inst.path("keys/demo/consent-signer.key.pem")
        let kid = try inst.demoKid("consent-signer")
        // As the trust store names it, from the installation's folder (where the commands run).
        let shown = "keys/demo/consent-signer.key.pem"
        // Re-encrypted as `openssl`'s defaults do (AES-256-CBC, PBKDF2 with 2,048 rounds), with the same passphrase.
        let weak = try CLIRunner.runTool("openssl", ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", file, "-out", file + ".weak",
                                                     "-passin", "pass:consentgate-demo", "-passout", "pass:consentgate-demo"])
        try #require(weak.exitCode == 0, "\(weak)")
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.moveItem(atPath: file + ".weak", toPath: file)

        for (language, words) in [("en", "warning: the private key file \(shown) of key \(kid) (Demo consent-signer (Ed25519)) is weakly encrypted: only 2048 key-derivation rounds"),
                                  ("de", "Warnung: die private Schlüsseldatei \(shown) des Schlüssels \(kid) (Demo consent-signer (Ed25519)) ist schwach verschlüsselt: nur 2048 Runden")] {
            let list = try inst.run(["keys", "list"], env: ["CONSENTGATE_LANG": language])
            #expect(list.exitCode == 0 && list.stdout.contains(kid), "\(list)")
            #expect(list.stderr.contains(words), "\(list)")
            #expect(list.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "only the weak file: \(list)")
            #expect(list.stderr.contains("openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 600000 -in \(shown) -out \(shown).new"), "\(list)")
        }
        let show = try inst.run(["keys", "show", "--kid", kid])
        #expect(show.exitCode == 0 && show.stdout.contains("encryption: AES-256-CBC, PBKDF2 (hmacWithSHA256, 2048 rounds)"), "\(show)")
        #expect(show.stderr.contains("is weakly encrypted"), "\(show)")
        let json = try inst.run(["keys", "show", "--json", "--kid", kid])
        let protection = try #require(json.json?["private-key-protection"] as? [String: Any], "\(json)")
        #expect(protection["kdf"] as? String == "pbkdf2" && protection["iterations"] as? Int == 2048
                && (protection["weaknesses"] as? [String])?.count == 1, "\(json)")

        // The command the warning gives, with the passphrase supplied as an administrator would type it.
        let fixed = try CLIRunner.runTool("openssl", ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-iter", "600000",
                                                      "-in", file, "-out", file + ".new",
                                                      "-passin", "pass:consentgate-demo", "-passout", "pass:consentgate-demo"])
        try #require(fixed.exitCode == 0, "\(fixed)")
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.moveItem(atPath: file + ".new", toPath: file)
        let after = try inst.run(["keys", "list"])
        #expect(after.exitCode == 0 && after.stderr.isEmpty, "\(after)")
        // And the key still signs, as before.
        let sign = try inst.run(["keys", "sign", "--demo", "--key", kid, "--role", "consent-signer", "--in", inst.path("msg.txt"), "--out", inst.path("msg.sig")])
        #expect(sign.exitCode == 0, "\(sign)")
    }
}

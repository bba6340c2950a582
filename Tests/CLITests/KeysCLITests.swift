import Foundation
import TestFolders
import Testing

/// `consentgate keys …` run as a user runs it, on a copy of the shipped `keys/` folder.
@Suite struct KeysCLITests {
    /// A temporary installation: a copy of the repository's `keys/` plus a message and its demo signature.
    struct Installation {
        /// The folder, removed when the test lets go of the installation (or earlier by `remove()`).
        let folder: TemporaryDirectory
        var dir: URL { folder.url }
        init() throws {
            folder = try TemporaryDirectory("cli-test")
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("keys"),
                                             to: folder.url.appendingPathComponent("keys"))
            try Data("Registrierungsliste 2026-11-25\n".utf8).write(to: url("msg.txt"))
        }
        func url(_ name: String) -> URL { dir.appendingPathComponent(name) }
        func path(_ name: String) -> String { url(name).path }
        func run(_ args: [String], env: [String: String] = [:]) throws -> CLIResult {
            try CLIRunner.run(args, environment: env, workingDirectory: dir)
        }
        func remove() { try? FileManager.default.removeItem(at: dir) }

        /// The kid of the shipped demo key whose public key file is `keys/demo/<stem>.pub.pem`.
        func demoKid(_ stem: String) throws -> String {
            let list = try run(["keys", "list", "--json"])
            let keys = try #require(list.json?["keys"] as? [[String: Any]], "\(list)")
            let entry = try #require(keys.first { $0["public-key"] as? String == "demo/\(stem).pub.pem" })
            return try #require(entry["kid"] as? String)
        }
    }

    @Test func listAndShowTheShippedDemoKeys() throws {
        let list = try CLIRunner.run(["keys", "list", "--json"])
        #expect(list.exitCode == 0, "\(list)")
        let keys = try #require(list.json?["keys"] as? [[String: Any]])
        #expect(keys.count == 5)
        #expect(keys.allSatisfy { $0["demo"] as? Bool == true && $0["state"] as? String == "valid" })
        let es = try #require(keys.first { $0["algorithm"] as? String == "p256" })
        let show = try CLIRunner.run(["keys", "show", es["kid"] as! String, "--json"])
        #expect(show.exitCode == 0, "\(show)")
        #expect((show.json?["jwk"] as? [String: Any])?["crv"] as? String == "P-256")
        #expect(show.json?["roles"] as? [String] == ["consent-signer"])
        let human = try CLIRunner.run(["keys", "show", es["kid"] as! String], environment: ["CONSENTGATE_LANG": "de"])
        #expect(human.stdout.contains("nur mit --demo verwendbar") && human.stdout.contains("-----BEGIN PUBLIC KEY-----"))
    }

    /// Sign with each shipped consent-signer demo key, check with the stock openssl command and with `keys verify`.
    @Test(arguments: ["consent-signer", "consent-signer-es256"])
    func demoSignVerifiesWithOpenSSLAndKeysVerify(stem: String) throws {
        let inst = try Installation()
        defer { inst.remove() }
        let kid = try inst.demoKid(stem)
        let sign = try inst.run(["keys", "sign", "--demo", "--key", kid, "--role", "consent-signer", "--in", "msg.txt", "--out", "msg.sig", "--json"])
        #expect(sign.exitCode == 0, "\(sign)")
        #expect(sign.json?["kid"] as? String == kid)
        let sig = try Data(contentsOf: inst.url("msg.sig"))
        let pub = "keys/demo/\(stem).pub.pem"
        if stem.hasSuffix("es256") {
            #expect(sig.first == 0x30)
            let ossl = try CLIRunner.runTool("openssl", ["dgst", "-sha256", "-verify", pub, "-signature", "msg.sig", "msg.txt"], workingDirectory: inst.dir)
            #expect(ossl.stdout.contains("Verified OK"), "\(ossl)")
        } else {
            #expect(sig.count == 64)
            let ossl = try CLIRunner.runTool("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", "msg.txt", "-sigfile", "msg.sig"], workingDirectory: inst.dir)
            #expect(ossl.stdout.contains("Signature Verified Successfully"), "\(ossl)")
        }
        let verify = try inst.run(["keys", "verify", "--demo", "--key", kid, "--in", "msg.txt", "--sig", "msg.sig", "--role", "consent-signer"])
        #expect(verify.exitCode == 0, "\(verify)")
        #expect(verify.stdout.contains("signature valid"))
        let strict = try inst.run(["keys", "verify", "--key", kid, "--in", "msg.txt", "--sig", "msg.sig"])
        #expect(strict.exitCode == 4 && strict.stderr.contains("demo key refused"), "\(strict)")
    }

    /// A signature file of the wrong form is a format mistake (exit 3) that says what the file holds; before, each was
    /// "does not verify" (exit 4), which tells a partner the data were altered.
    @Test(arguments: [
        ("consent-signer", "empty", "0 bytes, expected exactly 64 bytes"),
        ("consent-signer", "base64", "88 bytes, expected exactly 64 bytes; the file is text (base64 or hex?)"),
        ("consent-signer", "cut", "63 bytes, expected exactly 64 bytes"),
        ("consent-signer-es256", "base64", "not a P-256 signature in DER form (ECDSA-Sig-Value, 8 to 72 bytes):"),
        ("consent-signer-es256", "raw64", "64 bytes; 64 bytes without DER framing: R‖S in the JOSE form, or an Ed25519 signature checked with the wrong --key"),
        ("consent-signer", "newline", "65 bytes, expected exactly 64 bytes; the file ends with a line break (added by an editor?)"),
    ])
    func signatureFileOfTheWrongFormIsNamedAsSuch(stem: String, form: String, expected: String) throws {
        let inst = try Installation()
        defer { inst.remove() }
        let kid = try inst.demoKid(stem)
        let sign = try inst.run(["keys", "sign", "--demo", "--key", kid, "--in", "msg.txt", "--out", "msg.sig"])
        try #require(sign.exitCode == 0, "\(sign)")
        let sig = try Data(contentsOf: inst.url("msg.sig"))
        let bad: Data = switch form {
        case "empty": Data()
        case "base64": Data(sig.base64EncodedString().utf8)
        case "cut": sig.prefix(63)
        case "newline": sig + Data([0x0A])
        default: Data((0..<64).map { UInt8(0x80 + $0) })
        }
        try bad.write(to: inst.url("msg.sig"))
        let verify = try inst.run(["keys", "verify", "--demo", "--key", kid, "--in", "msg.txt", "--sig", "msg.sig"], env: ["CONSENTGATE_LANG": "en"])
        #expect(verify.exitCode == 3, "\(verify)")
        #expect(verify.stderr.contains("msg.sig: ") && verify.stderr.contains(expected), "\(verify.stderr)")
        #expect(!verify.stderr.contains("does not verify"))
        let german = try inst.run(["keys", "verify", "--demo", "--key", kid, "--in", "msg.txt", "--sig", "msg.sig"], env: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 3 && german.stderr.contains(stem.hasSuffix("es256") ? "keine P-256-Signatur im DER-Format" : "keine Ed25519-Signatur"), "\(german.stderr)")
    }

    struct BadInput: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let args: [String]
        let prepare: String
        let exit: Int32
        let stderr: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("keys-cli-bad-input.json")
        return try! JSONDecoder().decode([BadInput].self, from: Data(contentsOf: url))
    }()

    @Test(arguments: badInputs)
    func badInputGivesAClearErrorAndTheRightExitCode(_ c: BadInput) throws {
        let inst = try Installation()
        defer { inst.remove() }
        let stems = ["consent-signer", "audit-log"]
        var kids: [String: String] = [:]
        for stem in stems { kids[stem] = try inst.demoKid(stem) }
        let good = try inst.run(["keys", "sign", "--demo", "--key", kids["consent-signer"]!, "--in", "msg.txt", "--out", "msg.sig"])
        try #require(good.exitCode == 0, "\(good)")
        switch c.prepare {
        case "flip-message": try Self.flip(inst.url("msg.txt"), at: 3)
        case "flip-signature": try Self.flip(inst.url("msg.sig"), at: 20)
        case "corrupt-trust":
            let text = try String(contentsOf: inst.url("keys/trust.yaml"), encoding: .utf8)
            let range = try #require(text.range(of: "    demo: true\n"))
            try text.replacingCharacters(in: range, with: "    demo: true\n    colour: blue\n").write(to: inst.url("keys/trust.yaml"), atomically: true, encoding: .utf8)
        case "truncate-demo-key": try Self.truncate(inst.url("keys/demo/consent-signer.key.pem"))
        case "truncate-demo-public-key": try Self.truncate(inst.url("keys/demo/audit-log.pub.pem"))
        default: break
        }
        let args = c.args.map { arg in stems.reduce(arg) { $0.replacingOccurrences(of: "{\($1)}", with: kids[$1]!) } }
        let result = try inst.run(args)
        #expect(result.exitCode == c.exit, "\(result)")
        #expect(result.stderr.hasPrefix("error: "), "\(result)")
        #expect(result.stderr.contains(c.stderr), "\(result)")
        let german = try inst.run(args, env: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == c.exit)
        #expect(german.stderr.hasPrefix("Fehler: "), "\(german)")
    }

    static func flip(_ url: URL, at index: Int) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[index] ^= 0x01
        try Data(bytes).write(to: url)
    }

    static func truncate(_ url: URL) throws {
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
    }

    /// A real (non-demo) key: generated encrypted with a passphrase file, usable with the environment
    /// variable, refused with a wrong or missing passphrase, and refused after revocation.
    @Test(arguments: ["ed25519", "p256"])
    func generateSignAndRevokeARealKey(algorithm: String) throws {
        let inst = try Installation()
        defer { inst.remove() }
        try Data("correct horse battery staple\n".utf8).write(to: inst.url("pass.txt"))
        let gen = try inst.run(["keys", "generate", "--name", "Kreis Export 2026", "--role", "export-signer", "--algorithm", algorithm,
                                "--passphrase-file", "pass.txt", "--not-before", "2025-01-01T00:00:00Z",
                                "--not-after", "2030-01-01T00:00:00Z", "--json"])
        #expect(gen.exitCode == 0, "\(gen)")
        let kid = try #require(gen.json?["kid"] as? String)
        #expect(gen.json?["demo"] as? Bool == false)
        let keyFile = inst.path("keys/kreis-export-2026.key.pem")
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let asn1 = try CLIRunner.runTool("openssl", ["asn1parse", "-in", keyFile])
        #expect(asn1.stdout.contains(":PBES2") && asn1.stdout.contains(":hmacWithSHA256") && asn1.stdout.contains(":0927C0"), "\(asn1)")
        let pkey = try CLIRunner.runTool("openssl", ["pkey", "-in", keyFile, "-passin", "file:" + inst.path("pass.txt"), "-noout"])
        #expect(pkey.exitCode == 0, "\(pkey)")
        #expect((try inst.run(["keys", "list", "--json"]).json?["keys"] as? [[String: Any]])?.count == 6)

        let signArgs = ["keys", "sign", "--key", kid, "--in", "msg.txt", "--out", "msg.sig", "--force"]
        let ok = try inst.run(signArgs, env: ["CONSENTGATE_PASSPHRASE": "correct horse battery staple"])
        #expect(ok.exitCode == 0, "\(ok)")
        let wrong = try inst.run(signArgs, env: ["CONSENTGATE_PASSPHRASE": "incorrect"])
        #expect(wrong.exitCode == 3 && wrong.stderr.contains("wrong passphrase"), "\(wrong)")
        let none = try inst.run(signArgs)
        #expect(none.exitCode == 2 && none.stderr.contains("CONSENTGATE_PASSPHRASE"), "\(none)")
        let argv = try inst.run(signArgs + ["--passphrase", "correct horse battery staple"])
        #expect(argv.exitCode != 0)  // there is no option that takes a passphrase

        // Revoke it by hand in trust.yaml, as an administrator would.
        let trust = inst.url("keys/trust.yaml")
        let text = try String(contentsOf: trust, encoding: .utf8)
        let range = try #require(text.range(of: "    demo: false\n"))
        try text.replacingCharacters(in: range, with: "    revoked-at: \"2026-01-01T00:00:00Z\"\n    demo: false\n").write(to: trust, atomically: true, encoding: .utf8)
        let before = try inst.run(["keys", "verify", "--key", kid, "--in", "msg.txt", "--sig", "msg.sig", "--role", "export-signer", "--at", "2025-12-31T23:59:59Z"])
        #expect(before.exitCode == 0, "\(before)")
        let after = try inst.run(["keys", "verify", "--key", kid, "--in", "msg.txt", "--sig", "msg.sig", "--at", "2026-01-01T00:00:00Z"])
        #expect(after.exitCode == 4 && after.stderr.contains("revoked at 2026-01-01T00:00:00Z"), "\(after)")
        let signNow = try inst.run(signArgs, env: ["CONSENTGATE_PASSPHRASE": "correct horse battery staple"])
        #expect(signNow.exitCode == 4 && signNow.stderr.contains("revoked"), "\(signNow)")
    }

    /// `keys generate --demo` makes a demo key: demo passphrase, `demo: true`, usable only with `--demo`.
    @Test func generateDemoKey() throws {
        let inst = try Installation()
        defer { inst.remove() }
        let gen = try inst.run(["keys", "generate", "--demo", "--name", "Demo Extra", "--role", "policy-signer",
                                "--dir", "keys/demo"], env: ["CONSENTGATE_LANG": "de"])
        #expect(gen.exitCode == 0, "\(gen)")
        #expect(gen.stdout.contains("erzeugt") && gen.stdout.contains("keys/demo/demo-extra.key.pem"))
        let open = try CLIRunner.runTool("openssl", ["pkey", "-in", inst.path("keys/demo/demo-extra.key.pem"),
                                                     "-passin", "pass:consentgate-demo", "-noout"])
        #expect(open.exitCode == 0, "\(open)")
        let keys = try #require(try inst.run(["keys", "list", "--json"]).json?["keys"] as? [[String: Any]])
        let entry = try #require(keys.first { $0["name"] as? String == "Demo Extra" })
        #expect(entry["demo"] as? Bool == true && entry["private-key"] as? String == "demo/demo-extra.key.pem")
        let kid = try #require(entry["kid"] as? String)
        let refused = try inst.run(["keys", "sign", "--key", kid, "--in", "msg.txt", "--out", "s"])
        #expect(refused.exitCode == 4, "\(refused)")
        let signed = try inst.run(["keys", "sign", "--demo", "--key", kid, "--in", "msg.txt", "--out", "s"])
        #expect(signed.exitCode == 0, "\(signed)")
    }
}

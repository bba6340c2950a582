import Foundation
import PolicyEngine
import Signing
import TestFolders
import Testing
@testable import ConsentRecords

/// Consents and withdrawals against an independent JOSE implementation, Python `joserfc`
/// (`Fixtures/joserfc_interop.py`), both directions, Ed25519 and ES256.
@Suite("Interop with Python joserfc")
struct InteropTests {
    let script = Fixture.path("joserfc_interop.py")
    /// The test's folder (removed after the test); `work` is its path.
    let folder: TemporaryDirectory
    var work: String { folder.path }

    init() throws {
        folder = try TestDatabase.folder()
    }

    func python(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try run("/usr/bin/env", ["python3", script] + args)
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = (work as NSString).appendingPathComponent(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a consent signed here verifies with joserfc", arguments: SignatureAlgorithm.allCases)
    func signedHereVerifiesThere(algorithm: SignatureAlgorithm) throws {
        let signer = try TestSigner(algorithm)
        let d = Fixture.declaration(guardians: [Guardian(name: "Ірина К.", relation: "мати")])
        let signed = try d.signed(with: signer.key)
        let jwsFile = try write(signed.bytes, "consent.jws.json")
        let pub = try write(Array(signer.key.publicKey.pem.utf8), "pub.pem")
        let alg = algorithm == .ed25519 ? "Ed25519" : "ES256"
        let r = try python(["verify", "--public", pub, "--jws", jwsFile, "--alg", alg])
        #expect(r.status == 0, "joserfc refused: \(r.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let header = try #require(out["header"] as? [String: String])
        #expect(header == ["alg": alg, "kid": signer.kid, "typ": "consentgate-consent+json"])
        let payload = try #require(out["payload"] as? [String: Any])
        #expect(payload["id"] as? String == d.idText)
        #expect(payload["subject"] as? String == "RSK-2022-000017")
        #expect(payload["granted-at"] as? String == "2026-11-25T10:00:00Z")
        #expect((payload["guardians"] as? [[String: String]])?.first?["name"] == "Ірина К.")
        #expect((payload["template"] as? [String: Any])?["version"] as? Int == 2)

        // joserfc also refuses the same document with one payload character changed.
        var tampered = signed.bytes
        #expect(tampered.starts(with: Array(#"{"payload":""#.utf8)))
        let i = 12 + 20  // a character inside the payload's base64url
        tampered[i] = tampered[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let bad = try python(["verify", "--public", pub, "--jws", try write(tampered, "tampered.jws.json"), "--alg", alg])
        #expect(bad.status == 1)
    }

    @Test("a withdrawal signed here verifies with joserfc", arguments: SignatureAlgorithm.allCases)
    func withdrawalSignedHereVerifiesThere(algorithm: SignatureAlgorithm) throws {
        let signer = try TestSigner(algorithm)
        let w = ConsentWithdrawal(consentID: UUID(), subject: "RSK-2022-000017", withdrawnAt: Fixture.now, recordedBy: Fixture.collector)
        let signed = try w.signed(with: signer.key)
        let r = try python(["verify", "--public", try write(Array(signer.key.publicKey.pem.utf8), "wpub.pem"),
                            "--jws", try write(signed.bytes, "withdrawal.jws.json"), "--alg", algorithm == .ed25519 ? "Ed25519" : "ES256"])
        #expect(r.status == 0, "joserfc refused: \(r.stderr)")
        #expect(r.stdout.contains("\"typ\": \"consentgate-withdrawal+json\""))
        #expect(r.stdout.contains("\"withdrawn-at\": \"2026-11-25T12:00:00Z\""))
    }

    @Test("a consent signed by joserfc with a trusted key verifies here", arguments: ["Ed25519", "EdDSA", "ES256"])
    func signedThereVerifiesHere(alg: String) throws {
        let d = Fixture.declaration(clauses: ["jobcenter-vermittlung", "schulamt-planung"])
        let payload = try write(d.canonicalPayload, "payload-\(alg).json")
        let jwsPath = (work as NSString).appendingPathComponent("joserfc-\(alg).jws.json")
        let pubPath = (work as NSString).appendingPathComponent("joserfc-\(alg).pub.pem")
        let r = try python(["sign", "--alg", alg, "--payload", payload, "--typ", "consentgate-consent+json",
                            "--out-jws", jwsPath, "--out-public", pubPath])
        #expect(r.status == 0, "joserfc failed: \(r.stderr)")
        let publicKey = try PublicKey(pem: try String(contentsOfFile: pubPath, encoding: .utf8))
        let bytes = try ConsentExport.readDocument(atPath: jwsPath)
        let parsed = try SignedConsent(bytes: bytes)
        // joserfc's RFC 7638 thumbprint is our kid.
        #expect(parsed.kid == publicKey.kid)
        #expect(parsed.jws.header.alg == alg)

        let trusted = TrustedKey(kid: publicKey.kid, name: "joserfc", publicKey: publicKey, publicKeyFile: "joserfc.pub.pem",
                                 privateKeyFile: nil, roles: [.consentSigner], notBefore: Fixture.date("2026-01-01T00:00:00Z"),
                                 notAfter: Fixture.date("2030-01-01T00:00:00Z"), revokedAt: nil, demo: false)
        let verifier = ConsentVerifier(trustStore: TrustStore(keys: [trusted], demoMode: false), templates: Fixture.templates)
        let verified = try verifier.verifyConsent(bytes, now: Fixture.now).get()
        #expect(verified.content == d)

        // And it goes through the store like one signed here.
        let store = try TestDatabase.store(verifier, path: TestDatabase.path(in: folder))
        #expect(try store.importDocument(bytes, now: Fixture.now) == .imported(.consent, consentID: d.idText))
        #expect(try store.facts(subject: d.subject, now: Fixture.now).map(\.verification) == [.verified])

        // Not trusted without the key in the trust store.
        let empty = ConsentVerifier(trustStore: TrustStore(keys: [], demoMode: false), templates: Fixture.templates)
        #expect(empty.verifyConsent(bytes, now: Fixture.now).failures == [.untrustedKey(kid: publicKey.kid, reason: ConsentError.notInTrustStore)])
    }

    @Test("a withdrawal of single clauses signed here verifies with joserfc (version 2, sorted clauses)", arguments: SignatureAlgorithm.allCases)
    func clauseWithdrawalSignedHereVerifiesThere(algorithm: SignatureAlgorithm) throws {
        let signer = try TestSigner(algorithm)
        let w = ConsentWithdrawal(consentID: UUID(), subject: "RSK-2022-000017", withdrawnAt: Fixture.now, recordedBy: Fixture.collector,
                                  clauses: ["jugendamt-gesundheit", "schulamt-planung"])
        let signed = try w.signed(with: signer.key)
        let r = try python(["verify", "--public", try write(Array(signer.key.publicKey.pem.utf8), "cpub.pem"),
                            "--jws", try write(signed.bytes, "clause-withdrawal.jws.json"), "--alg", algorithm == .ed25519 ? "Ed25519" : "ES256"])
        #expect(r.status == 0, "joserfc refused: \(r.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let payload = try #require(out["payload"] as? [String: Any])
        #expect(payload["withdrawal-version"] as? Int == 2)
        #expect(payload["clauses"] as? [String] == ["jugendamt-gesundheit", "schulamt-planung"])
        #expect((out["header"] as? [String: String])?["typ"] == "consentgate-withdrawal+json")
    }

    @Test("a withdrawal of a single clause signed by joserfc verifies here and withdraws only that clause in the store",
          arguments: ["Ed25519", "ES256"])
    func clauseWithdrawalSignedThereVerifiesHere(alg: String) throws {
        let here = try TestSigner()
        let d = Fixture.declaration(clauses: ["jobcenter-vermittlung", "schulamt-planung"])
        let consent = try d.signed(with: here.key)
        let w = ConsentWithdrawal(consentID: d.id, subject: d.subject, withdrawnAt: Fixture.date("2026-11-25T11:00:00Z"),
                                  recordedBy: Fixture.collector, clauses: ["schulamt-planung"])
        let jwsPath = (work as NSString).appendingPathComponent("joserfc-w-\(alg).jws.json")
        let pubPath = (work as NSString).appendingPathComponent("joserfc-w-\(alg).pub.pem")
        let r = try python(["sign", "--alg", alg, "--payload", try write(w.canonicalPayload, "w-payload-\(alg).json"),
                            "--typ", "consentgate-withdrawal+json", "--out-jws", jwsPath, "--out-public", pubPath])
        #expect(r.status == 0, "joserfc failed: \(r.stderr)")
        let publicKey = try PublicKey(pem: try String(contentsOfFile: pubPath, encoding: .utf8))
        let there = TrustedKey(kid: publicKey.kid, name: "joserfc", publicKey: publicKey, publicKeyFile: "joserfc.pub.pem",
                               privateKeyFile: nil, roles: [.consentSigner], notBefore: Fixture.date("2026-01-01T00:00:00Z"),
                               notAfter: Fixture.date("2030-01-01T00:00:00Z"), revokedAt: nil, demo: false)
        let verifier = ConsentVerifier(trustStore: TrustStore(keys: [here.trusted, there], demoMode: false), templates: Fixture.templates)
        let bytes = try ConsentExport.readDocument(atPath: jwsPath)
        #expect(try verifier.verifyWithdrawal(bytes, of: d, now: Fixture.now).get().content == w)
        let store = try TestDatabase.store(verifier, path: TestDatabase.path(in: folder, "w-\(alg).sqlite"))
        _ = try store.importDocument(consent.bytes, subjectBirthDate: Fixture.adultBirthDate, now: Fixture.now)
        #expect(try store.importDocument(bytes, now: Fixture.now) == .imported(.withdrawal, consentID: d.idText))
        let fact = try #require(try store.facts(subject: d.subject, now: Fixture.now, subjectBirthDate: Fixture.adultBirthDate).first)
        #expect(fact.verification == .verified && fact.withdrawnAt == nil)
        #expect(fact.clauseWithdrawals == ["schulamt-planung": Fixture.date("2026-11-25T11:00:00Z")])
    }
}

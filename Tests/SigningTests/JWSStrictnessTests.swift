import Diagnostics
import Foundation
import Testing
@testable import Signing

/// Hostile flattened JWS documents (review crypto.md findings 5–8, `Fixtures/jws/forge.py`): duplicate member
/// names, `b64`/`crit`/unknown header parameters, non-canonical base64url, and ES256 with a high S. Each is
/// either accepted with one well-defined reading or refused as `malformedJWS` with a precise reason.
@Suite struct JWSStrictnessTests {
    /// One fixture file and what ConsentGate must make of it (`Fixtures/jws/cases.json`).
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        /// The file in `Fixtures/jws`.
        let file: String
        /// `ed` (Ed25519, `ed.pub.pem`) or `es` (P-256, `p256.pub.pem`).
        let key: String
        /// `valid` or `malformed`.
        let verdict: String
        /// A text the English reason of a refusal must contain.
        let contains: String
        /// The review finding the case covers (`5`…`8`, or `baseline`).
        let finding: String
        var testDescription: String { file }
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: TestSupport.fixture("jws/cases.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    /// The payload and `typ` every fixture carries.
    static let payload = "{\"hello\":\"consentgate\"}"
    static let type = "consentgate-test+json"

    static func publicKeyFile(_ key: String) -> String {
        TestSupport.fixture(key == "ed" ? "jws/ed.pub.pem" : "jws/p256.pub.pem").path
    }

    static func bytes(_ c: Case) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestSupport.fixture("jws/" + c.file)))
    }

    @Test func everyFindingHasFixtures() {
        let findings = Set(Self.cases.map(\.finding))
        #expect(findings.isSuperset(of: ["5", "6", "7", "8"]))
        #expect(Self.cases.contains { $0.verdict == "valid" } && Self.cases.contains { $0.verdict == "malformed" })
    }

    @Test(arguments: cases)
    func fixtureGetsItsVerdict(_ c: Case) throws {
        let key = try PublicKey(file: Self.publicKeyFile(c.key))
        let bytes = try Self.bytes(c)
        if c.verdict == "valid" {
            let jws = try JWS(flattened: bytes)
            try jws.verify(with: key)
            #expect(jws.header.kid == key.kid)
            #expect(jws.header.typ == Self.type)
            #expect(String(decoding: jws.payload, as: UTF8.self) == Self.payload)
            return
        }
        do {
            try JWS(flattened: bytes).verify(with: key)
            Issue.record("\(c.file) was accepted")
        } catch let error as SigningError {
            guard case let .malformedJWS(reason) = error else {
                Issue.record("\(c.file): expected malformedJWS, got \(error)")
                return
            }
            #expect(reason.en.contains(c.contains), "\(reason.en)")
            #expect(!reason.de.isEmpty && reason.de != reason.en)
            #expect(error.category == .integrity && ErrorFormatter.exitCode(for: error) == 4)
        }
    }

    /// ConsentGate is never laxer than an independent JOSE library: whatever it accepts, joserfc accepts too,
    /// and reads the same `alg`, `kid`, `typ` and payload (a duplicate member can no longer be read two ways).
    @Test(arguments: ["ed", "es"])
    func whatWeAcceptJoserfcAcceptsAndReadsTheSame(key keyName: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PublicKey(file: Self.publicKeyFile(keyName))
        let jwk = try TestSupport.write(Array(key.jwkJSON.utf8), "key.jwk", in: dir)
        let mine = Self.cases.filter { $0.key == keyName }
        let result = try TestSupport.run("python3", [JOSEInteropTests.script, "inspect", jwk]
                                         + mine.map { TestSupport.fixture("jws/" + $0.file).path })
        try #require(result.status == 0, "joserfc failed: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        try #require(lines.count == mine.count)
        for (c, line) in zip(mine, lines) {
            let theirs = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let ours = try? JWS(flattened: Self.bytes(c)), (try? ours.verify(with: key)) != nil else { continue }
            guard theirs["ok"] as? Bool == true else {
                Issue.record("\(c.file): accepted here, refused by joserfc (\(theirs["error"] ?? "?"))")
                continue
            }
            #expect(theirs["alg"] as? String == ours.header.alg, "\(c.file)")
            #expect(theirs["kid"] as? String == ours.header.kid, "\(c.file)")
            #expect(theirs["typ"] as? String == ours.header.typ, "\(c.file)")
            #expect(theirs["payload"] as? String == String(decoding: ours.payload, as: UTF8.self), "\(c.file)")
        }
    }

    /// What we sign is exactly the closed header, in canonical JSON, and reads back as the same document
    /// with the same bytes (so base64url re-encoding is the identity on our own output).
    @Test(arguments: SignatureAlgorithm.allCases)
    func ourHeaderIsCanonicalAndRoundTrips(alg: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(alg)
        let jws = try JWS.sign(payload: Array(Self.payload.utf8), type: Self.type, key: key)
        let header = String(decoding: try #require(Base64URL.decode(jws.protectedB64)), as: UTF8.self)
        #expect(header == "{\"alg\":\"\(alg.jwsAlgorithm)\",\"kid\":\"\(key.publicKey.kid)\",\"typ\":\"\(Self.type)\"}")
        let reread = try JWS(flattened: Array(jws.serialized.utf8))
        #expect(reread == jws)
        #expect(reread.serialized == jws.serialized)
        try reread.verify(with: key.publicKey)
        let untyped = try JWS.sign(payload: [], type: nil, key: key)
        #expect(Base64URL.decode(untyped.protectedB64).map { String(decoding: $0, as: UTF8.self) }
                == "{\"alg\":\"\(alg.jwsAlgorithm)\",\"kid\":\"\(key.publicKey.kid)\"}")
    }

    @Test(arguments: [
        ("{\"alg\":\"ES256\"}", JWSHeader(alg: "ES256", kid: nil, typ: nil)),
        ("\n{ \"typ\" : \"t\", \"kid\":\"k\",\"alg\":\"Ed25519\"}\r\n", JWSHeader(alg: "Ed25519", kid: "k", typ: "t")),
    ])
    func protectedHeaderIsRead(json: String, expected: JWSHeader) throws {
        #expect(try JWSHeader(protected: Array(json.utf8)) == expected)
        #expect(try JWSHeader(protected: expected.encoded) == expected)
    }

    /// Protected headers read directly: each refusal names the member (and, for JSON errors, the byte).
    @Test(arguments: [
        ("[\"alg\"]", "not a JSON object (found array)"),
        ("{\"alg\":\"Ed25519\",\"alg\":\"Ed25519\"}", "the protected header has a duplicate member \"alg\" (byte 17)"),
        ("{\"alg\":\"Ed25519\",\"b64\":true}", "\"b64\""),
        ("{\"alg\":\"Ed25519\",\"crit\":[]}", "\"crit\""),
        ("{\"alg\":\"Ed25519\",\"x5c\":[],\"zip\":\"DEF\"}", "parameter(s) x5c, zip; only alg, kid, typ"),
        ("{\"alg\":1}", "no string \"alg\""),
        ("{\"alg\":\"ES256\",\"kid\":[]}", "\"kid\" in the protected header must be a string, not array"),
        ("{\"alg\":\"ES256\"} x", "the protected header is not strict JSON: more text after the JSON value"),
        ("{\"alg\":\"ES256\",\"typ\":\"a\\ud800\"}", "the protected header is not strict JSON"),
    ])
    func protectedHeaderIsRefused(json: String, refusal: String) throws {
        #expect {
            try JWSHeader(protected: Array(json.utf8))
        } throws: { error in
            guard case let .malformedJWS(reason) = error as? SigningError else { return false }
            return reason.en.contains(refusal) && !reason.de.isEmpty
        }
    }
}

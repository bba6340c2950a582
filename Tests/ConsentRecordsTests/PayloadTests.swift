import Diagnostics
import Foundation
import Signing
import StrictJSON
import TestFolders
import Testing
@testable import ConsentRecords

@Suite("Consent and withdrawal payloads: canonical, strict")
struct PayloadTests {
    @Test func canonicalPayloadHasSortedMembersAndNoWhitespace() throws {
        let d = Fixture.declaration(id: UUID(uuidString: "6F1C2E1A-0B9D-4C55-9A57-3F1F7F3A2B10")!,
                                    guardians: [Guardian(name: "Iryna K.", relation: "mother")],
                                    evidence: "sha256:" + String(repeating: "ab", count: 32))
        let expected = #"{"clauses":["jobcenter-vermittlung"],"collected-by":{"case-manager":"cm-017","municipality":"Troisdorf"},"consent-version":1,"evidence":"sha256:\#(String(repeating: "ab", count: 32))","expires-at":"2028-11-25T10:00:00Z","granted-at":"2026-11-25T10:00:00Z","guardians":[{"name":"Iryna K.","relation":"mother"}],"id":"6f1c2e1a-0b9d-4c55-9a57-3f1f7f3a2b10","language":"uk","subject":"RSK-2022-000017","template":{"id":"kim-test","version":2}}"#
        #expect(String(decoding: d.canonicalPayload, as: UTF8.self) == expected)
        #expect(d.canonicalPayload == d.canonicalPayload)
        #expect(try ConsentDeclaration(payload: d.canonicalPayload) == d)
    }

    @Test func withdrawalPayloadRoundTrips() throws {
        let w = ConsentWithdrawal(consentID: UUID(uuidString: "6f1c2e1a-0b9d-4c55-9a57-3f1f7f3a2b10")!, subject: "RSK-2022-000017",
                                  withdrawnAt: Fixture.date("2027-01-10T09:00:00Z"), recordedBy: Fixture.collector)
        let expected = #"{"consent":"6f1c2e1a-0b9d-4c55-9a57-3f1f7f3a2b10","recorded-by":{"case-manager":"cm-017","municipality":"Troisdorf"},"subject":"RSK-2022-000017","withdrawal-version":1,"withdrawn-at":"2027-01-10T09:00:00Z"}"#
        #expect(String(decoding: w.canonicalPayload, as: UTF8.self) == expected)
        #expect(try ConsentWithdrawal(payload: w.canonicalPayload) == w)
    }

    @Test func timesAreKeptToTheWholeSecond() throws {
        let d = Fixture.declaration(grantedAt: Fixture.grantedAt.addingTimeInterval(0.75))
        #expect(d.grantedAt == Fixture.grantedAt)
        #expect(try ConsentDeclaration(payload: d.canonicalPayload).grantedAt == Fixture.grantedAt)
    }

    /// A hand-made document with a fractional second in `granted-at`, `expires-at` or `withdrawn-at` is refused, naming
    /// the field (exit 3). It used to be accepted: verified with the exact instant but stored to the second, so the
    /// stored record and its verification disagreed (a grant at 10:00:00.5 stored as 10:00:00, before its own signing time).
    @Test("a fractional second in a payload time is refused, naming the field", arguments: [
        ("granted-at-fraction", "granted-at", "2026-11-25T10:00:00.5Z"),
        ("expires-at-fraction", "expires-at", "2028-11-25T09:59:59.999+00:00"),
        ("withdrawal-withdrawn-at-fraction", "withdrawn-at", "2027-01-10T09:00:00.250Z"),
    ])
    func fractionalSecondsAreRefused(file: String, field: String, value: String) throws {
        let bytes = try Fixture.bytes("payloads/\(file).json")
        let kind: ConsentDocumentKind = field == "withdrawn-at" ? .withdrawal : .consent
        do {
            if kind == .withdrawal { _ = try ConsentWithdrawal(payload: bytes) } else { _ = try ConsentDeclaration(payload: bytes) }
            Issue.record("\(file) was accepted")
        } catch {
            guard case let .invalidValue(document, f, v, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(document == kind && f == field && v == value)
            #expect(error.category == .invalidInput)
            #expect(error.message(in: .en).contains("\"\(field)\"") && error.message(in: .en).contains("whole seconds only"))
            #expect(error.message(in: .de).contains("„\(field)“") && error.message(in: .de).contains("nur ganze Sekunden"))
        }
    }

    @Test func aZeroFractionIsTheWholeSecond() throws {
        let text = String(decoding: try Fixture.bytes("payloads/valid.json"), as: UTF8.self)
        for written in ["2026-11-25T10:00:00.000Z"] {
            let edited = text.replacingOccurrences(of: "\"granted-at\": \"2026-11-25T10:00:00Z\"", with: "\"granted-at\": \"\(written)\"")
            #expect(try ConsentDeclaration(payload: Array(edited.utf8)).grantedAt == Fixture.grantedAt, "\(written)")
        }
    }

    /// docs/consent.md: ConsentGate writes `Z`, but a hand-made document may state the same instant with a numeric
    /// offset; it is read as that instant (and so stored in UTC), never as the local wall time.
    @Test("a numeric offset in granted-at names the same instant", arguments: [
        "2026-11-25T11:00:00+01:00", "2026-11-25T05:30:00-04:30", "2026-11-25T10:00:00+00:00",
    ])
    func aNumericOffsetIsTheSameInstant(written: String) throws {
        let text = String(decoding: try Fixture.bytes("payloads/valid.json"), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"granted-at\": \"2026-11-25T10:00:00Z\"", with: "\"granted-at\": \"\(written)\"")
        #expect(edited != text)
        #expect(try ConsentDeclaration(payload: Array(edited.utf8)).grantedAt == Fixture.grantedAt)
    }

    @Test func stringsAreEscapedAsRFC8785AndReadBack() throws {
        let value = JSONValue.object(["k\"ey": .string("a\\b\u{1}\n\t\"ü€𝄞")])
        let text = String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        #expect(text == "{\"k\\\"ey\":\"a\\\\b\\u0001\\n\\t\\\"ü€𝄞\"}")
        #expect(try JSONParser.parse(CanonicalJSON.encode(value), limits: PayloadObject.parsingLimits) == value)
        #expect(try JSONParser.parse(Array(#"{"a":"\ud834\udd1e\u00fc"}"#.utf8), limits: PayloadObject.parsingLimits) == .object(["a": .string("𝄞ü")]))
    }

    @Test func theValidFixtureParses() throws {
        let d = try ConsentDeclaration(payload: try Fixture.bytes("payloads/valid.json"))
        #expect(d.subject == "RSK-2022-000017")
        #expect(d.template == .init(id: "kim-test", version: 2))
        #expect(d.guardians.isEmpty && d.evidence == nil)
    }

    static let rejected: [(String, ConsentError)] = [
        ("unknown-member", .unknownMember(document: .consent, field: "nickname")),
        ("nested-unknown-member", .unknownMember(document: .consent, field: "collected-by.phone")),
        ("guardian-unknown-member", .unknownMember(document: .consent, field: "guardians[0].age")),
        ("missing-granted-at", .missingMember(document: .consent, field: "granted-at")),
        ("version-as-string", .wrongMemberType(document: .consent, field: "template.version", expected: "integer", found: "string")),
        ("future-version", .unsupportedVersion(document: .consent, field: "consent-version", found: 2)),
        ("not-an-object", .wrongMemberType(document: .consent, field: "(payload)", expected: "object", found: "array")),
    ]

    @Test("a malformed payload is rejected with the field named", arguments: rejected)
    func rejectsWithExactError(file: String, expected: ConsentError) throws {
        #expect(throws: expected) { try ConsentDeclaration(payload: try Fixture.bytes("payloads/\(file).json")) }
    }

    @Test("an invalid value names its field", arguments: [
        ("bad-evidence", "evidence"), ("bad-date", "expires-at"), ("no-clauses", "clauses"),
        ("duplicate-clause", "clauses[1]"), ("subject-is-a-name", "subject"), ("bad-id", "id"),
    ])
    func invalidValueNamesField(file: String, field: String) throws {
        let bytes = try Fixture.bytes("payloads/\(file).json")
        do {
            _ = try ConsentDeclaration(payload: bytes)
            Issue.record("\(file) was accepted")
        } catch {
            guard case .invalidValue(_, let f, _, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(f == field)
            #expect(error.category == .invalidInput)
            #expect(error.message(in: .de).contains("„\(field)“"))
            #expect(error.message(in: .en).contains("\"\(field)\""))
        }
    }

    @Test("input that is not strict JSON is rejected", arguments: [
        ("duplicate-member", "duplicate member \"subject\""), ("fraction", "only whole numbers"),
        ("trailing-bytes", "trailing bytes"),
    ])
    func strictJSON(file: String, reason: String) throws {
        let bytes = try Fixture.bytes("payloads/\(file).json")
        do {
            _ = try ConsentDeclaration(payload: bytes)
            Issue.record("\(file) was accepted")
        } catch {
            guard case .payloadNotJSON(_, let offset, let r) = error else { Issue.record("unexpected \(error)"); return }
            #expect(r.contains(reason))
            #expect(offset > 0)
        }
    }

    @Test func oversizedAndDeeplyNestedPayloadsAreRejected() {
        // An over-long value is named as its field, not as the payload's size (found by probing the service: a 70 KB
        // language code was "not acceptable JSON (byte 0): larger than 65536 bytes").
        let big = Array("{\"x\":\"\(String(repeating: "a", count: 70_000))\"}".utf8)
        #expect(throws: ConsentError.unknownMember(document: .consent, field: "x")) { try ConsentDeclaration(payload: big) }
        // Only a payload whose fields are all in order is refused for its size, as such.
        var many = Fixture.declaration()
        many.guardians = (0..<700).map { Guardian(name: "Vormund \($0) mit einem recht langen Namen, der trotzdem zulässig ist", relation: "guardian") }
        let payload = many.canonicalPayload
        #expect(payload.count > 65_536)
        #expect(throws: ConsentError.payloadTooLarge(document: .consent, size: payload.count, limit: 65_536)) { try ConsentDeclaration(payload: payload) }
        #expect(ConsentError.payloadTooLarge(document: .consent, size: 70_008, limit: 65_536).message(in: .de)
                == "Einwilligung: Nutzdaten größer als 65536 Bytes (70008); eine Erklärung braucht weit weniger (zu viele Einträge?)")
        // The message is worded in each language, not the parser's English phrase.
        let tooBig = ConsentError.payloadNotJSON(document: .consent, offset: 0, reason: "larger than 65536 bytes (70008)")
        #expect(tooBig.message(in: .de).hasSuffix("größer als 65536 Bytes (70008)"), "\(tooBig.message(in: .de))")
        #expect(tooBig.message(in: .en).hasSuffix("larger than 65536 bytes (70008)"))
        let open = ConsentError.payloadNotJSON(document: .withdrawal, offset: 9, reason: "unterminated string")
        #expect(open.message(in: .de).hasSuffix("(Byte 9): Zeichenkette nicht abgeschlossen"), "\(open.message(in: .de))")
        let deep = Array((String(repeating: "[", count: 20) + String(repeating: "]", count: 20)).utf8)
        func reason(_ bytes: [UInt8]) -> String? {
            do { _ = try ConsentDeclaration(payload: bytes); return nil } catch {
                guard case .payloadNotJSON(_, _, let r) = error else { return "unexpected \(error)" }
                return r
            }
        }
        #expect(reason(deep) == "nested deeper than 8 levels")
        #expect(reason(Array("\"\\ud800\"".utf8))?.contains("lone surrogate") == true)
        #expect(reason([0x22, 0xC3, 0x28, 0x22])?.contains("UTF-8") == true)
    }

    @Test func signingRefusesAPayloadItCouldNotReadBack() throws {
        let signer = try TestSigner()
        let bad = Fixture.declaration(subject: "Olena Kovalenko")
        #expect { try bad.signed(with: signer.key) } throws: { error in
            guard case ConsentError.invalidValue(_, "subject", _, _) = error else { return false }
            return true
        }
    }

    @Test func evidenceDigestOfAFileIsItsSHA256() throws {
        let folder = try TemporaryDirectory("scan")  // removed when the test ends
        let path = folder.url.appendingPathComponent("scan.pdf").path
        let content = [UInt8]((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try Data(content).write(to: URL(fileURLWithPath: path))
        #expect(try ConsentDeclaration.evidenceDigest(ofFileAt: path) == SHA256.tagged(content))
        let openssl = try run("/usr/bin/openssl", ["dgst", "-sha256", "-r", path])
        #expect(openssl.stdout.hasPrefix(String(SHA256.tagged(content).dropFirst(7))))
        #expect(throws: ConsentError.self) { try ConsentDeclaration.evidenceDigest(ofFileAt: path + ".missing") }
    }

    /// A device, a pipe and an empty file are no scan: refused at once, saying which (`/dev/zero` was hashed for as long
    /// as the command ran, a pipe without a writer waited for good, an empty file was recorded as the proof).
    @Test(arguments: [("device", "is not a regular file (a device or a pipe)"), ("pipe", "is not a regular file (a device or a pipe)"),
                      ("empty", "is empty; the scan of the signed declaration is expected")])
    func evidenceThatIsNoScanIsRefused(_ kind: String, _ words: String) throws {
        let folder = try TemporaryDirectory("scan-refused")
        var path = folder.url.appendingPathComponent("scan.pdf").path
        switch kind {
        case "device": path = "/dev/zero"
        case "pipe": #expect(mkfifo(path, 0o600) == 0)
        default: _ = FileManager.default.createFile(atPath: path, contents: Data())
        }
        do {
            _ = try ConsentDeclaration.evidenceDigest(ofFileAt: path)
            Issue.record("\(kind): read")
        } catch {
            guard case let .unreadableInput(p, reason) = error else { Issue.record("\(error)"); return }
            #expect(p == path && reason.en.hasPrefix(words), "\(reason.en)")
        }
    }
}

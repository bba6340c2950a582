import Diagnostics
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import ConsentRecords

@Suite("Verifying signed consents")
struct VerificationTests {
    let signer: TestSigner
    let verifier: ConsentVerifier

    init() throws {
        signer = try TestSigner()
        verifier = makeVerifier([signer])
    }

    func failures(_ d: ConsentDeclaration, birth: Date? = nil, now: Date = Fixture.now, key: PrivateKey? = nil,
                  verifier: ConsentVerifier? = nil) throws -> [ConsentError] {
        let signed = try d.signed(with: key ?? signer.key)
        return (verifier ?? self.verifier).verifyConsent(signed.bytes, now: now, subjectBirthDate: birth).failures
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aCorrectConsentVerifies(algorithm: SignatureAlgorithm) throws {
        let s = try TestSigner(algorithm)
        let d = Fixture.declaration()
        let signed = try d.signed(with: s.key)
        let result = makeVerifier([s]).verifyConsent(signed.bytes, now: Fixture.now)
        #expect(try result.get().content == d)
        #expect(signed.jws.header.typ == "consentgate-consent+json")
        #expect(signed.jws.header.kid == s.kid)
        #expect(signed.jws.header.alg == (algorithm == .ed25519 ? "Ed25519" : "ES256"))
    }

    @Test func expiryBoundaryIsExclusive() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        let fact = verifier.status(consent: signed.bytes, now: Fixture.now).fact
        #expect(fact.verification == .verified)
        #expect(ConsentState(fact: fact, at: Fixture.expiresAt.addingTimeInterval(-1)) == .active)
        #expect(ConsentState(fact: fact, at: Fixture.expiresAt) == .expired)
        #expect(ConsentState(fact: fact, at: Fixture.grantedAt) == .active)
        #expect(ConsentState(fact: fact, at: Fixture.grantedAt.addingTimeInterval(-1)) == .notYetValid)
    }

    @Test func aMinorWithoutGuardianFails() throws {
        let birth = Fixture.date("2012-03-01T00:00:00Z")  // 14 at granted-at
        #expect(try failures(Fixture.declaration(), birth: birth) == [.guardianMissing(subject: "RSK-2022-000017", age: 14, minimumAge: 16)])
        #expect(try failures(Fixture.declaration(guardians: [Guardian(name: "Iryna K.", relation: "mother")]), birth: birth).isEmpty)
        // Without a birth date the verifier cannot tell; the fact carries guardianPresent for the evaluator.
        let signed = try Fixture.declaration().signed(with: signer.key)
        let fact = verifier.status(consent: signed.bytes, now: Fixture.now).fact
        #expect(fact.verification == .verified && fact.guardianPresent == false)
    }

    @Test func sixteenthBirthdayCountsFromItsFirstSecond() throws {
        #expect(try failures(Fixture.declaration(), birth: Fixture.date("2010-11-25T00:00:00Z")).isEmpty)
        #expect(try failures(Fixture.declaration(), birth: Fixture.date("2010-11-26T00:00:00Z"))
                == [.guardianMissing(subject: "RSK-2022-000017", age: 15, minimumAge: 16)])
    }

    @Test func clauseNotInTemplate() throws {
        #expect(try failures(Fixture.declaration(clauses: ["jobcenter-vermittlung", "polizei-alles"]))
                == [.clauseNotInTemplate(clause: "polizei-alles", template: "kim-test", version: 2)])
        // Version 1 has no schulamt clause, version 2 has.
        #expect(try failures(Fixture.declaration(version: 1, language: "de", clauses: ["schulamt-planung"],
                                                 expiresAt: Fixture.date("2027-11-25T10:00:00Z")))
                == [.clauseNotInTemplate(clause: "schulamt-planung", template: "kim-test", version: 1)])
    }

    @Test func unknownTemplateOrVersion() throws {
        #expect(try failures(Fixture.declaration(version: 9)) == [.unknownTemplateVersion(id: "kim-test", version: 9, known: [1, 2])])
        let other = ConsentDeclaration(subject: "RSK-1", template: .init(id: "nope", version: 1), language: "de", clauses: ["a"],
                                       grantedAt: Fixture.grantedAt, expiresAt: Fixture.expiresAt, collectedBy: Fixture.collector)
        #expect(try failures(other) == [.unknownTemplate(id: "nope")])
    }

    @Test func languageMustBeOneOfTheTemplates() throws {
        #expect(try failures(Fixture.declaration(language: "fr"))
                == [.languageNotInTemplate(language: "fr", template: "kim-test", available: ["de", "en", "uk"])])
    }

    @Test func maximumValidity() throws {
        let latest = ISODuration("P2Y")!.added(to: Fixture.grantedAt)
        #expect(latest == Fixture.date("2028-11-25T10:00:00Z"))
        #expect(try failures(Fixture.declaration(expiresAt: latest)).isEmpty)
        #expect(try failures(Fixture.declaration(expiresAt: latest.addingTimeInterval(1)))
                == [.validityExceedsMaximum(expiresAt: latest.addingTimeInterval(1), latest: latest, maxValidity: "P2Y")])
        #expect(try failures(Fixture.declaration(expiresAt: Fixture.grantedAt))
                == [.expiryNotAfterGrant(grantedAt: Fixture.grantedAt, expiresAt: Fixture.grantedAt)])
    }

    @Test func grantedInTheFuture() throws {
        let later = Fixture.now.addingTimeInterval(3600)
        #expect(try failures(Fixture.declaration(grantedAt: later, expiresAt: later.addingTimeInterval(86_400)))
                == [.grantedInFuture(grantedAt: later, now: Fixture.now)])
        // The same bytes verify once that time has come (the cached part is time-independent).
        let signed = try Fixture.declaration(grantedAt: later, expiresAt: later.addingTimeInterval(86_400)).signed(with: signer.key)
        #expect(verifier.verifyConsent(signed.bytes, now: later).failures.isEmpty)
        #expect(verifier.verifyConsent(signed.bytes, now: Fixture.now).failures.count == 1)
    }

    @Test func keyRevokedBeforeSigningIsRefusedButRevocationAfterSigningIsNot() throws {
        let revokedEarly = try TestSigner(revokedAt: Fixture.grantedAt.addingTimeInterval(-60))
        let f = try failures(Fixture.declaration(), key: revokedEarly.key, verifier: makeVerifier([revokedEarly]))
        #expect(f.count == 1)
        guard case .untrustedKey(let kid, let reason) = f.first else { Issue.record("got \(f)"); return }
        #expect(kid == revokedEarly.kid && reason.en.contains("revoked"))
        #expect(f[0].category == .integrity && f[0].category.exitCode == 4)

        // Revoked after signing: a consent this installation recorded before the revocation still holds; the same
        // document arriving (being recorded) only after the revocation does not, since whoever holds a revoked key can
        // sign with any date (RevokedConsentKeyTests).
        let revokedLater = try TestSigner(revokedAt: Fixture.grantedAt.addingTimeInterval(60))
        let signed = try Fixture.declaration().signed(with: revokedLater.key)
        let laterVerifier = makeVerifier([revokedLater])
        #expect(laterVerifier.verifyConsent(signed.bytes, now: Fixture.now, recordedAt: Fixture.grantedAt.addingTimeInterval(30)).failures.isEmpty)
        let arriving = laterVerifier.verifyConsent(signed.bytes, now: Fixture.now).failures
        guard case .untrustedKey(_, let why) = arriving.first, arriving.count == 1 else { Issue.record("got \(arriving)"); return }
        #expect(why.en.contains("a document this installation had not recorded before the revocation is not trusted"))
    }

    @Test func untrustedKeysAreRefused() throws {
        let stranger = try TestSigner()
        #expect(try failures(Fixture.declaration(), key: stranger.key) == [.untrustedKey(kid: stranger.kid, reason: ConsentError.notInTrustStore)])
        let policyOnly = try TestSigner(roles: [.policySigner])
        let f = try failures(Fixture.declaration(), key: policyOnly.key, verifier: makeVerifier([policyOnly]))
        guard case .untrustedKey(_, let reason) = f.first else { Issue.record("got \(f)"); return }
        #expect(reason.en.contains("consent-signer"))
        let notYet = try TestSigner(notBefore: Fixture.grantedAt.addingTimeInterval(1))
        let g = try failures(Fixture.declaration(), key: notYet.key, verifier: makeVerifier([notYet]))
        guard case .untrustedKey(_, let r2) = g.first else { Issue.record("got \(g)"); return }
        #expect(r2.en.contains("not-before"))
    }

    @Test func wrongOrMissingTypeIsRefused() throws {
        let payload = Fixture.declaration().canonicalPayload
        let asWithdrawal = try JWS.sign(payload: payload, type: "consentgate-withdrawal+json", key: signer.key)
        #expect(verifier.verifyConsent(Array(asWithdrawal.serialized.utf8), now: Fixture.now).failures
                == [.wrongType(document: .consent, found: "consentgate-withdrawal+json")])
        let untyped = try JWS.sign(payload: payload, type: nil, key: signer.key)
        let f = verifier.verifyConsent(Array(untyped.serialized.utf8), now: Fixture.now).failures
        #expect(f == [.wrongType(document: .consent, found: nil)])
        #expect(f[0].message(in: .de).contains("„typ“"))
        // Said as missing ("is none" / "ist keiner" before: a review).
        #expect(f[0].message(in: .en).hasSuffix("header field \"typ\" is missing, expected \"consentgate-consent+json\""), "\(f[0].message(in: .en))")
        #expect(f[0].message(in: .de).hasSuffix("Header-Feld „typ“ fehlt, erwartet \"consentgate-consent+json\""), "\(f[0].message(in: .de))")
    }

    /// An invalid value is quoted on one line, control characters escaped, a long one cut with its length (a review found
    /// `--collected-by $'cm.a\nFAKE LINE'` printing a second line, and a 100,000-character value echoed whole).
    @Test(arguments: [("cm.a\nFAKE LINE", "\"cm.a\\nFAKE LINE\""), ("esc\u{1B}[31m", "\"esc\\u{1B}[31m\""),
                      ("a\u{202E}b\u{2028}c", "\"a\\u{202E}b\\u{2028}c\""),
                      (String(repeating: "a", count: 100_000), "\"" + String(repeating: "a", count: 100) + "… (100000 characters)\"")])
    func invalidValuesAreQuotedOnOneLineAndShort(_ value: String, _ shown: String) {
        let e = ConsentError.invalidValue(document: .consent, field: "collected-by.case-manager", value: value,
                                          reason: LocalizedText(de: "ungültig", en: "invalid"))
        let en = e.message(in: .en)
        #expect(en.contains("has the invalid value \(shown): invalid") && !en.contains("\n") && en.count < 300, "\(en.prefix(300))")
        #expect(!e.message(in: .de).contains("\u{1B}"))
    }

    /// A member of the wrong type is named by German type words in German ("nicht integer" stood in a German text).
    @Test func wrongMemberTypesAreNamedInGerman() {
        let e = ConsentError.wrongMemberType(document: .consent, field: "template.version", expected: "integer", found: "string")
        #expect(e.message(in: .de).hasSuffix("Feld „template.version“ muss vom Typ ganze Zahl sein, ist aber Text"), "\(e.message(in: .de))")
        #expect(e.message(in: .en).hasSuffix("field \"template.version\" must be of type integer, found string"))
    }

    /// Builds a flattened JWS by hand, to exercise headers `JWS.sign` never writes.
    func handmade(header: String, payload: [UInt8], key: PrivateKey) throws -> [UInt8] {
        let p = Base64URL.encode(Array(header.utf8)), b = Base64URL.encode(payload)
        let sig = try key.signature(for: Array("\(p).\(b)".utf8))
        return Array(#"{"protected":"\#(p)","payload":"\#(b)","signature":"\#(Base64URL.encode(sig))"}"#.utf8)
    }

    @Test func deprecatedEdDSAIsAcceptedWhenReading() throws {
        let bytes = try handmade(header: #"{"alg":"EdDSA","kid":"\#(signer.kid)","typ":"consentgate-consent+json"}"#,
                                 payload: Fixture.declaration().canonicalPayload, key: signer.key)
        #expect(verifier.verifyConsent(bytes, now: Fixture.now).failures.isEmpty)
    }

    @Test func unsupportedAlgorithmsAreRefused() throws {
        for alg in ["none", "HS256", "ES384"] {
            let bytes = try handmade(header: #"{"alg":"\#(alg)","kid":"\#(signer.kid)","typ":"consentgate-consent+json"}"#,
                                     payload: Fixture.declaration().canonicalPayload, key: signer.key)
            let f = verifier.verifyConsent(bytes, now: Fixture.now).failures
            guard case .malformedJWS(_, let reason) = f.first else { Issue.record("\(alg): \(f)"); continue }
            #expect(reason.en.contains(alg) && reason.de.contains(alg))
        }
    }

    /// A payload edited so that it no longer reads (no JSON, or a member of the wrong shape) under the original
    /// signature is an edited document: the broken signature comes first (integrity, exit 4), then what does not read.
    /// The same unreadable payload signed by the trusted key is only invalid input (found in a review: the edited file
    /// was exit 3, "invalid input", while every other edit was exit 4).
    @Test(arguments: [Array("not json".utf8), Array(#"{"id": 17}"#.utf8)])
    func anEditedPayloadThatNoLongerReadsIsAnIntegrityFailure(edited: [UInt8]) throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        let text = String(decoding: signed.bytes, as: UTF8.self)
        let forged = Array(text.replacingOccurrences(of: signed.jws.payloadB64, with: Base64URL.encode(edited)).utf8)
        let f = verifier.verifyConsent(forged, now: Fixture.now).failures
        #expect(f.count == 2, "\(f)")
        guard case .signatureInvalid(let kid, _)? = f.first else { Issue.record("\(f)"); return }
        #expect(kid == signer.kid && f[0].category == .integrity)
        #expect(f[1].category == .invalidInput)

        let honest = try handmade(header: #"{"alg":"Ed25519","kid":"\#(signer.kid)","typ":"consentgate-consent+json"}"#,
                                  payload: edited, key: signer.key)
        let g = verifier.verifyConsent(honest, now: Fixture.now).failures
        #expect(g.count == 1 && g[0].category == .invalidInput, "\(g)")
    }

    @Test func everyFailureIsReportedIntegrityFirst() throws {
        let stranger = try TestSigner()
        let d = Fixture.declaration(clauses: ["x-1"], expiresAt: Fixture.date("2031-01-01T00:00:00Z"))
        let f = try failures(d, key: stranger.key)
        #expect(f.count == 3)
        #expect(f.first == .untrustedKey(kid: stranger.kid, reason: ConsentError.notInTrustStore))
        #expect(f.contains(.clauseNotInTemplate(clause: "x-1", template: "kim-test", version: 2)))
        #expect(f.dropFirst().allSatisfy { $0.category == .invalidInput })
    }

    @Test func errorsExplainThemselvesInGermanAndEnglish() throws {
        let errors: [ConsentError] = [
            .clauseNotInTemplate(clause: "c", template: "t", version: 1), .missingMember(document: .consent, field: "granted-at"),
            .untrustedKey(kid: "k", reason: .init(de: "g", en: "r")), .signatureInvalid(kid: "k", reason: .init(de: "g", en: "r")), .duplicateConsent(id: "i"),
            .storage(operation: .grant, reason: .other("disk full")), .guardianMissing(subject: "S-1", age: 12, minimumAge: 16),
            .unreadableInput(path: "/x/scan.pdf", reason: .init(de: "keine solche Datei", en: "no such file")), .file(path: "/x/out", reason: .init(de: "Schreiben fehlgeschlagen", en: "write failed")),
        ]
        for e in errors {
            let de = e.message(in: .de), en = e.message(in: .en)
            #expect(!de.isEmpty && !en.isEmpty && de != en)
            #expect(ErrorFormatter.format(e, language: .de).hasPrefix("Fehler: "))
        }
        #expect(ConsentError.signatureInvalid(kid: "k", reason: .init(de: "g", en: "r")).category.exitCode == 4)
        #expect(ConsentError.clauseNotInTemplate(clause: "c", template: "t", version: 1).category.exitCode == 3)
        #expect(ConsentError.storage(operation: .list, reason: .other("r")).category.exitCode == 5)
        // SQLite's code in words and the operation in the user's language (the full-disk review: "grant fehlgeschlagen:
        // SQLite error 13: database or disk is full - while executing `COMMIT TRANSACTION`").
        let full = ConsentError.storage(operation: .grant, reason: .database(code: 13, message: "database or disk is full"))
        #expect(full.message(in: .de) == "Einwilligungsspeicher: Einwilligung speichern fehlgeschlagen: der Datenträger ist voll (SQLite-Fehler 13)")
        #expect(full.message(in: .en) == "consent store: storing the consent failed: the disk is full (SQLite error 13)")
        // A file the user named that cannot be read is wrong input; one that cannot be written is storage.
        #expect(ConsentError.unreadableInput(path: "p", reason: .init(de: "g", en: "r")).category.exitCode == 3)
        #expect(ConsentError.file(path: "p", reason: .init(de: "r", en: "r")).category.exitCode == 5)
        #expect(ConsentError.guardianMissing(subject: "S-1", age: 12, minimumAge: 16).message(in: .en).contains("\"guardians\""))
    }

    @Test func withdrawalsVerifyAndMustFitTheirConsent() throws {
        let d = Fixture.declaration()
        let w = ConsentWithdrawal(consentID: d.id, subject: d.subject, withdrawnAt: Fixture.now, recordedBy: Fixture.collector)
        let signed = try w.signed(with: signer.key)
        #expect(signed.jws.header.typ == "consentgate-withdrawal+json")
        #expect(try verifier.verifyWithdrawal(signed.bytes, of: d, now: Fixture.now).get().content == w)
        let early = ConsentWithdrawal(consentID: d.id, subject: "RSK-9", withdrawnAt: Fixture.grantedAt.addingTimeInterval(-1),
                                      recordedBy: Fixture.collector)
        let f = verifier.verifyWithdrawal(try early.signed(with: signer.key).bytes, of: d, now: Fixture.now).failures
        #expect(f.contains(.withdrawalBeforeGrant(id: d.idText, withdrawnAt: early.withdrawnAt, grantedAt: d.grantedAt)))
        #expect(f.contains(.withdrawalSubjectMismatch(id: d.idText, consentSubject: d.subject, withdrawalSubject: "RSK-9")))
        // A validly signed withdrawal of another consent, presented for this one (a swapped row), does not fit it
        // (found by mutation testing, session 35: the check could be dropped with every test passing).
        let other = ConsentWithdrawal(consentID: UUID(), subject: d.subject, withdrawnAt: Fixture.now, recordedBy: Fixture.collector)
        let foreign = verifier.verifyWithdrawal(try other.signed(with: signer.key).bytes, of: d, now: Fixture.now).failures
        #expect(foreign.contains { if case .invalidValue(.withdrawal, "consent", other.consentIDText, _) = $0 { true } else { false } }, "\(foreign)")
        #expect(foreign.count == 1, "\(foreign)")
        // A consent document is not a withdrawal.
        #expect(verifier.verifyWithdrawal(try d.signed(with: signer.key).bytes, now: Fixture.now).failures
                == [.wrongType(document: .withdrawal, found: "consentgate-consent+json")])
    }

    @Test func repeatedVerificationIsAnsweredFromTheCache() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        let v = makeVerifier([signer])
        _ = v.verifyConsent(signed.bytes, now: Fixture.now)
        #expect(v.cacheStatistics == VerificationCacheStatistics(hits: 0, misses: 1, entries: 1))
        for _ in 0..<5 { #expect(v.verifyConsent(signed.bytes, now: Fixture.now).failures.isEmpty) }
        #expect(v.cacheStatistics == VerificationCacheStatistics(hits: 5, misses: 1, entries: 1))
        var altered = signed.bytes
        altered[altered.count - 5] ^= 0x01  // inside the signature's base64url
        #expect(!v.verifyConsent(altered, now: Fixture.now).failures.isEmpty)
        #expect(v.cacheStatistics.misses == 2)
    }
}

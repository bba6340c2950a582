import Foundation
import StrictJSON
import Testing
@testable import AuditLog

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: CanonicalJSON.encode(try JSONParser.parse(Array(text.utf8), context: "test")), as: UTF8.self)
    }

    @Test("A syntax error becomes malformedEntry naming the context and the byte", arguments: [
        ("1.5", "only whole numbers are accepted at byte 1"), ("{\"a\":1,\"a\":2}", "duplicate member \"a\" at byte 7"),
    ])
    func syntaxErrorsNameTheEntry(text: String, reason: String) {
        #expect(throws: AuditLogError.malformedEntry(context: "entry 7", reason: reason)) {
            try JSONParser.parse(Array(text.utf8), context: "entry 7")
        }
    }

    @Test("Canonicalization is idempotent and parse(encode(x)) == x for an entry")
    func roundTrip() throws {
        let e = try TestSupport.disclosure(1)
        let bytes = e.canonicalBytes()
        let parsed = try JSONParser.parse(bytes, context: "t")
        #expect(CanonicalJSON.encode(parsed) == bytes)
        #expect(try AuditEntry(bytes: bytes, context: "t") == e)
    }

    @Test("A decision entry's exact canonical bytes")
    func decisionGolden() throws {
        let e = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "cm-07", municipality: "Troisdorf", policyDigest: "sha256:00",
            content: .decision(DecisionRecord(subject: "RSK-2022-00017", partner: "jobcenter", purpose: "job-placement",
                at: "2026-11-25T10:00:00Z", requested: ["name.family", "health.notes"], attributes: ["age": .int(19)],
                consents: ["c-1"], fields: [
                    FieldOutcome(field: "name.family", outcome: .permit, rule: "jobcenter-consent", consent: ConsentReference(id: "c-1", clause: "jobcenter")),
                    FieldOutcome(field: "health.notes", outcome: .deny, rule: "no-health-to-jobcenter", reason: "forbidden"),
                ])))
        let expected = #"{"actor":"cm-07","content":{"at":"2026-11-25T10:00:00Z","attributes":{"age":19},"consents":["c-1"],"fields":[{"consent":{"clause":"jobcenter","id":"c-1"},"field":"name.family","outcome":"permit","rule":"jobcenter-consent"},{"field":"health.notes","outcome":"deny","reason":"forbidden","rule":"no-health-to-jobcenter"}],"partner":"jobcenter","purpose":"job-placement","requested":["name.family","health.notes"],"subject":"RSK-2022-00017"},"entry-version":1,"kind":"decision","municipality":"Troisdorf","policy-digest":"sha256:00","time":"2026-11-25T10:00:00Z"}"#
        #expect(String(decoding: e.canonicalBytes(), as: UTF8.self) == expected)
        #expect(try AuditEntry(bytes: e.canonicalBytes(), context: "t") == e)
    }

    @Test("Every kind round-trips through its canonical bytes")
    func allKinds() throws {
        let contents: [AuditContent] = [
            .consentGranted(ConsentGrantedRecord(consentID: "c", subject: "s", templateID: "kim", templateVersion: 3, clauses: ["a"], grantedAt: "2026-01-01T00:00:00Z", expiresAt: "2028-01-01T00:00:00Z", digest: "sha256:1")),
            .consentWithdrawn(ConsentWithdrawnRecord(consentID: "c", subject: "s", withdrawnAt: "2026-02-01T00:00:00Z")),
            .policyLoaded(PolicyLoadedRecord(bundleID: "kim", version: "1", digest: "sha256:2", previousDigest: "sha256:1")),
            .exportRun(ExportRunRecord(runID: "r", partner: "p", purpose: "q", inputDigest: "sha256:3", records: 10, quarantined: 1)),
            .erasureNotice(ErasureNoticeRecord(subject: "s", reason: "art-17-request", notify: ["schulamt"])),
            .keyEvent(KeyEventRecord(event: "revoked", kid: "k", roles: ["audit-log"], reason: "lost")),
            .auditRead(AuditReadRecord(command: "audit log", filters: ["subject": "s"], results: 3)),
        ]
        for c in contents {
            let e = AuditEntry(time: Date(timeIntervalSince1970: 1_764_064_800), actor: "dpo", content: c)
            #expect(e.time == "2025-11-25T10:00:00Z")
            #expect(try AuditEntry(bytes: e.canonicalBytes(), context: "t") == e)
        }
    }

    /// Content of every kind, optional members present and absent (also used by `EntryColumnMatcherTests`).
    static func everyKind() -> [AuditContent] {
        let ref = ConsentReference(id: "c-1", clause: "jc")
        return [
            .decision(DecisionRecord(subject: "s", partner: "p", purpose: "q", at: "2026-01-01T00:00:00Z", requested: ["a", "b"],
                                     attributes: ["age": .int(17), "unaccompanied-minor": .bool(true), "municipality": .string("Siegburg")],
                                     consents: ["c-1"], fields: [FieldOutcome(field: "a", outcome: .permit, rule: "r", consent: ref),
                                                                 FieldOutcome(field: "b", outcome: .deny, reason: "forbidden")],
                                     policyID: "kim", policyVersion: "2026-11-25", referral: "ref-1")),
            .decision(DecisionRecord(subject: "s", partner: "p", purpose: "q", at: "2026-01-01T00:00:00Z", requested: [], fields: [])),
            .disclosure(DisclosureRecord(partner: "p", purpose: "q", subject: "s", fields: [
                DisclosedField(field: "a", basis: .consent, rule: "r", citation: "§ 1", consent: ref), DisclosedField(field: "b", basis: .statute)],
                exportRun: "run", referral: "ref")),
            .disclosure(DisclosureRecord(partner: "p", purpose: "q", subject: "s\"\n", fields: [])),
            .consentGranted(ConsentGrantedRecord(consentID: "c", subject: "s", templateID: "t", templateVersion: 3, clauses: ["x"], grantedAt: "g", expiresAt: "e", digest: "d")),
            .consentGranted(ConsentGrantedRecord(consentID: "c", subject: "s", templateID: "t", templateVersion: 3, clauses: [], grantedAt: "g", expiresAt: "e")),
            .consentWithdrawn(ConsentWithdrawnRecord(consentID: "c", subject: "s", withdrawnAt: "w", digest: "d")),
            .consentWithdrawn(ConsentWithdrawnRecord(consentID: "c", subject: "s", withdrawnAt: "w")),
            .policyLoaded(PolicyLoadedRecord(bundleID: "b", version: "v", digest: "d", previousDigest: "p")),
            .policyLoaded(PolicyLoadedRecord(bundleID: "b", version: "v", digest: "d")),
            .exportRun(ExportRunRecord(runID: "r", partner: "p", purpose: "q", inputDigest: "i", records: 5, quarantined: 0, manifestDigest: "m")),
            .exportRun(ExportRunRecord(runID: "r", partner: "p", purpose: "q", inputDigest: "i", records: 5, quarantined: 0)),
            .erasureNotice(ErasureNoticeRecord(subject: "s", reason: "r", notify: ["a", "b"])),
            .keyEvent(KeyEventRecord(event: "e", kid: "k", roles: ["audit-log"], reason: "r")),
            .keyEvent(KeyEventRecord(event: "e", kid: "k", roles: [])),
            .auditRead(AuditReadRecord(command: "c", filters: ["z": "1", "a": "2", "é": "3"], results: 0)),
        ]
    }

    @Test("The streaming writer gives exactly the generic encoder's bytes for every kind, optional members present or absent")
    func fastWriterMatchesGeneric() throws {
        let contents = Self.everyKind()
        for c in contents {
            for (m, d) in [(String?.none, String?.none), ("Troisdorf", "sha256:ab")] {
                let e = try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "a", municipality: m, policyDigest: d, content: c)
                #expect(e.canonicalBytes() == CanonicalJSON.encode(e.json))
                #expect(try AuditEntry(bytes: e.canonicalBytes(), context: "t") == e)
            }
        }
    }

    @Test("Entry times must be RFC 3339 UTC with whole seconds")
    func times() {
        #expect(throws: AuditLogError.self) { try AuditEntry(timeText: "2026-11-25T10:00:00+01:00", actor: "a", content: .auditRead(AuditReadRecord(command: "x", filters: [:], results: 0))) }
        #expect(throws: AuditLogError.self) { try AuditEntry(timeText: "2026-13-25T10:00:00Z", actor: "a", content: .auditRead(AuditReadRecord(command: "x", filters: [:], results: 0))) }
    }
}

import Diagnostics
import Foundation
import Signing
import StrictJSON

extension ConsentStatus {
    /// What `consent show` and `consent list --json` print for this consent at `time`: one JSON object
    /// with the signed content (when readable), the state, the evidence digest, and any failures in
    /// `language`. Field values are the record's own; nothing about other people.
    ///
    /// `{"id", "subject", "template": {"id", "version"}, "language", "clauses", "granted-at", "expires-at",
    ///   "withdrawn-at" (of the whole consent on record, also one that fails verification; or null),
    ///   "withdrawn-clauses": [{"clause", "withdrawn-at"}], "state", "kid", "collected-by", "guardians", "evidence" (when
    ///   recorded), "jws-sha256", "failures": [...]}`
    ///
    /// `withdrawn-at` is when the consent ended as a whole (withdrawn whole, or its last lines withdrawn); the lines
    /// (clauses) withdrawn singly are in `withdrawn-clauses`, earliest first, each with its own time.
    public func summary(at time: Date, language: Language) -> JSONValue {
        var m: [String: JSONValue] = [
            "id": .string(id),
            "state": .string(state(at: time).rawValue),
            "failures": .array(failures.map { .string($0.message(in: language)) }),
            "withdrawn-at": withdrawnAtOnRecord.map { .string(RFC3339.format($0)) } ?? .null,
            "withdrawn-clauses": .array(withdrawnClauses.map {
                .object(["clause": .string($0.clause), "withdrawn-at": .string(RFC3339.format($0.at))])
            }),
        ]
        if let record {
            m["subject"] = .string(record.subject)
            m["kid"] = .string(record.kid)
            m["jws-sha256"] = .string(record.jwsSHA256)
            m["recorded-at"] = .string(RFC3339.format(record.recordedAt))
        }
        if let c = consent {
            let d = c.content
            m["subject"] = .string(d.subject)
            m["kid"] = .string(c.kid)
            if record == nil { m["jws-sha256"] = .string(c.digest) }
            m["template"] = .object(["id": .string(d.template.id), "version": .int(Int64(d.template.version))])
            m["language"] = .string(d.language)
            m["clauses"] = .array(d.clauses.map(JSONValue.string))
            m["granted-at"] = .string(RFC3339.format(d.grantedAt))
            m["expires-at"] = .string(RFC3339.format(d.expiresAt))
            m["collected-by"] = d.collectedBy.json
            m["guardians"] = .array(d.guardians.map(\.json))
            if let e = d.evidence { m["evidence"] = .string(e) }
        }
        return .object(m)
    }

    /// The lines (clauses) withdrawn singly, each with its time, earliest first (then by clause id): from the signed
    /// withdrawals as read, so also for a record that fails verification.
    public var withdrawnClauses: [(clause: String, at: Date)] {
        var earliest: [String: Date] = [:]
        for w in withdrawals { for c in w.content.clauses ?? [] { earliest[c] = min(earliest[c] ?? w.content.withdrawnAt, w.content.withdrawnAt) } }
        return earliest.map { (clause: $0.key, at: $0.value) }.sorted { ($0.at, $0.clause) < ($1.at, $1.clause) }
    }
}

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
    ///   "withdrawn-at" (of the withdrawal on record, also one that fails verification; or null), "state", "kid", "collected-by", "guardians", "evidence" (when recorded),
    ///   "jws-sha256", "failures": [...]}`
    public func summary(at time: Date, language: Language) -> JSONValue {
        var m: [String: JSONValue] = [
            "id": .string(id),
            "state": .string(state(at: time).rawValue),
            "failures": .array(failures.map { .string($0.message(in: language)) }),
            "withdrawn-at": withdrawnAtOnRecord.map { .string(RFC3339.format($0)) } ?? .null,
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
}

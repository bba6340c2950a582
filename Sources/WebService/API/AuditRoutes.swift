import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import Signing
import StrictJSON

/// The audit log over JSON, for data protection officers. Every read of entries, reports or
/// statistics is itself logged as an `audit-read` entry before the answer leaves.
enum AuditRoutes {
    static let roles: Set<AccountRole> = [.dpo]

    /// An `AuditQuery` from `?subject=&partner=&purpose=&kind=&actor=&municipality=&since=&until=&limit=` (400 naming a bad value).
    static func query(_ request: Request) throws -> AuditQuery {
        let q = request.uri.queryParameters
        var kinds: [AuditEntryKind] = []
        for k in q.getAll("kind").map({ String($0) }) where !k.isEmpty {
            guard let kind = AuditEntryKind(rawValue: k) else {
                throw WebError.badRequest(code: "invalid-field", de: "unbekannte Eintragsart \"\(k)\"",
                    en: "unknown entry kind \"\(k)\" (one of \(AuditEntryKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            kinds.append(kind)
        }
        func text(_ name: String) -> String? { q[Substring(name)].map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
        for name in ["since", "until"] {
            if let t = text(name), RFC3339.parse(t) == nil, UTCDayLike.isDay(t) == false {
                throw WebError.badRequest(code: "invalid-field", de: "\(name): \"\(t)\" ist keine Zeit (RFC 3339) und kein Datum",
                                          en: "\(name): \"\(t)\" is neither an RFC 3339 time nor a date")
            }
        }
        var limit: Int? = 200
        if let l = text("limit") {
            guard let n = Int(l), (1...10_000).contains(n) else {
                throw WebError.badRequest(code: "invalid-field", de: "limit muss 1 bis 10000 sein", en: "limit must be 1 to 10000")
            }
            limit = n
        }
        return AuditQuery(subject: text("subject"), partner: text("partner"), purpose: text("purpose"), kinds: kinds,
                          actor: text("actor"), municipality: text("municipality"), since: text("since"), until: text("until"), limit: limit)
    }

    /// `[{"index": n, "entry": {...}}, ...]` with each entry's canonical bytes as stored.
    static func entriesJSON(_ entries: [StoredEntry]) -> String {
        "[" + entries.map { "{\"entry\":\(String(decoding: $0.bytes, as: UTF8.self)),\"index\":\($0.index)}" }.joined(separator: ",") + "]"
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func int64(_ request: Request, _ name: String) throws -> Int64 {
        guard let v = request.uri.queryParameters[Substring(name)].flatMap({ Int64(String($0)) }), v >= 0 else {
            throw WebError.badRequest(code: "missing-field", de: "Parameter \(name) (Zahl ≥ 0) fehlt", en: "parameter \(name) (number ≥ 0) is missing")
        }
        return v
    }

    /// Index of a logged entry or 404.
    static func entry(_ index: Int64, gate: Gate) throws -> StoredEntry {
        guard index >= 0, index < (try gate.auditLog.size()) else { throw WebError.notFound("audit entry \(index)") }
        return try gate.auditLog.entry(index: index)
    }

    static func register(_ r: RouteRegistrar) {
        let gate = r.environment.gate
        r.api(.get, "/v1/audit/checkpoint", roles: roles) { _, _ in
            guard let cp = try gate.auditLog.latestCheckpoint() else { throw WebError.notFound("checkpoint") }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: cp)))
        }
        r.api(.get, "/v1/audit/entries", roles: roles) { request, auth in
            let found = try gate.auditLog.readRecorded(try query(request), actor: auth.account.name, command: "GET /v1/audit/entries",
                                                       signer: gate.auditSigner())
            return json(entriesJSON(found))
        }
        r.api(.get, "/v1/audit/entries/{index}", roles: roles) { _, auth in
            let index = try auth.context.parameters.require("index", as: Int64.self)
            let e = try entry(index, gate: gate)
            try gate.auditLog.recordRead(command: "GET /v1/audit/entries/{index}", filters: ["index": String(index)], results: 1,
                                         actor: auth.account.name, signer: gate.auditSigner())
            return json("{\"entry\":\(String(decoding: e.bytes, as: UTF8.self)),\"index\":\(e.index)}")
        }
        r.api(.get, "/v1/audit/proofs/inclusion", roles: roles) { request, _ in
            let index = try int64(request, "index")
            let size = request.uri.queryParameters["size"].flatMap { Int64(String($0)) }
            return json(try gate.auditLog.inclusionProof(index: index, size: size).json.canonicalText)
        }
        r.api(.get, "/v1/audit/proofs/consistency", roles: roles) { request, _ in
            let proof = try gate.auditLog.consistencyProof(from: try int64(request, "from"), to: try int64(request, "to"))
            return json(proof.json.canonicalText)
        }
        r.api(.get, "/v1/audit/report/{subject}", roles: roles) { _, auth in
            let subject = auth.context.parameters.get("subject") ?? ""
            let found = try gate.auditLog.readRecorded(AuditQuery(subject: subject), actor: auth.account.name,
                                                       command: "GET /v1/audit/report", signer: gate.auditSigner())
            let report = SubjectReport(subject: subject, entries: found, checkpoint: try gate.auditLog.latestCheckpoint())
            return json(report.json.canonicalText)
        }
        r.api(.get, "/v1/audit/stats", roles: roles) { request, auth in
            let q = try query(request)
            let stats = try gate.auditLog.stats(by: [.partner, .month], query: q)
            try gate.auditLog.recordRead(command: "GET /v1/audit/stats", filters: q.description, results: Int64(stats.rows.count),
                                         actor: auth.account.name, signer: gate.auditSigner())
            let rows = stats.rows.map { row in
                "{\"disclosures\":\(row.disclosures),\"month\":\(jsonString(row.month)),\"partner\":\(jsonString(row.partner)),\"referrals\":\(row.referrals)}"
            }
            return json("[" + rows.joined(separator: ",") + "]")
        }
        r.api(.get, "/v1/audit/verify", roles: roles) { _, _ in
            let status = VerificationStatus.check(gate: gate)
            return json(status.json)
        }
    }

    static func jsonString(_ s: String?) -> String {
        guard let s else { return "null" }
        return JSONValue.string(s).canonicalText
    }
}

/// Whether `audit verify` holds right now: every checkpoint signed and consistent with the tree.
struct VerificationStatus {
    var ok: Bool
    var size: Int64
    var checkpoints: Int
    var problem: String?

    static func check(gate: Gate) -> VerificationStatus {
        do {
            let report = try gate.auditLog.verify(key: try gate.auditVerifierKey())
            return VerificationStatus(ok: true, size: report.size, checkpoints: report.checkpoints, problem: nil)
        } catch {
            let text = (error as? any UserFacingError)?.message(in: .en) ?? String(describing: error)
            return VerificationStatus(ok: false, size: (try? gate.auditLog.size()) ?? 0, checkpoints: 0, problem: text)
        }
    }

    var json: String {
        "{\"checkpoints\":\(checkpoints),\"ok\":\(ok),\"problem\":\(AuditRoutes.jsonString(problem)),\"size\":\(size)}"
    }
}

/// Dates as `YYYY-MM-DD`, accepted for `since` and `until` as well as full times.
enum UTCDayLike {
    static func isDay(_ s: String) -> Bool { s.count == 10 && s.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil }
}

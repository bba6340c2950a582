import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing
import StrictJSON

/// The audit log over JSON, for data protection officers. Every read of entries, reports or
/// statistics is itself logged as an `audit-read` entry before the answer leaves.
enum AuditRoutes {
    static let roles: Set<AccountRole> = [.dpo]

    /// An `AuditQuery` from `?subject=&partner=&purpose=&kind=&actor=&municipality=&since=&until=&limit=&after=&before=`
    /// (400 naming a bad value). A date `YYYY-MM-DD` in `since`/`until` is the start of that day in Europe/Berlin
    /// (`AuditTimeBound`), on the API as on the pages.
    static func query(_ request: Request) throws -> AuditQuery {
        let q = request.uri.queryParameters
        var kinds: [AuditEntryKind] = []
        for k in q.getAll("kind").map({ String($0) }) where !k.isEmpty {
            guard let kind = AuditEntryKind(rawValue: k) else {
                let allowed = AuditEntryKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw WebError.badParameter("kind", de: "Parameter kind: unbekannte Eintragsart \"\(k)\" (erlaubt: \(allowed))",
                                          en: "parameter kind: unknown entry kind \"\(k)\" (allowed: \(allowed))")
            }
            // Each kind once: 3000 copies of one kind were logged as they came in the `audit-read` entry, ~27 KB of the
            // append-only log for one request (API review L7).
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        func text(_ name: String) -> String? { q[Substring(name)].map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
        // Every read is logged with its filters, in the append-only log: a filter is an id or a name, never a text of
        // kilobytes (found in the web review: 60,000-character filters were logged as such).
        for name in ["subject", "partner", "purpose", "actor", "municipality"] {
            if let value = text(name) { try requireFilterLength(value, name: name) }
        }
        let (since, until) = try period(since: text("since"), until: text("until"))
        var limit: Int? = 200
        if let l = text("limit") {
            // Digits only, as every other whole number of the API (`Int` alone would take "+5").
            guard l.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(l), (1...10_000).contains(n) else {
                // The value quoted (a shown `limit must be 1 to 10000` left "+5" or "5.0" to be guessed: API review L6).
                throw WebError.badParameter("limit", de: "limit muss eine ganze Zahl von 1 bis 10000 sein, nicht \"\(ShownValue.text(l, language: .de))\"",
                                            en: "limit must be a whole number from 1 to 10000, not \"\(ShownValue.text(l, language: .en))\"")
            }
            limit = n
        }
        return AuditQuery(subject: text("subject"), partner: text("partner"), purpose: text("purpose"), kinds: kinds,
                          actor: text("actor"), municipality: text("municipality"), since: since, until: until, limit: limit,
                          after: try optionalInt64(request, "after"), before: try optionalInt64(request, "before"))
    }

    /// The longest text filter (`subject`, `partner`, `purpose`, `actor`, `municipality`), in Unicode scalars.
    static let maxFilterLength = 256

    /// 400 `invalid-field` naming parameter `name` when `value` is longer than `maxFilterLength`.
    static func requireFilterLength(_ value: String, name: String) throws {
        let count = value.unicodeScalars.count
        guard count > maxFilterLength else { return }
        throw WebError.badParameter(name, de: "Parameter \(name): höchstens \(maxFilterLength) Zeichen (hat \(count))",
                                  en: "parameter \(name): at most \(maxFilterLength) characters (has \(count))")
    }

    /// A `since`/`until` value as the log's query reads it (`AuditTimeBound`: an RFC 3339 time as given, a date
    /// `YYYY-MM-DD` as the start of that day in Europe/Berlin); 400 for anything else.
    static func time(_ value: String?, name: String) throws -> String? {
        guard let value else { return nil }
        if let bound = AuditTimeBound.parse(value) { return bound }
        if let range = TimeRangeWords.outOfRange(value) {
            throw WebError.badParameter(name, de: "Parameter \(name): \(range.de)", en: "parameter \(name): \(range.en)")
        }
        throw WebError.badParameter(name, de: "Parameter \(name): \"\(value)\" ist keine Zeit (RFC 3339) und kein Datum (JJJJ-MM-TT)",
                                  en: "parameter \(name): \"\(value)\" is neither an RFC 3339 time nor a date (YYYY-MM-DD)")
    }

    /// `since` and `until` as `time` reads them; 400 `invalid-field` naming `until` when the period they give is empty
    /// (until not after since: two dates swapped would otherwise answer "nothing recorded").
    static func period(since: String?, until: String?) throws -> (since: String?, until: String?) {
        let from = try time(since, name: "since"), to = try time(until, name: "until")
        if AuditTimeBound.isEmptyPeriod(since: from, until: to), let since, let until {
            throw WebError.badParameter("until",
                                      de: "Parameter until: „\(until)“ liegt nicht nach since „\(since)“ (until zählt nicht mit): der Zeitraum ist leer",
                                      en: "parameter until: \"\(until)\" is not after since \"\(since)\" (until is exclusive): the period is empty")
        }
        return (from, to)
    }

    /// `[{"index": n, "entry": {...}}, ...]` with each entry's canonical bytes as stored.
    static func entriesJSON(_ entries: [StoredEntry]) -> String {
        "[" + entries.map { "{\"entry\":\(String(decoding: $0.bytes, as: UTF8.self)),\"index\":\($0.index)}" }.joined(separator: ",") + "]"
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The query parameter `name` as a whole number ≥ `minimum`: 400 `missing-field` without it, 400
    /// `invalid-field` for anything else.
    static func int64(_ request: Request, _ name: String, minimum: Int64 = 0) throws -> Int64 {
        guard let v = try optionalInt64(request, name, minimum: minimum) else {
            throw WebError.badParameter(name, code: "missing-field", de: "Parameter \(name) (ganze Zahl ≥ \(minimum)) fehlt",
                                      en: "parameter \(name) (whole number ≥ \(minimum)) is missing")
        }
        return v
    }

    /// `int64` for an optional parameter (nil when absent or empty).
    static func optionalInt64(_ request: Request, _ name: String, minimum: Int64 = 0) throws -> Int64? {
        guard let raw = request.uri.queryParameters[Substring(name)].map(String.init), !raw.isEmpty else { return nil }
        if var tooLarge = IndexRange.tooLarge(raw, place: LocalizedText(de: "Parameter \(name)", en: "parameter \(name)")) {
            tooLarge.parameter = name
            throw tooLarge
        }
        guard raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int64(raw), v >= minimum else {
            throw WebError.badParameter(name, de: "Parameter \(name): \"\(raw)\" ist keine ganze Zahl ≥ \(minimum)",
                                      en: "parameter \(name): \"\(raw)\" is not a whole number ≥ \(minimum)")
        }
        return v
    }

    /// 422 `invalid-input` unless `value` (parameter `name`) is below (`below`) or at most the log's `size`.
    static func requireInLog(_ value: Int64, _ name: String, below: Bool, size: Int64) throws {
        guard below ? value < size : value <= size else {
            let bound = below ? LocalizedText(de: "kleiner als", en: "below") : LocalizedText(de: "höchstens", en: "at most")
            throw WebError(.unprocessableContent, code: "invalid-input",
                           de: "Parameter \(name) = \(value) liegt außerhalb des Protokolls: muss \(bound.de) \(size) sein (Größe des Protokollbaums)",
                           en: "parameter \(name) = \(value) is outside the log: it must be \(bound.en) \(size) (the size of the log tree)")
        }
    }

    /// Index of a logged entry or 404.
    static func entry(_ index: Int64, gate: Gate) throws -> StoredEntry {
        guard index >= 0, index < (try gate.auditLog.size()) else { throw WebError.notFound(LocalizedText(de: "Protokolleintrag \(index)", en: "audit entry \(index)")) }
        return try gate.auditLog.entry(index: index)
    }

    static func register(_ r: RouteRegistrar) {
        let gate = r.environment.gate
        let longWork = r.environment.longWork
        r.api(.get, "/v1/audit/checkpoint", roles: roles) { _, _ in
            guard let cp = try await BlockingWork.run({ try gate.auditLog.latestCheckpoint() }) else { throw WebError.notFound(LocalizedText(de: "Prüfpunkt (das Protokoll hat noch keinen)", en: "checkpoint (the log has none yet)")) }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: cp)))
        }
        r.api(.get, "/v1/audit/entries", roles: roles, query: .auditFilters) { request, auth in
            let q = try query(request)
            let found = try await longWork.run {
                try gate.auditLog.readRecorded(q, actor: auth.account.name, command: "GET /v1/audit/entries", signer: gate.auditSigner())
            }
            return json(entriesJSON(found))
        }
        r.api(.get, "/v1/audit/entries/{index}", roles: roles) { _, auth in
            let index = try PathParameter.index("index", in: auth.context)
            let actor = auth.account.name
            let e = try await BlockingWork.run {
                let e = try entry(index, gate: gate)
                try gate.auditLog.recordRead(command: "GET /v1/audit/entries/{index}", filters: ["index": String(index)], results: 1,
                                             actor: actor, signer: gate.auditSigner())
                return e
            }
            return json("{\"entry\":\(String(decoding: e.bytes, as: UTF8.self)),\"index\":\(e.index)}")
        }
        r.api(.get, "/v1/audit/proofs/inclusion", roles: roles, query: KnownQueryParameters(["index", "size"])) { request, auth in
            let index = try int64(request, "index")
            let size = try optionalInt64(request, "size", minimum: 1)
            let actor = auth.account.name
            // A proof reads the leaf hashes of (nearly) the whole tree, one range at a time, holding O(log n) of them: a long read.
            return json(try await longWork.run {
                let total = try gate.auditLog.size()
                if let size { try requireInLog(size, "size", below: false, size: total) }
                try requireInLog(index, "index", below: true, size: size ?? total)
                let proof = try gate.auditLog.inclusionProof(index: index, size: size).json.canonicalText
                // The proof carries the entry itself (`entry`, base64): a disclosure's person, partner and fields, as
                // `GET /v1/audit/entries/{index}` answers them. So it is a read of the log like that one, logged before
                // the answer; before 2026-12-05 it was not, and every entry could be read unlogged through it.
                var filters = ["index": String(index)]
                if let size { filters["size"] = String(size) }
                try gate.auditLog.recordRead(command: "GET /v1/audit/proofs/inclusion", filters: filters, results: 1,
                                             actor: actor, signer: gate.auditSigner())
                return proof
            })
        }
        r.api(.get, "/v1/audit/proofs/consistency", roles: roles, query: KnownQueryParameters(["from", "to"])) { request, _ in
            let from = try int64(request, "from", minimum: 1), to = try int64(request, "to", minimum: 1)
            guard from <= to else {
                throw WebError(.unprocessableContent, code: "invalid-input", de: "Parameter from = \(from) muss höchstens to = \(to) sein",
                               en: "parameter from = \(from) must be at most to = \(to)")
            }
            return json(try await longWork.run {
                try requireInLog(to, "to", below: false, size: try gate.auditLog.size())
                return try gate.auditLog.consistencyProof(from: from, to: to).json.canonicalText
            })
        }
        r.api(.get, "/v1/audit/report/{subject}", roles: roles) { _, auth in
            let subject = try PathParameter.caseID("subject", in: auth.context)
            let actor = auth.account.name
            let report = try await BlockingWork.run { try gate.subjectReport(subject, actor: actor, command: "GET /v1/audit/report") }
            // With the policy's names beside the ids, as `consentgate audit report --json` gives them.
            return json(report.json(labels: ReportLabels(policy: gate.policy.bundle)).canonicalText)
        }
        r.api(.get, "/v1/audit/stats", roles: roles, query: .auditStatsFilters) { request, auth in
            let q = try query(request)
            let actor = auth.account.name
            // From the totals the service keeps, counting only what was appended since (`Gate.disclosureStats`).
            let stats = try await longWork.run {
                try gate.disclosureStats(by: [.partner, .month], query: q, actor: actor, command: "GET /v1/audit/stats")
            }
            let rows = stats.rows.map { row in
                "{\"disclosures\":\(row.disclosures),\"month\":\(jsonString(row.month)),\"partner\":\(jsonString(row.partner)),\"referrals\":\(row.referrals)}"
            }
            return json("[" + rows.joined(separator: ",") + "]")
        }
        r.api(.get, "/v1/audit/verify", roles: roles) { _, auth in
            let actor = auth.account.name
            let logger = auth.context.logger
            let status = try await longWork.run {
                let status = VerificationStatus.check(gate: gate)
                // A finding can name a consent, a case id and a partner: then the answer is a read of personal data like
                // any other DPO read, and logged before it leaves (appending keeps what verification found detectable). A
                // log too broken to append to still gets its finding answered: hiding it would be worse.
                if !status.ok {
                    do {
                        try gate.auditLog.recordRead(command: "GET /v1/audit/verify", filters: [:], results: 1, actor: actor,
                                                     signer: gate.auditSigner())
                    } catch {
                        // Said where the administrator looks: this DPO read is answered, but not in the log.
                        logger.error("audit-read of verification findings not logged", metadata: ["actor": "\(actor)", "error": "\(ErrorFormatter.format(error, language: .en))"])
                    }
                }
                return status
            }
            return json(status.json(language: auth.language))
        }
    }

    static func jsonString(_ s: String?) -> String {
        guard let s else { return "null" }
        return JSONValue.string(s).canonicalText
    }
}

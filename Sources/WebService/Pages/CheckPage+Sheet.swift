import AuditLog
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// The referral sheet download (`/check/{index}/sheet.csv`): the released fields of a logged decision as CSV.
extension CheckPage {
    /// The referral sheet of a logged decision: the released fields with label, rule and norm, as
    /// Excel-friendly CSV (UTF-8 BOM, `;`, CRLF). Only decisions of the case worker's municipality: for
    /// anything else (no such entry, not a decision, a decision of another municipality) the same 404, so
    /// walking the indices tells a case worker nothing about other municipalities' decisions.
    static func sheet(_ page: PageRequest, env: WebEnvironment) async throws -> Response {
        let l = page.language
        let index = try PathParameter.index("index", in: page.context)
        let stored: StoredEntry
        let gate = env.gate
        do { stored = try await BlockingWork.run { try gate.auditLog.entry(index: index) } } catch { throw WebError.notFound(page.path) }
        guard case let .decision(record) = stored.entry.content, let own = page.account?.municipality,
              stored.entry.municipality == own else { throw WebError.notFound(page.path) }
        let policy = env.gate.policy
        // The norms of the policy the decision was made under (the archive keeps every policy ever in force), not of the
        // one in force now: the sheet is handed to the partner as the basis of that referral (found in a review).
        let citations = try await BlockingWork.run {
            try RuleCitations(database: gate.database, current: policy).table(for: [stored])[stored.entry.policyDigest ?? ""] ?? [:]
        }
        // Partner and purpose by name (and id), the time in Berlin with its zone, as the page shows them.
        let partner = policy.bundle.partner(record.partner).map { "\($0.name[l]) (\(record.partner))" } ?? record.partner
        let purpose = policy.bundle.purpose(record.purpose).map { "\($0.label[l]) (\(record.purpose))" } ?? record.purpose
        let at = RFC3339.parse(record.at).map { BerlinTime.format($0, language: l) } ?? record.at
        var lines = [[l == .de ? "Übergabeblatt" : "Referral sheet", record.subject, partner, purpose, at,
                      (l == .de ? "Protokolleintrag " : "audit entry ") + String(index)]]
        lines.append([l == .de ? "Feld-ID" : "Field id", l == .de ? "Feld" : "Field", l == .de ? "Regel" : "Rule",
                      l == .de ? "Rechtsgrundlage" : "Legal basis", l == .de ? "Einwilligung" : "Consent"])
        for f in record.fields where f.outcome == .permit {
            let citation = f.rule.flatMap { citations[$0]?[l] } ?? ""
            lines.append([f.field, PolicyWidgets.fieldLabel(f.field, policy: policy, language: l), f.rule ?? "", citation,
                          f.consent.map { "\($0.id) / \($0.clause)" } ?? ""])
        }
        let csv = "\u{FEFF}" + lines.map { $0.map(csvCell).joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"uebergabe-\(index).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    /// RFC 4180 quoting, with cells that a spreadsheet would run as a formula neutralised by a leading `'`.
    static func csvCell(_ text: String) -> String {
        var t = text
        if let first = t.first, "=+-@\t\r".contains(first) { t = "'" + t }
        if t.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return t
    }
}

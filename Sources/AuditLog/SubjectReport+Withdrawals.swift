import Diagnostics
import Foundation
import Signing
import StrictJSON

extension SubjectReport {
    /// `disclosures`, each with the withdrawals among `consents` that had taken effect by the time it was logged on a
    /// consent (or a line of it) its fields went on (`Disclosure.afterWithdrawal`). The time logged, not the moment a
    /// check was made for (`asOf`): the data could go out only when the check was made, and `consent withdraw` names the
    /// releases logged from the withdrawal's time on, so both name the same rows. A withdrawal counts from its
    /// `withdrawn-at` (DOMAIN: a consent is valid at T only if not withdrawn at or before T), whenever it was recorded.
    /// Per consent the earliest withdrawal that covers a field is named (a line withdrawn, then the whole consent: once).
    static func markingWithdrawals(_ disclosures: [Disclosure], consents: [ConsentEvent]) -> [Disclosure] {
        let withdrawals = consents.filter { $0.event == "withdrawn" }
            .sorted { (RFC3339.parse($0.withdrawnAt ?? "") ?? .distantFuture) < (RFC3339.parse($1.withdrawnAt ?? "") ?? .distantFuture) }
        guard !withdrawals.isEmpty else { return disclosures }
        return disclosures.map { d in
            guard d.fields.contains(where: { $0.consent != nil }), let moment = RFC3339.parse(d.time) else { return d }
            var d = d
            var covered = Set<String>()   // fields already named under an earlier withdrawal
            for w in withdrawals {
                guard let from = w.withdrawnAt, let effective = RFC3339.parse(from),
                      Self.counts(effective, recordedAt: w.time, recordedIndex: w.index, against: moment, index: d.index) else { continue }
                let fields = d.fields.filter { f in
                    guard let c = f.consent, c.id == w.consent, !covered.contains(f.field) else { return false }
                    return w.clauses.isEmpty || w.clauses.contains(c.clause)
                }.map(\.field)
                guard !fields.isEmpty else { continue }
                covered.formUnion(fields)
                d.afterWithdrawal.append(WithdrawalInEffect(entry: w.index, consent: w.consent, clauses: w.clauses, withdrawnAt: from,
                                                            recordedAt: w.time, fields: fields))
            }
            return d
        }
    }

    /// Whether a withdrawal counting from `effective`, logged at `recordedAt` (entry `recordedIndex`), had taken effect for
    /// a row logged at `moment` (entry `index`; entry times are whole seconds). Before that second: yes. In the same second:
    /// for a withdrawal recorded in the second it counts from (one recorded "now", its time cut to the second), only a row
    /// logged after it, since a release earlier in that second came before the withdrawal; for one recorded later (a
    /// letter entered late), yes (valid at T only if not withdrawn at or before T).
    public static func counts(_ effective: Date, recordedAt: String, recordedIndex: Int64, against moment: Date, index: Int64) -> Bool {
        let second = Date(timeIntervalSince1970: effective.timeIntervalSince1970.rounded(.down))
        if second < moment { return true }
        guard second == moment else { return false }
        return AuditTime.format(effective) != recordedAt || index > recordedIndex
    }

    /// What a row released after a withdrawal says in its legal-basis cell, as HTML: that the fields named went out without
    /// a legal basis, which consent (and lines) was withdrawn from when, and when that was recorded. `time` renders an RFC
    /// 3339 time as HTML (the report's Berlin time); `field` names a field.
    public static func afterWithdrawalHTML(_ w: WithdrawalInEffect, language: Language, time: (String) -> String,
                                           field: (String) -> String) -> String {
        let de = language == .de
        let lines = w.clauses.isEmpty ? "" : (de ? ", Zeile(n) " : ", line(s) ") + w.clauses.joined(separator: ", ")
        let fields = w.fields.map(field).joined(separator: ", ")
        let text = de
            ? "Ohne Rechtsgrundlage: \(HTML.escape(fields)). Die Einwilligung \(HTML.escape(w.consent + lines)) war mit Wirkung vom \(time(w.withdrawnAt)) widerrufen (erfasst am \(time(w.recordedAt)), Protokolleintrag \(w.entry))."
            : "Without a legal basis: \(HTML.escape(fields)). Consent \(HTML.escape(w.consent + lines)) had been withdrawn with effect from \(time(w.withdrawnAt)) (recorded on \(time(w.recordedAt)), log entry \(w.entry))."
        return "<strong class=\"after-withdrawal\">\(text)</strong>"
    }

    /// The words that mark an overview line of releases after a withdrawal.
    public static func afterWithdrawalLabel(_ language: Language) -> String {
        language == .de ? "ohne Rechtsgrundlage: nach einem Widerruf (Einzelheiten unten)" : "without a legal basis: after a withdrawal (details below)"
    }

    /// The names a row is shown with, by the digest of the policy it was decided or disclosed under: that policy's
    /// (`policies`), and `fallback`'s (the policy in force today, or none) for what it does not name or when it is not known.
    public func rowLabels(over fallback: ReportLabels) -> @Sendable (_ policyDigest: String?) -> ReportLabels {
        let merged = policies.mapValues { $0.labels.over(fallback) }
        return { digest in digest.flatMap { merged[$0] } ?? fallback }
    }

    /// `fallback` with the consent lines' wording of every policy the entries name added (a clause is keyed by its
    /// template version, so no two policies name one differently): a line of a template version today's bundle no
    /// longer holds is still named by its wording.
    public func clauseLabels(over fallback: ReportLabels) -> ReportLabels {
        var labels = fallback
        for names in policies.values { labels.clauses.merge(names.labels.clauses) { today, _ in today } }
        return labels
    }
}

extension SubjectReport.WithdrawalInEffect {
    /// What "explain again" says of it, in plain text: recorded after the decision, counting from before it, so the fields
    /// named went out without a legal basis. `time` writes an RFC 3339 time for the reader.
    public func explainWords(_ language: Language, time: (String) -> String) -> String {
        let lines = clauses.isEmpty ? "" : (language == .de ? ", Zeile(n) " : ", line(s) ") + clauses.joined(separator: ", ")
        let list = fields.joined(separator: ", ")
        let one = fields.count == 1
        return language == .de
            ? "Achtung: Nach dieser Entscheidung erfasst (am \(time(recordedAt)), Protokolleintrag \(entry)), aber mit Wirkung vom \(time(withdrawnAt)), also vor ihr: der Widerruf der Einwilligung \(consent)\(lines). \(one ? "Das Feld" : "Die Felder") \(list) \(one ? "ging" : "gingen") damit ohne Rechtsgrundlage hinaus (die erneute Erklärung verwendet die Einwilligungen, wie die Entscheidung sie sah)."
            : "Attention: recorded after this decision (on \(time(recordedAt)), log entry \(entry)) but counting from \(time(withdrawnAt)), before it: the withdrawal of consent \(consent)\(lines). \(one ? "The field" : "The fields") \(list) went out without a legal basis (the explanation uses the consents as the decision saw them)."
    }

    /// The JSON of a recipient's `after-withdrawal` item: `{entry, consent, clauses?, withdrawn-at, recorded-at, fields}`.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["entry": .int(entry), "consent": .string(consent), "withdrawn-at": .string(withdrawnAt),
                                      "recorded-at": .string(recordedAt), "fields": .array(fields.map(JSONValue.string))]
        if !clauses.isEmpty { o["clauses"] = .array(clauses.map(JSONValue.string)) }
        return .object(o)
    }
}

extension ReportLabels {
    /// These names, with `other`'s for the ids these lack.
    public func over(_ other: ReportLabels) -> ReportLabels {
        ReportLabels(partners: partners.merging(other.partners) { mine, _ in mine },
                     purposes: purposes.merging(other.purposes) { mine, _ in mine },
                     fields: fields.merging(other.fields) { mine, _ in mine },
                     clauses: clauses.merging(other.clauses) { mine, _ in mine })
    }
}

import Diagnostics
import StrictJSON

extension SubjectReport {
    /// `consents` with each withdrawal given the template (and version) of the grant of the same consent: a withdrawal's
    /// entry names only the consent, and its lines are read against the template the consent was signed on.
    static func withTemplatesOfWithdrawals(_ consents: [ConsentEvent]) -> [ConsentEvent] {
        var grants: [String: (String, Int64)] = [:]
        for c in consents where c.event == "granted" {
            if let t = c.template, let v = c.templateVersion { grants[c.consent] = (t, v) }
        }
        return consents.map { c in
            guard c.template == nil, let (template, version) = grants[c.consent] else { return c }
            var c = c
            c.template = template; c.templateVersion = version
            return c
        }
    }

    /// The grant in this report of the consent an erasure notice is about (`consent-withdrawn:<id>`), if any.
    func grant(of notice: ErasureNotice) -> ConsentEvent? {
        let prefix = ErasureNoticeRecord.consentWithdrawnReason("")
        guard notice.reason.hasPrefix(prefix) else { return nil }
        let id = String(notice.reason.dropFirst(prefix.count))
        return consents.first { $0.event == "granted" && $0.consent == id }
    }

    /// The consent events and erasure notices of `json` with `clause-names` (clause id → `{"de", "en"}`) beside their
    /// `clauses`, where `labels` has the wording of the lines in the consent's template version.
    func addingClauseNames(to top: inout [String: JSONValue], labels: ReportLabels) {
        func names(_ clauses: [String], _ grant: ConsentEvent?) -> JSONValue? {
            var names: [String: JSONValue] = [:]
            for clause in clauses {
                if let text = labels.clauseText(clause, of: grant) {
                    names[clause] = .object(["de": .string(text.de), "en": .string(text.en)])
                }
            }
            return names.isEmpty ? nil : .object(names)
        }
        if case let .array(events)? = top["consents"] {
            top["consents"] = .array(zip(events, consents).map { value, c in
                guard case var .object(o) = value, let n = names(c.clauses, c) else { return value }
                o["clause-names"] = n
                return .object(o)
            })
        }
        if case let .array(notices)? = top["erasure-notices"] {
            top["erasure-notices"] = .array(zip(notices, erasureNotices).map { value, n in
                guard case var .object(o) = value, let clauses = n.clauses, let names = names(clauses, grant(of: n)) else { return value }
                o["clause-names"] = names
                return .object(o)
            })
        }
    }
}

extension ReportLabels {
    /// The key of a clause's wording in `clauses`.
    public static func clauseKey(template: String, version: Int64, clause: String) -> String { "\(template)@\(version)/\(clause)" }

    /// The wording of line `clause` of the consent `grant` was signed on, if known.
    func clauseText(_ clause: String, of grant: SubjectReport.ConsentEvent?) -> LocalizedText? {
        guard let template = grant?.template, let version = grant?.templateVersion else { return nil }
        return clauses[Self.clauseKey(template: template, version: version, clause: clause)]
    }

    /// Lines of a consent as a reader of `language` reads them: `„wording“ (id)` (English `"wording" (id)`) where the
    /// wording is known, else the id.
    public func clauseNames(_ ids: [String], of grant: SubjectReport.ConsentEvent?, _ language: Language) -> [String] {
        ids.map { id in
            guard let text = clauseText(id, of: grant) else { return id }
            return language == .de ? "„\(text.de)“ (\(id))" : "\"\(text.en)\" (\(id))"
        }
    }
}

extension SubjectReport {
    /// Why `notice` was sent, in words (`reasonText`), its lines named by their wording where `labels` has it.
    public func reasonText(of notice: ErasureNotice, labels: ReportLabels, language: Language) -> String {
        Self.reasonText(notice.reason, clauses: notice.clauses.map { labels.clauseNames($0, of: grant(of: notice), language) },
                        language: language) + Self.channelText(notice.channel, language: language)
    }

    /// How the recipients were told, when not by the export job: " (told by case management, of data passed on in referrals)".
    public static func channelText(_ channel: String?, language: Language) -> String {
        guard channel == ErasureNoticeRecord.referralChannel else { return "" }
        return language == .de ? " (mitgeteilt vom Fallmanagement, zu Daten aus Vermittlungen)"
                               : " (told by case management, of data passed on in referrals)"
    }
}

import Diagnostics
import StrictJSON

extension SubjectReport {
    /// The report as JSON (`report-version` 1) with the policy's names beside the ids: each recipient gains
    /// `partner-name` and `purpose-name`, and `field-names` (field id to name), each name as
    /// `{"de": …, "en": …}`, where the policy the row was decided under (`policies`) or else `labels` has one; and each consent event and erasure notice naming lines gains
    /// `clause-names` (clause id → the line's wording, likewise). The members of `json` are unchanged.
    public func json(labels: ReportLabels) -> JSONValue {
        guard case var .object(top) = json, case let .array(recipients)? = top["recipients"] else { return json }
        func name(_ text: LocalizedText) -> JSONValue { .object(["de": .string(text.de), "en": .string(text.en)]) }
        let named = rowLabels(over: labels)
        top["recipients"] = .array(zip(recipients, disclosures).map { value, d in
            guard case var .object(r) = value else { return value }
            let labels = named(d.policyDigest)
            if let p = labels.partners[d.partner] { r["partner-name"] = name(p) }
            if let p = labels.purposes[d.purpose] { r["purpose-name"] = name(p) }
            var fields: [String: JSONValue] = [:]
            for f in d.fields { if let l = labels.fields[f.field] { fields[f.field] = name(l) } }
            if !fields.isEmpty { r["field-names"] = .object(fields) }
            return .object(r)
        })
        addingClauseNames(to: &top, labels: clauseLabels(over: labels))
        return .object(top)
    }
}

extension SubjectReport {
    /// The words before a back-dated decision's moment (`Disclosure.asOf`), under its date.
    public static func asOfLabel(_ language: Language) -> String {
        language == .de ? "geprüft für den Stand vom" : "checked as of"
    }

    /// The clauses cell of a withdrawal of the whole consent (which names no lines).
    public static func allLinesLabel(_ language: Language) -> String {
        language == .de ? "alle Zeilen" : "all lines"
    }

    /// The words before a row's policy version (under its log entry).
    public static func policyVersionLabel(_ language: Language) -> String {
        language == .de ? "Richtlinie" : "policy"
    }

    /// How the data went, in words: `export` a data export, `referral` a referral, `decision` a release decision
    /// (any other value as it is).
    public static func channelName(_ channel: String, language: Language) -> String {
        let de = language == .de
        switch channel {
        case "export": return de ? "Datenexport" : "Data export"
        case "referral": return de ? "Vermittlung" : "Referral"
        case "decision": return de ? "Freigabe-Entscheidung" : "Release decision"
        default: return channel
        }
    }
}

extension DisclosedFieldGroup {
    /// The group's legal basis in words, as the Art. 15 report shows it: `Gesetz (§ …)` / `Statute (§ …)`, or
    /// `Einwilligung (Einwilligung <id>, Klausel <clause>)` / `Consent (consent <id>, clause <clause>)`, with the
    /// rule's citation where one is known: `shown`, the citation in `language` (`SubjectReport.basisText(_:_:)` gives
    /// its English text), by default the canonical one the entry names.
    public func basisText(_ language: Language, citation shown: String? = nil) -> String {
        let de = language == .de
        var b = basis == .consent ? (de ? "Einwilligung" : "Consent") : (de ? "Gesetz" : "Statute")
        if let citation = shown ?? citation { b += " (\(citation))" }
        if let consent { b += de ? " (Einwilligung \(consent.id), Klausel \(consent.clause))" : " (consent \(consent.id), clause \(consent.clause))" }
        return b
    }
}

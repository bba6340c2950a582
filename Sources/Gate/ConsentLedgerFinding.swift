import AuditLog
import Diagnostics

/// How the stored consents differ from the audit log, or how their tables were changed (exit 4, like any
/// tampering the log reveals).
public enum ConsentLedgerFinding: UserFacingError, Equatable {
    /// Entry `index` records consent `consentID`, which the store no longer holds.
    case consentMissing(index: Int64, consentID: String)
    /// The stored consent is not the signed document entry `index` recorded.
    case consentChanged(index: Int64, consentID: String)
    /// A look-up column of the stored consent (e.g. `subject`) is not what entry `index` recorded, in value or
    /// storage class: the consent is found for another person or not at all.
    case consentColumnChanged(index: Int64, consentID: String, column: String)
    /// Entry `index` records the withdrawal of `consentID`, which the store no longer holds: the consent would
    /// count as active again.
    case withdrawalMissing(index: Int64, consentID: String)
    /// Entry `index` records the withdrawal of lines `clauses` of `consentID` (a withdrawal of single clauses), which
    /// the store no longer holds: those lines would release data again.
    case clauseWithdrawalMissing(index: Int64, consentID: String, clauses: [String])
    /// The stored withdrawal is not the signed document entry `index` recorded.
    case withdrawalChanged(index: Int64, consentID: String)
    /// A column of the stored withdrawal (e.g. `consent_id`) is not what entry `index` recorded: a decision would
    /// not find the withdrawal, and the consent would count as active again.
    case withdrawalColumnChanged(index: Int64, consentID: String, column: String)
    /// A stored consent the log never recorded (put into the file outside ConsentGate).
    case consentNotLogged(consentID: String)
    /// A stored withdrawal the log never recorded.
    case withdrawalNotLogged(consentID: String)
    /// An index of `table` does not hold exactly the table's rows (SQLite's first report line in `detail`): a
    /// look-up through it misses rows that are there, e.g. a withdrawal.
    case indexDamaged(table: String, detail: String)
    /// A table, index or trigger of the consent store is not the one its migrations create (e.g. the triggers
    /// that refuse changing and deleting rows were dropped).
    case schemaChanged(object: String, change: TamperFinding.SchemaChange)

    /// Always an integrity failure (exit 4): the consent store no longer matches the signed log.
    public var category: ProblemCategory { .integrity }

    /// What a changed look-up column of a stored consent does: `id` and `subject` decide whom a look-up finds it for,
    /// the times which period lists and look-ups show, the template which wording it is read against. (Before, every
    /// column was said to make the consent found for another person: a black-box review changed `expires_at`.)
    static func columnConsequence(_ column: String) -> LocalizedText {
        switch column {
        case "id", "subject":
            LocalizedText(de: "die Einwilligung wird für eine andere Person oder gar nicht gefunden", en: "the consent is found for another person or not at all")
        case "granted_at", "expires_at":
            LocalizedText(de: "Listen und Abfragen zeigen einen anderen Gültigkeitszeitraum als den signierten", en: "lists and look-ups show another period of validity than the signed one")
        case "template_id", "template_version":
            LocalizedText(de: "die Einwilligung wird einer anderen Vorlage zugeordnet als der signierten", en: "the consent is taken for another template than the signed one")
        default:
            LocalizedText(de: "Abfragen lesen einen anderen Wert als den signierten", en: "look-ups read another value than the signed one")
        }
    }

    /// The finding in `language`, naming the consent, the log entry and (for a column or index) what differs.
    public func message(in language: Language) -> String {
        let de = language == .de
        let body: String
        switch self {
        case let .consentMissing(i, id):
            body = de ? "Eintrag \(i) protokolliert die Einwilligung \(id), die im Bestand fehlt (gelöscht)"
                      : "entry \(i) records consent \(id), which the store no longer holds (deleted)"
        case let .consentChanged(i, id):
            body = de ? "die gespeicherte Einwilligung \(id) ist nicht das in Eintrag \(i) protokollierte signierte Dokument (ersetzt)"
                      : "the stored consent \(id) is not the signed document entry \(i) recorded (replaced)"
        case let .consentColumnChanged(i, id, column):
            let consequence = Self.columnConsequence(column)
            body = de ? "die Spalte \(column) der gespeicherten Einwilligung \(id) weicht von Eintrag \(i) ab (Wert oder Speicherklasse geändert): \(consequence.de)"
                      : "column \(column) of the stored consent \(id) differs from entry \(i) (value or storage class changed): \(consequence.en)"
        case let .withdrawalMissing(i, id):
            body = de ? "Eintrag \(i) protokolliert den Widerruf der Einwilligung \(id), der im Bestand fehlt (gelöscht): die Einwilligung gälte wieder als wirksam"
                      : "entry \(i) records the withdrawal of consent \(id), which the store no longer holds (deleted): the consent would count as active again"
        case let .clauseWithdrawalMissing(i, id, clauses):
            let lines = clauses.joined(separator: ", ")
            body = de ? "Eintrag \(i) protokolliert den Widerruf der Zeilen (Klauseln) \(lines) der Einwilligung \(id), der im Bestand fehlt (gelöscht): diese Zeilen gälten wieder als wirksam"
                      : "entry \(i) records the withdrawal of the lines (clauses) \(lines) of consent \(id), which the store no longer holds (deleted): those lines would count as active again"
        case let .withdrawalChanged(i, id):
            body = de ? "der gespeicherte Widerruf der Einwilligung \(id) ist nicht das in Eintrag \(i) protokollierte signierte Dokument (ersetzt)"
                      : "the stored withdrawal of consent \(id) is not the signed document entry \(i) recorded (replaced)"
        case let .withdrawalColumnChanged(i, id, column):
            body = de ? "die Spalte \(column) des gespeicherten Widerrufs der Einwilligung \(id) weicht von Eintrag \(i) ab (Wert oder Speicherklasse geändert): eine Prüfung fände den Widerruf nicht, die Einwilligung gälte wieder als wirksam"
                      : "column \(column) of the stored withdrawal of consent \(id) differs from entry \(i) (value or storage class changed): a check would not find the withdrawal, and the consent would count as active again"
        case let .consentNotLogged(id):
            body = de ? "die gespeicherte Einwilligung \(id) steht in keinem Protokolleintrag (außerhalb von ConsentGate eingefügt)"
                      : "the stored consent \(id) is in no audit entry (inserted outside ConsentGate)"
        case let .withdrawalNotLogged(id):
            body = de ? "der gespeicherte Widerruf der Einwilligung \(id) steht in keinem Protokolleintrag (außerhalb von ConsentGate eingefügt)"
                      : "the stored withdrawal of consent \(id) is in no audit entry (inserted outside ConsentGate)"
        case let .indexDamaged(table, detail):
            body = de ? "ein Index der Tabelle \(table) enthält nicht genau ihre Zeilen (SQLite: \(detail)): eine Suche darüber übersieht vorhandene Einwilligungen oder Widerrufe; REINDEX \(table) stellt ihn wieder her"
                      : "an index of table \(table) does not hold exactly its rows (SQLite: \(detail)): a look-up through it misses consents or withdrawals that are there; REINDEX \(table) rebuilds it"
        case let .schemaChanged(object, change):
            switch change {
            case .missing: body = de ? "das Schemaobjekt \(object) fehlt (gelöscht, z. B. ein Schutz-Trigger gegen Ändern und Löschen)"
                                     : "the schema object \(object) is missing (dropped, e.g. a trigger that guards against updates and deletes)"
            case .added: body = de ? "das Schemaobjekt \(object) wurde hinzugefügt" : "the schema object \(object) was added"
            case .changed: body = de ? "das Schemaobjekt \(object) wurde umdefiniert" : "the schema object \(object) was redefined"
            }
        }
        return de ? "Einwilligungsbestand manipuliert oder beschädigt: \(body)" : "consent store tampered with or damaged: \(body)"
    }
}

import Diagnostics
import AuditLog
import Foundation
import Gate
import PolicyEngine
import Signing
import StrictJSON

/// An audit entry's fields in words, for the entry's page (pages review F12: every kind but a decision showed only its
/// canonical JSON, which a data protection officer had to read key by key). Each field is named in the page's language
/// with its key beside it, so the words and the stored text below them (which is what is signed) can be compared;
/// times are shown in Europe/Berlin, partners and purposes by the policy's names. Keys the page has no words for are
/// shown by their key: nothing of the entry is left out.
enum AuditEntryFields {
    /// The entry's fields as a description list (nil when the stored bytes are not a JSON object, which the log's own
    /// verification reports; the page then shows the stored text alone).
    static func html(_ bytes: [UInt8], bundle: PolicyBundle, language l: Language) -> HTML? {
        guard let value = try? JSONParser.parse(bytes, limits: JSONParser.Limits(maximumBytes: nil, maximumDepth: 32)),
              case .object = value else { return nil }
        return render(value, key: nil, bundle: bundle, language: l, top: true)
    }

    private static func render(_ value: JSONValue, key: String?, bundle: PolicyBundle, language l: Language, top: Bool = false) -> HTML {
        switch value {
        case .null: return "–"
        case let .bool(b): return "\(b ? (l == .de ? "ja" : "yes") : (l == .de ? "nein" : "no"))"
        case let .int(i): return "\(String(i))"
        case let .string(s): return text(s, key: key, bundle: bundle, language: l)
        case let .array(items):
            if items.isEmpty { return l == .de ? "(keine)" : "(none)" }
            if items.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
                return HTML.join(items.map { render($0, key: key, bundle: bundle, language: l) }, separator: ", ")
            }
            return "<ol>\(items.map { "<li>\(render($0, key: key, bundle: bundle, language: l))</li>" as HTML })</ol>"
        case let .object(fields):
            let rows = ordered(fields.keys).map { k -> HTML in
                // The log's own keys, else a subject attribute of the policy by its label (a decision's `attributes`).
                let words = labels[k] ?? bundle.attributes.first { $0.id == k }?.label
                let label = words.map { "\($0[l]) " as HTML } ?? .empty
                return "<dt>\(label)<code class=\"muted\">\(k)</code></dt><dd>\(render(fields[k]!, key: k, bundle: bundle, language: l))</dd>"
            }
            return top ? "<dl class=\"entry-fields\" id=\"entry-fields\">\(rows)</dl>" : "<dl class=\"entry-fields\">\(rows)</dl>"
        }
    }

    /// A string value: a time in Berlin time, a partner or purpose by name (its id beside it), anything else as stored.
    private static func text(_ s: String, key: String?, bundle: PolicyBundle, language l: Language) -> HTML {
        if let key, key == "time" || key == "at" || key.hasSuffix("-at") || key == "since" || key == "until", let date = RFC3339.parse(s) {
            return BerlinTime.element(date, language: l)
        }
        if key == "birth-date", let day = UTCDay.parse(s) {
            return "<time datetime=\"\(s)\">\(ConsentPages.dayText(day, l))</time>"
        }
        if key == "partner", let name = bundle.partner(s)?.name[l] { return "\(name) (\(s))" }
        if key == "purpose", let label = bundle.purpose(s)?.label[l] { return "\(label) (\(s))" }
        if let words = valueWords(s, key: key)?[l], words != s { return "\(words) (\(s))" }
        return "\(s)"
    }

    /// Words for the values the log writes as ids (an outcome, a denial reason, an entry kind, an event, a role, a
    /// channel), said with the id beside them: a German page showed "Ergebnis permit", "Grund forbidden", "Ereignis
    /// created" (found in a review of the pages); the stored JSON below keeps the ids.
    static func valueWords(_ s: String, key: String?) -> LocalizedText? {
        switch key {
        case "outcome":
            return FieldDecision.Outcome(rawValue: s).map { $0 == .permit
                ? LocalizedText(de: "darf weitergegeben werden", en: "may pass")
                : LocalizedText(de: "darf nicht weitergegeben werden", en: "may not pass") }
        case "reason":
            // An erasure notice's reason (`consent-withdrawn:<id>`) as the Art. 15 report words it (a German page showed
            // the token: a wording review).
            if s.hasPrefix(ErasureNoticeRecord.consentWithdrawnReason("")) {
                return LocalizedText(de: SubjectReport.reasonText(s, language: .de), en: SubjectReport.reasonText(s, language: .en))
            }
            return DenialReason(rawValue: s)?.words
        case "kind": return AuditEntryKind(rawValue: s).map(AuditPages.kindName)
        case "role": return AccountRole(rawValue: s)?.label
        case "event": return eventWords[s]
        case "channel":
            let de = SubjectReport.channelName(s, language: .de)
            return de == s ? nil : LocalizedText(de: de, en: SubjectReport.channelName(s, language: .en))
        default: return nil
        }
    }

    /// The events of account, key and consent entries.
    static let eventWords: [String: LocalizedText] = [
        "created": LocalizedText(de: "angelegt", en: "created"),
        "disabled": LocalizedText(de: "gesperrt", en: "disabled"),
        "credentials-changed": LocalizedText(de: "Zugangsdaten geändert", en: "credentials changed"),
        "password-rehashed": LocalizedText(de: "Passwort neu gesichert", en: "password re-hashed"),
        "recorded": LocalizedText(de: "erfasst (Stand bei Einführung des Protokolls)", en: "recorded (state when the log began)"),
        "trusted": LocalizedText(de: "als vertrauenswürdig aufgenommen", en: "trusted"),
        "changed": LocalizedText(de: "geändert", en: "changed"),
        "revoked": LocalizedText(de: "widerrufen", en: "revoked"),
        "removed": LocalizedText(de: "entfernt", en: "removed"),
        "granted": LocalizedText(de: "erteilt", en: "granted"),
        "withdrawn": LocalizedText(de: "widerrufen", en: "withdrawn"),
    ]

    /// The entry's common fields first, in the order the log's list shows them, then the rest alphabetically.
    private static func ordered(_ keys: Dictionary<String, JSONValue>.Keys) -> [String] {
        let first = ["kind", "time", "actor", "subject", "municipality", "partner", "purpose", "content"]
        return first.filter(keys.contains) + keys.filter { !first.contains($0) }.sorted()
    }

    /// Words for the keys the log writes (`AuditLog`'s canonical writers).
    static let labels: [String: LocalizedText] = [
        "account": LocalizedText(de: "Konto", en: "Account"),
        "after": LocalizedText(de: "Nach Eintrag", en: "After entry"),
        "before": LocalizedText(de: "Vor Eintrag", en: "Before entry"),
        "birth-date": LocalizedText(de: "Geburtsdatum", en: "Birth date"),
        "limit": LocalizedText(de: "Höchstzahl", en: "Limit"),
        "since": LocalizedText(de: "Ab", en: "From"),
        "stated": LocalizedText(de: "In der Anfrage angegeben", en: "Stated in the request"),
        "until": LocalizedText(de: "Bis (ausschließlich)", en: "Until (exclusive)"),
        "actor": LocalizedText(de: "Wer", en: "Who"),
        "age-after": LocalizedText(de: "Alter danach", en: "Age after"),
        "age-before": LocalizedText(de: "Alter davor", en: "Age before"),
        "at": LocalizedText(de: "Zeitpunkt", en: "At"),
        "attributes": LocalizedText(de: "Angaben zur Person", en: "Person's attributes"),
        "basis": LocalizedText(de: "Rechtsgrundlage", en: "Legal basis"),
        "birth-date-changed": LocalizedText(de: "Geburtsdatum geändert", en: "Birth date changed"),
        "bundle": LocalizedText(de: "Richtlinie", en: "Policy"),
        "channel": LocalizedText(de: "Mitgeteilt über", en: "Told through"),
        "citation": LocalizedText(de: "Norm", en: "Norm"),
        "clause": LocalizedText(de: "Klausel", en: "Clause"),
        "clauses": LocalizedText(de: "Klauseln", en: "Clauses"),
        "command": LocalizedText(de: "Aufruf", en: "Command"),
        "consent": LocalizedText(de: "Einwilligung", en: "Consent"),
        "consents": LocalizedText(de: "Einwilligungen", en: "Consents"),
        "content": LocalizedText(de: "Inhalt", en: "Content"),
        "credentials": LocalizedText(de: "Zugangsdaten (Prüfsumme)", en: "Credentials (checksum)"),
        "digest": LocalizedText(de: "Prüfsumme", en: "Checksum"),
        "disabled-at": LocalizedText(de: "Gesperrt am", en: "Disabled at"),
        "entry-version": LocalizedText(de: "Eintragsformat", en: "Entry format"),
        "event": LocalizedText(de: "Ereignis", en: "Event"),
        "expires-at": LocalizedText(de: "Gültig bis", en: "Expires at"),
        "export-run": LocalizedText(de: "Exportlauf", en: "Export run"),
        "field": LocalizedText(de: "Feld", en: "Field"),
        "fields": LocalizedText(de: "Felder", en: "Fields"),
        "filters": LocalizedText(de: "Filter", en: "Filters"),
        "granted-at": LocalizedText(de: "Erteilt am", en: "Granted at"),
        "id": LocalizedText(de: "Kennung", en: "Id"),
        "input-digest": LocalizedText(de: "Prüfsumme der Eingabe", en: "Input checksum"),
        "kid": LocalizedText(de: "Schlüssel-ID", en: "Key id"),
        "kind": LocalizedText(de: "Art", en: "Kind"),
        "manifest-digest": LocalizedText(de: "Prüfsumme des Manifests", en: "Manifest checksum"),
        "municipality": LocalizedText(de: "Kommune", en: "Municipality"),
        "notify": LocalizedText(de: "Benachrichtigte Stellen", en: "Partners notified"),
        "outcome": LocalizedText(de: "Ergebnis", en: "Outcome"),
        "partner": LocalizedText(de: "Stelle", en: "Partner"),
        "policy-digest": LocalizedText(de: "Prüfsumme der Richtlinie", en: "Policy checksum"),
        "policy-id": LocalizedText(de: "Richtlinie", en: "Policy"),
        "policy-version": LocalizedText(de: "Richtlinienversion", en: "Policy version"),
        "previous-digest": LocalizedText(de: "Vorherige Prüfsumme", en: "Previous checksum"),
        "purpose": LocalizedText(de: "Zweck", en: "Purpose"),
        "quarantined": LocalizedText(de: "Zurückgehalten", en: "Quarantined"),
        "reason": LocalizedText(de: "Grund", en: "Reason"),
        "records": LocalizedText(de: "Datensätze", en: "Records"),
        "referral": LocalizedText(de: "Überweisung", en: "Referral"),
        "released": LocalizedText(de: "Freigegeben", en: "Released"),
        "requested": LocalizedText(de: "Angefragt", en: "Requested"),
        "results": LocalizedText(de: "Treffer", en: "Matches"),
        "role": LocalizedText(de: "Rolle", en: "Role"),
        "roles": LocalizedText(de: "Rollen", en: "Roles"),
        "rule": LocalizedText(de: "Regel", en: "Rule"),
        "run": LocalizedText(de: "Lauf", en: "Run"),
        "subject": LocalizedText(de: "Fall-ID", en: "Case id"),
        "template": LocalizedText(de: "Vorlage", en: "Template"),
        "time": LocalizedText(de: "Zeit", en: "Time"),
        "version": LocalizedText(de: "Version", en: "Version"),
        "withdrawn-at": LocalizedText(de: "Widerrufen am", en: "Withdrawn at"),
    ]
}

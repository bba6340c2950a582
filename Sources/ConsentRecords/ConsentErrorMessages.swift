import StrictJSON
import Diagnostics
import Foundation
import Signing
import StoreDiagnostics

/// The German and English wording of every `ConsentError`; kept apart so the enum stays readable.
enum ConsentErrorMessages {
    static func message(for error: ConsentError, in language: Language) -> String {
        let de = language == .de
        func t(_ date: Date) -> String { RFC3339.format(date) }
        switch error {
        case let .malformedJWS(doc, reason):
            return de ? "\(doc.name(in: .de)): keine gültige JWS (flattened JSON): \(reason.de)"
                      : "\(doc.name(in: .en)): not a valid flattened JWS: \(reason.en)"
        case let .notAJWS(reason):
            return de ? "keine Einwilligung und kein Widerruf (erwartet: eine JWS in flacher JSON-Serialisierung, RFC 7515 §7.2.2): \(reason.de)"
                      : "not a consent or withdrawal (expected: a JWS in flattened JSON serialization): \(reason.en)"
        case let .wrongType(doc, found):
            // A missing `typ` said as missing ("is none" / "ist keiner" read oddly: a review).
            guard let found = found.map({ ShownValue.text($0, language: language) }) else {
                return de ? "\(doc.name(in: .de)): Header-Feld „typ“ fehlt, erwartet \"\(doc.jwsType)\""
                          : "\(doc.name(in: .en)): header field \"typ\" is missing, expected \"\(doc.jwsType)\""
            }
            return de ? "\(doc.name(in: .de)): Header-Feld „typ“ ist \"\(found)\", erwartet \"\(doc.jwsType)\""
                      : "\(doc.name(in: .en)): header field \"typ\" is \"\(found)\", expected \"\(doc.jwsType)\""
        case let .untrustedKey(kid, reason):
            // The kid is the document's (untrusted) header's: escaped, as every value a document brings.
            let kid = ShownValue.text(kid, language: language)
            return de ? "Signaturschlüssel \(kid) ist für die Rolle consent-signer zum Signaturzeitpunkt nicht vertrauenswürdig: \(reason.de)"
                      : "signing key \(kid) is not trusted for the consent-signer role at signing time: \(reason.en)"
        case let .signatureInvalid(kid, reason):
            let kid = ShownValue.text(kid, language: language)
            return de ? "Signatur mit Schlüssel \(kid) ungültig (Inhalt, Header oder Signatur verändert?): \(reason.de)"
                      : "signature with key \(kid) is invalid (payload, header or signature altered?): \(reason.en)"
        case let .withdrawalFails(withdrawnAt, failure):
            let of = withdrawnAt.map { de ? "Der Widerruf vom \(t($0))" : "the withdrawal of \(t($0))" } ?? (de ? "Der Widerruf" : "the withdrawal")
            if case let .untrustedKey(kid, reason) = failure {
                let kid = ShownValue.text(kid, language: language)
                return de ? "\(of) ist mit Schlüssel \(kid) signiert, dem für die Rolle consent-signer zu seinem Signaturzeitpunkt nicht vertraut wird: \(reason.de)"
                          : "\(of) is signed by key \(kid), which is not trusted for the consent-signer role at its signing time: \(reason.en)"
            }
            return de ? "\(of) besteht die Prüfung nicht: \(failure.message(in: .de))"
                      : "\(of) fails verification: \(failure.message(in: .en))"
        case let .signingFailed(reason):
            return de ? "Signieren fehlgeschlagen: \(reason)" : "signing failed: \(reason)"
        case let .payloadNotJSON(doc, offset, reason):
            let words = JSONSyntaxError(offset: offset, reason: reason).words().text
            return de ? "\(doc.name(in: .de)): Nutzdaten sind kein zulässiges JSON (Byte \(offset)): \(words.de)"
                      : "\(doc.name(in: .en)): payload is not acceptable JSON (byte \(offset)): \(words.en)"
        case let .payloadTooLarge(doc, size, limit):
            return de ? "\(doc.name(in: .de)): Nutzdaten größer als \(limit) Bytes (\(size)); eine Erklärung braucht weit weniger (zu viele Einträge?)"
                      : "\(doc.name(in: .en)): payload larger than \(limit) bytes (\(size)); a declaration needs far less (too many entries?)"
        case let .unknownMember(doc, field):
            let field = ShownValue.text(field, language: language)
            return de ? "\(doc.name(in: .de)): unbekanntes Feld „\(field)“"
                      : "\(doc.name(in: .en)): unknown field \"\(field)\""
        case let .missingMember(doc, field):
            return de ? "\(doc.name(in: .de)): Pflichtfeld „\(field)“ fehlt"
                      : "\(doc.name(in: .en)): required field \"\(field)\" is missing"
        case let .wrongMemberType(doc, field, expected, found):
            return de ? "\(doc.name(in: .de)): Feld „\(field)“ muss vom Typ \(JSONValue.typeName(expected, in: .de)) sein, ist aber \(JSONValue.typeName(found, in: .de))"
                      : "\(doc.name(in: .en)): field \"\(field)\" must be of type \(expected), found \(found)"
        case let .invalidValue(doc, field, value, reason):
            let shown = ShownValue.text(value, language: language)
            return de ? "\(doc.name(in: .de)): Feld „\(field)“ hat den ungültigen Wert \"\(shown)\": \(reason.de)"
                      : "\(doc.name(in: .en)): field \"\(field)\" has the invalid value \"\(shown)\": \(reason.en)"
        case let .unsupportedVersion(doc, field, found):
            let known = doc == .withdrawal ? (de ? "1 oder 2" : "1 or 2") : (de ? "nur 1" : "only 1")
            return de ? "\(doc.name(in: .de)): Feld „\(field)“ = \(found) wird nicht unterstützt (\(known))"
                      : "\(doc.name(in: .en)): field \"\(field)\" = \(found) is not supported (\(known))"
        case let .unknownTemplate(id):
            return de ? "Feld „template.id“: Vorlage \"\(id)\" gibt es im Regelwerk nicht"
                      : "field \"template.id\": template \"\(id)\" is not in the policy bundle"
        case let .unknownTemplateVersion(id, version, known):
            let k = known.map(String.init).joined(separator: ", ")
            return de ? "Feld „template.version“: Vorlage \"\(id)\" gibt es nicht in Version \(version) (vorhanden: \(k))"
                      : "field \"template.version\": template \"\(id)\" has no version \(version) (known: \(k))"
        case let .languageNotInTemplate(lang, template, available):
            let a = available.joined(separator: ", ")
            return de ? "Feld „language“: Vorlage \"\(template)\" hat keinen Text in \"\(lang)\" (vorhanden: \(a))"
                      : "field \"language\": template \"\(template)\" has no text in \"\(lang)\" (available: \(a))"
        case let .clauseNotInTemplate(clause, template, version):
            return de ? "Feld „clauses“: Klausel \"\(clause)\" gehört nicht zur Vorlage \"\(template)\" Version \(version)"
                      : "field \"clauses\": clause \"\(clause)\" is not in template \"\(template)\" version \(version)"
        case let .expiryNotAfterGrant(g, e):
            return de ? "Feld „expires-at“ (\(t(e))) muss nach „granted-at“ (\(t(g))) liegen"
                      : "field \"expires-at\" (\(t(e))) must lie after \"granted-at\" (\(t(g)))"
        case let .validityExceedsMaximum(e, latest, max):
            return de ? "Feld „expires-at“ (\(t(e))) liegt nach der höchstens zulässigen Gültigkeit \(max) der Vorlage (spätestens \(t(latest)))"
                      : "field \"expires-at\" (\(t(e))) exceeds the template's max-validity \(max) (latest \(t(latest)))"
        case let .guardianMissing(subject, age, min):
            return de ? "Feld „guardians“: \(subject) war bei Erteilung \(age) Jahre alt (unter \(min)); es muss ein Sorgeberechtigter eingetragen sein"
                      : "field \"guardians\": \(subject) was \(age) at granted-at (below \(min)); a guardian must be recorded"
        case let .birthDateUnknown(subject, min):
            return de ? "das Geburtsdatum von \(subject) ist nicht erfasst und kein Sorgeberechtigter eingetragen: ob die Person bei Erteilung mindestens \(min) Jahre alt war, ist offen; die Einwilligung zählt, wenn das Geburtsdatum erfasst (mit der nächsten Einwilligung oder aus der Registrierungsliste) oder mit der Prüfung angegeben ist und die Person danach bei Erteilung mindestens \(min) war"
                      : "the birth date of \(subject) is not recorded and no guardian is: whether the person was at least \(min) at granted-at is open; the consent counts once the birth date is recorded (with the next consent or from the registration list) or stated with the check and shows the person was at least \(min) then"
        case let .grantedInFuture(g, now):
            return de ? "Feld „granted-at“ (\(t(g))) liegt in der Zukunft (jetzt: \(t(now)))"
                      : "field \"granted-at\" (\(t(g))) lies in the future (now: \(t(now)))"
        case let .withdrawnInFuture(w, now):
            return de ? "Feld „withdrawn-at“ (\(t(w))) liegt in der Zukunft (jetzt: \(t(now)))"
                      : "field \"withdrawn-at\" (\(t(w))) lies in the future (now: \(t(now)))"
        case let .duplicateConsent(id):
            return de ? "Einwilligung \(id) ist bereits gespeichert; eine Erteilung überschreibt nie"
                      : "consent \(id) is already stored; a grant never overwrites"
        case let .unknownConsent(id):
            return de ? "keine Einwilligung mit der ID \(id) gespeichert" : "no consent with id \(id) is stored"
        case let .withdrawalBeforeGrant(id, w, g):
            return de ? "Einwilligung \(id): Widerruf zum \(t(w)) liegt vor der Erteilung (\(t(g)))"
                      : "consent \(id): withdrawal at \(t(w)) lies before the grant (\(t(g)))"
        case let .withdrawalSubjectMismatch(id, cs, ws):
            return de ? "Einwilligung \(id): der Widerruf nennt die Person \(ws), die Einwilligung \(cs)"
                      : "consent \(id): the withdrawal names subject \(ws), the consent \(cs)"
        case let .clauseNotGranted(id, clause, granted):
            let g = granted.joined(separator: ", ")
            return de ? "Einwilligung \(id): die Zeile (Klausel) \"\(clause)\" ist nicht erteilt und kann nicht widerrufen werden (erteilt: \(g)); nichts gespeichert"
                      : "consent \(id): the line (clause) \"\(clause)\" is not granted and cannot be withdrawn (granted: \(g)); nothing stored"
        case let .clauseAlreadyWithdrawn(id, clause, w):
            return de ? "Einwilligung \(id): die Zeile (Klausel) \"\(clause)\" ist bereits seit \(t(w)) widerrufen; nichts gespeichert"
                      : "consent \(id): the line (clause) \"\(clause)\" is already withdrawn since \(t(w)); nothing stored"
        case let .consentAlreadyWithdrawn(id, clause, w):
            return de ? "Einwilligung \(id): die Zeile (Klausel) \"\(clause)\" kann nicht mehr widerrufen werden, die ganze Einwilligung ist bereits seit \(t(w)) widerrufen; nichts gespeichert"
                      : "consent \(id): the line (clause) \"\(clause)\" can no longer be withdrawn, the whole consent is already withdrawn since \(t(w)); nothing stored"
        case let .noClausesNamed(id):
            return de ? "Einwilligung \(id): kein Widerruf einzelner Zeilen ohne eine Zeile (Klausel); um die ganze Einwilligung zu widerrufen, keine Klausel nennen"
                      : "consent \(id): a withdrawal of single lines needs at least one line (clause); to withdraw the whole consent, name none"
        case let .conflictingRecord(id, .consent):
            // Not "consent for consent …" (a review).
            return de ? "Einwilligung \(id): ein anderes signiertes Dokument mit dieser ID ist bereits gespeichert"
                      : "consent \(id): a different signed document with this id is already stored"
        case let .conflictingRecord(id, .withdrawal):
            return de ? "Widerruf zur Einwilligung \(id): ein anderes signiertes Dokument mit dieser ID ist bereits gespeichert"
                      : "withdrawal for consent \(id): a different signed document with this id is already stored"
        case let .corruptRow(id, reason):
            return de ? "gespeicherter Datensatz der Einwilligung \(id) ist beschädigt: \(reason.de)"
                      : "the stored row of consent \(id) is corrupt: \(reason.en)"
        case let .storage(op, reason):
            return de ? "Einwilligungsspeicher: \(op.words.de) fehlgeschlagen: \(reason.text(in: .de))"
                      : "consent store: \(op.words.en) failed: \(reason.text(in: .en))"
        case let .file(path, reason):
            return de ? "Datei \(path): \(reason.de)" : "file \(path): \(reason.en)"
        case let .unreadableInput(path, reason):
            return de ? "Datei \(path) kann nicht gelesen werden: \(reason.de)" : "file \(path) cannot be read: \(reason.en)"
        case let .formLanguageUnsupported(lang, supported):
            let s = supported.joined(separator: ", ")
            return de ? "Das Formular gibt es nicht in der Sprache \"\(lang)\" (vorhanden: \(s)); den Rahmentext einer weiteren Sprache gibt die Richtlinie unter `form-languages` (docs/policy.md, Abschnitt „Form languages“; `consentgate consent form-language` gibt eine Vorlage zum Übersetzen aus)"
                      : "the form is not available in language \"\(lang)\" (available: \(s)); the policy gives another language's wording under `form-languages` (docs/policy.md, \"Form languages\"; `consentgate consent form-language` prints a starting point to translate)"
        }
    }
}

import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// `POST /consents`: the submission of the recording form, checked field by field.
extension ConsentPages {
    /// `POST /consents`: records the consent, or answers the form again with every entry (the scan as its
    /// checksum) and the problems at their controls.
    static func record(_ page: PageRequest, gate: Gate, scanLimit: Int, now: Date = Date()) async throws -> Response {
        let f = page.form
        var problems = FormProblems()
        let subjectID = f["subject"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if subjectID.isEmpty {
            problems.add("subject", FormProblems.missing(subjectLabel))
        } else if let problem = ConsentDeclaration.caseIDProblem(subjectID) {
            // The case-id rule up front, as on /check and in POST /v1/consents: the form's 400, not the store's 422.
            problems.add("subject", LocalizedText(de: "Fall-ID \"\(subjectID)\" ungültig: erwartet \(problem.de)",
                                                  en: "case id \"\(subjectID)\" is invalid: expected \(problem.en)"))
        }
        var subject = Subject(id: subjectID)
        if let b = f["birth-date"], !b.isEmpty {
            if let day = UTCDay.parse(b) {
                // As on /check and in the API: a birth date after today in Germany or before 1900 is a typing error.
                if let problem = RequestWords.birthDateProblem(b, day: day, now: now) {
                    problems.add("birth-date", problem)
                }
                subject.birthDate = Date(timeIntervalSince1970: Double(day) * 86_400)
            } else {
                problems.add("birth-date", LocalizedText(de: "Geburtsdatum \"\(b)\" ist kein Datum (JJJJ-MM-TT)", en: "birth date \"\(b)\" is not a date (YYYY-MM-DD)"))
            }
        }
        if f["unaccompanied-minor"] == "on" { subject.unaccompaniedMinor = true }
        let templates = newestTemplates(gate)
        let templateID = f["template"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let current = templates.first { $0.id == templateID }
        if templateID.isEmpty {
            problems.add("template", FormProblems.missing(templateLabel))
        } else if current == nil {
            problems.add("template", LocalizedText(de: "unbekannte Vorlage \"\(templateID)\" (vorhanden: \(templates.map(\.id).joined(separator: ", ")))",
                                                   en: "unknown template \"\(templateID)\" (available: \(templates.map(\.id).joined(separator: ", ")))"),
                         status: .unprocessableContent)
        }
        // The form names the version it showed of each template: a bundle bumped while the page was open (a restart of
        // the service) must not turn a declaration read on one version into a consent on another without a word. An
        // earlier version with a recording window, picked as the version on the paper, is recorded on that version.
        var template = current
        if let t = current, let shown = f[templateVersionField(t.id)], !shown.isEmpty, shown != String(t.version) {
            if let picked = recordableVersion(of: t, shown) {
                template = picked
            } else {
                problems.add("template", LocalizedText(
                    de: "Die Vorlage \(t.id) liegt inzwischen in Version \(t.version) vor, das Formular zeigte Version \(shown): bitte prüfen, welche Fassung die Person unterschrieben hat, und erneut absenden",
                    en: "template \(t.id) is now version \(t.version), the form showed version \(shown): please check which version the person signed, then submit again"),
                             status: .conflict)
            }
        }
        let language = f["language"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if language.isEmpty {
            problems.add("language", FormProblems.missing(languageLabel))
        } else if let t = template, t.texts[language] == nil {
            let available = t.texts.keys.sorted()
            problems.add("language", LocalizedText(
                de: "Die Vorlage \(t.id) gibt es nicht auf \(languageName(language, .de, gate.policy.bundle)), nur auf: \(available.map { languageName($0, .de, gate.policy.bundle) }.joined(separator: ", "))",
                en: "template \(t.id) does not exist in \(languageName(language, .en, gate.policy.bundle)), only in: \(available.map { languageName($0, .en, gate.policy.bundle) }.joined(separator: ", "))"))
        }
        let boxesAnchor = (template ?? templates.first).flatMap { t in t.clauses.first.map { clauseBoxID(t.id, $0.id) } }
        let clauses = template.map { f.all(clauseField($0.id)) + f.all("clauses") } ?? []
        let elsewhere = templates.filter { $0.id != template?.id && !f.all(clauseField($0.id)).isEmpty }.map(\.id)
        if !elsewhere.isEmpty, let t = template {
            problems.add("clauses", anchor: templates.first { $0.id == elsewhere[0] }?.clauses.first.map { clauseBoxID(elsewhere[0], $0.id) },
                         LocalizedText(de: "Angekreuzt sind Klauseln der Vorlage \(elsewhere.joined(separator: ", ")), gewählt ist aber die Vorlage \(t.id): bitte die Klauseln der gewählten Vorlage ankreuzen oder die Vorlage ändern",
                                       en: "clauses of template \(elsewhere.joined(separator: ", ")) are ticked, but template \(t.id) is chosen: tick the chosen template's clauses or change the template"))
        } else if template != nil, clauses.isEmpty {
            problems.add("clauses", anchor: boxesAnchor,
                         LocalizedText(de: "Bitte mindestens eine Klausel auswählen", en: "Please choose at least one clause"))
        }
        var grantedAt = now
        if let g = f["granted-on"], !g.isEmpty {
            if let day = UTCDay.parse(g) {
                if let t = signingTime(day: day, now: now) {
                    grantedAt = t
                } else {
                    problems.add("granted-on", LocalizedText(de: "Das Datum der Unterschrift \(dayText(day, .de)) liegt in der Zukunft",
                                                             en: "The signing date \(dayText(day, .en)) lies in the future"))
                }
            } else {
                problems.add("granted-on", LocalizedText(de: "Datum \"\(g)\" ist kein Datum (JJJJ-MM-TT)", en: "date \"\(g)\" is not a date (YYYY-MM-DD)"))
            }
        }
        let guardians = (f["guardians"] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Guardian(name: $0) }
        subject.guardians = guardians.map(\.name)
        // The scan: its checksum, from the upload, or kept from a refused earlier submission (a browser cannot refill a file field).
        // Sent as a text field it is no scan: said, not recorded without evidence (found by probing the service).
        if f["scan"] != nil {
            problems.add("scan", LocalizedText(de: "Der Scan kam als Text, nicht als Datei; bitte die Datei auswählen",
                                               en: "the scan came as text, not as a file; please choose the file"))
        }
        var evidence = f.file("scan").map { SHA256.tagged($0.data) }
        if let oversized = f.oversizedFile("scan") {
            // The form's body was cut in the scan (`RouteRegistrar.readForm`): every entry before it is here, the file is not.
            let (name, limit) = (oversized.filename, oversized.bodyLimit)
            let size = sizeWords(limit)
            problems.add("scan", LocalizedText(
                de: "Die Datei \"\(name)\" ist zu groß (höchstens \(size) mit dem Formular): bitte die Erklärung mit geringerer Auflösung oder in Graustufen scannen und die kleinere Datei auswählen",
                en: "the file \"\(name)\" is too large (at most \(size) with the form): please scan the declaration at a lower resolution or in greyscale and choose the smaller file"),
                status: .contentTooLarge)
        }
        // A scan kept from an earlier refusal stays kept when the new one was too large to read (it is still shown, and
        // the caseworker decides whether to record it or to choose a smaller file).
        if evidence == nil, let kept = f["scan-digest"], !kept.isEmpty {
            if ConsentRoutes.GrantJSON.isEvidenceDigest(kept) { evidence = kept } else {
                problems.add("scan", LocalizedText(de: "Prüfsumme des Scans ungültig; bitte den Scan erneut auswählen",
                                                   en: "the scan's checksum is invalid; please choose the scan again"))
            }
        }
        // A declaration that has already run out (pages review F14: a year typed wrong recorded, signed and logged a consent
        // that never permits anything, without a word): said at the signing date, recorded only once confirmed.
        if let t = template, !problems.has("granted-on"), f[confirmExpiredField] != "on" {
            let expires = ConsentDeclaration.expiry(grantedAt: grantedAt, template: t)
            // By Berlin days: a consent that ends later today permits nothing tomorrow, and says so today.
            if berlinDay(of: expires) <= berlinDay(of: now) {
                let (signed, ended) = (berlinDay(of: grantedAt), berlinDay(of: expires))
                let today = ended == berlinDay(of: now)
                let validity = LocalizedText(de: t.maxValidity.words(language: "de") ?? t.maxValidity.description,
                                             en: t.maxValidity.words(language: "en") ?? t.maxValidity.description)
                let ran = LocalizedText(
                    de: today ? "läuft die Einwilligung heute, am \(dayText(ended, .de)), ab" : "ist die Einwilligung seit dem \(dayText(ended, .de)) abgelaufen",
                    en: today ? "the consent expires today, \(dayText(ended, .en))," : "the consent expired on \(dayText(ended, .en))")
                problems.add(confirmExpiredField, LocalizedText(
                    de: "Mit der Unterschrift am \(dayText(signed, .de)) \(ran.de) (Vorlage \(t.id): höchstens \(validity.de)) und erlaubt \(today ? "danach keine Weitergabe" : "keine Weitergabe mehr"): bitte das Datum der Unterschrift prüfen. Stimmt es, unten „\(confirmExpiredLabel.de)“ ankreuzen und erneut speichern",
                    en: "signed on \(dayText(signed, .en)), \(ran.en) (template \(t.id): at most \(validity.en)) and permits no disclosure \(today ? "after that" : "any more"): please check the signing date. If it is right, tick “\(confirmExpiredLabel.en)” below and save again"),
                    status: .unprocessableContent)
            }
        }
        guard problems.isEmpty, let template else { return newForm(page, gate: gate, form: f, problems: problems, evidence: evidence, scanLimit: scanLimit, now: now) }
        do {
            // Signing and the recording transaction off the pool (`BlockingWork`), as `POST /v1/consents` does.
            let (account, stated, chosen, checked, signedAt) = (page.account!, subject, template, evidence, grantedAt)
            let (stored, _) = try await BlockingWork.run {
                try ConsentRoutes.grant(subject: stated, template: chosen.id, templateVersion: chosen.version, language: language,
                                        clauses: clauses, grantedAt: signedAt, guardians: guardians, evidence: checked,
                                        account: account, gate: gate)
            }
            return PageResponse.seeOther("/consents/\(stored.id)?done=\(ConsentAction.recorded.rawValue)")
        } catch {
            // Refused below the form: the problem at the control it is about, every entry kept.
            switch error {
            case let ConsentError.guardianMissing(_, age, minimumAge):
                problems.add("guardians", LocalizedText(
                    de: "Die Person war bei der Unterschrift \(age) Jahre alt (unter \(minimumAge)): bitte mindestens eine sorgeberechtigte Person eintragen, die unterschrieben hat",
                    en: "the person was \(age) years old when signing (under \(minimumAge)): please enter at least one guardian who signed"),
                    status: .unprocessableContent)
            case SigningError.noUsableKey(role: .consentSigner, reasons: _):
                problems.add("granted-on", LocalizedText(
                    de: "Am \(f["granted-on"] ?? "") war kein Schlüssel zum Signieren von Einwilligungen gültig; bitte das Datum der Unterschrift prüfen",
                    en: "no key for signing consents was valid on \(f["granted-on"] ?? ""); please check the signing date"))
            case ConsentError.grantedInFuture:
                problems.add("granted-on", LocalizedText(de: "Das Datum der Unterschrift liegt in der Zukunft", en: "the signing date lies in the future"),
                             status: .unprocessableContent)
            case GateError.templateRetired, GateError.templateVersionNotHeld:
                // A retired template (a form opened before its last day, sent after it) or a version no longer held:
                // the template is what to check.
                _ = problems.add("template", refusal: error)
            case GateError.guardianNameWithoutLetter(_, let name):
                problems.add("guardians", LocalizedText(
                    de: "\"\(name)\" ist kein Name (kein Buchstabe): bitte den Namen der sorgeberechtigten Person eintragen, die unterschrieben hat, wie er auf der Erklärung steht",
                    en: "\"\(name)\" is not a name (no letter): enter the name of the guardian who signed, as written on the declaration"),
                    status: .unprocessableContent)
            case GateError.earlierTemplateVersionNoLongerRecordable:
                // Signed after the last day the version on the paper is accepted: the signing date is what to check.
                _ = problems.add("granted-on", refusal: error)
            case ConsentError.languageNotInTemplate:
                _ = problems.add("language", refusal: error)
            case ConsentError.clauseNotInTemplate:
                _ = problems.add("clauses", anchor: boxesAnchor, refusal: error)
            case let GateError.caseIDSpelledOtherwise(_, given, recorded):
                problems.add("subject", LocalizedText(
                    de: "Die Fall-ID \"\(given)\" ist als \"\(recorded)\" erfasst: bitte so schreiben (Fall-IDs werden Zeichen für Zeichen verglichen, eine zweite Schreibweise legte eine zweite Person an)",
                    en: "case id \"\(given)\" is recorded as \"\(recorded)\": please write it so (case ids are compared letter for letter, and a second spelling would file a second person)"),
                    status: .unprocessableContent)
            case let e as WebError where e.status == .forbidden:
                _ = problems.add("subject", refusal: e)
            default:
                guard problems.add("form", anchor: "subject", refusal: error) else { throw error }
            }
            return newForm(page, gate: gate, form: f, problems: problems, evidence: evidence, scanLimit: scanLimit, now: now)
        }
    }
}

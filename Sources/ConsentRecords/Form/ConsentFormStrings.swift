import Diagnostics
import PolicyEngine

/// The fixed wording of the printable declaration, per language: built in for German, English and Ukrainian, and read
/// from the policy's `form-languages` for any other (or in place of a built-in one). The template's own text and clause
/// wording come from the policy bundle; these are the frame around them.
struct ConsentFormStrings: Sendable {
    var title: String
    var subtitle: String
    var person: String
    var name: String
    var birthDate: String
    var caseID: String
    var clausesHeading: String
    var recipients: String
    var purposes: String
    var data: String
    var explicit: String
    var rightsHeading: String
    var voluntary: String
    /// `%@` is the longest validity, e.g. "2 Jahre".
    var validity: String
    var withdrawal: String
    var signaturesHeading: String
    var placeDate: String
    var personSignature: String
    /// `%@` is the template's minimum age.
    var guardiansNote: String
    var guardianName: String
    var guardianSignature: String
    var officeHeading: String
    var caseManager: String
    var municipality: String
    var consentID: String
    /// `%1` template id, `%2` version, `%3` language.
    var footer: String
    /// Above a filled-in copy of a recorded consent; `%@` is the day it was granted.
    var copyNote: String
    /// Beside a clause of a filled-in copy: granted, or not.
    var granted: String
    var notGranted: String
    /// Beside a granted line of a copy that was withdrawn since (singly or with the whole consent); `%@` is when.
    var grantedWithdrawn: String
    /// Above a copy of a consent withdrawn as a whole; `%@` is when.
    var wholeWithdrawnNote: String
    /// Above a copy of a consent with lines withdrawn singly (each said at its line).
    var linesWithdrawnNote: String
    var duration: @Sendable (ISODuration) -> String

    /// The languages the wording is built in.
    static let supportedLanguages = FormLanguage.builtInLanguageNames.keys.sorted()

    /// The built-in wording of `code` in the form of a policy's `form-languages` entry, with the words for each of
    /// `durations`: the starting point for a county's translator (`consentgate consent form-language`).
    static func formLanguage(_ code: String, durations: [ISODuration]) -> FormLanguage? {
        guard let s = forLanguage(code) else { return nil }
        return FormLanguage(code: code, name: FormLanguage.builtInLanguageNames[code] ?? LocalizedText(de: code, en: code), rightToLeft: false,
                            texts: Dictionary(uniqueKeysWithValues: FormLanguage.Key.allCases.map { ($0, s[keyPath: keyPath($0)]) }),
                            durations: Dictionary(durations.map { ($0, s.duration($0)) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Where the text of `key` is kept: the one table between the policy's keys and this wording (the switch is
    /// exhaustive, so a key added to either side without the other does not compile).
    static func keyPath(_ key: FormLanguage.Key) -> WritableKeyPath<ConsentFormStrings, String> {
        switch key {
        case .title: \.title
        case .subtitle: \.subtitle
        case .person: \.person
        case .name: \.name
        case .birthDate: \.birthDate
        case .caseID: \.caseID
        case .clausesHeading: \.clausesHeading
        case .recipients: \.recipients
        case .purposes: \.purposes
        case .data: \.data
        case .explicit: \.explicit
        case .rightsHeading: \.rightsHeading
        case .voluntary: \.voluntary
        case .validity: \.validity
        case .withdrawal: \.withdrawal
        case .signaturesHeading: \.signaturesHeading
        case .placeDate: \.placeDate
        case .personSignature: \.personSignature
        case .guardiansNote: \.guardiansNote
        case .guardianName: \.guardianName
        case .guardianSignature: \.guardianSignature
        case .officeHeading: \.officeHeading
        case .caseManager: \.caseManager
        case .municipality: \.municipality
        case .consentID: \.consentID
        case .footer: \.footer
        case .copyNote: \.copyNote
        case .granted: \.granted
        case .notGranted: \.notGranted
        case .grantedWithdrawn: \.grantedWithdrawn
        case .wholeWithdrawnNote: \.wholeWithdrawnNote
        case .linesWithdrawnNote: \.linesWithdrawnNote
        }
    }

    /// The built-in wording of `code`, or nil.
    static func forLanguage(_ code: String) -> ConsentFormStrings? {
        switch code {
        case "de": return german
        case "en": return english
        case "uk": return ukrainian
        default: return nil
        }
    }

    static let german = ConsentFormStrings(
        title: "Einwilligungserklärung",
        subtitle: "zur Verarbeitung und Weitergabe personenbezogener Daten im Kommunalen Integrationsmanagement",
        person: "Angaben zur Person", name: "Name, Vorname", birthDate: "Geburtsdatum", caseID: "Fallnummer",
        clausesHeading: "Ich willige ein (bitte ankreuzen):",
        recipients: "Empfänger", purposes: "Zweck", data: "Daten",
        explicit: "Ausdrückliche Einwilligung in besondere Kategorien personenbezogener Daten (Art. 9 Abs. 2 lit. a DSGVO)",
        rightsHeading: "Ihre Rechte",
        voluntary: "Die Einwilligung ist freiwillig. Sie können einzelne Punkte ankreuzen und andere nicht.",
        validity: "Die Einwilligung gilt ab der Unterschrift, längstens %@.",
        withdrawal: "Sie können Ihre Einwilligung jederzeit ganz oder teilweise widerrufen (Art. 7 Abs. 3 DSGVO), formlos bei Ihrem Fallmanagement. Der Widerruf wirkt ab seinem Zeitpunkt; eine bis dahin erfolgte Weitergabe bleibt rechtmäßig.",
        signaturesHeading: "Unterschriften", placeDate: "Ort, Datum", personSignature: "Unterschrift der betroffenen Person",
        guardiansNote: "Bei Personen unter %@ Jahren unterschreiben zusätzlich die Sorgeberechtigten.",
        guardianName: "Name der/des Sorgeberechtigten", guardianSignature: "Unterschrift der/des Sorgeberechtigten",
        officeHeading: "Vom Fallmanagement auszufüllen", caseManager: "Fallmanager/in (Kennung)", municipality: "Kommune",
        consentID: "Einwilligungs-ID", footer: "Vorlage %1, Version %2, Sprache %3",
        copyNote: "Abschrift der erfassten Einwilligung, erteilt am %@", granted: "erteilt", notGranted: "nicht erteilt",
        grantedWithdrawn: "erteilt, am %@ widerrufen",
        wholeWithdrawnNote: "Die ganze Einwilligung wurde am %@ widerrufen. Diese Abschrift zeigt die Erklärung, wie sie unterschrieben wurde.",
        linesWithdrawnNote: "Einzelne Punkte wurden seitdem widerrufen; das ist beim Punkt vermerkt.",
        duration: { d in
            var parts: [String] = []
            if d.years != 0 { parts.append("\(d.years) \(d.years == 1 ? "Jahr" : "Jahre")") }
            if d.months != 0 { parts.append("\(d.months) \(d.months == 1 ? "Monat" : "Monate")") }
            if d.days != 0 { parts.append("\(d.days) \(d.days == 1 ? "Tag" : "Tage")") }
            return parts.isEmpty ? "0 Tage" : parts.joined(separator: " und ")
        })

    static let english = ConsentFormStrings(
        title: "Declaration of consent",
        subtitle: "to the processing and sharing of personal data in municipal integration case management",
        person: "Person", name: "Family name, given name", birthDate: "Date of birth", caseID: "Case number",
        clausesHeading: "I consent to (please tick):",
        recipients: "Recipient", purposes: "Purpose", data: "Data",
        explicit: "Explicit consent to special categories of personal data (Art. 9(2)(a) GDPR)",
        rightsHeading: "Your rights",
        voluntary: "Consent is voluntary. You may tick some items and not others.",
        validity: "This consent is valid from signing for at most %@.",
        withdrawal: "You may withdraw your consent at any time, in whole or in part (Art. 7(3) GDPR), informally through your case manager. Withdrawal takes effect from that moment; sharing that took place before remains lawful.",
        signaturesHeading: "Signatures", placeDate: "Place, date", personSignature: "Signature of the person concerned",
        guardiansNote: "For persons under %@ years of age, the guardians sign as well.",
        guardianName: "Name of guardian", guardianSignature: "Signature of guardian",
        officeHeading: "For the case manager", caseManager: "Case manager (id)", municipality: "Municipality",
        consentID: "Consent id", footer: "Template %1, version %2, language %3",
        copyNote: "Copy of the recorded consent, granted on %@", granted: "granted", notGranted: "not granted",
        grantedWithdrawn: "granted, withdrawn on %@",
        wholeWithdrawnNote: "The whole consent was withdrawn on %@. This copy shows the declaration as it was signed.",
        linesWithdrawnNote: "Single items were withdrawn since, as noted at each item.",
        duration: { d in
            var parts: [String] = []
            if d.years != 0 { parts.append("\(d.years) \(d.years == 1 ? "year" : "years")") }
            if d.months != 0 { parts.append("\(d.months) \(d.months == 1 ? "month" : "months")") }
            if d.days != 0 { parts.append("\(d.days) \(d.days == 1 ? "day" : "days")") }
            return parts.isEmpty ? "0 days" : parts.joined(separator: " and ")
        })

    static let ukrainian = ConsentFormStrings(
        title: "Заява про згоду",
        subtitle: "на обробку та передачу персональних даних у межах комунального менеджменту інтеграції",
        person: "Відомості про особу", name: "Прізвище, ім'я", birthDate: "Дата народження", caseID: "Номер справи",
        clausesHeading: "Я даю згоду на (будь ласка, позначте):",
        recipients: "Отримувач", purposes: "Мета", data: "Дані",
        explicit: "Явна згода на обробку особливих категорій персональних даних (ст. 9 ч. 2 п. a Загального регламенту захисту даних, GDPR)",
        rightsHeading: "Ваші права",
        voluntary: "Згода є добровільною. Ви можете позначити одні пункти й не позначати інші.",
        validity: "Ця згода діє з моменту підписання, але не довше ніж %@.",
        withdrawal: "Ви можете будь-коли повністю або частково відкликати свою згоду (ст. 7 ч. 3 GDPR), у довільній формі через свого кейс-менеджера. Відкликання діє з моменту його подання; передача даних, здійснена до того, залишається законною.",
        signaturesHeading: "Підписи", placeDate: "Місце, дата", personSignature: "Підпис особи, якої стосуються дані",
        guardiansNote: "За осіб, молодших %@ років, додатково підписують законні представники.",
        guardianName: "Ім'я законного представника", guardianSignature: "Підпис законного представника",
        officeHeading: "Заповнює кейс-менеджер", caseManager: "Кейс-менеджер (ідентифікатор)", municipality: "Громада",
        consentID: "Ідентифікатор згоди", footer: "Шаблон %1, версія %2, мова %3",
        copyNote: "Копія зареєстрованої згоди, наданої %@", granted: "надано", notGranted: "не надано",
        grantedWithdrawn: "надано, відкликано %@",
        wholeWithdrawnNote: "Усю згоду відкликано %@. Ця копія показує заяву в тому вигляді, в якому її було підписано.",
        linesWithdrawnNote: "Окремі пункти згодом відкликано, як зазначено біля кожного з них.",
        duration: { d in
            // Ukrainian plural: 1, 21, 31 … → singular; 2–4, 22–24 … → paucal; otherwise genitive plural.
            func form(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
                let m10 = n % 10, m100 = n % 100
                if m10 == 1 && m100 != 11 { return "\(n) \(one)" }
                if (2...4).contains(m10) && !(12...14).contains(m100) { return "\(n) \(few)" }
                return "\(n) \(many)"
            }
            var parts: [String] = []
            if d.years != 0 { parts.append(form(d.years, "рік", "роки", "років")) }
            if d.months != 0 { parts.append(form(d.months, "місяць", "місяці", "місяців")) }
            if d.days != 0 { parts.append(form(d.days, "день", "дні", "днів")) }
            return parts.isEmpty ? "0 днів" : parts.joined(separator: " і ")
        })
}

extension ConsentFormStrings {
    /// The county's wording (`form-languages`): each text in its place, the longest validity in the county's words
    /// (the loader made sure every template with a text in the language finds its own; any other is written as it is
    /// in the policy, `P2Y`).
    init(_ county: FormLanguage) {
        self = .english
        for key in FormLanguage.Key.allCases { self[keyPath: Self.keyPath(key)] = county[key] }
        let words = county.durations
        duration = { d in words[d] ?? d.description }
    }
}

extension ISODuration {
    /// The duration as the printed declaration says it in `language` (`2 Jahre`, `2 years`), for pages that name a
    /// template's validity; nil for a language without built-in form strings.
    public func words(language code: String) -> String? { ConsentFormStrings.forLanguage(code)?.duration(self) }
}

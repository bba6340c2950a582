import Diagnostics
import Foundation
import PolicyEngine

/// Errors of the use cases themselves (the modules below report their own).
public enum GateError: UserFacingError, Equatable {
    /// A grant named a consent template (or a version of it, when `version` is given) the policy bundle does not hold.
    case unknownTemplate(String, version: Int?)
    /// A grant named an earlier version of a template (kept in the bundle under `earlier-versions` only so that the
    /// consents signed on it stay valid): new consents are signed on the current version.
    case earlierTemplateVersion(String, version: Int, current: Int)
    /// A grant named an earlier version that keeps a recording window (`recordable-until`), but the declaration was
    /// signed (`granted-at`, as a Berlin calendar day `signedOn`) after its last day `recordableUntil` (both
    /// `YYYY-MM-DD`): a paper form of the old version signed that late is not recorded on it (nor on the current one,
    /// whose wording the person did not see).
    case earlierTemplateVersionNoLongerRecordable(String, version: Int, current: Int, recordableUntil: String, signedOn: String)
    /// A grant named a version of a template the policy holds, but not that version: with the current version and the
    /// earlier versions kept (`earlier-versions`, newest first), so the paper in hand is matched to one of them. Found in
    /// a review: "consent template kim-beratung v2 is not in the policy" left the case manager guessing which is.
    case templateVersionNotHeld(String, version: Int, current: Int, earlier: [Int])
    /// A grant on a retired template (its current version has `recordable-until`) of a declaration signed (`signedOn`,
    /// the Berlin calendar day of `granted-at`) after its last day `recordableUntil` (both `YYYY-MM-DD`): the county
    /// keeps the template only so that the consents signed on it stay valid; new ones are given on a current template.
    case templateRetired(String, version: Int, recordableUntil: String, signedOn: String)
    /// A blank declaration (the form to print and sign) of a retired template was asked for after its last day
    /// `recordableUntil` (`YYYY-MM-DD`): nobody is to sign it any more. `offered` names the templates still taking
    /// new consents.
    case retiredTemplateNotOffered(String, version: Int, recordableUntil: String, offered: [String])
    /// A guardian's name to be recorded (`field`: `guardians[0].name`, `--guardian`) that holds no letter at all, such as
    /// `-`, `?` or `...`: a placeholder, not the name of the person who signed for a minor, yet it would satisfy the
    /// guardian rule. Found in a review: `consent grant --guardian "-"` recorded a 10-year-old's consent.
    case guardianNameWithoutLetter(field: String, name: String)
    /// A guardian's name or relation holds a bidirectional override, embedding or isolate (U+202A–U+202E,
    /// U+2066–U+2069): signed into the declaration, it would show in another order than it is stored.
    case guardianTextReordering(field: String)
    /// More guardians than a declaration has room for (`Gate.maxGuardians`).
    case tooManyGuardians(count: Int, maximum: Int)
    /// `audit explain` was pointed at an entry that is not a decision.
    case notADecision(index: Int64, kind: String)
    /// The demo data set was asked for on an installation not opened in demo mode.
    case demoDataOutsideDemoMode
    /// A text that selects stored records holds U+0000: SQLite would compare it only up to that character
    /// (the record of "RSK-1" would answer for "RSK-1\u{0}x"), so it is refused before any lookup.
    case nulCharacter(field: String)
    /// A municipality to be recorded (`field`: the person's, or where the consent was collected) that is not one of
    /// the county's (the policy's `municipalities`): the person would be filed where no case worker and no DPO filter
    /// finds them. With the names probably meant, and all the county's names.
    case unknownMunicipality(field: String, name: String, suggestions: [String], known: [String])
    /// The person's birth date (`birthDate`, YYYY-MM-DD, stated or recorded) lies after the decision's day (`day`, in
    /// Europe/Berlin, as ages are counted): there is no age to decide on. Found in a review of dates: `check --birth-date
    /// 2030-01-01` was decided with age −4, and −4 is "under 18".
    case bornAfterDecision(birthDate: String, day: String)
    /// A birth date to be recorded or decided on (`field`) before 1900-01-01, the earliest the registration lists
    /// accept too: nobody alive was born then, so it is a typing error (`0985` for `1985`, `1015` for `2015`), and one
    /// that would count a child as an adult. Found in a review of dates (`check --birth-date 1015-03-14` was decided
    /// with age 1011).
    case birthDateBefore1900(field: String, birthDate: String)
    /// A consent's person is recorded as born (`birthDate`, `YYYY-MM-DD`) after the day the declaration was signed
    /// (`signedOn`, Europe/Berlin) or after today (`signedOn` nil): a typing mistake (2026 for 2016) that would be stored
    /// with the person, run the guardian rule with a negative age and fail every later check. The command line refused it;
    /// the API and the consent page recorded it (a review of dates, session 40).
    case birthDateAfterSigning(field: String, birthDate: String, signedOn: String?)
    /// A decision stated a birth date (`stated`) other than the one recorded for the person (`recorded`), both
    /// `YYYY-MM-DD`: a decision is made on the recorded one (see `Gate.check`).
    case birthDateDiffersFromRecord(recorded: String, stated: String)
    /// `consent import --birth-date` stated a birth date (`stated`) other than the recorded one (`recorded`), both
    /// `YYYY-MM-DD`, for a consent already stored: importing it again records nothing new, so it would have changed the
    /// birth date without any entry. A change is recorded with a new consent (whose `consent-granted` entry notes it,
    /// `birth-date-changed`) or by the registration list.
    case birthDateChangeWithoutNewConsent(recorded: String, stated: String)
    /// A request stated a value for attribute `id`, which is no stateable attribute of the policy (one with neither
    /// `subject:` nor `from:`; `CompiledPolicy.stateableAttributes`): the policy does not know it (`declared` false) or
    /// takes its value from the person's record or a registration column (`declared` true). `stateable`: the ids a
    /// request may state, sorted. Nothing is decided or logged.
    case unstateableAttribute(String, declared: Bool, stateable: [String])
    /// A stated value for the stateable attribute `id` is not of its type (`expected`, e.g. `bool (true/false)`): no
    /// condition would ever hold on it, so the request is refused rather than decided on a value that counts for nothing.
    case statedAttributeType(String, expected: String, stateable: [String])
    /// A stated text value for attribute `id` holds a control or text-direction character or is longer than
    /// `maxLength` Unicode scalars: it would be logged for good, as a referral id would.
    case statedAttributeText(String, maxLength: Int)
    /// A consent would file a new person under case id `given` (in `field`) while `recorded` (the same id but for letter
    /// case) is on record: case ids are compared as written, so the person would be split in two (their consents,
    /// decisions and Art. 15 report). Nothing is stored or logged.
    case caseIDSpelledOtherwise(field: String, given: String, recorded: String)
    /// A referral notice (`Gate.recordReferralNotice`) for a consent that is not withdrawn, wholly or in lines.
    case referralNoticeNotWithdrawn(consent: String)
    /// A referral notice for a partner that received no data by referral under what was withdrawn; `recipients`, those
    /// that did.
    case notAReferralRecipient(consent: String, partner: String, recipients: [String])
    /// A referral notice for a partner already recorded as told of everything withdrawn that it received (`entries`).
    case referralNoticeAlreadyRecorded(consent: String, partner: String, entries: [Int64])
    /// A referral notice's `told-at` after now, or before the withdrawal it tells of took effect (`withdrawnAt`).
    case referralNoticeTime(toldAt: String, withdrawnAt: String, now: String)
    /// A referral notice's day (`YYYY-MM-DD`, Berlin; the consent page's date field) after today (`withdrawnOn` nil), or
    /// before the day the withdrawal it tells of took effect (`withdrawnOn`).
    case referralNoticeDay(day: String, withdrawnOn: String?, today: String)

    /// Always invalid input (exit 3): each case is a request that names something the policy does not allow.
    public var category: Diagnostics.ProblemCategory { .invalidInput }

    /// The problem in `language`, naming the file, template or database concerned.
    public func message(in language: Diagnostics.Language) -> String {
        switch self {
        case let .unknownTemplate(id, version):
            let v = version.map { " v\($0)" } ?? ""
            return language == .de ? "Einwilligungsvorlage \(id)\(v) ist in der Richtlinie nicht vorhanden"
                                   : "consent template \(id)\(v) is not in the policy"
        case let .earlierTemplateVersion(id, version, current):
            return language == .de
                ? "Einwilligungsvorlage \(id) v\(version) ist eine frühere Version: die Richtlinie hält sie nur, damit die darauf erteilten Einwilligungen gültig bleiben; neue Einwilligungen werden auf der aktuellen Version v\(current) erteilt"
                : "consent template \(id) v\(version) is an earlier version: the policy keeps it only so that the consents given on it stay valid; new consents are given on the current version v\(current)"
        case let .earlierTemplateVersionNoLongerRecordable(id, version, current, until, signedOn):
            return language == .de
                ? "Einwilligungsvorlage \(id) v\(version) ist eine frühere Version, auf der Erklärungen nur aufgenommen werden, wenn sie bis zum \(until) (Tag in Europe/Berlin) unterschrieben wurden; diese wurde am \(signedOn) unterschrieben. Neue Einwilligungen werden auf der aktuellen Version v\(current) erteilt"
                : "consent template \(id) v\(version) is an earlier version on which declarations are recorded only when signed on or before \(until) (a day in Europe/Berlin); this one was signed on \(signedOn). New consents are given on the current version v\(current)"
        case let .templateVersionNotHeld(id, version, current, earlier):
            let kept = earlier.map { "v\($0)" }.joined(separator: ", ")
            return language == .de
                ? "Einwilligungsvorlage \(id) v\(version) ist in der Richtlinie nicht vorhanden: die aktuelle Version ist v\(current)" + (earlier.isEmpty ? ", frühere Versionen hält die Richtlinie nicht" : ", frühere Versionen behalten: \(kept)") + "; bitte die Version auf der unterschriebenen Erklärung prüfen"
                : "consent template \(id) v\(version) is not in the policy: the current version is v\(current)" + (earlier.isEmpty ? ", the policy keeps no earlier version" : ", earlier versions kept: \(kept)") + "; check the version printed on the signed declaration"
        case let .templateRetired(id, version, until, signedOn):
            let since = UTCDay.parse(until).map { UTCDay.format($0 + 1) } ?? until
            return language == .de
                ? "Einwilligungsvorlage \(id) (v\(version)) ist seit dem \(since) stillgelegt: auf ihr werden nur Erklärungen aufgenommen, die bis zum \(until) (Tag in Europe/Berlin) unterschrieben wurden; diese wurde am \(signedOn) unterschrieben. Die auf ihr erteilten Einwilligungen bleiben gültig; neue werden auf einer aktuellen Vorlage erteilt"
                : "consent template \(id) (v\(version)) is retired since \(since): declarations on it are recorded only when signed on or before \(until) (a day in Europe/Berlin); this one was signed on \(signedOn). The consents given on it stay valid; new ones are given on a current template"
        case let .retiredTemplateNotOffered(id, version, until, offered):
            let since = UTCDay.parse(until).map { UTCDay.format($0 + 1) } ?? until
            let others = offered.joined(separator: ", ")
            return language == .de
                ? "Einwilligungsvorlage \(id) (v\(version)) ist seit dem \(since) stillgelegt (letzter Tag der Unterschrift: \(until), Europe/Berlin): sie wird nicht mehr zum Unterschreiben ausgegeben; die auf ihr erteilten Einwilligungen bleiben gültig" + (offered.isEmpty ? "" : ". Aktuelle Vorlagen: \(others)")
                : "consent template \(id) (v\(version)) is retired since \(since) (last signing day: \(until), Europe/Berlin): it is no longer given out to be signed; the consents given on it stay valid" + (offered.isEmpty ? "" : ". Current templates: \(others)")
        case let .guardianNameWithoutLetter(field, name):
            return language == .de
                ? "\(field): \"\(name)\" ist kein Name (kein Buchstabe): bitte den Namen der sorgeberechtigten Person eintragen, die unterschrieben hat, wie er auf der Erklärung steht"
                : "\(field): \"\(name)\" is not a name (no letter): enter the name of the guardian who signed, as written on the declaration"
        case let .tooManyGuardians(count, maximum):
            return language == .de
                ? "guardians: \(count) Sorgeberechtigte angegeben, höchstens \(maximum): bitte nur die eintragen, die die Erklärung unterschrieben haben"
                : "guardians: \(count) guardians given, at most \(maximum): enter only those who signed the declaration"
        case let .guardianTextReordering(field):
            return language == .de
                ? "\(field): enthält ein Steuerzeichen der Schreibrichtung (U+202A–U+202E, U+2066–U+2069), mit dem der Text anders angezeigt würde, als er gespeichert ist: bitte den Namen neu eintippen, wie er auf der Erklärung steht"
                : "\(field): holds a text-direction control character (U+202A–U+202E, U+2066–U+2069) that would show the text in another order than it is stored: type the name again as written on the declaration"
        case let .notADecision(index, kind):
            return language == .de ? "Protokolleintrag \(index) ist keine Entscheidung (\(kind))"
                                   : "audit entry \(index) is not a decision (\(kind))"
        case .demoDataOutsideDemoMode:
            return language == .de ? "Demodaten gibt es nur im Demo-Modus (--demo), nie in einer echten Installation"
                                   : "the demo data set exists only in demo mode (--demo), never in a real installation"
        case let .nulCharacter(field):
            return language == .de ? "Feld \(field) enthält das Zeichen U+0000 (NUL), das hier nicht erlaubt ist"
                                   : "field \(field) contains the character U+0000 (NUL), which is not allowed here"
        case let .bornAfterDecision(birthDate, day):
            return language == .de
                ? "Geburtsdatum \(birthDate) liegt nach dem Tag der Entscheidung (\(day), Europe/Berlin): für eine Person vor ihrer Geburt wird nicht entschieden; Geburtsdatum oder Zeitpunkt (at) prüfen"
                : "birth date \(birthDate) lies after the day of the decision (\(day), Europe/Berlin): no decision is made for a person before their birth; check the birth date or the time (at)"
        case let .birthDateAfterSigning(field, birthDate, signedOn?):
            return language == .de
                ? "\(field): Geburtsdatum \(birthDate) liegt nach dem Tag der Unterschrift (\(signedOn), Europe/Berlin); bitte das Jahr prüfen"
                : "\(field): birth date \(birthDate) lies after the day of the signature (\(signedOn), Europe/Berlin); check the year"
        case let .birthDateAfterSigning(field, birthDate, nil):
            return language == .de
                ? "\(field): Geburtsdatum \(birthDate) liegt in der Zukunft (Europe/Berlin); bitte das Jahr prüfen"
                : "\(field): birth date \(birthDate) is in the future (Europe/Berlin); check the year"
        case let .birthDateBefore1900(field, birthDate):
            return language == .de
                ? "\(field): Geburtsdatum \(birthDate) liegt vor 1900; bitte das Jahr prüfen"
                : "\(field): birth date \(birthDate) lies before 1900; check the year"
        case let .birthDateDiffersFromRecord(recorded, stated):
            return language == .de
                ? "birth-date: angegeben ist \(stated), gespeichert ist für die Person \(recorded); entschieden wird mit dem gespeicherten Geburtsdatum: die Angabe weglassen oder, ist das gespeicherte falsch, es berichtigen: beim Erfassen einer Einwilligung mit dem richtigen Geburtsdatum oder über die Meldeliste"
                : "birth-date: \(stated) is given, but the person is recorded with \(recorded); a decision uses the recorded birth date: leave it out or, if the record is wrong, correct it: when recording a consent with the right birth date, or through the registration list"
        case let .birthDateChangeWithoutNewConsent(recorded, stated):
            return language == .de
                ? "--birth-date: angegeben ist \(stated), gespeichert ist für die Person \(recorded); diese Einwilligung ist schon erfasst, ein erneuter Import ändert das Geburtsdatum nicht: ohne --birth-date importieren oder, ist das gespeicherte falsch, es mit einer neuen Einwilligung oder der Meldeliste berichtigen (beides wird protokolliert)"
                : "--birth-date: \(stated) is given, but the person is recorded with \(recorded); this consent is stored already, and importing it again does not change the birth date: import without --birth-date or, if the record is wrong, correct it with a new consent or the registration list (both are logged)"
        case let .unstateableAttribute(id, declared, stateable):
            let list = stateable.isEmpty ? (language == .de ? "keine" : "none") : stateable.joined(separator: ", ")
            if language == .de {
                return (declared
                    ? "Merkmal \"\(id)\" kann nicht mit der Anfrage angegeben werden: die Richtlinie entnimmt es der Erfassung der Person oder der Meldeliste"
                    : "unbekanntes Merkmal \"\(id)\": die Richtlinie kennt es nicht")
                    + " (angebbare Merkmale: \(list))"
            }
            return (declared
                ? "attribute \"\(id)\" cannot be stated with a request: the policy takes it from the person's record or the registration list"
                : "unknown attribute \"\(id)\": the policy does not declare it")
                + " (attributes a request may state: \(list))"
        case let .statedAttributeType(id, expected, stateable):
            let list = stateable.joined(separator: ", ")
            return language == .de
                ? "Merkmal \"\(id)\": Wert vom Typ \(expected) erwartet (angebbare Merkmale: \(list))"
                : "attribute \"\(id)\": a value of type \(expected) is expected (attributes a request may state: \(list))"
        case let .statedAttributeText(id, maxLength):
            return language == .de
                ? "Merkmal \"\(id)\": höchstens \(maxLength) Zeichen, ohne Steuer- oder Richtungszeichen"
                : "attribute \"\(id)\": at most \(maxLength) characters, without control or text-direction characters"
        case let .referralNoticeNotWithdrawn(consent):
            return language == .de
                ? "Einwilligung \(consent) ist nicht widerrufen (weder ganz noch in Zeilen): es gibt keinen Widerruf, über den eine Stelle zu benachrichtigen wäre"
                : "consent \(consent) is not withdrawn (neither whole nor in lines): there is no withdrawal to tell a partner of"
        case let .notAReferralRecipient(consent, partner, recipients):
            let list = recipients.isEmpty ? (language == .de ? "keine" : "none") : recipients.joined(separator: ", ")
            return language == .de
                ? "Partner \"\(partner)\" erhielt über Vermittlungen keine Daten auf Grundlage dessen, was von Einwilligung \(consent) widerrufen wurde (zu benachrichtigen: \(list))"
                : "partner \"\(partner)\" received no data by referral under what was withdrawn of consent \(consent) (to be told: \(list))"
        case let .referralNoticeTime(toldAt, withdrawnAt, now):
            return language == .de
                ? "told-at: \(toldAt) liegt \(toldAt > now ? "in der Zukunft (jetzt: \(now))" : "vor dem Widerruf (\(withdrawnAt)), über den benachrichtigt wurde")"
                : "told-at: \(toldAt) is \(toldAt > now ? "in the future (now: \(now))" : "before the withdrawal it tells of (\(withdrawnAt))")"
        case let .referralNoticeDay(isoDay, isoWithdrawnOn, isoToday):
            // Said as the page writes days (the date field it answers shows them so), not ISO.
            func words(_ iso: String) -> String { UTCDay.parse(iso).map { UTCDay.words($0, language: language) } ?? iso }
            let (day, withdrawnOn, today) = (words(isoDay), isoWithdrawnOn.map(words), words(isoToday))
            if let withdrawnOn {
                return language == .de ? "Benachrichtigt am \(day): der Tag liegt vor dem Widerruf (\(withdrawnOn)), über den benachrichtigt wurde"
                    : "told on \(day): the day is before the withdrawal it tells of (\(withdrawnOn))"
            }
            return language == .de ? "Benachrichtigt am \(day): der Tag liegt in der Zukunft (heute: \(today))"
                : "told on \(day): the day is in the future (today: \(today))"
        case let .referralNoticeAlreadyRecorded(consent, partner, entries):
            let list = entries.map(String.init).joined(separator: ", ")
            return language == .de
                ? "Partner \"\(partner)\" ist über den Widerruf von Einwilligung \(consent) schon als benachrichtigt vermerkt (Protokolleintrag \(list)); nichts Neues vermerkt"
                : "partner \"\(partner)\" is already recorded as told of the withdrawal of consent \(consent) (log entry \(list)); nothing new recorded"
        case let .caseIDSpelledOtherwise(field, given, recorded):
            return language == .de
                ? "\(field): Fall-ID \"\(given)\" ist als \"\(recorded)\" erfasst; Fall-IDs werden Zeichen für Zeichen verglichen, eine zweite Schreibweise legte eine zweite Person an: bitte wie erfasst schreiben"
                : "\(field): case id \"\(given)\" is recorded as \"\(recorded)\"; case ids are compared letter for letter, and a second spelling would file a second person: write it as recorded"
        case let .unknownMunicipality(field, name, suggestions, known):
            if language == .de {
                return "\(field): unbekannte Kommune \"\(name)\": " + (suggestions.isEmpty
                    ? "eine der Kommunen des Kreises angeben (\(known.joined(separator: ", ")))"
                    : "gemeint ist wohl \(suggestions.map { "\"\($0)\"" }.joined(separator: " oder "))")
            }
            return "\(field): unknown municipality \"\(name)\": " + (suggestions.isEmpty
                ? "name one of the county's (\(known.joined(separator: ", ")))"
                : "did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: " or "))")
        }
    }
}

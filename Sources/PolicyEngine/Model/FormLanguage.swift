import Diagnostics

/// A language the printed consent declaration is given in by the county's own words (`form-languages` in the policy):
/// the fixed wording around a template's text (headings, the rights, the signature lines) that ConsentGate brings in
/// German, English and Ukrainian only. A person must be able to read what they sign (GDPR Art. 7(2)); in NRW's integration
/// management that is often Arabic, Farsi, Dari or Turkish, and only the county can have such a text translated and
/// reviewed. A county's entry for `de`, `en` or `uk` replaces the built-in wording (e.g. a Ukrainian text its own
/// translator reviewed).
public struct FormLanguage: Sendable, Equatable {
    /// The language code, as a template's `languages` names it (`ar`, `fa`, `tr`).
    public var code: String
    /// The language's name for the case manager's pages (`{de: Arabisch, en: Arabic}`).
    public var name: LocalizedText
    /// Whether the language is written right to left (Arabic, Farsi, Dari, Pashto, Hebrew): the printed page is laid out
    /// from the right, and the Latin-script parts in it (case id, dates, German names) are kept apart as left to right.
    public var rightToLeft: Bool
    /// The wording, one text per `Key`; the loader guarantees every key is present with exactly its placeholders.
    /// Empty for an entry of a built-in language that gives only `names` (`usesBuiltInWording`).
    public var texts: [Key: String]
    /// A template's longest validity (`P2Y`, as written in `max-validity`) → the words the declaration says it in
    /// (`سنتين`). Given by the county, not counted by rule: how a number and its unit read differs by language (Arabic
    /// has six plural forms), and the translator knows the one phrase the form needs.
    public var durations: [ISODuration: String]
    /// The partners', purposes' and data categories' names in this language (`names`), printed under each tick box in
    /// place of the English ones.
    public var names: FormNames

    /// Creates a form language from its parts (the loader checks them; a caller building one by hand must give every key,
    /// or none for a built-in language whose wording it keeps).
    public init(code: String, name: LocalizedText, rightToLeft: Bool, texts: [Key: String], durations: [ISODuration: String],
                names: FormNames = FormNames()) {
        self.code = code; self.name = name; self.rightToLeft = rightToLeft; self.texts = texts; self.durations = durations
        self.names = names
    }

    /// Whether the entry keeps ConsentGate's own wording (a built-in language's entry that gives only `names`, e.g. the
    /// Ukrainian names of the county's offices under the built-in Ukrainian frame).
    public var usesBuiltInWording: Bool { texts.isEmpty }

    /// The languages ConsentGate brings the declaration's wording in, with their names for the case manager's pages.
    public static let builtInLanguageNames: [String: LocalizedText] = [
        "de": LocalizedText(de: "Deutsch", en: "German"), "en": LocalizedText(de: "Englisch", en: "English"),
        "uk": LocalizedText(de: "Ukrainisch", en: "Ukrainian"),
    ]

    /// The text of `key` (empty when a hand-built value lacks it; a loaded bundle never does).
    public subscript(_ key: Key) -> String { texts[key] ?? "" }

    /// One piece of the declaration's fixed wording, by its key in `form-languages.<code>.texts`.
    public enum Key: String, Sendable, CaseIterable, Comparable {
        case title, subtitle, person, name
        case birthDate = "birth-date", caseID = "case-id"
        case clausesHeading = "clauses-heading", recipients, purposes, data, explicit
        case rightsHeading = "rights-heading", voluntary, validity, withdrawal
        case signaturesHeading = "signatures-heading", placeDate = "place-date", personSignature = "person-signature"
        case guardiansNote = "guardians-note", guardianName = "guardian-name", guardianSignature = "guardian-signature"
        case officeHeading = "office-heading", caseManager = "case-manager", municipality, consentID = "consent-id"
        case footer
        case copyNote = "copy-note", granted, notGranted = "not-granted", grantedWithdrawn = "granted-withdrawn"
        case wholeWithdrawnNote = "whole-withdrawn-note", linesWithdrawnNote = "lines-withdrawn-note"

        /// The placeholders the text must hold, each exactly once; no other text may hold any of `FormLanguage.placeholders`.
        public var placeholders: [String] {
            switch self {
            case .validity, .guardiansNote, .copyNote, .grantedWithdrawn, .wholeWithdrawnNote: ["%@"]
            case .footer: ["%1", "%2", "%3"]
            default: []
            }
        }

        /// What the placeholders stand for, for the error that names a missing one.
        public var placeholderMeaning: LocalizedText? {
            switch self {
            case .validity: LocalizedText(de: "die längste Gültigkeit, aus `durations`", en: "the longest validity, from `durations`")
            case .guardiansNote: LocalizedText(de: "das Mindestalter der Vorlage", en: "the template's minimum age")
            case .copyNote: LocalizedText(de: "der Tag der Erteilung", en: "the day of granting")
            case .grantedWithdrawn, .wholeWithdrawnNote: LocalizedText(de: "der Zeitpunkt des Widerrufs", en: "the time of withdrawal")
            case .footer: LocalizedText(de: "%1 Vorlage, %2 Version, %3 Sprache", en: "%1 template, %2 version, %3 language")
            default: nil
            }
        }

        public static func < (a: Key, b: Key) -> Bool { a.rawValue < b.rawValue }
    }

    /// Every placeholder some text takes: written into a text that does not take it, it would be printed as it stands.
    public static let placeholders = ["%@", "%1", "%2", "%3"]

    /// Whether `code` names a language written right to left in its usual script (Arabic, Farsi, Dari, Pashto, Urdu,
    /// Sorani Kurdish, Hebrew, Yiddish, …), unless a script subtag says Latin or Cyrillic: its wording must say
    /// `direction: rtl`, or the printed page runs the wrong way and nothing isolates its Latin ids and dates.
    public static func isWrittenRightToLeft(_ code: String) -> Bool {
        let parts = code.split(separator: "-").map(String.init)
        guard let first = parts.first, rightToLeftLanguages.contains(first) else { return false }
        return !parts.dropFirst().contains { ["latn", "cyrl"].contains($0.lowercased()) }
    }

    /// The primary language subtags of languages usually written right to left.
    static let rightToLeftLanguages: Set<String> = ["ar", "arc", "ckb", "dv", "fa", "he", "ks", "prs", "ps", "sd", "syr", "ug", "ur", "yi"]

    /// Characters that embed, override or isolate a direction (U+202A–U+202E, U+2066–U+2069): left unbalanced in a text they
    /// turn the rest of a printed line around, and ConsentGate isolates values itself. The marks LRM, RLM and ALM, which
    /// Arabic and Persian typing uses, are not among them.
    public static func directionControl(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }

    /// Whether `code` has the shape of a language code (`ar`, `fa`, `ckb`, `sr-Latn`): letters and digits, a two or
    /// three letter language first, subtags of one to eight (the shape a consent's `language` is checked against). It goes
    /// into the page's `lang` attribute and into addresses.
    public static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.dropFirst().allSatisfy { p in (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

import Diagnostics
import Foundation
import Gate
import PolicyEngine
import Signing

/// What a request value should have been, in German and English, for the messages of 400 answers that
/// several routes give alike.
enum RequestWords {
    /// `"…" is not an RFC 3339 time`.
    static func notATime(_ text: String) -> LocalizedText {
        if let range = TimeRangeWords.outOfRange(text) { return range }
        return LocalizedText(de: "\"\(text)\" ist keine Zeit nach RFC 3339 (z. B. 2026-11-25T10:00:00Z)",
                      en: "\"\(text)\" is not an RFC 3339 time (e.g. 2026-11-25T10:00:00Z)")
    }

    /// `"…"`: whole seconds only (the time a signed document carries).
    static func notWholeSeconds(_ text: String) -> LocalizedText {
        LocalizedText(de: "\"\(text)\": nur ganze Sekunden, ohne Sekundenbruchteil (z. B. 2026-11-25T10:00:00Z)",
                      en: "\"\(text)\": whole seconds only, without a fractional part (e.g. 2026-11-25T10:00:00Z)")
    }

    /// `"…" is not a date YYYY-MM-DD`.
    static func notADate(_ text: String) -> LocalizedText {
        LocalizedText(de: "\"\(text)\" ist kein Datum JJJJ-MM-TT", en: "\"\(text)\" is not a date YYYY-MM-DD")
    }

    /// `"…" is a birth date in the future`.
    static func birthDateInFuture(_ text: String) -> LocalizedText {
        LocalizedText(de: "Geburtsdatum \"\(text)\" liegt in der Zukunft", en: "birth date \"\(text)\" is in the future")
    }

    /// `"…" is a birth date before 1900`.
    static func birthDateBefore1900(_ text: String) -> LocalizedText {
        LocalizedText(de: "Geburtsdatum \"\(text)\" liegt vor 1900; bitte das Jahr prüfen",
                      en: "birth date \"\(text)\" lies before 1900; check the year")
    }

    /// What is wrong with a stated birth date `text` (already parsed to the day number `day`), or nil: after today in
    /// Germany (`BerlinDay`, as ages are counted; before 2026-12-07 the UTC day after today passed), or before
    /// 1900 (`Subject.earliestBirthDay`). Both are typing errors that would file a person as a minor for centuries or
    /// count a child as an adult. Found in the web review (a grant for a person "born" 2990-01-01 was recorded) and in a
    /// review of dates (`1015-03-14` was decided with age 1011).
    static func birthDateProblem(_ text: String, day: Int, now: Date = Date()) -> LocalizedText? {
        if day > BerlinDay.day(of: now) { return birthDateInFuture(text) }
        if day < Subject.earliestBirthDay { return birthDateBefore1900(text) }
        return nil
    }
}

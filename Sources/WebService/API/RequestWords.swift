import Diagnostics
import Signing

/// What a request value should have been, in German and English, for the messages of 400 answers that
/// several routes give alike.
enum RequestWords {
    /// `"…" is not an RFC 3339 time`.
    static func notATime(_ text: String) -> LocalizedText {
        if RFC3339.isLeapSecond(text) {
            return LocalizedText(de: "\"\(text)\": eine Schaltsekunde (:60) wird nicht angenommen; bitte :59 angeben",
                                 en: "\"\(text)\": a leap second (:60) is not accepted; give :59")
        }
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
}

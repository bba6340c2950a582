import Foundation
import Gate
import PolicyEngine
import Signing

/// `--birth-date` of `consent grant` and `consent import`: a calendar day (`parseDay`) that is not after the
/// signature, nor in the future, nor before 1900 (`Subject.earliestBirthDay`: `1015` for `2015` would make a child an
/// adult). A birth date after either is a typing mistake (2030 for 2003) that would
/// otherwise be stored with the person, make an adult a minor for every later decision, and turn the guardian
/// rule's age negative. Usage error (exit 2) naming the option, what was typed and the time it is after. Days are
/// compared as the county counts them (`BerlinDay`): a child born today in Germany is not "in the future" in the first
/// hour or two of the German day, when UTC still has yesterday.
enum ConsentBirthDate {
    /// The birth date typed as `text`, which must not lie after `signedAt` (the consent's `granted-at`) or `now`.
    static func parse(_ text: String, signedAt: Date? = nil, now: Date = Date()) throws -> Date {
        let day = try parseDay(text, option: "--birth-date")
        let born = UTCDay.day(of: day)   // a civil date, parsed as its UTC midnight
        if let signedAt, born > BerlinDay.day(of: signedAt), signedAt <= now {
            throw UsageError(de: "--birth-date: \"\(text)\" liegt nach der Unterschrift (--granted-at \(RFC3339.format(signedAt))); bitte das Jahr prüfen",
                             en: "--birth-date: \"\(text)\" is after the signature (--granted-at \(RFC3339.format(signedAt))); check the year")
        }
        if born < Subject.earliestBirthDay {
            throw UsageError(de: "--birth-date: \"\(text)\" liegt vor 1900; bitte das Jahr prüfen",
                             en: "--birth-date: \"\(text)\" lies before 1900; check the year")
        }
        if born > BerlinDay.day(of: now) {
            throw UsageError(de: "--birth-date: \"\(text)\" liegt in der Zukunft; bitte das Jahr prüfen",
                             en: "--birth-date: \"\(text)\" is in the future; check the year")
        }
        return day
    }
}

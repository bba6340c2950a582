import Diagnostics
import Foundation

/// A consent declaration template from the policy bundle (CONTRACTS §3 `consent-templates`): what a person
/// can agree to, in which languages, for how long, and from what age without a guardian.
public struct ConsentTemplate: Sendable, Equatable {
    /// One tick box on the declaration.
    public struct Clause: Sendable, Equatable {
        /// The clause id, unique within the template; what a consent lists among its granted clauses.
        public var id: String
        /// Partner ids the clause lets data go to.
        public var partners: [String]
        /// Purpose ids the clause allows the data to be passed for.
        public var purposes: [String]
        /// Data category ids whose fields the clause covers.
        public var categories: [String]
        /// Explicit consent in the GDPR Art. 9(2)(a) sense, needed for special categories.
        public var explicit: Bool
        /// The clause's wording on the form, per language code (`de`, `en`, `uk`, ...), when the bundle gives one.
        public var text: [String: String]

        /// Creates a clause; without `text` it has no wording of its own on the form.
        public init(id: String, partners: [String], purposes: [String], categories: [String], explicit: Bool,
                    text: [String: String] = [:]) {
            self.id = id; self.partners = partners; self.purposes = purposes; self.categories = categories
            self.explicit = explicit; self.text = text
        }

        /// Whether the clause lets data of `category` go to `partner` for `purpose` (a clause without purposes allows
        /// any): the match the evaluator makes between a consent permit and a granted clause (CONTRACTS §3, semantics 2).
        public func covers(partner: String, purpose: String, category: String) -> Bool {
            partners.contains(partner) && (purposes.isEmpty || purposes.contains(purpose)) && categories.contains(category)
        }
    }

    /// The most clauses one template may have: the evaluator keeps a consent's granted clauses in one 64-bit mask,
    /// so a clause beyond it could never be granted. The loader rejects templates with more.
    public static let maxClauses = 64

    /// The template id a consent cites (`template.id` in its payload).
    public var id: String
    /// The template version a consent cites; to be bumped whenever anything printed on the declaration changes.
    public var version: Int
    /// Language code → declaration text (Markdown), read from the bundle's text files.
    public var texts: [String: String]
    /// Below this age (in whole years at signing) a guardian must sign.
    public var minimumAge: Int
    /// The longest validity a consent may have, from `max-validity` (ISO 8601 duration, e.g. `P2Y`).
    public var maxValidity: ISODuration
    /// The tick boxes of the declaration, in printed order; at most `maxClauses`.
    public var clauses: [Clause]
    /// The versions of this template the bundle keeps besides this one (`earlier-versions`), newest first, each a
    /// complete definition with no earlier versions of its own. A consent signed on one of them is read against that
    /// version (its clauses, languages, minimum age and validity) and stays valid after the template is bumped; new
    /// consents are signed only on this (the current) version. Empty for a template that keeps none.
    public var earlierVersions: [ConsentTemplate]
    /// `recordable-until: YYYY-MM-DD`: the last Berlin calendar day (days since 1970-01-01, as `UTCDay` and `BerlinDay`
    /// number them) a declaration signed on this version may have been signed on and still be recorded (granted) on it.
    ///
    /// On an earlier version it opens a recording window: paper forms of the old version arrive after a bump; without
    /// it they could only be recorded as the current version, whose wording the person never saw. Nil there: no new
    /// consent is recorded on that version.
    ///
    /// On the current version it retires the template (`isRetired(at:)`): a county keeps a template it no longer uses
    /// so that the consents signed on it stay valid and readable, but takes no declaration signed after that day, and
    /// no longer offers the template (recording form, blank declaration to print). Nil there: the template takes new
    /// consents.
    public var recordableUntil: Int?
    /// The name case managers know the form by (`title: {de, en}`, optional), e.g. "Einverständniserklärung KIM
    /// (2022)": shown where a template is chosen or named (the recording form, a consent's page), so the paper in
    /// hand is matched to the right template. Not printed on the declaration, which has its own heading.
    public var title: LocalizedText?

    /// Creates a template version; by default a current version without earlier versions, recording window or title.
    public init(id: String, version: Int, texts: [String: String], minimumAge: Int, maxValidity: ISODuration,
                clauses: [Clause], earlierVersions: [ConsentTemplate] = [], recordableUntil: Int? = nil,
                title: LocalizedText? = nil) {
        self.id = id; self.version = version; self.texts = texts; self.minimumAge = minimumAge
        self.maxValidity = maxValidity; self.clauses = clauses; self.earlierVersions = earlierVersions
        self.recordableUntil = recordableUntil; self.title = title
    }

    /// Whether a declaration signed at `grantedAt` may be recorded on this earlier version: its Berlin day is on or
    /// before `recordableUntil`. False without `recordableUntil`.
    public func isRecordable(grantedAt: Date) -> Bool {
        guard let recordableUntil else { return false }
        return BerlinDay.day(of: grantedAt) <= recordableUntil
    }

    /// Whether this template (its current version) is retired at `date`: it has a `recordableUntil` and the Berlin
    /// calendar day of `date` lies after it. A retired template takes no new consents signed after that day and is no
    /// longer offered for new ones; consents already signed on it stay valid until they expire or are withdrawn.
    public func isRetired(at date: Date) -> Bool {
        guard let recordableUntil else { return false }
        return BerlinDay.day(of: date) > recordableUntil
    }

    /// This version (without its list of earlier ones) followed by the earlier versions, newest first: every
    /// version a signed consent may cite.
    public var allVersions: [ConsentTemplate] {
        var current = self
        current.earlierVersions = []
        return [current] + earlierVersions
    }

    /// The clause with `id`, if the template has it.
    public func clause(_ id: String) -> Clause? { clauses.first { $0.id == id } }
}

/// An ISO 8601 duration of whole years, months, days (and weeks), as used by `max-validity`.
public struct ISODuration: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Whether `text` is an ISO 8601 duration with a time part (`PT1H`, `P1DT2H`), which a validity does not take: the
    /// message says so instead of "not an ISO 8601 duration", which it is (a review of dates).
    public static func hasTimePart(_ text: String) -> Bool {
        let t = text.uppercased()
        return t.hasPrefix("P") && t.contains("T") && t.count > 2
    }

    /// Whole calendar years (`Y`).
    public var years: Int
    /// Whole calendar months (`M`).
    public var months: Int
    /// Days (`D`); weeks (`W`) are counted in as seven days each.
    public var days: Int

    /// A duration of the given years, months and days (all zero by default).
    public init(years: Int = 0, months: Int = 0, days: Int = 0) {
        self.years = years; self.months = months; self.days = days
    }

    /// The largest number one component may have (`P1000000D`): keeps every later date sum far from overflow.
    public static let maxComponent = 1_000_000

    /// Parses `P2Y`, `P18M`, `P1Y6M`, `P30D`, `P4W`; nil for anything else (time parts are not used here).
    /// Components must come in ISO order (years, months, weeks, days), each at most once and at most
    /// `maxComponent`: `P1D1Y`, `P1Y1Y` and `P9223372036854775807W` are rejected, not misread or overflowed.
    public init?(_ text: String) {
        var rest = Substring(text)
        guard rest.first == "P", rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var y = 0, m = 0, d = 0
        var number = ""
        var lastUnit = -1
        for ch in rest {
            if ch.isASCII && ch.isNumber { number.append(ch); continue }
            guard number.count <= 7, let n = Int(number), n <= Self.maxComponent else { return nil }
            number = ""
            guard let unit = "YMWD".firstIndex(of: ch).map({ "YMWD".distance(from: "YMWD".startIndex, to: $0) }),
                  unit > lastUnit else { return nil }
            lastUnit = unit
            switch ch {
            case "Y": y = n
            case "M": m = n
            case "W": d += 7 * n
            default: d += n
            }
        }
        guard number.isEmpty else { return nil }
        self.init(years: y, months: m, days: d)
    }

    /// `date` plus this duration in the county's calendar (`BerlinDay.adding`): the same wall-clock time in
    /// Europe/Berlin that many years, months and days later. A consent's default `expires-at`.
    public func added(to date: Date) -> Date { BerlinDay.adding(self, to: date) }

    /// The latest `expires-at` a consent granted at `start` may have under a `max-validity` of this duration:
    /// the later of the sum in the county's calendar and the sum in the UTC calendar. Expiries were counted in
    /// UTC before they were counted in Berlin, and the consents signed then must stay valid; the two differ by
    /// an hour across a change of summer time, and by up to three days when a month's end falls between the
    /// two calendars' days.
    public func latestEnd(from start: Date) -> Date { max(BerlinDay.adding(self, to: start), UTCDay.adding(self, to: start)) }

    /// Whether `end` is at most `latestEnd(from: start)`; on the evaluator's path, so the UTC sum is computed only
    /// for an `end` beyond the Berlin one (consents recorded before expiries were counted in Berlin).
    @inline(__always)
    public func admits(end: Date, from start: Date) -> Bool {
        end <= BerlinDay.adding(self, to: start) || end <= UTCDay.adding(self, to: start)
    }

    public var description: String {
        var s = "P"
        if years != 0 { s += "\(years)Y" }
        if months != 0 { s += "\(months)M" }
        if days != 0 || s == "P" { s += "\(days)D" }
        return s
    }
}

import Foundation
import PolicyEngine
import Signing

/// When the case manager told a referral's recipient of a withdrawal (`Gate.recordReferralNotice`), as far as they know
/// it. The Art. 15 report shows the day; the entry keeps the instant as `told-at` when it is not the entry's own time.
public enum ReferralNoticeTime: Sendable, Equatable {
    /// Just now: the entry's own time stands, no `told-at`.
    case now
    /// At this instant (the API's `told-at`, the command line's `--at`), to the second.
    case at(Date)
    /// On this day in the county (days since 1970-01-01, Berlin; the consent page's date field). Today is `now`; an
    /// earlier day is kept as its first moment at which the withdrawal had taken effect (the day's start, or the
    /// withdrawal's own time when it took effect that day), so a notice given on the day of the withdrawal is not
    /// refused as coming before it.
    case on(day: Int)

    /// The instant to keep as `told-at` (nil: the entry's own time), or the refusal: after `now`, or before
    /// `withdrawalTookEffect` (whole seconds).
    func instant(now: Date, withdrawalTookEffect about: Date?) throws -> Date? {
        switch self {
        case .now:
            return nil
        case .at(let time):
            let told = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
            if told > now || about.map({ told < $0 }) == true {
                throw GateError.referralNoticeTime(toldAt: RFC3339.format(told), withdrawnAt: about.map(RFC3339.format) ?? "",
                                                   now: RFC3339.format(now))
            }
            return told
        case .on(let day):
            let today = BerlinDay.day(of: now)
            if day > today {
                throw GateError.referralNoticeDay(day: UTCDay.format(day), withdrawnOn: nil, today: UTCDay.format(today))
            }
            if let about, BerlinDay.day(of: about) > day {
                throw GateError.referralNoticeDay(day: UTCDay.format(day), withdrawnOn: UTCDay.format(BerlinDay.day(of: about)),
                                                  today: UTCDay.format(today))
            }
            guard day < today else { return nil }
            return max(BerlinDay.start(ofDay: day), about ?? .distantPast)
        }
    }
}

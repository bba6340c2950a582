import AuditLog
import Foundation
import PolicyEngine

extension BirthDateChange {
    /// The change that recording `stated` makes to the birth date `recorded` of a person who signed at `signedAt`, in
    /// ages on the Berlin day of the signature (as the guardian rule counts them); nil when nothing recorded is replaced
    /// (no birth date stated, none recorded yet, or the same day).
    public static func recording(_ stated: Date?, over recorded: Date?, signedAt: Date) -> BirthDateChange? {
        guard let stated, let recorded else { return nil }
        let (new, old) = (UTCDay.day(of: stated), UTCDay.day(of: recorded))
        guard new != old else { return nil }
        let signed = BerlinDay.day(of: signedAt)
        return BirthDateChange(ageBefore: Int64(UTCDay.age(birthDay: old, on: signed)),
                               ageAfter: Int64(UTCDay.age(birthDay: new, on: signed)))
    }
}

extension Gate {
    /// The change of the person's recorded birth date that the `consent-granted` entry at `index` notes (nil: none, or
    /// not such an entry): what a grant tells its user after the fact, read from what it logged.
    public func birthDateChange(loggedAt index: Int64) throws -> BirthDateChange? {
        guard case let .consentGranted(record) = try auditLog.entry(index: index).entry.content else { return nil }
        return record.birthDateChange
    }
}

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

    /// The change of the person's recorded birth date that recording consent `consentID` of `subject` made, as its
    /// `consent-granted` entry notes it (nil: none, or no such entry): what the consent page shows next to the consent,
    /// so a case manager sees there, and not only in the log, that this grant replaced the birth date on record.
    public func birthDateChange(grantOf consentID: String, subject: String) throws -> BirthDateChange? {
        for stored in try auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.consentGranted])) {
            if case let .consentGranted(record) = stored.entry.content, record.consentID == consentID {
                return record.birthDateChange
            }
        }
        return nil
    }
}

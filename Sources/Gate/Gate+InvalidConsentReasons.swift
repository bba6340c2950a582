import ConsentRecords
import Foundation
import PolicyEngine

/// Why a consent a decision found invalid is invalid: its id and its verification failures.
public struct InvalidConsentReason: Sendable {
    /// The consent id.
    public var id: String
    /// What failed (e.g. "was 14 at granted-at (below 16); a guardian must be recorded"), each in German and English.
    public var failures: [ConsentError]
}

extension Gate {
    /// For each consent that decision `decision` names on a `consent-invalid` field, why it is invalid now, in the order
    /// first named. The decision's table says only "consent invalid"; a case manager needs the reason (a guardian
    /// missing, a key revoked, …) to act on it (found in a domain review: the reason was shown only by `consent list`).
    /// A consent no longer stored is left out. `statedBirthDate`: the birth date the check stated (for a person recorded
    /// without one), which the decision checked the consents with.
    public func invalidConsentReasons(in decision: Decision, statedBirthDate: Date? = nil) throws -> [InvalidConsentReason] {
        var seen = Set<String>(), out: [InvalidConsentReason] = []
        let birthDate = try statedBirthDate ?? subject(id: decision.subject)?.birthDate
        for f in decision.fields where f.reason == .consentInvalid {
            guard let id = f.consent?.id, seen.insert(id).inserted,
                  let status = try? consents.show(id: id, subjectBirthDate: birthDate) else { continue }
            if !status.failures.isEmpty {
                out.append(InvalidConsentReason(id: id, failures: status.failures))
            } else if status.needsBirthDate, let minimumAge = policy.bundle.template(status.fact.templateID, version: status.fact.templateVersion)?.minimumAge {
                // Verified, but the minimum age cannot be checked: the evaluator fails closed until the birth date is known.
                out.append(InvalidConsentReason(id: id, failures: [.birthDateUnknown(subject: decision.subject, minimumAge: minimumAge)]))
            }
        }
        return out
    }
}

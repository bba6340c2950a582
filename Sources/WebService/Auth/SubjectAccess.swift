import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// The municipality rule: a case worker acts only for subjects of their own municipality. A subject
/// on record elsewhere, or stated to live elsewhere, is refused with 403 and the same words either
/// way; a subject ConsentGate knows nothing about (no person record, no consent) is taken to be of the case worker's
/// municipality. A person it knows without a municipality (a person record without one, or consents without a person
/// record, as imports left them before `consent import` filed people) belongs to no case worker and is refused the same way:
/// taking them as the case worker's own let any municipality see their consents and, by recording a consent, file them
/// under its own name.
enum SubjectAccess {
    static let notYoursText = LocalizedText(de: "Diese Person gehört nicht zu Ihrer Kommune.",
                                            en: "This person does not belong to your municipality.")
    /// 403 with its own code, so clients can tell a municipality refusal from a role refusal.
    static var notYours: WebError { WebError(.forbidden, code: "other-municipality", de: notYoursText.de, en: notYoursText.en) }

    /// 422 for a case worker whose account's municipality (`name`) the policy in force no longer lists (its
    /// `municipalities`): nothing can be recorded as collected there, and only an administrator can resolve it (a new
    /// account for a listed municipality, or the bundle). Same status and code as the gate's `unknownMunicipality`.
    static func accountMunicipalityNotListed(_ name: String) -> WebError {
        WebError(.unprocessableContent, code: "invalid-input",
                 de: "Die Kommune Ihres Kontos, „\(name)“, ist in der geltenden Richtlinie nicht mehr aufgeführt; Einwilligungen können dafür nicht erfasst werden. Bitte wenden Sie sich an die Administration.",
                 en: "Your account's municipality, “\(name)”, is no longer listed by the policy in force, so consents cannot be recorded for it. Please ask the administrator.")
    }

    /// 422 naming `attributes.municipality` (with the known ones, or the one probably meant) when a case worker states a
    /// municipality the county does not list: a typo (`siegburg`, an empty name) is no other municipality's person, and
    /// the 403 of `authorize` ("not your municipality") sent the case worker looking for a permission problem (found in a
    /// review). A listed municipality other than their own stays that 403. Other roles: the gate's own rule.
    static func requireListedMunicipality(_ stated: Subject?, account: Account, policy: CompiledPolicy) throws {
        guard account.role == .caseworker, let m = stated?.municipality, m != account.municipality else { return }
        let county = policy.bundle.countyMunicipalities
        guard !county.admits(m) else { return }
        throw WebError(GateError.unknownMunicipality(field: "attributes.municipality", name: m, suggestions: county.suggestions(for: m),
                                                     known: county.sorted))
    }

    /// The stated attributes to use for `subjectID` (with the case worker's municipality filled in
    /// where the store knows none), or 403.
    static func authorize(subjectID: String, stated: Subject?, account: Account, gate: Gate) throws -> Subject? {
        guard account.role == .caseworker, account.municipality != nil else { return stated }
        let stored = try gate.subject(id: subjectID)
        try requireNoUnplacedConsents(subjectID: subjectID, stored: stored, account: account, gate: gate)
        return try authorize(subjectID: subjectID, stored: stored, stated: stated, account: account)
    }

    /// `authorize` for a subject already read (`stored`; nil: nothing stored about them). Does not look for stored
    /// consents of a subject without a person record: the decision path hands such a person over as a subject with only
    /// its id (`Gate.checkConcurrently(admitting:)`, from the read it already does), other callers use
    /// `requireNoUnplacedConsents`.
    static func authorize(subjectID: String, stored: Subject?, stated: Subject?, account: Account) throws -> Subject? {
        guard account.role == .caseworker, let own = account.municipality else { return stated }
        if let stored, stored.municipality == nil { throw notYours }
        if let m = stored?.municipality, m != own { throw notYours }
        if let m = stated?.municipality, m != own { throw notYours }
        if stored?.municipality == nil {
            var s = stated ?? Subject(id: subjectID)
            s.municipality = own
            return s
        }
        return stated
    }

    /// 403 for a case worker when the subject has no person record (`stored` nil) but stored consents (imported from
    /// another installation): a person ConsentGate knows, of no recorded municipality, is no new case of the case
    /// worker's own.
    static func requireNoUnplacedConsents(subjectID: String, stored: Subject?, account: Account, gate: Gate) throws {
        guard account.role == .caseworker, stored == nil else { return }
        if try gate.consents.hasConsents(subject: subjectID) { throw notYours }
    }

    /// 403 unless a case worker may see a record of `municipality` (other roles are limited by role).
    static func requireSameMunicipality(_ municipality: String?, account: Account) throws {
        guard account.role == .caseworker else { return }
        guard let municipality, municipality == account.municipality else { throw notYours }
    }

    /// 403 when a case worker asks about a subject that is not theirs: recorded in another municipality or in none, or
    /// with no person record but stored consents (`requireNoUnplacedConsents`). A subject ConsentGate knows nothing
    /// about has nothing to show, so it is no refusal.
    static func requireVisible(subjectID: String, stored subject: Subject?, account: Account, gate: Gate) throws {
        guard account.role == .caseworker else { return }
        guard let subject else {
            try requireNoUnplacedConsents(subjectID: subjectID, stored: nil, account: account, gate: gate)
            return
        }
        try requireSameMunicipality(subject.municipality, account: account)
    }
}

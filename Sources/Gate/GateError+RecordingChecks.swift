import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import PolicyEngine
import Signing

/// The checks a recording (a grant, an import, a withdrawal) applies to what it records, before anything is stored:
/// municipalities, birth dates, guardian names, characters. Each throws the `GateError` that names the field.
extension GateError {
    /// Throws `unknownMunicipality` when `name` is not one of `municipalities` (a policy that lists none admits any);
    /// returns `name` in Unicode NFC, the form to record: Swift admits a decomposed `Königswinter` as the listed one,
    /// SQLite compares bytes, so a decomposed name recorded as given is missed by every look-up by municipality.
    @discardableResult
    static func requireMunicipality(_ name: String, of municipalities: CountyMunicipalities, field: String) throws -> String {
        guard !municipalities.admits(name) else { return Subject.nfc(name) }
        throw GateError.unknownMunicipality(field: field, name: name, suggestions: municipalities.suggestions(for: name),
                                            known: municipalities.sorted)
    }

    /// The rule for where a withdrawal is recorded (`recorded-by.municipality`): one of the county's municipalities, or
    /// the person's own recorded one (`personMunicipality`, read only when needed) even when the bundle no longer lists
    /// it. A withdrawal is no new record in a town: people recorded there before stay, and their consents must stay
    /// withdrawable (Art. 7(3) GDPR). Otherwise throws `unknownMunicipality` for `recorded-by.municipality`.
    static func requireWithdrawalMunicipality(_ name: String, of municipalities: CountyMunicipalities,
                                              personMunicipality: () throws -> String?) throws {
        guard !municipalities.admits(name) else { return }
        if let own = try personMunicipality(), own == Subject.nfc(name) { return }
        try requireMunicipality(name, of: municipalities, field: "recorded-by.municipality")
    }

    /// Throws `nulCharacter(field:)` when `value` holds U+0000.
    /// Throws `birthDateBefore1900` for a birth date (`date`, a civil date at its UTC midnight) before 1900-01-01.
    static func requirePlausibleBirthDate(_ date: Date?, field: String) throws {
        guard let date, UTCDay.day(of: date) < Subject.earliestBirthDay else { return }
        throw GateError.birthDateBefore1900(field: field, birthDate: UTCDay.format(UTCDay.day(of: date)))
    }

    /// Throws `birthDateAfterSigning` for a birth date (`date`, a civil date at its UTC midnight) after the Berlin day of
    /// `signedAt` (when given and not in the future) or of `now`.
    static func requireBornBy(_ date: Date?, signedAt: Date?, now: Date, field: String) throws {
        guard let date else { return }
        let born = UTCDay.day(of: date)
        if let signedAt, signedAt <= now, born > BerlinDay.day(of: signedAt) {
            throw GateError.birthDateAfterSigning(field: field, birthDate: UTCDay.format(born), signedOn: UTCDay.format(BerlinDay.day(of: signedAt)))
        }
        if born > BerlinDay.day(of: now) {
            throw GateError.birthDateAfterSigning(field: field, birthDate: UTCDay.format(born), signedOn: nil)
        }
    }

    static func requireNoNUL(_ value: String, field: String) throws {
        if value.utf8.contains(0) { throw GateError.nulCharacter(field: field) }
    }
}

extension GateError {
    /// Throws `guardianNameWithoutLetter` for the first guardian whose name holds no letter (`field(i)` names the
    /// `i`-th): a placeholder such as `-` would satisfy the guardian rule without naming anyone. Blank names are
    /// refused by the payload's own rule (`ValueRule.identifier`). A name or relation holding a bidirectional override
    /// or isolate is refused too (`guardianTextReordering`): `consent show` and the pages would show it reordered (found
    /// in a review of the API, 2026-12-06). Only at recording: consents signed before keep verifying.
    static func requireGuardianNames(_ guardians: [Guardian], field: (Int) -> String) throws {
        // A declaration has a few signature lines; hundreds of names would also make the signed document exceed its
        // 64 KiB limit, refused with a message about the payload's JSON instead (found in a review of the API).
        guard guardians.count <= maxGuardians else { throw GateError.tooManyGuardians(count: guardians.count, maximum: maxGuardians) }
        for (i, g) in guardians.enumerated() {
            if !g.name.isEmpty && g.name == g.name.trimmingCharacters(in: .whitespacesAndNewlines) && !g.name.contains(where: \.isLetter) {
                throw GateError.guardianNameWithoutLetter(field: field(i), name: g.name)
            }
            if reorders(g.name) { throw GateError.guardianTextReordering(field: field(i)) }
            if let relation = g.relation, reorders(relation) {
                throw GateError.guardianTextReordering(field: field(i).replacingOccurrences(of: ".name", with: ".relation"))
            }
        }
    }

    /// The most guardians a consent names.
    static let maxGuardians = 8

    /// Whether `text` holds a bidirectional embedding, override or isolate (marks such as U+200F, which names in
    /// right-to-left scripts may carry, are allowed).
    static func reorders(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }
}

import Foundation
import PolicyEngine

/// The consent rules that depend on the policy bundle's templates (CONTRACTS §3 semantic rule 4, §5).
enum TemplateRules {
    /// The template `reference` names, or the failure saying why there is none.
    static func template(for reference: ConsentDeclaration.TemplateReference,
                         in templates: [ConsentTemplate]) -> Result<ConsentTemplate, ConsentError> {
        let sameID = templates.filter { $0.id == reference.id }
        guard !sameID.isEmpty else { return .failure(.unknownTemplate(id: reference.id)) }
        guard let t = sameID.first(where: { $0.version == reference.version }) else {
            return .failure(.unknownTemplateVersion(id: reference.id, version: reference.version,
                                                    known: sameID.map(\.version).sorted()))
        }
        return .success(t)
    }

    /// Every time-independent content failure of `declaration` against the templates: template and
    /// version known, language offered, clauses in the template, `expires-at` after `granted-at` and within
    /// `max-validity`.
    static func failures(of declaration: ConsentDeclaration, templates: [ConsentTemplate]) -> [ConsentError] {
        var out: [ConsentError] = []
        if declaration.expiresAt <= declaration.grantedAt {
            out.append(.expiryNotAfterGrant(grantedAt: declaration.grantedAt, expiresAt: declaration.expiresAt))
        }
        let template: ConsentTemplate
        switch Self.template(for: declaration.template, in: templates) {
        case .failure(let e): return [e] + out
        case .success(let t): template = t
        }
        if template.texts[declaration.language] == nil {
            out.insert(.languageNotInTemplate(language: declaration.language, template: template.id,
                                              available: template.texts.keys.sorted()), at: 0)
        }
        for clause in declaration.clauses where template.clause(clause) == nil {
            out.append(.clauseNotInTemplate(clause: clause, template: template.id, version: template.version))
        }
        let latest = template.maxValidity.latestEnd(from: declaration.grantedAt)
        if declaration.expiresAt > latest {
            out.append(.validityExceedsMaximum(expiresAt: declaration.expiresAt, latest: latest,
                                               maxValidity: template.maxValidity.description))
        }
        return out
    }

    /// The guardian rule: a subject below the template's `minimum-age` at `granted-at` needs a guardian.
    /// Without a birth date the rule cannot be applied here (the evaluator applies it with `guardianPresent`).
    static func guardianFailure(of declaration: ConsentDeclaration, birthDate: Date?,
                                templates: [ConsentTemplate]) -> ConsentError? {
        guard let birthDate, declaration.guardians.isEmpty,
              case .success(let template) = Self.template(for: declaration.template, in: templates) else { return nil }
        let age = wholeYears(from: birthDate, to: declaration.grantedAt)
        return age < template.minimumAge
            ? .guardianMissing(subject: declaration.subject, age: age, minimumAge: template.minimumAge) : nil
    }

    /// Completed years of life on the Berlin day of `date` (`BerlinDay`; the birth date is a civil date, stored as its UTC midnight) (a birthday counts from its first second), counted exactly as
    /// the evaluator counts them (`UTCDay.age`), so that a consent this verifier accepts without a guardian is not
    /// `consent-invalid` at a check. Someone born on 29 February completes a year at the end of 28 February in a
    /// common year and has the new age from 1 March (§ 187 Abs. 2, § 188 Abs. 2 BGB); `Calendar` counts it from
    /// 28 February, a day early.
    static func wholeYears(from birth: Date, to date: Date) -> Int {
        UTCDay.age(birthDay: UTCDay.day(of: birth), on: BerlinDay.day(of: date))
    }
}

extension ConsentVerifier {
    /// The template `id` in `version`, or its newest version when `version` is nil (for `consent grant`
    /// and `consent form`, which name a template by id).
    public func template(id: String, version: Int? = nil) -> ConsentTemplate? {
        let candidates = templates.filter { $0.id == id }
        if let version { return candidates.first { $0.version == version } }
        return candidates.max { $0.version < $1.version }
    }
}

extension ConsentDeclaration {
    /// `expires-at` for a consent granted at `grantedAt`: `grantedAt` plus `validity`, or plus the
    /// template's `max-validity` when no validity is given (the longest the template allows).
    public static func expiry(grantedAt: Date, template: ConsentTemplate, validity: ISODuration? = nil) -> Date {
        (validity ?? template.maxValidity).added(to: grantedAt.wholeSecond)
    }
}

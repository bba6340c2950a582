import ConsentRecords
import Diagnostics
import PolicyEngine

/// What `check` refuses before deciding, as `POST /v1/decisions` refuses it (CONTRACTS §4, §8): a partner or
/// purpose the policy does not know (the API's 422 `unknown-partner` / `unknown-purpose`) and a subject that is
/// not a case id (the API's 400 `invalid-field`), each invalid input (exit 3), as `consent grant` refuses such a
/// subject. Nothing is logged for a refused request: a typing error is not a decision. `policy explain` refuses an
/// unknown `--partner` / `--purpose` with the same error. The message lists the ids the policy knows.
enum CheckRequestError: UserFacingError, Equatable {
    /// `--partner` names no partner of policy bundle `policy`; `known`: its partner ids, sorted.
    case unknownPartner(String, policy: String, known: [String])
    /// `--purpose` names no purpose of policy bundle `policy`; `known`: its purpose ids, sorted.
    case unknownPurpose(String, policy: String, known: [String])
    /// `--subject` breaks the case-id rule of consents; `problem` says how.
    case notACaseID(String, problem: LocalizedText)

    /// Always invalid input (exit 3).
    var category: ProblemCategory { .invalidInput }

    /// The refusal in `language`, with the ids the policy knows or the case-id problem.
    func message(in language: Language) -> String {
        switch self {
        case let .unknownPartner(id, policy, known):
            return language == .de ? "unbekannte Stelle \"\(id)\" (nicht in der Richtlinie \(policy); bekannt: \(known.joined(separator: ", ")))"
                                   : "unknown partner \"\(id)\" (not in policy \(policy); known: \(known.joined(separator: ", ")))"
        case let .unknownPurpose(id, policy, known):
            return language == .de ? "unbekannter Zweck \"\(id)\" (nicht in der Richtlinie \(policy); bekannt: \(known.joined(separator: ", ")))"
                                   : "unknown purpose \"\(id)\" (not in policy \(policy); known: \(known.joined(separator: ", ")))"
        case let .notACaseID(value, problem):
            return language == .de ? "--subject: \"\(value)\" ist keine Fall-ID: \(problem.de)"
                                   : "--subject: \"\(value)\" is not a case id: \(problem.en)"
        }
    }

    /// Throws `notACaseID` unless `subject` follows the case-id rule of consents (the API's rule).
    static func requireCaseID(_ subject: String) throws {
        if let problem = ConsentDeclaration.caseIDProblem(subject) { throw CheckRequestError.notACaseID(subject, problem: problem) }
    }

    /// Throws for a partner or purpose that `policy` does not define (nil: not given, nothing to check).
    static func requireKnown(partner: String?, purpose: String?, in policy: CompiledPolicy) throws {
        let bundle = policy.bundle
        if let partner, bundle.partner(partner) == nil {
            throw CheckRequestError.unknownPartner(partner, policy: bundle.id, known: bundle.partners.map(\.id).sorted())
        }
        if let purpose, bundle.purpose(purpose) == nil {
            throw CheckRequestError.unknownPurpose(purpose, policy: bundle.id, known: bundle.purposes.map(\.id).sorted())
        }
    }
}

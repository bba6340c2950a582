import ConsentRecords
import Diagnostics
import PolicyEngine

/// What `check` refuses before deciding, as `POST /v1/decisions` refuses it (CONTRACTS §4, §8): a partner or
/// purpose the policy does not know (the API's 422 `unknown-partner` / `unknown-purpose`) and a subject that is
/// not a case id (the API's 400 `invalid-field`), each invalid input (exit 3), as `consent grant` refuses such a
/// subject. Nothing is logged for a refused request: a typing error is not a decision.
enum CheckRequestError: UserFacingError, Equatable {
    case unknownPartner(String, policy: String)
    case unknownPurpose(String, policy: String)
    case notACaseID(String, problem: LocalizedText)

    var category: ProblemCategory { .invalidInput }

    func message(in language: Language) -> String {
        switch self {
        case let .unknownPartner(id, policy):
            return language == .de ? "unbekannte Stelle \"\(id)\" (nicht in der Richtlinie \(policy))"
                                   : "unknown partner \"\(id)\" (not in policy \(policy))"
        case let .unknownPurpose(id, policy):
            return language == .de ? "unbekannter Zweck \"\(id)\" (nicht in der Richtlinie \(policy))"
                                   : "unknown purpose \"\(id)\" (not in policy \(policy))"
        case let .notACaseID(value, problem):
            return language == .de ? "--subject: \"\(value)\" ist keine Fall-ID: \(problem.de)"
                                   : "--subject: \"\(value)\" is not a case id: \(problem.en)"
        }
    }

    /// Throws `notACaseID` unless `subject` follows the case-id rule of consents (the API's rule).
    static func requireCaseID(_ subject: String) throws {
        if let problem = ConsentDeclaration.caseIDProblem(subject) { throw CheckRequestError.notACaseID(subject, problem: problem) }
    }

    /// Throws for a partner or purpose that `policy` does not define.
    static func requireKnown(partner: String, purpose: String, in policy: CompiledPolicy) throws {
        guard policy.bundle.partner(partner) != nil else { throw CheckRequestError.unknownPartner(partner, policy: policy.bundle.id) }
        guard policy.bundle.purpose(purpose) != nil else { throw CheckRequestError.unknownPurpose(purpose, policy: policy.bundle.id) }
    }
}

import Diagnostics

/// Errors of the use cases themselves (the modules below report their own).
public enum GateError: UserFacingError, Equatable {
    case unknownTemplate(String, version: Int?)
    /// `audit explain` was pointed at an entry that is not a decision.
    case notADecision(index: Int64, kind: String)
    /// The demo data set was asked for on an installation not opened in demo mode.
    case demoDataOutsideDemoMode

    public var category: Diagnostics.ProblemCategory { .invalidInput }

    public func message(in language: Diagnostics.Language) -> String {
        switch self {
        case let .unknownTemplate(id, version):
            let v = version.map { " v\($0)" } ?? ""
            return language == .de ? "Einwilligungsvorlage \(id)\(v) ist in der Richtlinie nicht vorhanden"
                                   : "consent template \(id)\(v) is not in the policy"
        case let .notADecision(index, kind):
            return language == .de ? "Protokolleintrag \(index) ist keine Entscheidung (\(kind))"
                                   : "audit entry \(index) is not a decision (\(kind))"
        case .demoDataOutsideDemoMode:
            return language == .de ? "Demodaten gibt es nur im Demo-Modus (--demo), nie in einer echten Installation"
                                   : "the demo data set exists only in demo mode (--demo), never in a real installation"
        }
    }
}

import Diagnostics

/// What can go wrong managing accounts.
public enum AccountError: UserFacingError, Equatable {
    /// The name is empty, too long or has characters other than letters, digits, `.`, `-`, `_`.
    case invalidName(String)
    /// An account of that name exists already.
    case duplicateName(String)
    /// No account of that name.
    case unknownAccount(String)
    /// A case worker needs a municipality; other roles must not have one.
    case municipalityMismatch(role: AccountRole, municipality: String?)
    /// The password is shorter than `minimum` characters.
    case passwordTooShort(minimum: Int)
    /// The account is disabled already.
    case alreadyDisabled(String)

    public var category: ProblemCategory {
        switch self {
        case .unknownAccount, .duplicateName, .alreadyDisabled: return .invalidInput
        default: return .usage
        }
    }

    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.invalidName(n), .de): return "ungültiger Kontoname \"\(n)\": erlaubt sind 1-64 Zeichen aus Buchstaben, Ziffern, ., -, _"
        case let (.invalidName(n), .en): return "invalid account name \"\(n)\": use 1-64 letters, digits, ., -, _"
        case let (.duplicateName(n), .de): return "ein Konto namens \"\(n)\" existiert bereits"
        case let (.duplicateName(n), .en): return "an account named \"\(n)\" exists already"
        case let (.unknownAccount(n), .de): return "kein Konto namens \"\(n)\""
        case let (.unknownAccount(n), .en): return "no account named \"\(n)\""
        case let (.municipalityMismatch(role, m), .de):
            return role == .caseworker ? "Rolle caseworker braucht --municipality"
                : "Rolle \(role.rawValue) gehört zu keiner Kommune (--municipality \(m ?? "") weglassen)"
        case let (.municipalityMismatch(role, m), .en):
            return role == .caseworker ? "role caseworker needs --municipality"
                : "role \(role.rawValue) is not bound to a municipality (drop --municipality \(m ?? ""))"
        case let (.passwordTooShort(min), .de): return "Passwort zu kurz: mindestens \(min) Zeichen"
        case let (.passwordTooShort(min), .en): return "password too short: at least \(min) characters"
        case let (.alreadyDisabled(n), .de): return "Konto \"\(n)\" ist bereits gesperrt"
        case let (.alreadyDisabled(n), .en): return "account \"\(n)\" is disabled already"
        }
    }
}

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
    /// A case worker's municipality that is not one of the county's (the policy's `municipalities`), with the names
    /// probably meant and all the county's names (for the message when none is close).
    case unknownMunicipality(String, suggestions: [String], known: [String])
    /// The password is shorter than `minimum` characters.
    case passwordTooShort(minimum: Int)
    /// The account is disabled already.
    case alreadyDisabled(String)
    /// The account is disabled: its credentials cannot be changed (an administrator creates a new account).
    case disabled(String)
    /// A credentials change that names neither a new token nor a password change.
    case nothingToChange
    /// Disabling this account would leave no active administrator: nobody could manage accounts in the web service
    /// any more (another administrator must exist and be active first).
    case lastActiveAdmin(String)
    /// The account's row differs from what the audit log recorded for it (changed outside ConsentGate): its
    /// credentials are not changed (exit 4).
    case doesNotMatchLog(String)
    /// The account's row was never recorded in the audit log (added outside ConsentGate): it cannot log in, and it is
    /// not changed here (exit 4).
    case notInLog(String)

    /// Changes outside ConsentGate (a row that differs from the audit log or is missing in it) are integrity failures
    /// (exit 4); unknown, duplicate, disabled or last-admin accounts and unknown municipalities are invalid input (3);
    /// the rest (name syntax, role and municipality mismatch, short password, nothing to change) are usage errors (2).
    public var category: ProblemCategory {
        switch self {
        case .doesNotMatchLog, .notInLog: return .integrity
        // An unknown municipality is invalid input as everywhere else (`check`, `consent grant`): exit 3.
        case .unknownAccount, .duplicateName, .alreadyDisabled, .disabled, .lastActiveAdmin, .unknownMunicipality: return .invalidInput
        default: return .usage
        }
    }

    /// The message in `language`, naming the account and what to do instead.
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
        case let (.unknownMunicipality(m, suggestions, known), .de):
            return "unbekannte Kommune \"\(m)\": "
                + (suggestions.isEmpty ? "eine der Kommunen des Kreises angeben (\(known.joined(separator: ", ")))"
                                       : "gemeint ist wohl \(suggestions.map { "\"\($0)\"" }.joined(separator: " oder "))")
        case let (.unknownMunicipality(m, suggestions, known), .en):
            return "unknown municipality \"\(m)\": "
                + (suggestions.isEmpty ? "name one of the county's (\(known.joined(separator: ", ")))"
                                       : "did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: " or "))")
        case let (.passwordTooShort(min), .de): return "Passwort zu kurz: mindestens \(min) Zeichen"
        case let (.passwordTooShort(min), .en): return "password too short: at least \(min) characters"
        case let (.alreadyDisabled(n), .de): return "Konto \"\(n)\" ist bereits gesperrt"
        case let (.alreadyDisabled(n), .en): return "account \"\(n)\" is disabled already"
        case let (.disabled(n), .de):
            return "Konto \"\(n)\" ist gesperrt: seine Zugangsdaten lassen sich nicht mehr ändern (ein neues Konto anlegen)"
        case let (.disabled(n), .en):
            return "account \"\(n)\" is disabled: its credentials can no longer be changed (create a new account)"
        case (.nothingToChange, .de): return "nichts zu ändern: ein neues API-Token oder ein neues Passwort angeben"
        case (.nothingToChange, .en): return "nothing to change: ask for a new API token or a new password"
        case let (.lastActiveAdmin(n), .de):
            return "Konto \"\(n)\" ist das letzte aktive Administrationskonto und wird nicht gesperrt: sonst könnte niemand mehr Konten verwalten; zuerst ein weiteres Konto mit der Rolle admin anlegen"
        case let (.doesNotMatchLog(n), .de):
            return "Konto \"\(n)\" weicht in der Datenbank von dem ab, was das Audit-Protokoll für es festhält (außerhalb von ConsentGate geändert?); nichts wurde geändert: das Konto sperren (users disable) und das Protokoll prüfen (audit verify)"
        case let (.doesNotMatchLog(n), .en):
            return "account \"\(n)\" in the database differs from what the audit log recorded for it (changed outside ConsentGate?); nothing was changed: disable the account (users disable) and check the log (audit verify)"
        case let (.notInLog(n), .de):
            return "Konto \"\(n)\" steht nicht im Audit-Protokoll (außerhalb von ConsentGate angelegt?); es kann sich nicht anmelden und wird hier nicht geändert: das Protokoll prüfen (audit verify)"
        case let (.notInLog(n), .en):
            return "account \"\(n)\" is not in the audit log (added outside ConsentGate?); it cannot log in and is not changed here: check the log (audit verify)"
        case let (.lastActiveAdmin(n), .en):
            return "account \"\(n)\" is the last active administrator and is not disabled: otherwise nobody could manage accounts any more; create another account with the role admin first"
        }
    }
}

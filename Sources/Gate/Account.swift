import Diagnostics
import Foundation

/// What an account may do. Roles do not nest: a DPO cannot grant consents, an admin does not read
/// the audit log by virtue of being admin.
public enum AccountRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// Case worker in a town hall: checks referrals and records consents for subjects of their municipality only.
    case caseworker
    /// Data protection officer: reads the audit log and reports; cannot grant consents.
    case dpo
    /// Starts export runs.
    case exporter
    /// Manages accounts and keys.
    case admin

    /// The role's name for people.
    public var label: LocalizedText {
        switch self {
        case .caseworker: LocalizedText(de: "Fallmanagement", en: "Case worker")
        case .dpo: LocalizedText(de: "Datenschutzbeauftragte/r", en: "Data protection officer")
        case .exporter: LocalizedText(de: "Export", en: "Exporter")
        case .admin: LocalizedText(de: "Administration", en: "Administrator")
        }
    }
}

/// A person (or service) who may use the web service and API.
public struct Account: Sendable, Codable, Equatable, Hashable {
    /// Unique login name (letters, digits, `.`, `-`, `_`; 1-64 characters).
    public var name: String
    /// The role.
    public var role: AccountRole
    /// For a case worker: the municipality they act for; nil for every other role.
    public var municipality: String?
    /// When the account was created (UTC).
    public var createdAt: Date
    /// When the account was disabled (UTC); a disabled account cannot log in or use its token.
    public var disabledAt: Date?

    /// An account value with these fields, as the account store builds it when it adds or reads an account. It checks
    /// nothing: the store validates the name (`isValidName`) and the municipality for the role before it saves one.
    public init(name: String, role: AccountRole, municipality: String?, createdAt: Date, disabledAt: Date? = nil) {
        self.name = name; self.role = role; self.municipality = municipality
        self.createdAt = createdAt; self.disabledAt = disabledAt
    }

    /// True while the account is not disabled.
    public var isActive: Bool { disabledAt == nil }

    /// True when `name` is an acceptable account name.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2e || c == 0x2d || c == 0x5f
        }
    }
}

/// A newly created account and its API token, which exists in clear only in this value: the store
/// keeps its SHA-256. Show it once and forget it.
public struct NewAccount: Sendable {
    /// The account as stored.
    public let account: Account
    /// The API token (`cg_…`), for `Authorization: Bearer …`.
    public let token: String
}

/// What a credentials change does to an account's page password.
public enum PasswordChange: Sendable, Equatable {
    /// The password stays as it is.
    case keep
    /// The password becomes this one (at least `AccountStore.minimumPasswordLength` characters).
    case set(String)
    /// The account loses its password: API access only, no page login.
    case remove
}

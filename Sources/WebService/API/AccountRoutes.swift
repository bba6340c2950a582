import Diagnostics
import Foundation
import Gate
import Hummingbird
import Signing

/// `GET /v1/me` (who am I), `GET /v1/accounts` and `POST /v1/accounts` (admin: list and create), `POST
/// /v1/accounts/{name}/token` (admin: a new API token, the old one stops working: a lost or leaked token) and `POST
/// /v1/accounts/{name}/disable` (admin: token, password and page sessions stop working; never the last active admin: 409). Every change is logged as an
/// `account-event` with the admin as actor. Passwords never travel through the API (`consentgate users password`).
enum AccountRoutes {
    /// An account as the API shows it (never a hash).
    struct AccountJSON: Encodable, Sendable {
        let name: String
        let role: String
        let municipality: String?
        let createdAt: String
        let disabledAt: String?
        enum CodingKeys: String, CodingKey { case name, role, municipality, createdAt = "created-at", disabledAt = "disabled-at" }
        init(_ a: Account) {
            name = a.name; role = a.role.rawValue; municipality = a.municipality
            createdAt = RFC3339.format(a.createdAt); disabledAt = a.disabledAt.map(RFC3339.format)
        }
    }

    /// The body of `POST /v1/accounts`. API-created accounts have no page password; an administrator sets one with
    /// `consentgate users password` (passwords never travel through the API).
    struct CreateAccount: StrictDecodable {
        let name: String
        let role: AccountRole
        let municipality: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case name, role, municipality }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            let roleText = try c.decode(String.self, forKey: .role)
            guard let role = AccountRole(rawValue: roleText) else {
                let roles = AccountRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.role],
                    LocalizedText(de: "\"\(roleText)\" ist keine der Rollen \(roles)", en: "\"\(roleText)\" is not one of \(roles)"))
            }
            self.role = role
            municipality = try c.decodeIfPresentRefusingNull(String.self, forKey: .municipality)
        }
    }

    struct Created: Encodable { let account: AccountJSON; let token: String }

    /// The store's refusal of a role/municipality combination (422 `invalid-input`) in the words of the JSON
    /// API: the store's own message speaks of the command line's `--municipality`.
    static func municipalityMismatch(role: AccountRole, municipality: String?) -> WebError {
        if role == .caseworker {
            return WebError(.unprocessableContent, code: "invalid-input",
                            de: "Rolle caseworker braucht das Feld \"municipality\" (die Kommune des Kontos)",
                            en: "role caseworker needs the field \"municipality\" (the account's municipality)")
        }
        return WebError(.unprocessableContent, code: "invalid-input",
                        de: "Rolle \(role.rawValue) gehört zu keiner Kommune: Feld \"municipality\" (\"\(municipality ?? "")\") weglassen",
                        en: "role \(role.rawValue) is not bound to a municipality: leave out the field \"municipality\" (\"\(municipality ?? "")\")")
    }

    /// The `{name}` path parameter: an account name (`Account.isValidName`), else 400 `invalid-field`.
    static func accountName(in context: AppRequestContext) throws -> String {
        let name = try PathParameter.text("name", in: context)
        guard Account.isValidName(name) else {
            throw WebError.badRequest(code: "invalid-field",
                                      de: "Pfadparameter \"name\": \"\(name)\" ist kein Kontoname (1-64 Zeichen aus Buchstaben, Ziffern, ., -, _)",
                                      en: "path parameter \"name\": \"\(name)\" is not an account name (1-64 letters, digits, ., -, _)")
        }
        return name
    }

    static func register(_ r: RouteRegistrar) {
        let accounts = r.environment.accounts
        let limit = r.environment.configuration.maxJSONBodyBytes
        r.api(.get, "/v1/me", roles: Set(AccountRole.allCases)) { _, auth in
            try JSONResponse.make(AccountJSON(auth.account))
        }
        r.api(.get, "/v1/accounts", roles: [.admin]) { _, _ in
            try JSONResponse.make(try await BlockingWork.run { try accounts.list().map(AccountJSON.init) })
        }
        let gate = r.environment.gate
        let sessions = r.environment.sessions
        r.api(.post, "/v1/accounts", roles: [.admin]) { request, auth in
            let body = try await RequestBodyReader.decodeJSON(CreateAccount.self, from: request, limit: limit)
            let created: NewAccount
            do {
                created = try await create(name: body.name, role: body.role, municipality: body.municipality, by: auth.account, gate: gate)
            } catch let AccountError.municipalityMismatch(role, municipality) {
                throw municipalityMismatch(role: role, municipality: municipality)
            }
            return try JSONResponse.make(Created(account: AccountJSON(created.account), token: created.token), status: .created)
        }
        // Neither change takes fields: an empty body or `{}`, else 400 naming the field (found in a review of the API,
        // 2026-12-06: `{"dry-run": true}` was ignored and the account disabled), 415 for a body that is not JSON.
        r.api(.post, "/v1/accounts/{name}/token", roles: [.admin]) { request, auth in
            try await RequestBodyReader.requireNoFields(request, limit: limit)
            let (token, account) = try await newToken(for: try accountName(in: auth.context), by: auth.account, gate: gate)
            return try JSONResponse.make(Created(account: AccountJSON(account), token: token))
        }
        r.api(.post, "/v1/accounts/{name}/disable", roles: [.admin]) { request, auth in
            try await RequestBodyReader.requireNoFields(request, limit: limit)
            let account = try await disable(try accountName(in: auth.context), by: auth.account, gate: gate, sessions: sessions)
            return try JSONResponse.make(AccountJSON(account))
        }
    }

    // The three changes, shared by the JSON API and the administrator's pages (`AccountPages`), so both log the same
    // `account-event` with the admin as actor and refuse the same way.

    /// Creates an account without page password for `admin` (logged as an `account-event` with the admin as actor); the
    /// new account and its API token, which exists in clear only in the answer. The store's refusals are thrown as they
    /// are (`AccountError`): each surface words a role/municipality mismatch in its own terms.
    static func create(name: String, role: AccountRole, municipality: String?, by admin: Account, gate: Gate) async throws -> NewAccount {
        let actor = Actor(id: admin.name)
        return try await BlockingWork.run {
            try gate.addAccount(name: name, role: role, municipality: municipality, password: nil, actor: actor)
        }
    }

    /// Issues a new API token for account `name` (the old one stops working at once), logged as an `account-event` with
    /// `admin` as actor; the token and the account. 404 when there is no such account.
    static func newToken(for name: String, by admin: Account, gate: Gate) async throws -> (token: String, account: Account) {
        let actor = Actor(id: admin.name)
        let accounts = gate.accounts
        let (token, account) = try await BlockingWork.run {
            let token = try gate.changeAccountCredentials(name: name, newToken: true, password: .keep, actor: actor)
            return (token, try accounts.account(named: name))
        }
        guard let account, let token else { throw WebError.notFound(LocalizedText(de: "Konto \(name)", en: "account \(name)")) }
        return (token, account)
    }

    /// Disables account `name` (logged as an `account-event` with `admin` as actor) and ends its page sessions at once;
    /// the account as it is now. The last active administrator is refused with 409 `conflict`.
    static func disable(_ name: String, by admin: Account, gate: Gate, sessions: SessionStore) async throws -> Account {
        let actor = Actor(id: admin.name)
        do {
            try await BlockingWork.run { try gate.disableAccount(name: name, actor: actor) }
        } catch let e as AccountError where e == .lastActiveAdmin(name) {
            // A conflict with the state of the accounts, not bad input: 409 like "disabled already".
            throw WebError(.conflict, code: "conflict", de: e.message(in: .de), en: e.message(in: .en))
        }
        // Its page sessions end here at once (the authentication middleware would end them at their next request).
        await sessions.removeAll(accountName: name)
        let accounts = gate.accounts
        guard let account = try await BlockingWork.run({ try accounts.account(named: name) }) else {
            throw WebError.notFound(LocalizedText(de: "Konto \(name)", en: "account \(name)"))
        }
        return account
    }
}

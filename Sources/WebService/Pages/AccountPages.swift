import Diagnostics
import Foundation
import Gate
import Hummingbird

/// `GET /accounts` and its three forms: `POST /accounts` (add an account), `POST /accounts/token` (a new API token) and
/// `POST /accounts/disable` (first a confirmation page, then disabling). The account's name travels in a form field,
/// not in the path: a valid name such as `..` would be rewritten by the browser in a path.
///
/// A new token is shown once, on the page that answers the POST (never in a URL, a redirect, a log line or a later
/// page). Passwords are not set here, as in the API (`consentgate users password`). Every change goes through
/// `AccountRoutes.create`/`newToken`/`disable`, the calls of the JSON API, and is logged as an `account-event` with
/// the administrator as actor.
enum AccountPages {
    /// The page title and navigation label.
    static let title = LocalizedText(de: "Konten", en: "Accounts")

    /// The value of the hidden `confirm` field that the confirmation page sends with "disable".
    static let confirmValue = "yes"

    /// Registers the list and its three forms, for administrators only.
    static func register(_ r: RouteRegistrar) {
        let gate = r.environment.gate
        let sessions = r.environment.sessions
        let access = RouteAccess.roles(AdminPages.roles)
        r.page(.get, "/accounts", access: access) { request, page in
            // `?disabled=<name>` after a confirmed disabling (303): said only when that account is disabled indeed.
            var notice = AccountListPage.Notice.none
            if let name = request.uri.queryParameters["disabled"].map(String.init), Account.isValidName(name),
               let account = try await BlockingWork.run({ try gate.accounts.account(named: name) }), !account.isActive {
                notice = .disabled(name)
            }
            return try await AccountListPage.response(page, gate: gate, notice: notice)
        }
        r.page(.post, "/accounts", access: access) { _, page in
            try await add(page, gate: gate)
        }
        r.page(.post, "/accounts/token", access: access) { _, page in
            let name = page.form["name"] ?? ""
            do {
                let (token, _) = try await AccountRoutes.newToken(for: name, by: page.account!, gate: gate)
                return try await AccountListPage.response(page, gate: gate, notice: .token(name: name, token: token, created: false))
            } catch {
                return try await refused(error, page: page, gate: gate)
            }
        }
        r.page(.post, "/accounts/disable", access: access) { _, page in
            let name = page.form["name"] ?? ""
            guard page.form["confirm"] == confirmValue else {
                guard Account.isValidName(name), let account = try await BlockingWork.run({ try gate.accounts.account(named: name) }) else {
                    return try await refused(AccountError.unknownAccount(name), page: page, gate: gate)
                }
                return AccountDisablePage.response(page, account: account)
            }
            do {
                _ = try await AccountRoutes.disable(name, by: page.account!, gate: gate, sessions: sessions)
            } catch {
                return try await refused(error, page: page, gate: gate)
            }
            // The name is no secret; the redirect keeps a reload from sending the form again.
            return PageResponse.seeOther("/accounts?disabled=\(name)")
        }
    }

    /// `POST /accounts`: creates the account and answers the list with its token (once), or answers the form again with
    /// every entry and the problems at their fields (the store's refusals too: nothing is created then).
    static func add(_ page: PageRequest, gate: Gate) async throws -> Response {
        let f = page.form
        var problems = FormProblems()
        let name = f["name"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if name.isEmpty { problems.add("name", FormProblems.missing(AccountListPage.nameLabel)) }
        let roleText = f["role"] ?? ""
        let role = AccountRole(rawValue: roleText)
        if roleText.isEmpty {
            problems.add("role", FormProblems.missing(AccountListPage.roleLabel))
        } else if role == nil {
            let roles = AccountRole.allCases.map(\.rawValue).joined(separator: ", ")
            problems.add("role", LocalizedText(de: "\"\(roleText)\" ist keine der Rollen \(roles)", en: "\"\(roleText)\" is not one of \(roles)"))
        }
        let municipalityText = f["municipality"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let municipality = municipalityText.isEmpty ? nil : municipalityText
        if problems.isEmpty, let role {
            do {
                let created = try await AccountRoutes.create(name: name, role: role, municipality: municipality, by: page.account!, gate: gate)
                return try await AccountListPage.response(page, gate: gate, notice: .token(name: created.account.name, token: created.token, created: true))
            } catch let AccountError.municipalityMismatch(role, _) {
                problems.add("municipality", municipalityMismatch(role), status: .unprocessableContent)
            } catch let e as AccountError {
                switch e {
                case .unknownMunicipality: _ = problems.add("municipality", refusal: e)
                default: _ = problems.add("name", refusal: e)
                }
            } catch {
                // A storage failure or an audit log that cannot be signed: the error page (and the service's log).
                guard problems.add("name", refusal: error) else { throw error }
            }
        }
        return try await AccountListPage.response(page, gate: gate, form: f, problems: problems)
    }

    /// The store's refusal of a role/municipality combination in the words of the form (the store's own message speaks
    /// of the command line's `--municipality`, the API's of the JSON field).
    static func municipalityMismatch(_ role: AccountRole) -> LocalizedText {
        if role == .caseworker {
            return LocalizedText(de: "Ein Konto mit der Rolle „\(role.label.de)“ handelt für eine Kommune: bitte die Kommune auswählen.",
                                 en: "An account with the role “\(role.label.en)” acts for one municipality: please choose it.")
        }
        return LocalizedText(de: "Ein Konto mit der Rolle „\(role.label.de)“ gehört zu keiner Kommune: bitte bei „\(AccountListPage.municipalityLabel.de)“ nichts auswählen.",
                             en: "An account with the role “\(role.label.en)” is not bound to a municipality: please leave “\(AccountListPage.municipalityLabel.en)” empty.")
    }

    /// The list again with the refusal of a button's action in words and its status (409 for the last active
    /// administrator or an account disabled already, 404 for an unknown account); an error that is not a refusal (a
    /// storage failure) is rethrown for the error page.
    static func refused(_ error: any Error, page: PageRequest, gate: Gate) async throws -> Response {
        let web: WebError
        switch error {
        case let e as WebError: web = e
        case let e as any UserFacingError: web = WebError(e)
        default: throw error
        }
        guard web.logDetail == nil else { throw error }
        return try await AccountListPage.response(page, gate: gate, notice: .refused(web.message), status: web.status)
    }
}

import Diagnostics
import Gate

/// The administrator's pages: `/accounts` (list, add, new API token, disable: `AccountPages`) and `/keys` (the trust
/// store read-only: `KeyListPage`). Before them, an administrator who logged in saw one sentence pointing to the command
/// line; everything the pages do goes through the same calls as the JSON API (`AccountRoutes`, `KeyRoutes`), so both log
/// the same `account-event` with the administrator as actor and refuse the same things.
enum AdminPages {
    /// Who may open them: administrators only (as `/v1/accounts` and `/v1/keys`).
    static let roles: Set<AccountRole> = [.admin]

    /// Registers `/accounts` and its forms, and `/keys`.
    static func register(_ r: RouteRegistrar) {
        AccountPages.register(r)
        KeyListPage.register(r)
    }
}

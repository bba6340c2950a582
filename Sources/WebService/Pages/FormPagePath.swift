/// The page a form posting to a POST-only address lives on: `/consents/{id}/withdraw-lines` → `/consents/{id}`. An answer
/// to such a POST (a refusal shown in the page, an error page, the login after a session ended) links there: its language
/// switch led to the POST address by GET, a 405 (found in a review of the pages), and the login after a session ended
/// during a withdrawal had no way back to the consent.
enum FormPagePath {
    /// The GET page for a POST to `path` (raw, as requested); `path` itself where the address is a page too.
    static func page(ofPost path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // ["", "consents", id, action]
        if parts.count == 4, parts[1] == "consents", ["withdraw", "withdraw-lines", "referral-notice"].contains(parts[3]) {
            return "/consents/\(parts[2])"
        }
        switch path {
        case "/consents": return "/consents/new"
        case "/accounts/token", "/accounts/disable": return "/accounts"
        case "/exports/dry-run": return "/exports"
        case "/logout": return "/login"   // no way back after a logout: the login page itself
        default: return path
        }
    }
}

import Hummingbird
import HTTPTypes

/// Which requests the pages answer, by the Fetch metadata a browser sends (`Sec-Fetch-Site`, `-Mode`, `-Dest`): the
/// resource isolation policy of https://web.dev/articles/fetch-metadata. A page reached by a link or typed address is
/// answered wherever the link was; a request that another site's page makes *as a resource* (an image, a script, a
/// fetch, a frame, a form POST) is refused before anything runs.
///
/// Why: the session cookie is `SameSite=Strict`, which keeps it off requests from other sites but not from other
/// hosts of the same site (a sibling subdomain on the county network). Every DPO page view is logged as an
/// `audit-read` in the DPO's name, so `<img src="https://consentgate…/audit/report?subject=…">` on such a host would
/// plant reads of a person's data in the DPO's name without the DPO seeing anything. Page forms also carry a CSRF
/// token; this refuses their cross-origin POSTs one step earlier.
///
/// A request without `Sec-Fetch-Site` (a browser from before 2020, or no browser) is answered: the CSRF token and the
/// cookie's `SameSite` still apply. The JSON API is not concerned: it authenticates by bearer token, never by cookie.
enum FetchMetadataPolicy {
    /// Whether a page answers `method` with `headers`.
    static func allows(method: HTTPRequest.Method, headers: HTTPFields) -> Bool {
        guard let site = headers[.secFetchSite]?.lowercased() else { return true }
        if site == "same-origin" || site == "none" { return true }
        // Top-level navigations from elsewhere (a link in the intranet, a bookmark). Not a frame: an invisible
        // iframe on a sibling host would be a request like an image's, and the server would log the DPO's read
        // before any frame-blocking header reached the browser.
        let mode = headers[.secFetchMode]?.lowercased(), dest = headers[.secFetchDest]?.lowercased()
        return method == .get && mode == "navigate" && (dest == nil || dest == "document")
    }

    /// 403 for a page requested as a resource by another site's page.
    static let refused = WebError(.forbidden, code: "cross-site-request",
        de: "Diese Seite wird nur direkt im Browser geöffnet, nicht als Teil einer anderen Seite (Anfrage von einer anderen Website abgelehnt).",
        en: "This page opens only directly in the browser, not as part of another page (request from another site refused).")
}

extension HTTPField.Name {
    /// Fetch metadata: how the request was made (`navigate`, `no-cors`, `cors`, `same-origin`, `websocket`).
    static let secFetchMode = HTTPField.Name("Sec-Fetch-Mode")!
    /// Fetch metadata: what the response is for (`document`, `image`, `script`, `iframe`, `object`, `empty`, …).
    static let secFetchDest = HTTPField.Name("Sec-Fetch-Dest")!
}

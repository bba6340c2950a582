import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import Signing

/// The entries of a case manager's page form that reached the service after its page session had ended (idle
/// timeout, a restart) or with a CSRF token of another session (logged in again in another tab): kept through the
/// login so the form comes back filled in, never submitted by the service.
///
/// Security (docs/web-pages.md, "A form sent after the session ended"):
/// - Entries are kept only when the browser says the POST came from this service's own pages (`Sec-Fetch-Site:
///   same-origin`, or else an `Origin` equal to the request's own host): a cross-site POST cannot pre-fill a form.
/// - They travel in the login form as hidden fields (`kept.<name>`), never the CSRF token or a password; the login
///   POST that returns them is itself CSRF-checked. After the login they are held in the new (authenticated) session
///   once and shown as the normal, visible form with a note: the old request is never acted on, nothing is submitted
///   without the user pressing the form's button (and framing is forbidden, so nobody can make that press blind).
/// - At most `maxBytes` of names and values and `maxValues` values, names by the rule `isKeepableName`; a scan file
///   is kept as its `sha256:` (`scan-digest`) like a refused form keeps it: the file itself is never stored.
struct KeptEntries: Sendable, Equatable {
    /// The form the entries belong to: only these two, so the way back is never a URL taken from the request.
    enum Target: String, Sendable, CaseIterable {
        /// The referral check (`POST /check`).
        case check
        /// Recording a consent (`POST /consents`).
        case consent

        /// The page that shows the form again (GET).
        var formPath: String {
            switch self {
            case .check: "/check"
            case .consent: "/consents/new"
            }
        }
    }

    /// The most bytes of field names and values kept (the rest of a 12 MiB form is a scan, kept as its checksum).
    static let maxBytes = 16 * 1024
    /// The most values kept.
    static let maxValues = 200
    /// The prefix of a kept entry's field in the login form (so it never meets the login's `name` and `password`).
    static let prefix = "kept."
    /// The login form's field naming the target form.
    static let targetField = "kept-form"

    /// Which form.
    let target: Target
    /// The entries, as the form would have sent them (the scan as `scan-digest` and `scan-name`).
    let form: FormData

    /// A field name worth keeping: the form's own names (letters, digits, `.`, `-`, `_`; at most 64), never the
    /// CSRF token or a password.
    static func isKeepableName(_ name: String) -> Bool {
        guard name != "_csrf", name != "password", !name.hasPrefix(prefix), name != targetField else { return false }
        return (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2e || c == 0x2d || c == 0x5f
        }
    }

    /// The kept entry naming a scan that was too large to read (its file name), for the note after the login.
    static let scanTooLargeField = "scan-too-large"

    /// What the refused POST's form leaves to keep: nil when there is nothing, or more than the limits allow
    /// (then nothing is kept, and the login page says so).
    init?(posted: FormData, target: Target) {
        var kept = FormData()
        let scan = posted.file("scan")
        for (name, values) in posted.values.sorted(by: { $0.key < $1.key }) where Self.isKeepableName(name) {
            // A new upload replaces a checksum kept from an earlier refusal.
            if scan != nil, name == "scan-digest" || name == "scan-name" { continue }
            for value in values { kept.add(name: name, value: value) }
        }
        if let scan {
            kept.add(name: "scan-digest", value: SHA256.tagged(scan.data))
            if !scan.filename.isEmpty { kept.add(name: "scan-name", value: scan.filename) }
        } else if let tooLarge = posted.oversizedFile("scan") {
            // A scan too large to read (`RouteRegistrar.readForm`) is not kept; the form after the login says so.
            kept.add(name: Self.scanTooLargeField, value: tooLarge.filename)
        }
        guard let entries = Self.limited(kept, target: target) else { return nil }
        self = entries
    }

    /// The entries the login form carried back (`kept-form` and `kept.<name>` fields), held to the same rules; nil
    /// when it carried none (an ordinary login).
    init?(loginForm: FormData) {
        guard let t = loginForm[Self.targetField], let target = Target(rawValue: t) else { return nil }
        var kept = FormData()
        for (name, values) in loginForm.values.sorted(by: { $0.key < $1.key }) where name.hasPrefix(Self.prefix) {
            let inner = String(name.dropFirst(Self.prefix.count))
            guard Self.isKeepableName(inner) else { continue }
            for value in values { kept.add(name: inner, value: value) }
        }
        guard let entries = Self.limited(kept, target: target) else { return nil }
        self = entries
    }

    private init(target: Target, form: FormData) { self.target = target; self.form = form }

    /// `form` for `target` when within the limits and not empty.
    private static func limited(_ form: FormData, target: Target) -> KeptEntries? {
        var bytes = 0, count = 0
        for (name, values) in form.values {
            for value in values { bytes += name.utf8.count + value.utf8.count; count += 1 }
        }
        guard count > 0, count <= maxValues, bytes <= maxBytes else { return nil }
        return KeptEntries(target: target, form: form)
    }

    /// The hidden fields of the login form that carry the entries (every value escaped by `HTML`).
    var hiddenFields: HTML {
        var parts: [HTML] = ["<input type=\"hidden\" name=\"\(Self.targetField)\" value=\"\(target.rawValue)\">"]
        for (name, values) in form.values.sorted(by: { $0.key < $1.key }) {
            for value in values { parts.append("<input type=\"hidden\" name=\"\(Self.prefix + name)\" value=\"\(value)\">") }
        }
        return HTML.join(parts, separator: "\n")
    }

    /// True when the browser says this POST came from this service's own pages: `Sec-Fetch-Site: same-origin`, or
    /// (a browser without Fetch metadata) an `Origin` whose host and port are the request's `Host`. A request with
    /// neither (not from a browser form) is not trusted to pre-fill anything.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite] { return site.lowercased() == "same-origin" }
        guard let origin = request.headers[.origin], let host = request.head.authority ?? request.headers[.hostHeader],
              let url = URL(string: origin), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        let requestHost = host.lowercased()
        let defaultPort = scheme == "https" ? ":443" : ":80"
        return requestHost == originAuthority.lowercased() || requestHost == originAuthority.lowercased() + defaultPort
            || requestHost + defaultPort == originAuthority.lowercased()
    }
}

extension HTTPField.Name {
    /// Fetch metadata: where the request was started (`same-origin`, `same-site`, `cross-site`, `none`).
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    /// `Host` as a plain field (HTTP/1 servers move it into `authority`; kept here for clients that send it as a field).
    static let hostHeader = HTTPField.Name("Host")!
}

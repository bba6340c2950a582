import Foundation

/// The page a login leads back to: the page a person asked for without a session (an expired one, a bookmark), so the
/// login does not drop them at the start page (pages review: the way back was lost). Only a path of this service is
/// taken (`/audit?subject=…`): never another site (`//host`, `/\host`, a scheme), never the login itself, never the JSON
/// API, and only as the printable ASCII a request's target already is, so it goes into `Location` as it came.
struct LoginReturnPath: Sendable, Equatable {
    /// The path and query, as the request's target had them (percent-encoded).
    let target: String

    /// The longest target kept; a longer one leads to the start page.
    static let maxLength = 2_048

    /// The path and query of a page request, or nil when it may not be returned to.
    init?(_ path: String, query: String?) {
        self.init(target: query.map { $0.isEmpty ? path : "\(path)?\($0)" } ?? path)
    }

    /// A target sent back by the login form (`next`), held to the same rules.
    init?(target: String) {
        let bytes = Array(target.utf8)
        guard (2...Self.maxLength).contains(bytes.count) || target == "/",
              bytes.first == UInt8(ascii: "/"), bytes.count < 2 || (bytes[1] != UInt8(ascii: "/") && bytes[1] != UInt8(ascii: "\\")),
              bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return nil }
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard path != "/login", path != "/logout", !path.hasPrefix("/v1/"), path != "/v1" else { return nil }
        self.target = target
    }

    /// The login page that leads back here.
    var loginURL: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }
}

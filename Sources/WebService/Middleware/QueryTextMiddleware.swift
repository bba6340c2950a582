import Hummingbird

/// Refuses a query string that decodes to U+0000 in any parameter name or value (400 `invalid-field`
/// naming the parameter; see `RequestText`), before any route reads it. Only a query holding `%00`
/// can decode to U+0000, so every other request costs one scan of its query string.
///
/// Refuses as well a parameter that is not properly percent-encoded: a `%` without two hex digits, or escapes that
/// decode to bytes that are not UTF-8 (400 `invalid-field` naming the parameter, as `PathParameter` does for paths).
/// Before, Hummingbird read `subject=%ZZ` as the text `%ZZ` and `subject=%FF` as U+FFFD, the audit log was searched for
/// that and the DPO's read logged with it, and the answer was an empty list instead of the mistake.
struct QueryTextMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query {
            if let name = Self.badlyEncodedParameter(query) {
                throw WebError.badParameter(name,
                    de: "Parameter \"\(name)\" ist nicht gültig kodiert (Prozentkodierung mit zwei Hex-Ziffern, Text in UTF-8)",
                    en: "parameter \"\(name)\" is not properly encoded (percent-encoding with two hex digits, text in UTF-8)")
            }
            if Self.mayHoldNUL(query) {
                try RequestText.requireNoNUL(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, at: .queryParameter)
            }
        }
        return try await next(request, context)
    }

    /// The name of the first parameter whose name or value is not properly percent-encoded (decoded where it can be,
    /// else as sent), or nil when every one is. A query without `%` costs one scan.
    static func badlyEncodedParameter(_ query: String) -> String? {
        guard query.utf8.contains(UInt8(ascii: "%")) else { return nil }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(kv[0]), decodedName = PathParameter.percentDecoded(name)
            if decodedName == nil || (kv.count > 1 && PathParameter.percentDecoded(String(kv[1])) == nil) { return decodedName ?? name }
        }
        return nil
    }

    /// True when the raw query holds the escape `%00`.
    static func mayHoldNUL(_ query: String) -> Bool {
        var utf8 = query.utf8.makeIterator()
        var last2: (UInt8, UInt8) = (0, 0)
        while let b = utf8.next() {
            if b == UInt8(ascii: "0"), last2 == (UInt8(ascii: "%"), UInt8(ascii: "0")) { return true }
            last2 = (last2.1, b)
        }
        return false
    }
}

import Hummingbird

/// Refuses a query string that decodes to U+0000 in any parameter name or value (400 `invalid-field`
/// naming the parameter; see `RequestText`), before any route reads it. Only a query holding `%00`
/// can decode to U+0000, so every other request costs one scan of its query string.
struct QueryTextMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, Self.mayHoldNUL(query) {
            try RequestText.requireNoNUL(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, at: .queryParameter)
        }
        return try await next(request, context)
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

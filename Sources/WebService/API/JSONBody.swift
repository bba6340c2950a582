import Diagnostics
import Foundation
import Hummingbird
import StrictJSON

/// A request type that refuses JSON keys it does not know. Call `rejectUnknownKeys` first in
/// `init(from:)`; a misspelt field is then an error naming the field, not a silently ignored value.
public protocol StrictDecodable: Decodable {}

/// Any JSON object key (to list the keys a client sent).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension Decoder {
    /// Throws a `RequestFieldError` (400 `unknown-field`) naming the first key of this object that is not in `known`.
    public func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ known: K.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        // Fast path (every request): each key parses as a `K`; no sets, no sorting.
        let keys = container.allKeys
        guard keys.contains(where: { K(stringValue: $0.stringValue) == nil }) else { return }
        let allowed = Set(K.allCases.map(\.stringValue))
        for key in keys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            throw RequestFieldError(path: RequestBodyReader.path(codingPath + [key]), problem: .unknown(allowed: allowed.sorted()))
        }
    }
}

extension KeyedDecodingContainer {
    /// `decodeIfPresent` that refuses an explicit `null`: an absent key is nil, a `null` is the 400 `wrong-type`
    /// ("expected string, got null") naming the field. The OpenAPI document gives no optional request field a
    /// `null` type, so a client sending one has the type wrong and is told so, rather than having it read as absent.
    func decodeIfPresentRefusingNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(T.self, DecodingError.Context(codingPath: codingPath + [key], debugDescription: "null"))
        }
        return try decode(T.self, forKey: key)
    }
}

/// Reads request bodies with a size limit and decodes JSON strictly, turning every failure into a
/// 4xx `WebError` that names the field and the problem.
enum RequestBodyReader {
    /// The body, at most `limit` bytes, else 413.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw WebError.bodyTooLarge(limit: limit)
        }
        var request = request
        do { return try await request.collectBody(upTo: limit) } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            throw WebError.bodyTooLarge(limit: limit)
        }
    }

    /// The first `limit` bytes of the body, and whether more followed. The rest is left unread (the server reads
    /// it away after the answer, as it does after a 413). For the form with a file (the consent form's scan, its last
    /// control): a scan over the limit then costs the caseworker the file, not every entry before it (pages review F3:
    /// a bare 413 lost the whole form).
    static func collectPrefix(_ request: Request, limit: Int) async throws -> (body: ByteBuffer, truncated: Bool) {
        var collected = ByteBuffer()
        for try await chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                var head = chunk
                if let slice = head.readSlice(length: limit - collected.readableBytes) { collected.writeImmutableBuffer(slice) }
                return (collected, true)
            }
            collected.writeImmutableBuffer(chunk)
        }
        return (collected, false)
    }

    /// Decodes a JSON body into `T` (415 without a JSON content type, 413 over the limit, 400 for
    /// malformed JSON, wrong types, missing or unknown fields).
    static func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try await decodeJSON(type, from: request, limit: limit, fastPath: { _ in nil })
    }

    /// `decodeJSON` trying `fastPath` on the body first: it returns the value only where the strict
    /// decoder would accept the body with the same value, and nil otherwise (then the slow path runs and
    /// gives its precise error). Hot routes use it (`DecisionRoutes`).
    ///
    /// The slow path reads the body with `StrictJSON.JSONParser` first (trailing commas, duplicate keys,
    /// numbers that are not safe integers and trailing text are refused with line and column; U+0000 in any
    /// key or string is refused naming the field), and only then decodes it with `JSONDecoder`, which is
    /// lenient about exactly those things. The fast path refuses all of them itself (it answers nil), so a
    /// body it accepts is read once.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int,
                                         fastPath: (UnsafeRawBufferPointer) -> T?) async throws -> T {
        try requireJSONContentType(request)
        return try decodeJSON(type, body: try await collect(request, limit: limit), fastPath: fastPath)
    }

    /// 415 unless the request says its body is JSON (`isJSON`).
    static func requireJSONContentType(_ request: Request) throws {
        let contentType = request.headers[.contentType]
        guard let contentType, isJSON(contentType: contentType) else {
            throw WebError.unsupportedMediaType(expected: ["application/json"], got: contentType)
        }
        try requireUTF8(contentType)
    }

    /// 415 for a `charset` parameter other than UTF-8 (`application/json; charset=iso-8859-1`): the body is read as
    /// UTF-8 only (JSON is UTF-8, RFC 8259 §8.1; a page form is sent as its page's UTF-8), and a client that says it sent
    /// Latin-1 would have its `ä` read as something else or refused as "not UTF-8" (an API review found it accepted).
    static func requireUTF8(_ contentType: String) throws {
        guard contentType.utf8.contains(UInt8(ascii: ";")) else { return }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "charset" else { continue }
            let charset = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            guard charset == "utf-8" || charset == "utf8" || charset == "us-ascii" else {  // ASCII is UTF-8
                throw WebError(.unsupportedMediaType, code: "unsupported-media-type",
                               de: "Zeichensatz \(pair[1]) nicht unterstützt: Inhalt muss UTF-8 sein (charset=utf-8 oder ohne charset)",
                               en: "charset \(pair[1]) is not supported: the body must be UTF-8 (charset=utf-8 or no charset)")
            }
        }
    }

    /// The body half of `decodeJSON(_:from:limit:fastPath:)`: decodes a collected JSON body into `T` (the fast path
    /// first), every failure a 400 `WebError` naming the field and the problem.
    static func decodeJSON<T: Decodable>(_ type: T.Type, body buffer: ByteBuffer,
                                         fastPath: (UnsafeRawBufferPointer) -> T?) throws -> T {
        if let fast = buffer.withUnsafeReadableBytes(fastPath) { return fast }
        let bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty {
            throw WebError.badRequest(code: "malformed-json", de: "Anfrage ohne Inhalt: JSON-Objekt erwartet",
                                      en: "empty request body: a JSON object is expected")
        }
        do {
            try RequestText.requireNoNUL(in: try JSONParser.parse(bytes, limits: strictLimits))
        } catch let error as JSONSyntaxError {
            throw JSONSyntaxMessage.webError(error, in: bytes)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error)
        } catch let error as RequestFieldError {
            throw error.webError
        }
    }

    /// For a POST that takes no fields (a withdrawal acts now, on the consent its path names): an empty body, or the
    /// empty JSON object, else 400 naming the first field sent (found in a review: `{"withdrawn-at": "2020-01-01…"}` was
    /// ignored, and the consent withdrawn as of now, while the client believed it backdated). A non-empty body must
    /// be JSON (415 otherwise).
    static func requireNoFields(_ request: Request, limit: Int) async throws {
        let buffer = try await collect(request, limit: limit)
        guard buffer.readableBytesView.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return }
        try requireJSONContentType(request)
        _ = try decodeJSON(NoFields.self, body: buffer, fastPath: { _ in nil })
    }

    /// `T` decoded from the body, or nil for an empty body (only white space): for a route whose body is optional, such
    /// as a withdrawal (none: the whole consent). A body is held to `decodeJSON`'s rules (415, 413, 400).
    static func decodeOptionalJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T? {
        let buffer = try await collect(request, limit: limit)
        guard buffer.readableBytesView.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        try requireJSONContentType(request)
        return try decodeJSON(type, body: buffer, fastPath: { _ in nil })
    }

    /// A JSON object without any field.
    private struct NoFields: Decodable {
        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.sorted { $0.stringValue < $1.stringValue }
            if let key = keys.first { throw RequestFieldError(path: RequestBodyReader.path([key]), problem: .unknown(allowed: [])) }
        }
    }

    /// Request bodies are shallow (three levels at most); anything deeper is refused before decoding.
    static let strictLimits = JSONParser.Limits(maximumBytes: nil, maximumDepth: 32)

    /// True for `application/json`, in any case, alone or with parameters (`application/json; charset=utf-8`);
    /// false for anything else, including `application/jsonx` or `application/json-seq`.
    static func isJSON(contentType: String) -> Bool { mediaType(of: contentType) == "application/json" }

    /// The media type of a `Content-Type` value without its parameters, lower-cased (`Application/JSON;
    /// charset=utf-8` → `application/json`): compared whole, so `application/jsonx` is no JSON.
    /// Around it only HTTP's optional white space (space, tab; RFC 9110 §5.6.3) is dropped. Read as bytes: Foundation's
    /// `trimmingCharacters` went through `NSString` and cost ~1.5 % of the server's CPU per decision (a profile).
    static func mediaType(of contentType: String) -> String {
        let isSpace = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        guard let first = type.firstIndex(where: { !isSpace($0) }), let last = type.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: type[first...last].map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// A field path as people write it: `fields[2]`, `subject.birth-date`.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for k in keys {
            if let i = k.intValue { out += "[\(i)]" } else { out += out.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return out.isEmpty ? "(top level)" : out
    }

    /// The 400 for a decoding error (the body is well-formed JSON by then: `JSONParser` read it first).
    static func describe(_ error: DecodingError) -> WebError {
        switch error {
        case let .dataCorrupted(ctx):
            let p = path(ctx.codingPath)
            return .badRequest(code: "invalid-field", de: "Feld \"\(p)\": ungültiger Wert", en: "field \"\(p)\": invalid value")
        case let .keyNotFound(key, ctx):
            let p = path(ctx.codingPath + [key])
            return .badRequest(code: "missing-field", de: "Pflichtfeld \"\(p)\" fehlt", en: "required field \"\(p)\" is missing")
        case let .typeMismatch(type, ctx):
            let p = path(ctx.codingPath)
            let t = jsonTypeName(type)
            return .badRequest(code: "wrong-type", de: "Feld \"\(p)\": \(t) erwartet", en: "field \"\(p)\": expected \(t)")
        case let .valueNotFound(type, ctx):
            let p = path(ctx.codingPath)
            let t = jsonTypeName(type)
            return .badRequest(code: "wrong-type", de: "Feld \"\(p)\": \(t) erwartet, null erhalten",
                               en: "field \"\(p)\": expected \(t), got null")
        @unknown default:
            return .badRequest(code: "malformed-json", de: "ungültige Anfrage", en: "invalid request")
        }
    }

    /// The JSON type name for a Swift type in messages (the same word in German and English: JSON's own terms).
    static func jsonTypeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("String") { return "string" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") || name == "Double" { return "number" }
        if name == "Bool" { return "boolean" }
        if name.hasPrefix("Array") { return "array" }
        return "object"
    }
}

import Foundation
import Hummingbird

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
    /// Throws a `dataCorrupted` error naming the first key of this object that is not in `known`.
    public func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ known: K.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        // Fast path (every request): each key parses as a `K`; no sets, no sorting.
        let keys = container.allKeys
        guard keys.contains(where: { K(stringValue: $0.stringValue) == nil }) else { return }
        let allowed = Set(K.allCases.map(\.stringValue))
        for key in keys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key],
                debugDescription: "unknown field; allowed: \(allowed.sorted().joined(separator: ", "))"))
        }
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

    /// Decodes a JSON body into `T` (415 without a JSON content type, 413 over the limit, 400 for
    /// malformed JSON, wrong types, missing or unknown fields).
    static func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try await decodeJSON(type, from: request, limit: limit, fastPath: { _ in nil })
    }

    /// `decodeJSON` trying `fastPath` on the body first: it returns the value only where the strict
    /// decoder would accept the body with the same value, and nil otherwise (then the decoder runs and
    /// gives its precise error). Hot routes use it (`DecisionRoutes`).
    static func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int,
                                         fastPath: (UnsafeRawBufferPointer) -> T?) async throws -> T {
        let contentType = request.headers[.contentType]
        guard let contentType, contentType.lowercased().hasPrefix("application/json") else {
            throw WebError.unsupportedMediaType(expected: "application/json", got: contentType)
        }
        let buffer = try await collect(request, limit: limit)
        if let fast = buffer.withUnsafeReadableBytes(fastPath) { return fast }
        let data = Data(buffer.readableBytesView)
        if data.isEmpty {
            throw WebError.badRequest(code: "malformed-json", de: "Anfrage ohne Inhalt: JSON-Objekt erwartet",
                                      en: "empty request body: a JSON object is expected")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    /// A field path as people write it: `fields[2]`, `subject.birth-date`.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for k in keys {
            if let i = k.intValue { out += "[\(i)]" } else { out += out.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return out.isEmpty ? "(top level)" : out
    }

    static func describe(_ error: DecodingError) -> WebError {
        switch error {
        case let .dataCorrupted(ctx) where ctx.codingPath.isEmpty:
            let detail = ctx.underlyingError.map { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\($0)" } ?? ctx.debugDescription
            return .badRequest(code: "malformed-json", de: "Anfrage ist kein gültiges JSON: \(detail)",
                               en: "request body is not valid JSON: \(detail)")
        case let .dataCorrupted(ctx):
            let p = path(ctx.codingPath)
            if ctx.debugDescription.hasPrefix("unknown field") {
                return .badRequest(code: "unknown-field", de: "unbekanntes Feld \"\(p)\" (\(ctx.debugDescription.replacingOccurrences(of: "unknown field; allowed", with: "erlaubt")))",
                                   en: "unknown field \"\(p)\" (\(ctx.debugDescription.replacingOccurrences(of: "unknown field; ", with: "")))")
            }
            return .badRequest(code: "invalid-field", de: "Feld \"\(p)\": ungültiger Wert: \(ctx.debugDescription)",
                               en: "field \"\(p)\": invalid value: \(ctx.debugDescription)")
        case let .keyNotFound(key, ctx):
            let p = path(ctx.codingPath + [key])
            return .badRequest(code: "missing-field", de: "Pflichtfeld \"\(p)\" fehlt", en: "required field \"\(p)\" is missing")
        case let .typeMismatch(type, ctx):
            let p = path(ctx.codingPath)
            let t = jsonTypeName(type)
            return .badRequest(code: "wrong-type", de: "Feld \"\(p)\": \(t) erwartet", en: "field \"\(p)\": expected \(t)")
        case let .valueNotFound(type, ctx):
            let p = path(ctx.codingPath)
            return .badRequest(code: "wrong-type", de: "Feld \"\(p)\": \(jsonTypeName(type)) erwartet, null erhalten",
                               en: "field \"\(p)\": expected \(jsonTypeName(type)), got null")
        @unknown default:
            return .badRequest(code: "malformed-json", de: "ungültige Anfrage", en: "invalid request")
        }
    }

    /// The JSON word for a Swift type in messages.
    static func jsonTypeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("String") { return "string" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") || name == "Double" { return "number" }
        if name == "Bool" { return "boolean" }
        if name.hasPrefix("Array") { return "array" }
        if name.hasPrefix("Dictionary") { return "object" }
        return name
    }
}

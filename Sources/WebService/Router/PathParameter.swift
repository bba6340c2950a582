import ConsentRecords
import Diagnostics
import Foundation
import Hummingbird

/// Path parameters as handlers use them. Hummingbird hands out the raw path segment, still
/// percent-encoded; a case id may hold `/`, which a client can only send as `%2F`, so every route that
/// reads a subject, consent, run, template id or an index from its path reads it through here:
/// percent-decoded (`RSK%2F2022%2F1` → `RSK/2022/1`), valid UTF-8, without control characters, else a
/// 400 `invalid-field` naming the parameter.
enum PathParameter {
    /// The decoded text of parameter `name`.
    static func text(_ name: String, in context: AppRequestContext) throws -> String {
        guard let raw = context.parameters.get(name) else {
            throw WebError.badRequest(code: "missing-field", de: "Pfadparameter \"\(name)\" fehlt", en: "path parameter \"\(name)\" is missing")
        }
        guard let text = percentDecoded(raw) else {
            throw WebError.badRequest(code: "invalid-field",
                de: "Pfadparameter \"\(name)\" ist nicht gültig kodiert (Prozentkodierung mit zwei Hex-Ziffern, Text in UTF-8)",
                en: "path parameter \"\(name)\" is not properly encoded (percent-encoding with two hex digits, text in UTF-8)")
        }
        if RequestText.hasNUL(text) { throw RequestText.nulRefused(.pathParameter, name: name) }
        if RequestText.hasControlCharacter(text) {
            throw WebError.badRequest(code: "invalid-field", de: "Pfadparameter \"\(name)\" enthält ein Steuerzeichen; das ist nicht erlaubt",
                                      en: "path parameter \"\(name)\" contains a control character, which is not allowed")
        }
        return text
    }

    /// Parameter `name` as an index of the audit log (a whole number ≥ 0).
    static func index(_ name: String, in context: AppRequestContext) throws -> Int64 {
        let text = try text(name, in: context)
        if let tooLarge = IndexRange.tooLarge(text, place: LocalizedText(de: "Pfadparameter \"\(name)\"", en: "path parameter \"\(name)\"")) {
            throw tooLarge
        }
        guard let n = Int64(text), n >= 0, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw WebError.badRequest(code: "invalid-field", de: "Pfadparameter \"\(name)\": \"\(text)\" ist keine ganze Zahl ≥ 0",
                                      en: "path parameter \"\(name)\": \"\(text)\" is not a whole number ≥ 0")
        }
        return n
    }

    /// Parameter `name` as a case id (`ConsentDeclaration.caseIDProblem`: the rule every subject of a decision, a
    /// consent and an export list follows), else a 400 `invalid-field` naming the parameter: no person can have another
    /// id, so such a request can only be a mistake (found in a review: `/v1/subjects/%20/consents` answered an empty list,
    /// and `/v1/audit/report/%20` a report, logged as a read, for the subject " ").
    static func caseID(_ name: String, in context: AppRequestContext) throws -> String {
        let text = try text(name, in: context)
        try requireCaseID(text, place: LocalizedText(de: "Pfadparameter \"\(name)\"", en: "path parameter \"\(name)\""))
        return text
    }

    /// 400 `invalid-field` naming `place` (a path or query parameter) unless `value` is a case id.
    static func requireCaseID(_ value: String, place: LocalizedText) throws {
        guard let problem = ConsentDeclaration.caseIDProblem(value) else { return }
        throw WebError.badRequest(code: "invalid-field", de: "\(place.de): \"\(value)\" ist keine gültige Fallnummer (erwartet: \(problem.de))",
                                  en: "\(place.en): \"\(value)\" is not a valid case id (expected: \(problem.en))")
    }

    /// Parameter `name` as a consent id: a UUID (either case, as the store reads it), else a 400
    /// `invalid-field` naming the parameter; never the store's 422 for an id that cannot name any consent.
    static func consentID(_ name: String, in context: AppRequestContext) throws -> String {
        let text = try text(name, in: context)
        guard text.utf8.count == 36, UUID(uuidString: text) != nil else {
            throw WebError.badRequest(code: "invalid-field",
                de: "Pfadparameter \"\(name)\": \"\(text)\" ist keine Einwilligungs-ID (UUID wie 0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40)",
                en: "path parameter \"\(name)\": \"\(text)\" is not a consent id (a UUID such as 0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40)")
        }
        return text
    }

    /// `raw` with every `%XX` replaced by its byte, read as UTF-8; nil for a `%` without two hex digits
    /// or for bytes that are not UTF-8. (`+` stays `+`: in a path it is no space.)
    static func percentDecoded(_ raw: String) -> String? {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        var bytes = raw.utf8.makeIterator()
        while let b = bytes.next() {
            guard b == UInt8(ascii: "%") else { out.append(b); continue }
            guard let hi = bytes.next().flatMap(hexValue), let lo = bytes.next().flatMap(hexValue) else { return nil }
            out.append(hi << 4 | lo)
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Whole numbers in paths and queries are read as `Int64`: digits beyond its range are no index of anything,
/// and are told so (not "not a whole number", which they are).
enum IndexRange {
    /// The 400 `invalid-field` for a value of digits only that is above `Int64.max`; nil for anything else.
    static func tooLarge(_ text: String, place: LocalizedText) -> WebError? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), Int64(text) == nil else { return nil }
        return WebError.badRequest(code: "invalid-field",
            de: "\(place.de): \"\(text)\" ist zu groß (höchstens \(Int64.max))",
            en: "\(place.en): \"\(text)\" is too large (at most \(Int64.max))")
    }
}

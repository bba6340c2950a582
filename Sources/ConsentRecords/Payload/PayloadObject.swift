import Diagnostics
import Foundation
import Signing
import StrictJSON

/// A JSON object inside a signed payload, read member by member with errors that name the field by its
/// dotted path (`collected-by.municipality`, `guardians[1].name`). Unknown members are rejected.
struct PayloadObject {
    /// How large a payload may be: a consent is well under 4 KiB. Checked after its fields (`requireSize`), so that an
    /// over-long value is refused as the field it is in (a 70 KB language code was "not acceptable JSON (byte 0)",
    /// found by probing the service).
    static let maximumBytes = 64 * 1024
    /// How a payload is read: strict JSON no larger than a whole JWS may be, at most eight levels (a consent needs three).
    static let parsingLimits = JSONParser.Limits(maximumBytes: JWS.maximumSize, maximumDepth: 8)

    /// Refuses a payload over `maximumBytes` whose fields were all in order.
    static func requireSize(_ bytes: [UInt8], document: ConsentDocumentKind) throws(ConsentError) {
        guard bytes.count <= maximumBytes else { throw .payloadTooLarge(document: document, size: bytes.count, limit: maximumBytes) }
    }

    let members: [String: JSONValue]
    let document: ConsentDocumentKind
    /// The path prefix of members of this object, e.g. `template.`; empty at the top level.
    let path: String

    init(_ value: JSONValue, document: ConsentDocumentKind, field: String?) throws(ConsentError) {
        guard case .object(let m) = value else {
            throw .wrongMemberType(document: document, field: field ?? "(payload)", expected: "object", found: value.typeName)
        }
        members = m
        self.document = document
        path = field.map { $0 + "." } ?? ""
    }

    /// Rejects any member not in `allowed` (sorted, so the error is deterministic).
    func allowOnly(_ allowed: Set<String>) throws(ConsentError) {
        if let extra = members.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw .unknownMember(document: document, field: path + extra)
        }
    }

    func field(_ name: String) -> String { path + name }

    func required(_ name: String) throws(ConsentError) -> JSONValue {
        guard let v = members[name] else { throw .missingMember(document: document, field: field(name)) }
        return v
    }

    func string(_ name: String) throws(ConsentError) -> String {
        let v = try required(name)
        guard case .string(let s) = v else {
            throw .wrongMemberType(document: document, field: field(name), expected: "string", found: v.typeName)
        }
        return s
    }

    func optionalString(_ name: String) throws(ConsentError) -> String? {
        guard members[name] != nil else { return nil }
        return try string(name)
    }

    func integer(_ name: String) throws(ConsentError) -> Int {
        let v = try required(name)
        guard case .int(let n) = v, let value = Int(exactly: n) else {
            throw .wrongMemberType(document: document, field: field(name), expected: "integer", found: v.typeName)
        }
        return value
    }

    func object(_ name: String) throws(ConsentError) -> PayloadObject {
        try PayloadObject(try required(name), document: document, field: field(name))
    }

    /// The array member `name` (an absent optional array reads as empty).
    func array(_ name: String, optional: Bool = false) throws(ConsentError) -> [JSONValue] {
        guard let v = members[name] else {
            if optional { return [] }
            throw .missingMember(document: document, field: field(name))
        }
        guard case .array(let items) = v else {
            throw .wrongMemberType(document: document, field: field(name), expected: "array", found: v.typeName)
        }
        return items
    }

    func stringArray(_ name: String) throws(ConsentError) -> [String] {
        var out: [String] = []
        for (i, item) in try array(name).enumerated() {
            guard case .string(let s) = item else {
                throw .wrongMemberType(document: document, field: "\(field(name))[\(i)]", expected: "string", found: item.typeName)
            }
            out.append(s)
        }
        return out
    }

    /// An RFC 3339 timestamp member, to the whole second (docs/consent.md). A fractional second is refused: the store
    /// keeps these times to the second (`StoredTime`) and a document ConsentGate signs has none, so a hand-made
    /// `"granted-at": "…10:00:00.5Z"` would be stored as 10:00:00 while its verification used 10:00:00.5.
    func date(_ name: String) throws(ConsentError) -> Date {
        let s = try string(name)
        guard let d = RFC3339.parse(s) else {
            throw .invalidValue(document: document, field: field(name), value: s,
                                reason: LocalizedText(de: "kein RFC-3339-Zeitpunkt", en: "not an RFC 3339 timestamp"))
        }
        guard d == d.wholeSecond else {
            throw .invalidValue(document: document, field: field(name), value: s,
                                reason: LocalizedText(de: "nur ganze Sekunden, ohne Sekundenbruchteil (z. B. 2026-11-25T10:00:00Z)",
                                                      en: "whole seconds only, without a fractional part (e.g. 2026-11-25T10:00:00Z)"))
        }
        return d
    }

    /// Checks `value` against `rule`, throwing `invalidValue` for `name` with the rule's explanation.
    func check(_ name: String, _ value: String, _ rule: ValueRule) throws(ConsentError) {
        guard rule.accepts(value) else {
            throw .invalidValue(document: document, field: field(name), value: value, reason: rule.explanation)
        }
    }
}

/// The shape rules for the payload's text values.
struct ValueRule: Sendable {
    let accepts: @Sendable (String) -> Bool
    let explanation: LocalizedText

    /// A case id: 1 to 64 of letters, digits, `-`, `_`, `.`, `/`, starting with a letter or digit (never a name with spaces).
    static let caseID = ValueRule(accepts: { s in
        guard let f = s.unicodeScalars.first, s.unicodeScalars.count <= 64, isAlnum(f) else { return false }
        return s.unicodeScalars.allSatisfy { isAlnum($0) || "-_./".unicodeScalars.contains($0) }
    }, explanation: LocalizedText(de: "eine Fallnummer aus 1–64 Buchstaben, Ziffern, - _ . / (beginnend mit Buchstabe oder Ziffer)",
                                  en: "a case id of 1-64 letters, digits, - _ . / (starting with a letter or digit)"))

    /// An identifier from the policy bundle or a staff id: 1 to 128 characters, no control characters or spaces at the ends.
    static let identifier = ValueRule(accepts: { s in
        !s.isEmpty && s.count <= 128 && s == s.trimmingCharacters(in: .whitespacesAndNewlines)
            && !s.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }, explanation: LocalizedText(de: "1–128 Zeichen, ohne Steuerzeichen und ohne Leerraum am Rand",
                                  en: "1-128 characters, no control characters, no surrounding white space"))

    /// A language code such as `de`, `uk`, `en`, `pt-BR` (BCP 47 shape, lower-case primary subtag).
    static let languageCode = ValueRule(accepts: { s in
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let p = parts.first, (2...3).contains(p.count), p.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.unicodeScalars.allSatisfy(isAlnum) }
    }, explanation: LocalizedText(de: "ein Sprachcode wie de, en, uk", en: "a language code such as de, en, uk"))

    /// `sha256:` followed by 64 lower-case hex digits.
    static let sha256Digest = ValueRule(accepts: { s in
        guard s.hasPrefix("sha256:") else { return false }
        let hex = s.dropFirst(7)
        return hex.count == 64 && hex.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }, explanation: LocalizedText(de: "„sha256:“ gefolgt von 64 kleingeschriebenen Hex-Ziffern",
                                  en: "\"sha256:\" followed by 64 lower-case hex digits"))

    /// A UUID in its 36-character textual form.
    static let uuid = ValueRule(accepts: { s in s.count == 36 && UUID(uuidString: s) != nil },
                                explanation: LocalizedText(de: "eine UUID (36 Zeichen)", en: "a UUID (36 characters)"))

    private static func isAlnum(_ u: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u)
    }
}

extension ConsentDeclaration {
    /// Why `value` is not a case id by the rule every consent's and withdrawal's `subject` follows
    /// (`ValueRule.caseID`: 1–64 letters, digits, `- _ . /`, starting with a letter or digit), or nil when it is
    /// one. Public so that code taking case ids from outside (the web service's decision request and check
    /// form) applies this very rule, not a copy of it.
    public static func caseIDProblem(_ value: String) -> LocalizedText? {
        ValueRule.caseID.accepts(value) ? nil : ValueRule.caseID.explanation
    }
}

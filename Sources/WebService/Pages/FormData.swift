import Foundation

/// A parsed `application/x-www-form-urlencoded` body: every value of every field, in order.
public struct FormData: Sendable, Equatable {
    /// Field name → values in the order sent.
    public private(set) var values: [String: [String]] = [:]
    /// Field name → uploaded files (multipart forms only).
    public private(set) var files: [String: [UploadedFile]] = [:]
    /// Field name → a file too large to read (the form's body was cut in it; multipart forms only).
    public private(set) var oversizedFiles: [String: OversizedFile] = [:]

    /// An empty form (what a page handler gets for a request that is not a POST).
    public init() {}

    /// Parses `a=1&b=x+y&b=%C3%A4`. Refuses undecodable percent escapes (400 `malformed-form` naming the
    /// field) and U+0000 in a name or value (400 `invalid-field`: see `RequestText`).
    public init(urlEncoded text: String) throws {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = String(kv[0]).replacingOccurrences(of: "+", with: " ")
            let rawValue = kv.count > 1 ? String(kv[1]).replacingOccurrences(of: "+", with: " ") : ""
            guard let name = rawName.removingPercentEncoding, let value = rawValue.removingPercentEncoding else {
                throw WebError.badRequest(code: "malformed-form", de: "Formularfeld \"\(rawName)\" ist fehlerhaft kodiert",
                                          en: "form field \"\(rawName)\" is not properly encoded")
            }
            if RequestText.hasNUL(name) || RequestText.hasNUL(value) {
                throw RequestText.nulRefused(.formField, name: RequestText.escapedName(name))
            }
            values[name, default: []].append(value)
        }
    }

    mutating func add(name: String, value: String) { values[name, default: []].append(value) }
    mutating func addFile(name: String, _ file: UploadedFile) { files[name, default: []].append(file) }
    mutating func addOversizedFile(name: String, _ file: OversizedFile) { oversizedFiles[name] = file }

    /// The first file sent as `name` that is not empty (browsers send an empty part for no file).
    public func file(_ name: String) -> UploadedFile? { files[name]?.first { !$0.data.isEmpty || !$0.filename.isEmpty } }

    /// A file sent as `name` that was too large to read (its bytes are not kept), or nil.
    public func oversizedFile(_ name: String) -> OversizedFile? { oversizedFiles[name] }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? { values[name]?.first }

    /// Every value of `name` (checkbox groups, multi-selects).
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The first value of `name`, trimmed, or a 400 naming the missing field.
    public func required(_ name: String, label: String) throws -> String {
        guard let v = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
            throw WebError.badRequest(code: "missing-field", de: "Pflichtfeld \"\(label)\" fehlt", en: "required field \"\(label)\" is missing")
        }
        return v
    }

    /// Whether a page form sends `name` more than once by design: its checkbox groups (the check's fields, a
    /// consent's clauses), also as entries the login form carries for a form whose session ended (`kept.fields`).
    static func isMultiValued(_ name: String) -> Bool {
        let field = name.hasPrefix(KeptEntries.prefix) ? String(name.dropFirst(KeptEntries.prefix.count)) : name
        return field == "fields" || field == "clause" || field == "clauses" || field.hasPrefix("clauses.")
    }

    /// A 400 `malformed-form` naming a field sent more than once that is no checkbox group, or sent both as text and as a
    /// file: a browser sends each once, and the first value counted silently (found by probing the service: `/check`
    /// with `partner` twice logged a decision for the first). Checked on every page form a session posts.
    public func requireSingleValues() throws {
        let repeated = values.filter { $0.value.count > 1 && !Self.isMultiValued($0.key) }.map(\.key)
            + files.filter { $0.value.count > 1 || values[$0.key] != nil }.map(\.key)
        guard let name = repeated.sorted().first else { return }
        let shown = RequestText.escapedName(name)
        throw WebError.badRequest(code: "malformed-form", de: "Formularfeld \"\(shown)\" mehrfach gesendet; jedes Feld genau einmal senden",
                                  en: "form field \"\(shown)\" sent more than once; send each field once")
    }
}

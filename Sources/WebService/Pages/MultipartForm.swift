import Foundation

/// A file sent in a `multipart/form-data` form (the scanned, signed consent form).
public struct UploadedFile: Sendable, Equatable {
    /// The file name the browser sent (only for display; never used as a path).
    public let filename: String
    /// The declared content type.
    public let contentType: String
    /// The bytes.
    public let data: Data
}

/// A file of a `multipart/form-data` form that the body's limit cut: only its name is known.
public struct OversizedFile: Sendable, Equatable {
    /// The file name the browser sent (only for display).
    public let filename: String
    /// The most bytes the form's body may have (the file with every other entry).
    public let bodyLimit: Int
}

/// A strict `multipart/form-data` reader (RFC 7578): boundary from the content type, at most
/// `maxParts` parts, every part with a `Content-Disposition: form-data; name=...`; text parts must be
/// UTF-8. Anything else is a 400 naming the problem.
enum MultipartForm {
    static let maxParts = 500

    /// The boundary of a `multipart/form-data; boundary=...` content type; a 400 `malformed-form` saying what is wrong
    /// when it has none, an empty one or one over 70 characters (RFC 2046 §5.1.1). Before, such a form was a 415 that
    /// asked for `multipart/form-data` (found by probing the service).
    static func boundary(contentType: String) throws -> String {
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                guard !b.isEmpty else { throw malformed("the boundary parameter is empty", "der Parameter boundary ist leer") }
                guard b.utf8.count <= 70 else {
                    throw malformed("the boundary is longer than 70 characters (RFC 2046)", "die Grenze (boundary) ist länger als 70 Zeichen (RFC 2046)")
                }
                return b
            }
        }
        throw malformed("the Content-Type has no boundary parameter", "der Content-Type hat keinen Parameter boundary")
    }

    static func malformed(_ en: String, _ de: String) -> WebError {
        WebError.badRequest(code: "malformed-form", de: "Formular (multipart) fehlerhaft: \(de)", en: "malformed multipart form: \(en)")
    }

    /// Parses `body` into text fields and files. A `truncated` body is the first part of a longer one
    /// (`RequestBodyReader.collectPrefix`): the parts before the cut are read as usual, and a file part the cut falls
    /// in is noted as too large (`FormData.oversizedFile`) without its bytes. A cut anywhere else (in a text field, in
    /// a part's headers) is the 413 `body-too-large`, as for any other body over the limit.
    static func parse(_ body: Data, boundary: String, truncated: Bool = false) throws -> FormData {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        let tooLarge = WebError.bodyTooLarge(limit: bytes.count)
        var form = FormData()
        guard var position = find(delimiter, in: bytes, from: 0) else {
            throw truncated ? tooLarge : malformed("no boundary found", "keine Grenze gefunden")
        }
        var parts = 0
        while true {
            position += delimiter.count
            if bytes[position..<min(position + 2, bytes.count)].elementsEqual(Array("--".utf8)) { break } // closing delimiter
            // Cut right after a delimiter (in the closing `--` or the CRLF): every part before it is whole.
            if truncated && position + 2 > bytes.count { return form }
            guard bytes[position..<min(position + 2, bytes.count)].elementsEqual([13, 10]) else {
                throw malformed("boundary not followed by CRLF", "Grenze ohne Zeilenende")
            }
            position += 2
            guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: position) else {
                throw truncated ? tooLarge : malformed("part without header end", "Teil ohne Kopfende")
            }
            parts += 1
            guard parts <= maxParts else { throw malformed("more than \(maxParts) parts", "mehr als \(maxParts) Teile") }
            guard let headerText = String(validating: bytes[position..<headerEnd], as: UTF8.self) else {
                throw malformed("a part's headers are not UTF-8", "die Kopfzeilen eines Teils sind kein UTF-8")
            }
            let part = try PartHeaders(headerText)
            guard let next = find([13, 10] + delimiter, in: bytes, from: headerEnd + 4) else {
                guard truncated else { throw malformed("part not terminated by the boundary", "Teil nicht durch Grenze abgeschlossen") }
                // The cut fell in this part: a file is named as too large, everything before it kept.
                guard let filename = part.filename else { throw tooLarge }
                form.addOversizedFile(name: part.name, OversizedFile(filename: filename, bodyLimit: bytes.count))
                return form
            }
            try add(part, content: Data(bytes[(headerEnd + 4)..<next]), to: &form)
            position = next + 2
        }
        return form // a cut after the closing delimiter (in its CRLF) leaves every part whole
    }

    /// What a part's headers say: its field name, its file name (file parts only) and its content type.
    private struct PartHeaders {
        var name: String
        var filename: String?
        var type = "application/octet-stream"

        init(_ headers: String) throws {
            var name: String?
            var disposed = false
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    guard lower.contains("form-data") else { throw MultipartForm.malformed("part is not form-data", "Teil ist nicht form-data") }
                    disposed = true
                    name = MultipartForm.parameter("name", in: line)
                    filename = MultipartForm.parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    type = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces)
                }
            }
            guard disposed else {
                throw MultipartForm.malformed("a part without Content-Disposition: form-data", "ein Teil ohne Content-Disposition: form-data")
            }
            guard let name, !name.isEmpty else { throw MultipartForm.malformed("part without a name", "Teil ohne Namen") }
            if RequestText.hasNUL(name) { throw RequestText.nulRefused(.formField, name: RequestText.escapedName(name)) }
            self.name = name
        }
    }

    private static func add(_ part: PartHeaders, content: Data, to form: inout FormData) throws {
        if let filename = part.filename {
            form.addFile(name: part.name, UploadedFile(filename: filename, contentType: part.type, data: content))
        } else {
            guard let text = String(data: content, encoding: .utf8) else {
                throw malformed("field \"\(part.name)\" is not UTF-8", "Feld \"\(part.name)\" ist kein UTF-8")
            }
            if RequestText.hasNUL(text) { throw RequestText.nulRefused(.formField, name: part.name) }
            form.add(name: part.name, value: text)
        }
    }

    /// `name="value"` from a header line; a `;` inside a quoted value belongs to the value (it split `name="a;b"` at
    /// the `;`, found by probing the service).
    static func parameter(_ key: String, in line: String) -> String? {
        var pieces: [Substring] = []
        var start = line.startIndex
        var quoted = false
        for i in line.indices {
            if line[i] == "\"" { quoted.toggle() }
            if line[i] == ";" && !quoted { pieces.append(line[start..<i]); start = line.index(after: i) }
        }
        pieces.append(line[start...])
        for piece in pieces.dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == key {
                var v = kv[1]
                if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                return v
            }
        }
        return nil
    }

    /// Index of the first occurrence of `needle` in `haystack` at or after `from`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

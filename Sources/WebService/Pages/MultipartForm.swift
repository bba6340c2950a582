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

/// A strict `multipart/form-data` reader (RFC 7578): boundary from the content type, at most
/// `maxParts` parts, every part with a `Content-Disposition: form-data; name=...`; text parts must be
/// UTF-8. Anything else is a 400 naming the problem.
enum MultipartForm {
    static let maxParts = 500

    /// The boundary of a `multipart/form-data; boundary=...` content type, or nil.
    static func boundary(contentType: String) -> String? {
        guard RequestBodyReader.mediaType(of: contentType) == "multipart/form-data" else { return nil }
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(b.utf8.count) ? b : nil
            }
        }
        return nil
    }

    static func malformed(_ en: String, _ de: String) -> WebError {
        WebError.badRequest(code: "malformed-form", de: "Formular (multipart) fehlerhaft: \(de)", en: "malformed multipart form: \(en)")
    }

    /// Parses `body` into text fields and files.
    static func parse(_ body: Data, boundary: String) throws -> FormData {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        var form = FormData()
        guard var position = find(delimiter, in: bytes, from: 0) else { throw malformed("no boundary found", "keine Grenze gefunden") }
        var parts = 0
        while true {
            position += delimiter.count
            if bytes[position..<min(position + 2, bytes.count)].elementsEqual(Array("--".utf8)) { break } // closing delimiter
            guard bytes[position..<min(position + 2, bytes.count)].elementsEqual([13, 10]) else {
                throw malformed("boundary not followed by CRLF", "Grenze ohne Zeilenende")
            }
            position += 2
            guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: position) else {
                throw malformed("part without header end", "Teil ohne Kopfende")
            }
            guard let next = find([13, 10] + delimiter, in: bytes, from: headerEnd + 4) else {
                throw malformed("part not terminated by the boundary", "Teil nicht durch Grenze abgeschlossen")
            }
            parts += 1
            guard parts <= maxParts else { throw malformed("more than \(maxParts) parts", "mehr als \(maxParts) Teile") }
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let content = Data(bytes[(headerEnd + 4)..<next])
            try add(headers: headers, content: content, to: &form)
            position = next + 2
        }
        return form
    }

    private static func add(headers: String, content: Data, to form: inout FormData) throws {
        var name: String?, filename: String?, type = "application/octet-stream"
        for line in headers.components(separatedBy: "\r\n") {
            let lower = line.lowercased()
            if lower.hasPrefix("content-disposition:") {
                guard lower.contains("form-data") else { throw malformed("part is not form-data", "Teil ist nicht form-data") }
                name = parameter("name", in: line)
                filename = parameter("filename", in: line)
            } else if lower.hasPrefix("content-type:") {
                type = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        guard let name, !name.isEmpty else { throw malformed("part without a name", "Teil ohne Namen") }
        if RequestText.hasNUL(name) { throw RequestText.nulRefused(.formField, name: RequestText.escapedName(name)) }
        if let filename {
            form.addFile(name: name, UploadedFile(filename: filename, contentType: type, data: content))
        } else {
            guard let text = String(data: content, encoding: .utf8) else {
                throw malformed("field \"\(name)\" is not UTF-8", "Feld \"\(name)\" ist kein UTF-8")
            }
            if RequestText.hasNUL(text) { throw RequestText.nulRefused(.formField, name: name) }
            form.add(name: name, value: text)
        }
    }

    /// `name="value"` from a header line.
    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
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

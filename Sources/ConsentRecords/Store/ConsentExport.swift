import Diagnostics
import Foundation
import Signing
import StrictJSON

/// The signed documents of one consent, verbatim, for moving it between installations
/// (`consent export ID` / `consent import FILE`). Files: `consent-<id>.jws.json` and, when withdrawn,
/// `withdrawal-<id>.jws.json`, each a flattened JWS any JOSE library verifies.
public struct ConsentExport: Sendable, Equatable {
    /// The consent id (lower-case UUID).
    public let consentID: String
    /// The consent JWS exactly as stored.
    public let consent: [UInt8]
    /// The withdrawal JWSs exactly as stored, earliest first; empty when not withdrawn.
    public let withdrawals: [[UInt8]]

    /// Creates an export of the given documents; `withdrawals` empty for a consent not withdrawn.
    public init(consentID: String, consent: [UInt8], withdrawals: [[UInt8]]) {
        self.consentID = consentID; self.consent = consent; self.withdrawals = withdrawals
    }

    /// The file name of the consent document.
    public var consentFileName: String { "consent-\(consentID).jws.json" }
    /// The file names of the withdrawal documents, in the order of `withdrawals`.
    public var withdrawalFileNames: [String] {
        withdrawals.indices.map { $0 == 0 ? "withdrawal-\(consentID).jws.json" : "withdrawal-\(consentID)-\($0 + 1).jws.json" }
    }

    /// Writes the documents into `directory` (created if missing) as one set (`AtomicFile.writeAll`: every temporary
    /// file written and synced before the first is named; a folder or device in the way refused before anything is
    /// written): a reader never sees half a file, nor a consent without its withdrawals. Returns the paths written,
    /// consent first (import them in that order). With `replacing: false` an existing file is not replaced
    /// (`AtomicFile`'s final `link` fails, a file error naming it) and is left as it was.
    @discardableResult
    public func write(toDirectory directory: String, replacing: Bool = true) throws(ConsentError) -> [String] {
        // The folders this export creates (the missing ones of `directory`, deepest last), removed again on failure.
        var created: [String] = []
        var missing = (directory as NSString).standardizingPath
        while !missing.isEmpty, missing != "/", !FileManager.default.fileExists(atPath: missing) {
            created.insert(missing, at: 0)
            missing = (missing as NSString).deletingLastPathComponent
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .file(path: directory, reason: SystemErrorText.mkdirFailure(directory))
        }
        let paths = ([consentFileName] + withdrawalFileNames).map { (directory as NSString).appendingPathComponent($0) }
        do {
            // All or none: the consent without one of its withdrawals, imported elsewhere, would read as still granted
            // on the line withdrawn (found in a black-box review: a full disk left the consent and its first withdrawal).
            try Self.write(Array(zip([consent] + withdrawals, paths)), replacing: replacing)
        } catch {
            // The folders this export created go again, if empty (`rmdir`: never anything that is not its own).
            for folder in created.reversed() { rmdir(folder) }
            throw error
        }
        return paths
    }

    /// Reads a JWS file for import or verification, refusing anything over `JWS.maximumSize`.
    public static func readDocument(atPath path: String) throws(ConsentError) -> [UInt8] {
        switch InputFileProblem.read(path, limit: JWS.maximumSize) {
        case .read(let bytes): return bytes
        case .refused(let reason): throw .unreadableInput(path: path, reason: reason)
        }
    }

    /// Writes the documents as one set (`Signing.AtomicFile.writeAll`: every temporary file written and synced before the
    /// first is named; none left when one fails), mode 0640: a consent names the person by case id and its guardians by
    /// name, so it is not for every user of the machine.
    private static func write(_ files: [([UInt8], String)], replacing: Bool) throws(ConsentError) {
        do { try AtomicFile.writeAll(files.map { (bytes: $0.0, path: $0.1) }, mode: 0o640, overwrite: replacing) } catch let SigningError.io(path, reason) {
            throw .file(path: path, reason: reason)
        } catch SigningError.nameTaken(let path) {
            throw .file(path: path, reason: LocalizedText(de: "gibt es inzwischen (von einem anderen Vorgang angelegt); bleibt unverändert",
                                                          en: "exists now (created by another process); left as it is"))
        } catch {
            throw .file(path: files.first?.1 ?? "", reason: SystemErrorText.failure("write", errno: EIO))
        }
    }

    /// Whether `bytes` is a consent or a withdrawal, by the protected header's `typ`. Bytes that are not a JWS at
    /// all (`shapeProblem`) are invalid input (`notAJWS`, exit 3); a JWS-shaped object that does not parse or
    /// verify stays an integrity failure (exit 4).
    public static func kind(of bytes: [UInt8]) throws(ConsentError) -> ConsentDocumentKind {
        if let problem = shapeProblem(bytes) { throw .notAJWS(reason: problem) }
        let jws: JWS
        do { jws = try JWS(flattened: bytes) } catch let e as SigningError {
            throw ConsentError.from(signing: e, document: .consent, kid: nil)
        } catch { throw .malformedJWS(document: .consent, reason: ConsentError.untranslated(String(describing: error))) }
        guard let kind = ConsentDocumentKind.named(byType: jws.header.typ) else { throw .wrongType(document: .consent, found: jws.header.typ) }
        return kind
    }

    /// Why `bytes` is not a flattened JWS at all, or nil when it has that shape: JSON (by syntax; duplicate members,
    /// depth and size are left to `JWS(flattened:)`, which refuses them as a malformed JWS) whose top level is an
    /// object with the members `protected`, `payload` and `signature`.
    ///
    /// A byte order mark (a Windows editor adds one when it saves) is named as such: "not JSON at byte 0" sent the reader
    /// looking for a broken file (a review of the command line). A file nested more deeply than a JWS can be is not one
    /// either (it was an integrity failure, exit 4, while a JSON array was invalid input, exit 3).
    static func shapeProblem(_ bytes: [UInt8]) -> LocalizedText? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return LocalizedText(de: "beginnt mit einer Byte-Reihenfolge-Markierung (UTF-8-BOM, von einem Editor gesetzt): die Datei ohne BOM speichern",
                                 en: "starts with a byte order mark (a UTF-8 BOM, added by an editor): save the file without a BOM")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return LocalizedText(de: "ist UTF-16-Text (von einem Editor so gespeichert): die Datei als UTF-8 ohne BOM speichern",
                                 en: "is UTF-16 text (saved so by an editor): save the file as UTF-8 without a BOM")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: JSONParser.Limits(maximumBytes: JWS.maximumSize, maximumDepth: 4)) } catch {
            let words = error.words(in: bytes)
            if error.reason.hasPrefix("nested deeper than") {
                return LocalizedText(de: "JSON, aber tiefer verschachtelt als eine JWS (Byte \(error.offset))",
                                     en: "JSON, but nested more deeply than a JWS at byte \(error.offset)")
            }
            guard words.syntax else { return nil }
            return LocalizedText(de: "kein JSON: \(words.text.de) (Byte \(error.offset))",
                                 en: "not JSON: \(words.text.en) at byte \(error.offset)")
        }
        guard case let .object(members) = value else {
            return LocalizedText(de: "JSON, aber kein Objekt", en: "JSON, but not an object")
        }
        let missing = ["protected", "payload", "signature"].filter { members[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.joined(separator: ", ")
            return LocalizedText(de: "JSON-Objekt ohne \(list)", en: "a JSON object without \(list)")
        }
        return nil
    }
}

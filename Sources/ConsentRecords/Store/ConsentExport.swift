import Foundation
import Signing
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// The signed documents of one consent, verbatim, for moving it between installations
/// (`consent export ID` / `consent import FILE`). Files: `consent-<id>.jws.json` and, when withdrawn,
/// `withdrawal-<id>.jws.json`, each a flattened JWS any JOSE library verifies.
public struct ConsentExport: Sendable, Equatable {
    /// The consent id (lower-case UUID).
    public let consentID: String
    /// The consent JWS exactly as stored.
    public let consent: [UInt8]
    /// The withdrawal JWS exactly as stored, if withdrawn.
    public let withdrawal: [UInt8]?

    public init(consentID: String, consent: [UInt8], withdrawal: [UInt8]?) {
        self.consentID = consentID; self.consent = consent; self.withdrawal = withdrawal
    }

    /// The file name of the consent document.
    public var consentFileName: String { "consent-\(consentID).jws.json" }
    /// The file name of the withdrawal document.
    public var withdrawalFileName: String { "withdrawal-\(consentID).jws.json" }

    /// Writes the documents into `directory` (created if missing), each atomically (temporary file,
    /// fsync, rename, fsync of the folder): a reader never sees half a file. Returns the paths written,
    /// consent first (import them in that order).
    @discardableResult
    public func write(toDirectory directory: String) throws(ConsentError) -> [String] {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .file(path: directory, reason: error.localizedDescription)
        }
        var written: [String] = []
        let c = (directory as NSString).appendingPathComponent(consentFileName)
        try AtomicFile.write(consent, to: c)
        written.append(c)
        if let withdrawal {
            let w = (directory as NSString).appendingPathComponent(withdrawalFileName)
            try AtomicFile.write(withdrawal, to: w)
            written.append(w)
        }
        return written
    }

    /// Reads a JWS file for import or verification, refusing anything over `JWS.maximumSize`.
    public static func readDocument(atPath path: String) throws(ConsentError) -> [UInt8] {
        if let reason = InputFileProblem.reason(path, limit: JWS.maximumSize) { throw .unreadableInput(path: path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableInput(path: path, reason: InputFileProblem.systemReason(errno))
        }
        return [UInt8](data)
    }

    /// Whether `bytes` is a consent or a withdrawal, by the protected header's `typ`.
    public static func kind(of bytes: [UInt8]) throws(ConsentError) -> ConsentDocumentKind {
        let jws: JWS
        do { jws = try JWS(flattened: bytes) } catch let e as SigningError {
            throw ConsentError.from(signing: e, document: .consent, kid: nil)
        } catch { throw .malformedJWS(document: .consent, reason: ConsentError.untranslated(String(describing: error))) }
        switch jws.header.typ {
        case ConsentDocumentKind.consent.jwsType: return .consent
        case ConsentDocumentKind.withdrawal.jwsType: return .withdrawal
        default: throw .wrongType(document: .consent, found: jws.header.typ)
        }
    }
}

/// Writing a file so that it is either absent or complete, and durable once this returns.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(ConsentError) {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw .file(path: path, reason: "cannot create \(temp): \(String(cString: strerror(errno)))") }
        var ok = bytes.withUnsafeBytes { buf -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = systemWrite(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        var reason = ok ? "" : String(cString: strerror(errno))
        close(fd)
        if ok && rename(temp, path) != 0 { ok = false; reason = String(cString: strerror(errno)) }
        guard ok else {
            unlink(temp)
            throw .file(path: path, reason: "write failed: \(reason)")
        }
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}

import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who owns a key file this process may not read, and what to do about it.
///
/// Why: `consentgate keys generate` run as root in an installation owned by the service account writes a root-owned key
/// file of mode 0600, which the service account then cannot read; the message said only "no permission to read it"
/// (found in a key review). The hint names the owner, the account this process runs as, and the `chown` that fixes it.
enum KeyFileOwner {
    /// The hint for `path` when it exists, belongs to another user than this process's, and this process may not read
    /// it; nil otherwise.
    static func hint(_ path: String) -> LocalizedText? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != geteuid(), access(path, R_OK) != 0 else { return nil }
        let owner = userName(info.st_uid), me = userName(geteuid())
        return LocalizedText(
            de: "die Datei gehört \(owner), dieser Befehl läuft als \(me): als \(owner) ausführen oder die Datei übergeben (als root: chown \(me) \(path))",
            en: "the file belongs to \(owner), and this command runs as \(me): run it as \(owner), or hand the file over (as root: chown \(me) \(path))")
    }

    /// The login name of `uid`, or the number when it has none.
    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    /// `error` with the ownership hint added when it says `path` cannot be read and the hint applies.
    static func explaining(_ error: any Error, path: String) -> any Error {
        guard case let SigningError.unreadableFile(file, reason) = error, let hint = hint(path) else { return error }
        return SigningError.unreadableFile(path: file, reason: LocalizedText(de: "\(reason.de); \(hint.de)", en: "\(reason.en); \(hint.en)"))
    }
}

import Diagnostics
import Foundation
import Gate
import Signing

/// Reading the page password without it ever appearing in argv (where `ps` shows it).
enum UsersPassword {
    /// The largest password file read: its first line is the password.
    static let maximumFileSize = 64 * 1024

    /// The password from the first line of `file` (`-` = standard input) or from the environment
    /// variable named `environmentVariable`; nil when neither is given.
    static func read(file: String?, environmentVariable: String?) throws -> String? {
        if let file {
            // Like every other input file (`--passphrase-file`, `--evidence`, a JWS): invalid input (exit 3), and why.
            // Standard input too is read to at most `maximumFileSize` (it was read to its end: 1.5 GB piped in
            // aborted the command; input review, finding 3).
            let data: [UInt8]
            switch file == "-" ? InputFileProblem.read(fileDescriptor: 0, limit: maximumFileSize)
                               : InputFileProblem.read(file, limit: maximumFileSize) {
            case .read(let bytes): data = bytes
            case .refused(let reason): throw PasswordFileError(path: file, reason: reason)
            }
            let text = String(decoding: data, as: UTF8.self)
            return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        if let name = environmentVariable {
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw UsageError(de: "Umgebungsvariable \(name) ist nicht gesetzt", en: "environment variable \(name) is not set")
            }
            return value
        }
        return nil
    }
}

/// A `--password-file` that cannot be read (invalid input, exit 3), with the reason in the user's language.
struct PasswordFileError: UserFacingError, Equatable {
    /// The file as given to `--password-file`.
    let path: String
    /// Why it cannot be read (missing, a folder, too large, no permission, …).
    let reason: LocalizedText

    /// Always invalid input (exit 3), like every other unreadable input file.
    var category: ProblemCategory { .invalidInput }

    /// The file and the reason in `language`.
    func message(in language: Language) -> String {
        language == .de ? "Passwortdatei \(path) lässt sich nicht lesen: \(reason.de)" : "cannot read password file \(path): \(reason.en)"
    }
}

/// Printing accounts.
enum UsersOutput {
    /// An account as the `--json` output of the `users` commands gives it: name, role, municipality, created-at and
    /// disabled-at (times RFC 3339 in UTC; `null` for no municipality or not disabled). No credential: `users add`
    /// puts the new token beside it, once.
    static func dictionary(_ a: Account) -> [String: Any] {
        var d: [String: Any] = ["name": a.name, "role": a.role.rawValue, "created-at": RFC3339.format(a.createdAt)]
        d["municipality"] = a.municipality ?? NSNull()
        d["disabled-at"] = a.disabledAt.map(RFC3339.format) ?? NSNull()
        return d
    }

    /// `value` (dictionaries, arrays, strings, numbers, `NSNull`) as pretty-printed JSON with sorted keys and
    /// unescaped slashes, without a trailing newline.
    static func json(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// The accounts as a table with headings and status in the help language (`HelpText.language`).
    static func table(_ accounts: [Account]) -> String {
        let de = HelpText.language == .de
        let header = de ? ["NAME", "ROLLE", "KOMMUNE", "ANGELEGT", "STATUS"] : ["NAME", "ROLE", "MUNICIPALITY", "CREATED", "STATUS"]
        let rows = [header] + accounts.map {
            [$0.name, $0.role.rawValue, $0.municipality ?? "-", RFC3339.format($0.createdAt),
             $0.disabledAt.map { (de ? "gesperrt " : "disabled ") + RFC3339.format($0) } ?? (de ? "aktiv" : "active")]
        }
        let widths = (0..<5).map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { r in
            r.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

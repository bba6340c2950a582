import Foundation

/// Where the passphrase for encrypted private keys comes from. Never the command line: argv is visible to
/// every user of the machine (`ps`) and lands in shell history.
public enum PassphraseSource: Sendable, Equatable {
    /// The first line of a file (a trailing newline is removed), e.g. a secret mounted by the service manager.
    case file(String)
    /// The text of an environment variable (normally `CONSENTGATE_PASSPHRASE`).
    case environment(name: String, value: String)
    /// No passphrase was given; only demo keys (in demo mode) can be opened.
    case none

    /// The environment variable ConsentGate reads the passphrase from.
    public static let environmentVariable = "CONSENTGATE_PASSPHRASE"

    /// The passphrase of the demo keys shipped in `keys/demo/`. Public by design: demo keys protect nothing,
    /// and `SigningKeyRing` applies it only to keys marked `demo: true` when demo mode is on.
    public static let demoPassphrase = "consentgate-demo"

    /// `--passphrase-file` when given, otherwise `CONSENTGATE_PASSPHRASE` when set, otherwise `.none`.
    public static func resolve(passphraseFile: String?, environment: [String: String]) -> PassphraseSource {
        if let passphraseFile { return .file(passphraseFile) }
        if let value = environment[environmentVariable] { return .environment(name: environmentVariable, value: value) }
        return .none
    }

    /// Reads the passphrase; throws `passphraseUnavailable` when there is none or it is empty (exit 2), and
    /// `unreadablePassphraseFile` when the file is missing or cannot be read (exit 3).
    public func passphrase() throws -> String {
        switch self {
        case let .file(path):
            var line: String
            do { line = try FileBytes.readText(path, limit: 4096) } catch let SigningError.unreadableFile(_, reason) {
                // Named as the passphrase file: "PATH: cannot be read" alone did not say which of the command's files it was.
                throw SigningError.unreadablePassphraseFile(path: path, reason: reason)
            }
            if let newline = line.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                line = String(line[..<newline])
            }
            guard !line.isEmpty else {
                throw SigningError.passphraseUnavailable(text("the passphrase file \(path) is empty",
                                                              de: "die Passphrasendatei \(path) ist leer"))
            }
            return line
        case let .environment(name, value):
            guard !value.isEmpty else {
                throw SigningError.passphraseUnavailable(text("the environment variable \(name) is empty",
                                                              de: "die Umgebungsvariable \(name) ist leer"))
            }
            return value
        case .none:
            throw SigningError.passphraseUnavailable(text(
                "give --passphrase-file FILE or set \(Self.environmentVariable) (never on the command line)",
                de: "--passphrase-file DATEI angeben oder \(Self.environmentVariable) setzen (nie auf der Kommandozeile)"))
        }
    }
}

/// Every printed form (interpolation, `String(describing:)`, `String(reflecting:)`, `dump`, and so the printed form of
/// anything that holds a source, such as `SigningKeyRing`) says where the passphrase comes from, never what it is.
extension PassphraseSource: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Where the passphrase comes from: the file's path, the variable's name (its value redacted), or none; never
    /// the passphrase itself.
    public var description: String {
        switch self {
        case let .file(path): return "passphrase file \(path)"
        case let .environment(name, _): return "passphrase from $\(name) (redacted)"
        case .none: return "no passphrase"
        }
    }

    /// `description` as `PassphraseSource(…)`, so `String(reflecting:)` and `debugPrint` redact as well.
    public var debugDescription: String { "PassphraseSource(\(description))" }

    /// A mirror whose only child is `description`: without it `dump`, and the default printed form of a value that
    /// holds a source, would show an environment variable's value, the passphrase.
    public var customMirror: Mirror { Mirror(self, children: ["source": description], displayStyle: .enum) }
}

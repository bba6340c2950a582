import ArgumentParser
import Diagnostics
import Foundation
import Signing

/// `consentgate keys generate`: a new key pair, the private half encrypted (mode 0600), the public half as
/// SPKI PEM, and an entry in the trust store.
struct KeysGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: HelpText.text("Generate a key pair and add it to the trust store.",
                                de: "Schlüsselpaar erzeugen und in den Trust-Store eintragen."))

    @OptionGroup var options: KeysTrustOptions
    @OptionGroup var passphrase: KeysPassphraseOptions

    @Option(name: .long, help: HelpText.help("A name for people, e.g. \"Kreis consent signer 2026\".",
                                             de: "Ein für Menschen lesbarer Name, z. B. \"Kreis Einwilligungssignatur 2026\"."))
    var name: String

    @Option(name: .long, help: HelpText.help("A role the key may sign for (repeatable): consent-signer, policy-signer, audit-log, export-signer.",
                                             de: "Eine Rolle, für die der Schlüssel signieren darf (mehrfach angebbar): consent-signer, policy-signer, audit-log, export-signer."))
    var role: [String] = []

    @Option(name: .long, help: HelpText.help("The algorithm: ed25519 or p256.", de: "Das Verfahren: ed25519 oder p256."))
    var algorithm: String = "ed25519"

    @Option(name: .long, help: HelpText.help("Folder for the key files (default: the trust store's folder).",
                                             de: "Ordner für die Schlüsseldateien (Standard: der Ordner des Trust-Stores)."))
    var dir: String?

    @Option(name: .long, help: HelpText.help("Base name of the key files: <stem>.key.pem and <stem>.pub.pem (default: from --name).",
                                             de: "Basisname der Schlüsseldateien: <stem>.key.pem und <stem>.pub.pem (Standard: aus --name gebildet)."))
    var stem: String?

    @Option(name: .customLong("not-before"), help: HelpText.help("Start of validity, RFC 3339 (default: now).",
                                                                 de: "Beginn der Gültigkeit, RFC 3339 (Standard: jetzt)."))
    var notBefore: String?

    @Option(name: .customLong("not-after"), help: HelpText.help("End of validity, RFC 3339 (default: two years after not-before).",
                                                                de: "Ende der Gültigkeit, RFC 3339 (Standard: zwei Jahre nach not-before)."))
    var notAfter: String?

    func run() throws {
        try KeysRunner.run {
            guard let alg = SignatureAlgorithm(userName: algorithm) else {
                throw KeysUsageError(text: LocalizedText(de: "--algorithm: ed25519 oder p256, nicht \(algorithm)",
                                                         en: "--algorithm: ed25519 or p256, not \(algorithm)"))
            }
            let roles = try KeysRunner.roles(role)
            guard !roles.isEmpty else {
                throw KeysUsageError(text: LocalizedText(de: "mindestens eine --role angeben", en: "give at least one --role"))
            }
            // A checkpoint is a C2SP signed note, which is Ed25519 only (CONTRACTS §6): a P-256 audit-log key could never sign one.
            if roles.contains(.auditLog) && alg != .ed25519 {
                throw KeysUsageError(text: LocalizedText(
                    de: "--role audit-log braucht --algorithm ed25519: Checkpoints sind signierte C2SP-Notizen (Ed25519), nicht \(alg.displayName)",
                    en: "--role audit-log needs --algorithm ed25519: checkpoints are C2SP signed notes (Ed25519), not \(alg.displayName)"))
            }
            let start = try KeysRunner.time(notBefore, option: "not-before", fallback: Date())
            let end = try KeysRunner.time(notAfter, option: "not-after", fallback: start.addingTimeInterval(2 * 365.25 * 86400))
            guard start < end else {
                throw KeysUsageError(text: LocalizedText(de: "--not-after muss nach --not-before liegen", en: "--not-after must be later than --not-before"))
            }
            // The trust store refuses such a name when it is read (`keys list` printed it raw: a review).
            guard !DisplayUnsafeText.containsControlOrDirectionCharacter(name) else {
                throw KeysUsageError(text: LocalizedText(
                    de: "--name enthält ein Steuer- oder Richtungszeichen (Zeilenumbruch, Tabulator, Escape oder Bidi-Zeichen): \(ShownValue.text(name, language: .de))",
                    en: "--name contains a control or text-direction character (a line break, tab, escape or bidi mark): \(ShownValue.text(name, language: .en))"))
            }
            // Read, add and write under the trust file's lock: a second `keys generate` at the same time waits, then reads
            // the store with this run's key in it.
            let (entry, store, privatePath, publicPath) = try TrustStore.withFileLock(options.trust) {
                var store = FileManager.default.fileExists(atPath: options.trust)
                    ? try TrustStore.load(file: options.trust, demoMode: true)
                    : TrustStore(keys: [], demoMode: true, directory: Self.folder(of: options.trust))
                // The demo passphrase only ever protects keys marked demo; real keys need a real passphrase.
                let pass = options.demo ? PassphraseSource.demoPassphrase
                    : try Self.productionPassphrase(from: passphrase.source, installation: store)
                let keyDir = dir ?? store.directory
                let base = stem ?? Self.stem(from: name)
                let privatePath = (keyDir as NSString).appendingPathComponent(base + ".key.pem")
                let publicPath = (keyDir as NSString).appendingPathComponent(base + ".pub.pem")
                // `lstat`, not `fileExists`: a dangling symlink is taken too (the atomic write would refuse it later).
                for path in [privatePath, publicPath] where Self.isTaken(path) {
                    throw KeysUsageError(text: LocalizedText(de: "\(path) gibt es schon; anderen --name oder --stem wählen",
                                                             en: "\(path) exists already; choose another --name or --stem"))
                }

                do { try FileManager.default.createDirectory(atPath: keyDir, withIntermediateDirectories: true) } catch {
                        throw SigningError.io(path: keyDir, reason: SystemErrorText.mkdirFailure(keyDir))
                }
                let key = try PrivateKey.generate(alg)
                let entry = TrustedKey(kid: key.publicKey.kid, name: name, publicKey: key.publicKey,
                                       publicKeyFile: Self.relative(publicPath, to: store.directory),
                                       privateKeyFile: Self.relative(privatePath, to: store.directory),
                                       roles: Set(roles), notBefore: start, notAfter: end, revokedAt: nil, demo: options.demo)
                // All or nothing: when a later step fails, the files this run created are removed again, so no private
                // key is left that no trust store names (and that would block this name on the next try).
                var created: [String] = []
                do {
                    try key.write(to: privatePath, passphrase: pass)
                    created.append(privatePath)
                    try key.publicKey.write(to: publicPath)
                    created.append(publicPath)
                    try store.add(entry)
                    try store.save(to: options.trust)
                } catch {
                    for path in created { unlink(path) }
                    throw error
                }
                return (entry, store, privatePath, publicPath)
            }

            if options.json {
                var out = KeysDescription.json(entry, at: Date(), store: store)
                out["trust"] = options.trust
                try KeysRunner.printJSON(out)
            } else {
                KeysRunner.say("generated \(alg.displayName) key \(entry.kid)\n  private (encrypted, 0600): \(privatePath)\n  public: \(publicPath)\n  added to \(options.trust)",
                               de: "\(alg.displayName)-Schlüssel \(entry.kid) erzeugt\n  privat (verschlüsselt, 0600): \(privatePath)\n  öffentlich: \(publicPath)\n  eingetragen in \(options.trust)")
            }
        }
    }

    /// The fewest characters a passphrase of a production (non-demo) key may have. The private key file is encrypted
    /// with it and may be copied off the machine with a backup, where a short passphrase falls to guessing.
    static let minimumPassphraseLength = 12

    /// The passphrase `source` gives, refused (usage error, exit 2, as a missing one) when it is shorter than
    /// `minimumPassphraseLength` characters. The message names where it came from, never what it is.
    ///
    /// The installation opens every key with one passphrase, so when `installation` holds production keys whose private
    /// key files exist, the passphrase must open one of them (exit 3 otherwise, naming the keys and what to do): a new key
    /// under another passphrase became the chosen signer and every later export or acting request failed with "wrong
    /// passphrase" under the installation's right one (found in a key review). A shorter passphrase that opens one is
    /// accepted, so that an installation set up before the minimum can still add keys, with a warning to re-encrypt.
    static func productionPassphrase(from source: PassphraseSource, installation: TrustStore? = nil) throws -> String {
        let pass = try source.passphrase()
        let (whereDE, whereEN): (String, String) = switch source {
        case let .file(path): ("in der Passphrasendatei \(path)", "in the passphrase file \(path)")
        case let .environment(name, _): ("in $\(name)", "in $\(name)")
        case .none: ("", "")
        }
        if let installation, case let keys = Self.productionKeysWithPrivateFile(in: installation), !keys.isEmpty {
            let check = Self.productionKey(openedBy: pass, in: installation)
            guard let opened = check.opened else {
                // No key opens here whatever the passphrase (a cipher this OpenSSL does not run, a damaged file): that,
                // not the passphrase, is what to fix (a key review: the right passphrase was called wrong).
                if !check.unusable.isEmpty, check.unusable.count == keys.count {
                    throw KeysInputError(text: LocalizedText(
                        de: "kein Schlüssel der Installation lässt sich hier öffnen, gleich mit welcher Passphrase, daher kann die Passphrase \(whereDE) nicht geprüft werden: " + check.unusable.map { "\($0.file): \($0.reason.de)" }.joined(separator: "; "),
                        en: "no key of the installation opens here, whatever the passphrase, so the passphrase \(whereEN) cannot be checked: " + check.unusable.map { "\($0.file): \($0.reason.en)" }.joined(separator: "; ")))
                }
                guard pass.count >= minimumPassphraseLength else { throw Self.tooShort(pass.count, whereDE, whereEN) }
                let list = keys.joined(separator: ", ")
                throw KeysInputError(text: LocalizedText(
                    de: "die Passphrase \(whereDE) öffnet keinen Schlüssel der Installation (\(list)): alle Schlüssel einer Installation werden mit einer Passphrase geöffnet, mit einer anderen wäre der neue Schlüssel der gewählte und jeder Export und jede Änderung schlüge mit „falsche Passphrase“ fehl. Die Passphrase der Installation angeben; ist sie verloren, docs/keys.md, Abschnitt „A lost passphrase“",
                    en: "the passphrase \(whereEN) opens none of the installation's keys (\(list)): every key of an installation is opened with one passphrase, and under another the new key would be the one chosen and every export and change would fail with \"wrong passphrase\". Give the installation's passphrase; if it is lost, see docs/keys.md, \"A lost passphrase\""))
            }
            if pass == PassphraseSource.demoPassphrase {
                KeysRunner.warn("the passphrase is the demo keys' public one; accepted because it opens the installation's key \(opened) (re-encrypt every key under a passphrase of your own)",
                                de: "die Passphrase ist die öffentliche der Demo-Schlüssel; angenommen, weil sie den Schlüssel \(opened) der Installation öffnet (alle Schlüssel unter einer eigenen Passphrase neu verschlüsseln)")
            } else if pass.count < minimumPassphraseLength {
                KeysRunner.warn("the passphrase is shorter than \(minimumPassphraseLength) characters; accepted because it opens the installation's key \(opened) (re-encrypt every key under a longer passphrase)",
                                de: "die Passphrase ist kürzer als \(minimumPassphraseLength) Zeichen; angenommen, weil sie den Schlüssel \(opened) der Installation öffnet (alle Schlüssel unter einer längeren Passphrase neu verschlüsseln)")
            }
            return pass
        }
        guard pass.count >= minimumPassphraseLength else { throw Self.tooShort(pass.count, whereDE, whereEN) }
        guard pass != PassphraseSource.demoPassphrase else {
            throw KeysUsageError(text: LocalizedText(
                de: "die Passphrase \(whereDE) ist die der ausgelieferten Demo-Schlüssel, die jeder kennt; ein Schlüssel für den Echtbetrieb braucht eine eigene",
                en: "the passphrase \(whereEN) is the shipped demo keys' one, which anyone knows; a production key needs its own"))
        }
        return pass
    }

    /// A passphrase of `count` characters, from where `whereDE`/`whereEN` say, is below the minimum (usage error, exit 2).
    static func tooShort(_ count: Int, _ whereDE: String, _ whereEN: String) -> KeysUsageError {
        KeysUsageError(text: LocalizedText(
            de: "die Passphrase \(whereDE) hat \(count) Zeichen; ein Schlüssel für den Echtbetrieb braucht mindestens \(minimumPassphraseLength) (z. B. vier zufällige Wörter)",
            en: "the passphrase \(whereEN) has \(count) characters; a production key needs at least \(minimumPassphraseLength) (e.g. four random words)"))
    }

    /// The kids of the production (non-demo) keys of `store` whose private key file exists.
    static func productionKeysWithPrivateFile(in store: TrustStore) -> [String] {
        store.entries.filter { entry in
            guard !entry.demo, let file = entry.privateKeyFile else { return false }
            return FileManager.default.fileExists(atPath: store.resolve(file))
        }.map(\.kid)
    }

    /// The kid of the first production (non-demo) key of `store` whose private key file `passphrase` decrypts (nil when
    /// none does), and the key files tried that no passphrase opens here (an invalid key, an unreadable file), with why.
    static func productionKey(openedBy passphrase: String, in store: TrustStore) -> (opened: String?, unusable: [(file: String, reason: LocalizedText)]) {
        var unusable: [(file: String, reason: LocalizedText)] = []
        for entry in store.entries {
            guard !entry.demo, let file = entry.privateKeyFile, FileManager.default.fileExists(atPath: store.resolve(file)) else { continue }
            do {
                _ = try PrivateKey(file: store.resolve(file), passphrase: passphrase)
                return (entry.kid, unusable)
            } catch SigningError.wrongPassphrase {
                continue
            } catch let SigningError.invalidKey(source, reason) {
                unusable.append((source, reason))
            } catch let error as any UserFacingError {
                // Unreadable (no permission), not a key: no passphrase opens it here either.
                unusable.append((store.resolve(file), LocalizedText(de: error.message(in: .de), en: error.message(in: .en))))
            } catch {
                unusable.append((store.resolve(file), LocalizedText(de: "\(error)", en: "\(error)")))
            }
        }
        return (nil, unusable)
    }

    /// True when something, even a dangling symlink, already has the name `path`.
    static func isTaken(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The folder of `file` ("." when it has none).
    static func folder(of file: String) -> String {
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    /// A file stem from a name: lower-case letters and digits, other runs become `-`.
    static func stem(from name: String) -> String {
        var out = ""
        for c in name.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if !out.hasSuffix("-") { out.append("-") }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "key" : trimmed
    }

    /// `path` relative to `base` when it lies inside it, otherwise absolute.
    static func relative(_ path: String, to base: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String {
            ((p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)) as NSString).standardizingPath
        }
        let p = absolute(path), b = absolute(base)
        return p.hasPrefix(b + "/") ? String(p.dropFirst(b.count + 1)) : p
    }
}

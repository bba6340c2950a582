import ArgumentParser
import AuditLog
import Diagnostics
import Foundation
import Gate
import Signing
import StrictJSON

/// `audit verify`: recompute the tree, check every stored checkpoint and, optionally, an external one.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify",
        abstract: HelpText.text("Recompute the Merkle tree; check every signed checkpoint, the columns and indexes queries select by, the log's schema, and that the stored consents and withdrawals are the ones it recorded (exit 4 on tampering).",
                                de: "Merkle-Baum neu berechnen; jeden signierten Checkpoint, die Spalten und Indizes, nach denen Abfragen auswählen, das Schema des Protokolls und die gespeicherten Einwilligungen und Widerrufe gegen das Protokoll prüfen (Exit-Code 4 bei Manipulation)."))

    @OptionGroup var keys: AuditKeyOptions
    @Option(help: HelpText.help("A signed checkpoint kept elsewhere that the log must still extend.",
                                de: "Ein anderswo aufbewahrter signierter Checkpoint, den das Protokoll weiterhin fortsetzen muss."))
    var trustedCheckpoint: String?
    @Flag(help: HelpText.help("Print the result as JSON.", de: "Ergebnis als JSON ausgeben.")) var json = false

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            do { try verify() } catch {
                if json { print(VerifyFailureJSON.text(error, result: "ok", language: keys.language)) }
                throw error
            }
        }
    }

    /// The check and its answer; errors go to `run`, which prints them (and with `--json` a failed result too).
    private func verify() throws {
        let verifiers = try AuditKeySource.verifiers(keys)
        let trusted = try trustedCheckpoint.map(AuditFiles.readText)
        // Read here first so that a note that cannot be read is named by its file (an audit review: "cannot read signed
        // note trusted checkpoint: …" did not say which file).
        if let trusted, let path = trustedCheckpoint {
            _ = try Checkpoint.verified(note: trusted, keys: verifiers, source: path, revoked: try AuditKeySource.revokedVerifiers(keys))
        }
        let store = try AuditRun.store(keys, command: "audit verify")
        let report: AuditVerificationReport
        do {
            report = try store.verify(keys: verifiers, trustedCheckpoint: trusted, revoked: try AuditKeySource.revokedVerifiers(keys))
        } catch let error as AuditLogError {
            // A checkpoint signed by a key the trust store no longer holds: when the log recorded an audit-log key that the
            // file has dropped since, that is the likely cause (an expired key tidied away), not a foreign key; say so.
            if case .badCheckpoint(_, .signedByOtherKey) = error, let trustStore = try? TrustStore.load(file: keys.trust, demoMode: keys.demo),
               let hint = try? RemovedAuditKeyHint.text(log: store, store: trustStore, trustFile: keys.trust, language: keys.language) {
                StandardError.write(hint + "\n")
            }
            throw error
        }
        // The stored consents, withdrawals, trust record and accounts are what the (now verified) log recorded of them.
        let checked = try StoreChecks.verify(in: store.writer)
        // Information, not a finding: trust store changes the next open of the installation will log.
        let pending = try UnrecordedKeyEvents.read(keys, in: store)
        let root = Data(report.rootHash).base64EncodedString()
        if json {
            var o: [String: JSONValue] = ["ok": .bool(true), "tree-size": .int(report.size), "root-hash": .string(root),
                                          "checkpoints": .int(Int64(report.checkpoints)), "consents": .int(Int64(checked.consents)),
                                          "withdrawals": .int(Int64(checked.withdrawals)), "trusted-keys": .int(Int64(checked.keys)),
                                          "accounts": .int(Int64(checked.accounts))]
            if let t = report.trustedSize { o["trusted-size"] = .int(t) }
            if let pending { o["unrecorded-key-events"] = pending.json }
            AuditRun.printJSON(.object(o))
            return
        }
        if keys.language == .de {
            print("Audit-Protokoll in Ordnung: \(report.size) Einträge, \(report.checkpoints) signierte Checkpoints geprüft, Wurzel \(root)"
                  + (report.trustedSize.map { "; erweitert den vertrauenswürdigen Checkpoint der Größe \($0)" } ?? "")
                  + "; \(count(checked.consents, "Einwilligung", "Einwilligungen")), \(count(checked.withdrawals, "Widerruf", "Widerrufe")), "
                  + "\(checked.keys) Schlüssel, \(count(checked.accounts, "Konto", "Konten")) und die fälligen Löschhinweise stimmen mit ihm überein")
        } else {
            print("audit log OK: \(report.size) entries, \(report.checkpoints) signed checkpoints checked, root \(root)"
                  + (report.trustedSize.map { "; extends the trusted checkpoint of size \($0)" } ?? "")
                  + "; \(count(checked.consents, "consent", "consents")), \(count(checked.withdrawals, "withdrawal", "withdrawals")), "
                  + "\(count(checked.keys, "key", "keys")), \(count(checked.accounts, "account", "accounts")) and the erasure notices owed agree with it")
        }
        if let pending, !pending.events.isEmpty { print(pending.text(trustFile: keys.trust, language: keys.language)) }
    }
}

/// `n` with the singular or plural noun.
private func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

/// `audit checkpoint`: the latest signed checkpoint note.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint",
        abstract: HelpText.text("Print the latest signed checkpoint (C2SP tlog-checkpoint signed note).",
                                de: "Den neuesten signierten Checkpoint ausgeben (C2SP tlog-checkpoint, signed note)."))

    @OptionGroup var keys: AuditKeyOptions
    @Flag(help: HelpText.help("Print as JSON with the parsed size and root.",
                              de: "Als JSON mit ausgelesener Größe und Wurzel ausgeben."))
    var json = false

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            guard let note = try AuditRun.store(keys, command: "audit checkpoint").latestCheckpoint() else {
                throw AuditLogError.outOfRange(reason: LocalizedText(de: "das Protokoll ist leer und hat keinen Checkpoint", en: "the log is empty and has no checkpoint"))
            }
            if json {
                let parsed = try SignedNote(parsing: note, source: "checkpoint")
                let cp = try Checkpoint(body: parsed.text, source: "checkpoint")
                AuditRun.printJSON(.object(["note": .string(note), "origin": .string(cp.origin), "tree-size": .int(cp.size),
                                            "root-hash": .string(Data(cp.rootHash).base64EncodedString())]))
            } else {
                print(note, terminator: "")
            }
        }
    }
}

/// `audit prove --index N [--size M]`: an RFC 9162 inclusion proof as JSON.
struct AuditProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prove",
        abstract: HelpText.text("Print the RFC 9162 inclusion proof of one entry as JSON.",
                                de: "Den Inklusionsnachweis (RFC 9162) eines Eintrags als JSON ausgeben."))

    @OptionGroup var keys: AuditKeyOptions
    @Option(parsing: .unconditional, help: HelpText.help("The entry's index (0-based).",
                                de: "Index des Eintrags (ab 0 gezählt)."))
    var index: Int64
    @Option(parsing: .unconditional, help: HelpText.help("The tree size to prove against (default: the whole log).",
                                de: "Baumgröße, für die der Nachweis geführt wird (Standard: das ganze Protokoll)."))
    var size: Int64?
    /// The proof is JSON either way; the flag is accepted as on every command that prints results (CONTRACTS §8).
    @Flag(help: HelpText.help("Print as JSON (the default and only form).", de: "Als JSON ausgeben (Standard und einzige Form)."))
    var json = false

    /// A negative index or a size below 1 named as such (`--index -1` read "index -1 is not below tree size 421": an audit review).
    func validate() throws {
        if index < 0 {
            throw ValidationError(HelpText.text("--index takes an entry index (0 or more), not \(index)",
                                                de: "--index erwartet einen Eintragsindex (0 oder größer), nicht \(index)"))
        }
        if let size, size < 1 {
            throw ValidationError(HelpText.text("--size takes a tree size (1 or more), not \(size)",
                                                de: "--size erwartet eine Baumgröße (1 oder größer), nicht \(size)"))
        }
    }

    func run() async throws {
        try AuditRun.run(language: keys.language) { AuditRun.printJSON(try AuditRun.store(keys, command: "audit prove").inclusionProof(index: index, size: size).json) }
    }
}

/// `audit consistency --from A --to B`: an RFC 9162 consistency proof as JSON.
struct AuditConsistencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consistency",
        abstract: HelpText.text("Print the RFC 9162 consistency proof between two tree sizes as JSON.",
                                de: "Den Konsistenznachweis (RFC 9162) zwischen zwei Baumgrößen als JSON ausgeben."))

    @OptionGroup var keys: AuditKeyOptions
    @Option(parsing: .unconditional, help: HelpText.help("The older tree size.", de: "Die ältere Baumgröße.")) var from: Int64
    @Option(parsing: .unconditional, help: HelpText.help("The newer tree size.", de: "Die neuere Baumgröße.")) var to: Int64
    /// The proof is JSON either way; the flag is accepted as on every command that prints results (CONTRACTS §8).
    @Flag(help: HelpText.help("Print as JSON (the default and only form).", de: "Als JSON ausgeben (Standard und einzige Form)."))
    var json = false

    func run() async throws {
        try AuditRun.run(language: keys.language) { AuditRun.printJSON(try AuditRun.store(keys, command: "audit consistency").consistencyProof(from: from, to: to).json) }
    }
}

/// `audit key`: the verifier key string for standard signed-note tooling.
struct AuditKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key",
        abstract: HelpText.text("Print the checkpoint verifier keys (name+keyid+base64(0x01‖pub)), one per line, newest first.",
                                de: "Die Prüfschlüssel der Checkpoints ausgeben (name+keyid+base64(0x01‖pub)), einen je Zeile, den neuesten zuerst."))

    @OptionGroup var keys: AuditKeyOptions
    @Flag(help: HelpText.help("Print as JSON: {\"keys\": [...]}, newest first.", de: "Als JSON ausgeben: {\"keys\": [...]}, den neuesten zuerst."))
    var json = false

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            let verifierKeys = try AuditKeySource.verifiers(keys).map(\.verifierKey)
            // The keys are named with the log's origin: without a log to take it from, say which one they carry.
            if !keys.originGiven, !FileManager.default.fileExists(atPath: keys.databasePath) {
                let de = keys.language == .de
                StandardError.write((de ? "Hinweis: keine Datenbank unter \(keys.databasePath); die Schlüssel tragen den Ursprung \(keys.resolvedOrigin) (sonst --db oder --origin angeben)"
                                        : "note: no database at \(keys.databasePath); the keys carry the origin \(keys.resolvedOrigin) (give --db or --origin otherwise)") + "\n")
            }
            if json {
                AuditRun.printJSON(.object(["keys": .array(verifierKeys.map { .string($0) })]))
            } else {
                for key in verifierKeys { print(key) }
            }
        }
    }
}

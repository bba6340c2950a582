import ArgumentParser
import AuditLog
import Foundation
import StrictJSON

/// `audit verify`: recompute the tree, check every stored checkpoint and, optionally, an external one.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify",
        abstract: "Recompute the Merkle tree and check every signed checkpoint (exit 4 on tampering).")

    @OptionGroup var keys: AuditKeyOptions
    @Option(help: "A signed checkpoint kept elsewhere that the log must still extend.") var trustedCheckpoint: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try AuditRun.run {
            let verifier = try AuditKeySource.verifier(keys)
            let trusted = try trustedCheckpoint.map(AuditFiles.readText)
            let report = try AuditRun.store(keys).verify(key: verifier, trustedCheckpoint: trusted)
            let root = Data(report.rootHash).base64EncodedString()
            if json {
                var o: [String: JSONValue] = ["ok": .bool(true), "tree-size": .int(report.size), "root-hash": .string(root),
                                              "checkpoints": .int(Int64(report.checkpoints))]
                if let t = report.trustedSize { o["trusted-size"] = .int(t) }
                AuditRun.printJSON(.object(o))
            } else if AuditRun.language == .de {
                print("Audit-Protokoll in Ordnung: \(report.size) Einträge, \(report.checkpoints) signierte Checkpoints geprüft, Wurzel \(root)"
                      + (report.trustedSize.map { "; erweitert den vertrauenswürdigen Checkpoint der Größe \($0)" } ?? ""))
            } else {
                print("audit log OK: \(report.size) entries, \(report.checkpoints) signed checkpoints checked, root \(root)"
                      + (report.trustedSize.map { "; extends the trusted checkpoint of size \($0)" } ?? ""))
            }
        }
    }
}

/// `audit checkpoint`: the latest signed checkpoint note.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint (C2SP tlog-checkpoint signed note).")

    @OptionGroup var keys: AuditKeyOptions
    @Flag(help: "Print as JSON with the parsed size and root.") var json = false

    func run() async throws {
        try AuditRun.run {
            guard let note = try AuditRun.store(keys).latestCheckpoint() else {
                throw AuditLogError.outOfRange(reason: "the log is empty and has no checkpoint")
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
        abstract: "Print the RFC 9162 inclusion proof of one entry as JSON.")

    @OptionGroup var keys: AuditKeyOptions
    @Option(help: "The entry's index (0-based).") var index: Int64
    @Option(help: "The tree size to prove against (default: the whole log).") var size: Int64?

    func run() async throws {
        try AuditRun.run { AuditRun.printJSON(try AuditRun.store(keys).inclusionProof(index: index, size: size).json) }
    }
}

/// `audit consistency --from A --to B`: an RFC 9162 consistency proof as JSON.
struct AuditConsistencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consistency",
        abstract: "Print the RFC 9162 consistency proof between two tree sizes as JSON.")

    @OptionGroup var keys: AuditKeyOptions
    @Option(help: "The older tree size.") var from: Int64
    @Option(help: "The newer tree size.") var to: Int64

    func run() async throws {
        try AuditRun.run { AuditRun.printJSON(try AuditRun.store(keys).consistencyProof(from: from, to: to).json) }
    }
}

/// `audit key`: the verifier key string for standard signed-note tooling.
struct AuditKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key",
        abstract: "Print the checkpoint verifier key (name+keyid+base64(0x01‖pub)).")

    @OptionGroup var keys: AuditKeyOptions

    func run() async throws {
        try AuditRun.run { print(try AuditKeySource.verifier(keys).verifierKey) }
    }
}

import Diagnostics
import Foundation
import PolicyEngine

extension Gate {
    /// Opens an installation for a real export run (`consentgate export`). Like `open`, except that it creates
    /// a missing database only when asked (`createIfMissing`, the first run of a new installation) or in demo
    /// mode: a mistyped `--db` would otherwise start an empty installation, decide without anyone's consents
    /// and log the run's disclosures in a ledger the data protection officer never reviews.
    /// `policyLoaded` is called as in `open`, once the policy is loaded (the run's pass 1 starts there).
    public static func openForExportRun(_ configuration: GateConfiguration, actor: Actor, createIfMissing: Bool,
                                        policyLoaded: (CompiledPolicy) -> Void = { _ in }) throws -> Gate {
        let path = configuration.databasePath
        if !createIfMissing && !configuration.demoMode && !FileManager.default.fileExists(atPath: path) {
            throw ExportRunError.databaseMissing(path: path)
        }
        // The run appends (its `export-run` and disclosures) and signs manifests: the audit-log and export-signer
        // keys are decrypted while the rest opens, the second in the time the opening waits for the first.
        return try open(configuration, actor: actor, prefetchingAuditKey: true, prefetchingKeys: [.exportSigner],
                        policyLoaded: policyLoaded)
    }
}

/// Why a real export run does not start (exit 5).
public enum ExportRunError: UserFacingError, Equatable {
    /// The database file does not exist and the run was not told to create one.
    case databaseMissing(path: String)

    /// Always a storage failure (exit 5), like any database that cannot be used.
    public var category: ProblemCategory { .storage }

    /// The problem in `language`, naming the path and `--new-database` for a first run.
    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.databaseMissing(p), .de):
            "Datenbank \(p) fehlt; ein Exportlauf legt keine neue an (Pfad bei --db prüfen; für den ersten Lauf einer neuen Installation --new-database angeben)"
        case let (.databaseMissing(p), .en):
            "database \(p) does not exist; an export run does not create a new one (check --db; for the first run of a new installation give --new-database)"
        }
    }
}

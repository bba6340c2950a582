import Foundation

/// Where a ConsentGate installation keeps its parts, and how it runs.
public struct GateConfiguration: Sendable {
    /// The SQLite database file.
    public var databasePath: String
    /// The policy bundle folder.
    public var policyDirectory: String
    /// The trust store file (`keys/trust.yaml`).
    public var trustFile: String
    /// Demo mode accepts the shipped demo keys; never for real data.
    public var demoMode: Bool
    /// A file with the passphrase of the installation's private keys (else `$CONSENTGATE_PASSPHRASE`).
    public var passphraseFile: String?
    /// The audit log's origin line, also the checkpoint key name.
    public var auditOrigin: String
    /// The process environment (passphrase, defaults).
    public var environment: [String: String]

    /// The embedded defaults, each replaced by what is given: the database from `AppDatabase.defaultPath`
    /// (`$CONSENTGATE_DB`, `$CONSENTGATE_DATA/consentgate.sqlite` or `./data/consentgate.sqlite`), the shipped policy,
    /// `keys/trust.yaml`, the origin `$CONSENTGATE_AUDIT_ORIGIN` or `consentgate.local/audit`. Demo mode is also on
    /// when `CONSENTGATE_DEMO=1` is in `environment`.
    public init(databasePath: String? = nil, policyDirectory: String = "policies/kim-rhein-sieg",
                trustFile: String = "keys/trust.yaml", demoMode: Bool = false, passphraseFile: String? = nil,
                auditOrigin: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.databasePath = databasePath ?? AppDatabase.defaultPath(environment: environment)
        self.policyDirectory = policyDirectory
        self.trustFile = trustFile
        self.demoMode = demoMode || environment["CONSENTGATE_DEMO"] == "1"
        self.passphraseFile = passphraseFile
        self.auditOrigin = auditOrigin ?? environment["CONSENTGATE_AUDIT_ORIGIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "consentgate.local/audit"
        self.environment = environment
    }
}

/// Who is acting: recorded in every audit entry.
public struct Actor: Sendable, Equatable {
    /// The user id (case manager, DPO) or job name.
    public var id: String
    /// The municipality the actor works for, where known.
    public var municipality: String?

    /// An actor `id`, with the municipality it acts for when it is bound to one (a case worker).
    public init(id: String, municipality: String? = nil) { self.id = id; self.municipality = municipality }
}

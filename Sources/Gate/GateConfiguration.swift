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
    /// The audit log's origin line, also the checkpoint key name: the one given, else the log's own (an existing log's
    /// origin is taken when the installation opens, `Gate.open`), else `consentgate.local/audit` for a new log.
    public var auditOrigin: String
    /// Whether `auditOrigin` was given (the `auditOrigin` argument or `CONSENTGATE_AUDIT_ORIGIN`) rather than defaulted: a
    /// given origin that is not the log's is refused; a defaulted one gives way to the log's.
    public var auditOriginGiven: Bool
    /// The process environment (passphrase, defaults).
    public var environment: [String: String]

    /// The origin of a new log when none is given.
    public static let defaultAuditOrigin = "consentgate.local/audit"

    /// The embedded defaults, each replaced by what is given: the database from `AppDatabase.defaultPath`
    /// (`$CONSENTGATE_DB`, `$CONSENTGATE_DATA/consentgate.sqlite` or `./data/consentgate.sqlite`), the shipped policy,
    /// `keys/trust.yaml`, the origin `$CONSENTGATE_AUDIT_ORIGIN`, else the log's, else `consentgate.local/audit`. Demo mode is also on
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
        let given = auditOrigin ?? environment["CONSENTGATE_AUDIT_ORIGIN"].flatMap { $0.isEmpty ? nil : $0 }
        self.auditOrigin = given ?? Self.defaultAuditOrigin
        self.auditOriginGiven = given != nil
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

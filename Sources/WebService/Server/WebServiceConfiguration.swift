import Foundation
import Signing

/// How the web service runs: where it listens and the limits it enforces.
public struct WebServiceConfiguration: Sendable {
    /// Address to bind; loopback by default, so nothing is reachable from the network unless asked for.
    public var host: String
    /// TCP port (0 picks a free one).
    public var port: Int
    /// True when the service is reached over TLS (directly or through a TLS-terminating proxy): session
    /// cookies then carry `Secure`.
    public var tls: Bool
    /// Largest JSON body accepted on `/v1` (bytes); larger bodies get 413.
    public var maxJSONBodyBytes: Int
    /// Largest form body accepted by the page that takes a file (the scan of the signed consent form, `POST /consents`).
    public var maxFormBodyBytes: Int
    /// Largest form body accepted by every other page form (login, logout, referral check, withdrawal), at most
    /// `maxFormBodyBytes`: none of them sends more than a few KiB, and `/login` takes bodies from anyone.
    public var maxPlainFormBodyBytes: Int
    /// A page session ends after this long without a request.
    public var sessionIdleTimeout: TimeInterval
    /// A page session ends this long after login, however active.
    public var sessionLifetime: TimeInterval
    /// Demo mode: demo accounts and keys are allowed (never in production).
    public var demo: Bool
    /// The folder export requests may read registration lists and mapping files from (paths in
    /// requests are relative to it). Nil: the export routes answer 409 "not configured".
    public var exportInputDirectory: String?
    /// The folder holding the shared drive(s) export runs may write to. Nil: export routes answer 409.
    public var exportDriveDirectory: String?
    /// Export runs started here remove the quarantine reports (beside the input) of runs that started more than this
    /// many days before (`ExportOptions.quarantineRetentionDays`); nil keeps them all.
    public var quarantineRetentionDays: Int? = nil
    /// How often the running service looks whether the trust store file changed since its start (a `stat`; the file is
    /// read again only when that changed), to log it (`TrustStoreWatchLog`). Tests shorten it.
    public var trustStoreCheckInterval: Duration = .seconds(10)
    /// How long a connection may send nothing, between requests or in the middle of one, before the service closes it:
    /// a client that announced a body and stopped held its connection (and the handler reading the body) for good
    /// (found by probing the service). A minute: far longer than any pause a browser or program makes. Tests shorten it.
    public var connectionIdleTimeout: Duration = .seconds(60)
    /// How many pieces of long work (export runs and dry runs, audit verification, statistics, filtered listings,
    /// proofs) run at once, each on a thread of its own (`LongWork`); more wait their turn. Four: on two cores an
    /// export run, a verification and two DPO reads proceed side by side, while short requests are served between them.
    public var longWorkLanes: Int = 4
    /// How many of a case worker's municipality's people the referral check's case id field offers to pick from (the
    /// first by case id; any other is typed). Tests lower it.
    public var checkPageSubjectLimit: Int = 2_000
    /// How many pieces of long work may wait for a lane at once; one more is answered 503 `busy` with `Retry-After`
    /// (`LongWork`). Each waiting request holds only its connection; 32 is more than a county's exporters and DPOs
    /// start at once, and bounds what one account can pile up.
    public var longWorkWaitingLimit: Int = 32
    /// The scrypt parameters a page login raises a weaker stored password hash to (`AccountStore.logIn`), and an unknown
    /// name's decoy check costs: `PasswordHashing.Parameters.standard` (ln=15, r=8, p=3). Tests lower it together with the
    /// parameters their accounts are created with, so their logins neither rehash nor run production-strength scrypt.
    public var passwordParameters: PasswordHashing.Parameters

    /// A configuration with safe defaults: loopback port 8080 without TLS, 256 KiB JSON and 64 KiB form bodies (12 MiB for the scan upload), sessions of 30 min idle and 10 h at most, no demo, no export folders.
    public init(host: String = "127.0.0.1", port: Int = 8080, tls: Bool = false,
                maxJSONBodyBytes: Int = 256 * 1024, maxFormBodyBytes: Int = 12 * 1024 * 1024, maxPlainFormBodyBytes: Int = 64 * 1024,
                sessionIdleTimeout: TimeInterval = 30 * 60, sessionLifetime: TimeInterval = 10 * 3600,
                demo: Bool = false, exportInputDirectory: String? = nil, exportDriveDirectory: String? = nil,
                passwordParameters: PasswordHashing.Parameters = .standard) {
        self.host = host; self.port = port; self.tls = tls
        self.maxJSONBodyBytes = maxJSONBodyBytes; self.maxFormBodyBytes = maxFormBodyBytes
        self.maxPlainFormBodyBytes = maxPlainFormBodyBytes
        self.sessionIdleTimeout = sessionIdleTimeout; self.sessionLifetime = sessionLifetime
        self.demo = demo
        self.exportInputDirectory = exportInputDirectory; self.exportDriveDirectory = exportDriveDirectory
        self.passwordParameters = passwordParameters
    }

    /// True when `host` is a loopback address (the service warns when it is not).
    public var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") }
}

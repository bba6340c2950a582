import Gate

/// What the routes and middleware share: configuration, stores, metrics and the route catalog.
public struct WebEnvironment: Sendable {
    /// How the service runs.
    public let configuration: WebServiceConfiguration
    /// The application core: policy, keys, consents, audit log (every domain route acts through it).
    public let gate: Gate
    /// The installation's database.
    public let database: AppDatabase
    /// Accounts (token and password authentication).
    public let accounts: AccountStore
    /// How a page login raises a weaker stored password hash (to `configuration.passwordParameters`, logged as
    /// `password-rehashed`).
    public let passwordRehash: PasswordRehash
    /// Page sessions.
    public let sessions: SessionStore
    /// Prometheus metrics.
    public let metrics: MetricsRegistry
    /// Every registered route.
    public let catalog: RouteCatalog
    /// Export runs started over the API (the last 50 in memory, all in the `export_run` table).
    public let exportRuns: ExportRunRegistry
    /// Failed-login counting per device cookie and per account name for untrusted clients (the device cookies in the
    /// database's `device_cookie` table, shared with other processes and kept across restarts).
    let loginThrottle: LoginThrottle
    /// The last verification status the `/audit` page showed.
    let verificationCache = VerificationCache()
    /// Where export runs and passes over the audit log run, apart from short reads (`BlockingWork`).
    let longWork: LongWork
    /// The page forms of requests with a session cookie but no live session read at once up to the upload limit.
    let endedSessionReads = EndedSessionReads(slots: 2)

    /// Builds the shared state over `gate`: account store, sessions with the configured timeouts, metrics, route catalog, export runs,
    /// login throttle.
    public init(configuration: WebServiceConfiguration, gate: Gate) {
        self.configuration = configuration
        self.gate = gate
        self.database = gate.database
        self.accounts = AccountStore(database: database, cache: gate.readCache)
        self.passwordRehash = gate.passwordRehash(to: configuration.passwordParameters)
        self.sessions = SessionStore(idleTimeout: configuration.sessionIdleTimeout, lifetime: configuration.sessionLifetime)
        self.metrics = MetricsRegistry()
        self.catalog = RouteCatalog()
        self.exportRuns = ExportRunRegistry(store: ExportRunStore(database: gate.database))
        self.loginThrottle = LoginThrottle(devices: DeviceCookieStore(database: gate.database))
        self.longWork = LongWork(lanes: configuration.longWorkLanes, waitingLimit: configuration.longWorkWaitingLimit)
    }
}

import StrictJSON

/// An account of the web service and API was created, disabled or given new credentials, its password hash was raised to
/// stronger parameters at a login, or (once) it was found existing when account logging began: who may act in this
/// installation is part of what a data protection officer must be able to see, and a row written into the account table
/// by hand must not go unseen.
///
/// Every event carries the account's state after it, so replaying the log's `account-event` entries in order
/// gives the state the account table must hold (`Gate.AccountRecordCheck`).
public struct AccountEventRecord: Sendable, Equatable {
    /// `created`, `disabled`, `credentials-changed` (a new API token or page password), `password-rehashed` (the service
    /// replaced the hash of the same password with one of stronger scrypt parameters at a page login; no person changed
    /// anything), or `recorded` (an account that existed before account logging began).
    public var event: String
    /// The account name.
    public var account: String
    /// Its role after the event.
    public var role: String
    /// The municipality a case worker acts for.
    public var municipality: String?
    /// `sha256:` over the stored token digest and password hash: binds the credentials without revealing them.
    public var credentials: String
    /// When the account was disabled (RFC 3339), nil while it is active.
    public var disabledAt: String?

    /// Creates an event with the account's state after it; `disabledAt` nil for an active account.
    public init(event: String, account: String, role: String, municipality: String?, credentials: String, disabledAt: String? = nil) {
        self.event = event; self.account = account; self.role = role; self.municipality = municipality
        self.credentials = credentials; self.disabledAt = disabledAt
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["event": .string(event), "account": .string(account), "role": .string(role),
                                      "credentials": .string(credentials)]
        if let municipality { o["municipality"] = .string(municipality) }
        if let disabledAt { o["disabled-at"] = .string(disabledAt) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        event = try r.string("event"); account = try r.string("account"); role = try r.string("role")
        municipality = try r.optionalString("municipality"); credentials = try r.string("credentials")
        disabledAt = try r.optionalString("disabled-at")
    }
}

extension AccountEventRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("account", account); w.member("credentials", credentials); w.member("disabled-at", disabledAt)
        w.member("event", event); w.member("municipality", municipality); w.member("role", role)
        w.endObject()
    }
}

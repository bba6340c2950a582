import StrictJSON
/// A consent declaration was recorded (its JWS verified and stored).
public struct ConsentGrantedRecord: Sendable, Equatable {
    /// The consent's id (a UUID).
    public var consentID: String
    /// The subject's case id.
    public var subject: String
    /// The id of the consent template the person signed.
    public var templateID: String
    /// The version of that template, which decides the wording and clauses the consent is read against.
    public var templateVersion: Int64
    /// The granted clause ids.
    public var clauses: [String]
    /// Start of validity (RFC 3339 UTC), inclusive.
    public var grantedAt: String
    /// End of validity (RFC 3339 UTC), exclusive.
    public var expiresAt: String
    /// `sha256:` of the stored JWS, tying the entry to the exact signed declaration.
    public var digest: String?
    /// Set when recording this consent changed the person's recorded birth date (`birth-date-changed`).
    public var birthDateChange: BirthDateChange?

    /// Creates the record of a granted consent; times as RFC 3339 UTC.
    public init(consentID: String, subject: String, templateID: String, templateVersion: Int64, clauses: [String],
                grantedAt: String, expiresAt: String, digest: String? = nil, birthDateChange: BirthDateChange? = nil) {
        self.consentID = consentID; self.subject = subject; self.templateID = templateID
        self.templateVersion = templateVersion; self.clauses = clauses; self.grantedAt = grantedAt
        self.expiresAt = expiresAt; self.digest = digest; self.birthDateChange = birthDateChange
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "consent": .string(consentID), "subject": .string(subject),
            "template": .object(["id": .string(templateID), "version": .int(templateVersion)]),
            "clauses": .strings(clauses), "granted-at": .string(grantedAt), "expires-at": .string(expiresAt),
        ]
        if let digest { o["digest"] = .string(digest) }
        if let birthDateChange { o["birth-date-changed"] = birthDateChange.json }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        consentID = try r.string("consent"); subject = try r.string("subject")
        let t = try r.object("template")
        templateID = try t.string("id"); templateVersion = try t.int("version")
        clauses = try r.strings("clauses"); grantedAt = try r.string("granted-at"); expiresAt = try r.string("expires-at")
        digest = try r.optionalString("digest")
        birthDateChange = try r.optionalObject("birth-date-changed").map(BirthDateChange.init(reader:))
    }
}

/// A consent was withdrawn (its withdrawal JWS verified and stored).
public struct ConsentWithdrawnRecord: Sendable, Equatable {
    /// The withdrawn consent's id (a UUID).
    public var consentID: String
    /// The subject's case id.
    public var subject: String
    /// From when the consent no longer releases anything (RFC 3339 UTC, inclusive).
    public var withdrawnAt: String
    /// `sha256:` of the stored withdrawal JWS.
    public var digest: String?
    /// The withdrawn lines (clause ids, sorted) of a withdrawal of single clauses; nil (no member) for a withdrawal of
    /// the whole consent, as every entry before such withdrawals existed reads.
    public var clauses: [String]?

    /// Creates the record of a withdrawal; `withdrawnAt` as RFC 3339 UTC; `clauses` nil for the whole consent.
    public init(consentID: String, subject: String, withdrawnAt: String, digest: String? = nil, clauses: [String]? = nil) {
        self.consentID = consentID; self.subject = subject; self.withdrawnAt = withdrawnAt; self.digest = digest
        self.clauses = clauses
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["consent": .string(consentID), "subject": .string(subject), "withdrawn-at": .string(withdrawnAt)]
        if let digest { o["digest"] = .string(digest) }
        if let clauses { o["clauses"] = .strings(clauses) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        consentID = try r.string("consent"); subject = try r.string("subject"); withdrawnAt = try r.string("withdrawn-at")
        digest = try r.optionalString("digest")
        clauses = r.members["clauses"] == nil ? nil : try r.strings("clauses")
    }
}

/// A different policy bundle came into force; the bundle is archived in the store under `digest`.
public struct PolicyLoadedRecord: Sendable, Equatable {
    /// The bundle id (`id` in `policy.yaml`).
    public var bundleID: String
    /// The bundle version as written (free text).
    public var version: String
    /// `sha256:` of the bundle (the same digest decisions name).
    public var digest: String
    /// The digest of the bundle it replaced, if any.
    public var previousDigest: String?

    /// Creates the record of a bundle coming into force; `previousDigest` nil for the first bundle.
    public init(bundleID: String, version: String, digest: String, previousDigest: String? = nil) {
        self.bundleID = bundleID; self.version = version; self.digest = digest; self.previousDigest = previousDigest
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["bundle": .string(bundleID), "version": .string(version), "digest": .string(digest)]
        if let previousDigest { o["previous-digest"] = .string(previousDigest) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        bundleID = try r.string("bundle"); version = try r.string("version"); digest = try r.string("digest")
        previousDigest = try r.optionalString("previous-digest")
    }
}

/// One partner's part of a shared-drive export run (CONTRACTS §7).
public struct ExportRunRecord: Sendable, Equatable {
    /// The export run id, shared by all partners' parts of one run and by its `disclosure` entries.
    public var runID: String
    /// The partner id this part went to.
    public var partner: String
    /// The purpose id of the partner's export profile.
    public var purpose: String
    /// `sha256:` of the input list.
    public var inputDigest: String
    /// Records written for the partner.
    public var records: Int64
    /// Rows sent to the quarantine report instead.
    public var quarantined: Int64
    /// `sha256:` of the signed `manifest.json`, for a producer that logs after signing. The export job leaves it
    /// out: its manifest carries the checkpoint after the run, which covers this entry, so the entry cannot name
    /// the manifest's digest; the run id and that checkpoint tie the two together instead.
    public var manifestDigest: String?

    /// Creates the record of one partner's part of a run; the export job passes no `manifestDigest`.
    public init(runID: String, partner: String, purpose: String, inputDigest: String, records: Int64,
                quarantined: Int64, manifestDigest: String? = nil) {
        self.runID = runID; self.partner = partner; self.purpose = purpose; self.inputDigest = inputDigest
        self.records = records; self.quarantined = quarantined; self.manifestDigest = manifestDigest
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "run": .string(runID), "partner": .string(partner), "purpose": .string(purpose),
            "input-digest": .string(inputDigest), "records": .int(records), "quarantined": .int(quarantined),
        ]
        if let manifestDigest { o["manifest-digest"] = .string(manifestDigest) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        runID = try r.string("run"); partner = try r.string("partner"); purpose = try r.string("purpose")
        inputDigest = try r.string("input-digest"); records = try r.int("records"); quarantined = try r.int("quarantined")
        manifestDigest = try r.optionalString("manifest-digest")
    }
}

/// A subject's data was erased (GDPR Art. 17); the partners that received it are to be told (Art. 19).
public struct ErasureNoticeRecord: Sendable, Equatable {
    /// The subject's case id whose data is to be erased.
    public var subject: String
    /// Why (e.g. `art-17-request`, `retention-expired`).
    public var reason: String
    /// Partners that received data and must be notified.
    public var notify: [String]
    /// The withdrawn lines (clause ids, sorted) the notice names, when it is about single lines of the consent: the
    /// partner erases what it received under them. Nil (no member) for a notice about the whole consent, as every
    /// entry before notices per line existed reads (so their bytes are unchanged).
    public var clauses: [String]?
    /// How the partners were told, when not by the export job: `referral` for a case manager recording that they told a
    /// partner that received data by referral (`Gate.recordReferralNotice`). Nil (no member) for the export job's notices,
    /// as every entry before such records existed reads (so their bytes are unchanged).
    public var channel: String?

    /// When the case manager told the partners (RFC 3339, UTC, whole seconds), when they record it later than that;
    /// nil (no member) when the entry's own time is when (and for every export notice, logged as it is sent).
    public var toldAt: String?

    /// The `channel` of a notice a case manager gave to a referral's recipient.
    public static let referralChannel = "referral"

    /// Creates the record of a notice to `notify` about `subject`; `clauses` nil for the whole consent; `channel` nil for
    /// the export job's; `toldAt` nil when the entry's time is when.
    public init(subject: String, reason: String, notify: [String], clauses: [String]? = nil, channel: String? = nil, toldAt: String? = nil) {
        self.subject = subject; self.reason = reason; self.notify = notify; self.clauses = clauses; self.channel = channel
        self.toldAt = toldAt
    }

    /// The `reason` of a notice sent because consent `consentID` was withdrawn (GDPR Art. 19): the one reason
    /// the export job writes, and the one `audit verify` looks for.
    public static func consentWithdrawnReason(_ consentID: String) -> String { "consent-withdrawn:" + consentID }

    var json: JSONValue {
        var o: [String: JSONValue] = ["subject": .string(subject), "reason": .string(reason), "notify": .strings(notify)]
        if let clauses { o["clauses"] = .strings(clauses) }
        if let channel { o["channel"] = .string(channel) }
        if let toldAt { o["told-at"] = .string(toldAt) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        subject = try r.string("subject"); reason = try r.string("reason"); notify = try r.strings("notify")
        clauses = r.members["clauses"] == nil ? nil : try r.strings("clauses")
        channel = r.members["channel"] == nil ? nil : try r.string("channel")
        toldAt = r.members["told-at"] == nil ? nil : try r.string("told-at")
    }
}

/// A change of a key's standing in the trust store, as the installation saw it when it opened: a key newly
/// trusted, revoked, changed (roles, validity, demo flag) or removed.
public struct KeyEventRecord: Sendable, Equatable {
    /// `trusted`, `revoked`, `changed`, `removed` (docs/audit-log.md, Entries).
    public var event: String
    /// The key's id, its RFC 7638 thumbprint (as `keys list` shows it).
    public var kid: String
    /// The key's trust-store roles after the event (before it, for `removed`), sorted.
    public var roles: [String]
    /// Despite the name, the key's trust state after the event (`roles=… not-before=… not-after=… [revoked-at=…] [demo]`; before it, for `removed`), so the log alone replays the store.
    public var reason: String?

    /// Creates the record of one key event (`trusted`, `revoked`, `changed` or `removed`).
    public init(event: String, kid: String, roles: [String], reason: String? = nil) {
        self.event = event; self.kid = kid; self.roles = roles; self.reason = reason
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["event": .string(event), "kid": .string(kid), "roles": .strings(roles)]
        if let reason { o["reason"] = .string(reason) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        event = try r.string("event"); kid = try r.string("kid"); roles = try r.strings("roles")
        reason = try r.optionalString("reason")
    }
}

/// Someone read the log (`audit log`, `report`, `stats`): what they asked and how many entries it returned.
public struct AuditReadRecord: Sendable, Equatable {
    /// The command, e.g. `audit report`.
    public var command: String
    /// The filters given, by name (values are ids and times, never personal field values).
    public var filters: [String: String]
    /// How many entries matched.
    public var results: Int64

    /// Creates the record of one read of the log.
    public init(command: String, filters: [String: String], results: Int64) {
        self.command = command; self.filters = filters; self.results = results
    }

    var json: JSONValue {
        .object(["command": .string(command), "filters": .object(filters.mapValues(JSONValue.string)), "results": .int(results)])
    }

    init(reader r: JSONObjectReader) throws {
        command = try r.string("command"); results = try r.int("results")
        filters = try r.object("filters").members.mapValues { v in
            guard let s = v.stringValue else { throw AuditLogError.malformedEntry(context: r.context, reason: "filters must be strings") }
            return s
        }
    }
}

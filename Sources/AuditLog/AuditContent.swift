import StrictJSON
/// The kind-specific part of an audit entry.
public enum AuditContent: Sendable, Equatable {
    case decision(DecisionRecord)
    case disclosure(DisclosureRecord)
    case consentGranted(ConsentGrantedRecord)
    case consentWithdrawn(ConsentWithdrawnRecord)
    case policyLoaded(PolicyLoadedRecord)
    case exportRun(ExportRunRecord)
    case erasureNotice(ErasureNoticeRecord)
    case keyEvent(KeyEventRecord)
    case accountEvent(AccountEventRecord)
    case auditRead(AuditReadRecord)

    /// The entry kind this content belongs to.
    public var kind: AuditEntryKind {
        switch self {
        case .decision: return .decision
        case .disclosure: return .disclosure
        case .consentGranted: return .consentGranted
        case .consentWithdrawn: return .consentWithdrawn
        case .policyLoaded: return .policyLoaded
        case .exportRun: return .exportRun
        case .erasureNotice: return .erasureNotice
        case .keyEvent: return .keyEvent
        case .accountEvent: return .accountEvent
        case .auditRead: return .auditRead
        }
    }

    /// The content as JSON.
    public var json: JSONValue {
        switch self {
        case let .decision(r): return r.json
        case let .disclosure(r): return r.json
        case let .consentGranted(r): return r.json
        case let .consentWithdrawn(r): return r.json
        case let .policyLoaded(r): return r.json
        case let .exportRun(r): return r.json
        case let .erasureNotice(r): return r.json
        case let .keyEvent(r): return r.json
        case let .accountEvent(r): return r.json
        case let .auditRead(r): return r.json
        }
    }

    /// Reads the content of an entry of `kind`.
    public init(kind: AuditEntryKind, reader r: JSONObjectReader) throws {
        switch kind {
        case .decision: self = .decision(try DecisionRecord(reader: r))
        case .disclosure: self = .disclosure(try DisclosureRecord(reader: r))
        case .consentGranted: self = .consentGranted(try ConsentGrantedRecord(reader: r))
        case .consentWithdrawn: self = .consentWithdrawn(try ConsentWithdrawnRecord(reader: r))
        case .policyLoaded: self = .policyLoaded(try PolicyLoadedRecord(reader: r))
        case .exportRun: self = .exportRun(try ExportRunRecord(reader: r))
        case .erasureNotice: self = .erasureNotice(try ErasureNoticeRecord(reader: r))
        case .keyEvent: self = .keyEvent(try KeyEventRecord(reader: r))
        case .accountEvent: self = .accountEvent(try AccountEventRecord(reader: r))
        case .auditRead: self = .auditRead(try AuditReadRecord(reader: r))
        }
    }

    /// The subject concerned, for the indexed query columns.
    public var subject: String? {
        switch self {
        case let .decision(r): return r.subject
        case let .disclosure(r): return r.subject
        case let .consentGranted(r): return r.subject
        case let .consentWithdrawn(r): return r.subject
        case let .erasureNotice(r): return r.subject
        default: return nil
        }
    }

    /// The partner concerned, for the indexed query columns.
    public var partner: String? {
        switch self {
        case let .decision(r): return r.partner
        case let .disclosure(r): return r.partner
        case let .exportRun(r): return r.partner
        default: return nil
        }
    }

    /// The purpose concerned, for the indexed query columns.
    public var purpose: String? {
        switch self {
        case let .decision(r): return r.purpose
        case let .disclosure(r): return r.purpose
        case let .exportRun(r): return r.purpose
        default: return nil
        }
    }

    /// How many fields were released (decision) or passed (disclosure); nil for other kinds.
    public var releasedFieldCount: Int? {
        switch self {
        case let .decision(r): return r.released.count
        case let .disclosure(r): return r.fields.count
        default: return nil
        }
    }
}

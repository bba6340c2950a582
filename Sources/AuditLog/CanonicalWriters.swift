import StrictJSON
// The fast canonical writers of every entry part. Members are listed in RFC 8785 order (UTF-16 code
// units; all keys here are ASCII, and `-` sorts before letters). Must match each type's `json`.

extension ConsentReference: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject(); w.member("clause", clause); w.member("id", id); w.endObject()
    }
}

extension FieldOutcome: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        if let consent { w.key("consent"); consent.write(to: &w) }
        w.member("field", field); w.member("outcome", outcome.rawValue); w.member("reason", reason); w.member("rule", rule)
        w.endObject()
    }
}

extension DecisionRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("at", at)
        w.key("attributes"); w.value(.object(attributes))
        w.member("consents", strings: consents)
        w.key("fields"); w.beginArray(); for f in fields { f.write(to: &w) }; w.endArray()
        w.member("partner", partner); w.member("policy-id", policyID); w.member("policy-version", policyVersion)
        w.member("purpose", purpose); w.member("referral", referral); w.member("requested", strings: requested)
        w.member("subject", subject)
        w.endObject()
    }
}

// DisclosedField, DisclosedFieldGroup and DisclosureRecord write themselves in DisclosureRecord.swift (two layouts).

extension ConsentGrantedRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        if let birthDateChange { w.key("birth-date-changed"); birthDateChange.write(to: &w) }
        w.member("clauses", strings: clauses); w.member("consent", consentID); w.member("digest", digest)
        w.member("expires-at", expiresAt); w.member("granted-at", grantedAt); w.member("subject", subject)
        w.key("template"); w.beginObject(); w.member("id", templateID); w.member("version", templateVersion); w.endObject()
        w.endObject()
    }
}

extension ConsentWithdrawnRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        if let clauses { w.member("clauses", strings: clauses) }
        w.member("consent", consentID); w.member("digest", digest); w.member("subject", subject); w.member("withdrawn-at", withdrawnAt)
        w.endObject()
    }
}

extension PolicyLoadedRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("bundle", bundleID); w.member("digest", digest); w.member("previous-digest", previousDigest); w.member("version", version)
        w.endObject()
    }
}

extension ExportRunRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("input-digest", inputDigest); w.member("manifest-digest", manifestDigest); w.member("partner", partner)
        w.member("purpose", purpose); w.member("quarantined", quarantined); w.member("records", records); w.member("run", runID)
        w.endObject()
    }
}

extension ErasureNoticeRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        if let channel { w.member("channel", channel) }
        if let clauses { w.member("clauses", strings: clauses) }
        w.member("notify", strings: notify); w.member("reason", reason); w.member("subject", subject)
        if let toldAt { w.member("told-at", toldAt) }
        w.endObject()
    }
}

extension KeyEventRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("event", event); w.member("kid", kid); w.member("reason", reason); w.member("roles", strings: roles)
        w.endObject()
    }
}

extension AuditReadRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("command", command); w.key("filters"); w.value(.object(filters.mapValues(JSONValue.string))); w.member("results", results)
        w.endObject()
    }
}

extension AuditContent: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        switch self {
        case let .decision(r): r.write(to: &w)
        case let .disclosure(r): r.write(to: &w)
        case let .consentGranted(r): r.write(to: &w)
        case let .consentWithdrawn(r): r.write(to: &w)
        case let .policyLoaded(r): r.write(to: &w)
        case let .exportRun(r): r.write(to: &w)
        case let .erasureNotice(r): r.write(to: &w)
        case let .keyEvent(r): r.write(to: &w)
        case let .accountEvent(r): r.write(to: &w)
        case let .auditRead(r): r.write(to: &w)
        }
    }
}

extension AuditEntry: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("actor", actor)
        w.key("content"); content.write(to: &w)
        w.member("entry-version", Self.formatVersion); w.member("kind", kind.rawValue); w.member("municipality", municipality)
        w.member("policy-digest", policyDigest); w.member("time", time)
        w.endObject()
    }
}

import Diagnostics
import Foundation
import Signing
import StrictJSON

/// The payload of a signed consent (CONTRACTS §5): what the person agreed to, when, for how long, and who
/// recorded it. It is signed as canonical JSON (`canonicalPayload`) and read back strictly (`init(payload:)`).
///
/// ```json
/// {"clauses":["jobcenter-vermittlung"],"collected-by":{"case-manager":"cm-017","municipality":"Troisdorf"},
///  "consent-version":1,"evidence":"sha256:…","expires-at":"2028-11-25T10:00:00Z",
///  "granted-at":"2026-11-25T10:00:00Z","guardians":[],"id":"6f1c…","language":"uk",
///  "subject":"RSK-2022-000017","template":{"id":"kim-beratung","version":3}}
/// ```
public struct ConsentDeclaration: SignedPayload, Hashable {
    /// The payload format version (`consent-version`); readers refuse other versions.
    public static let formatVersion = 1
    /// Consents are signed with JWS `typ` `consentgate-consent+json`.
    public static let documentKind = ConsentDocumentKind.consent

    /// The template a consent was given on.
    public struct TemplateReference: Sendable, Equatable, Hashable {
        /// The template id (`template.id` in the payload).
        public var id: String
        /// The template version; the consent is read against exactly this version of the bundle's template.
        public var version: Int
        /// Creates a reference to version `version` of template `id`.
        public init(id: String, version: Int) { self.id = id; self.version = version }
    }

    /// The consent's id (written in lower case).
    public var id: UUID
    /// The subject's case id (never a name).
    public var subject: String
    /// The template and version the person signed; its wording is the bundle's, never stored here.
    public var template: TemplateReference
    /// The language of the text the person read and signed (`de`, `uk`, ...).
    public var language: String
    /// The granted clause ids, in the order given.
    public var clauses: [String]
    /// Valid from `grantedAt` (inclusive) to `expiresAt` (exclusive); both kept to the whole second.
    public var grantedAt: Date
    /// End of validity, UTC (exclusive); at most the template's `max-validity` after `grantedAt`.
    public var expiresAt: Date
    /// Who recorded the consent, and in which municipality (`collected-by`).
    public var collectedBy: CaseManagerReference
    /// Guardians who signed for a minor; empty for adults.
    public var guardians: [Guardian]
    /// `sha256:<hex>` of the scanned signed paper form, when recorded.
    public var evidence: String?

    /// Creates a payload with a new random id by default; both times are truncated to the whole second, as they are signed.
    public init(id: UUID = UUID(), subject: String, template: TemplateReference, language: String, clauses: [String],
                grantedAt: Date, expiresAt: Date, collectedBy: CaseManagerReference, guardians: [Guardian] = [],
                evidence: String? = nil) {
        self.id = id; self.subject = subject; self.template = template; self.language = language
        self.clauses = clauses; self.grantedAt = grantedAt.wholeSecond; self.expiresAt = expiresAt.wholeSecond
        self.collectedBy = collectedBy; self.guardians = guardians; self.evidence = evidence
    }

    /// The signing time: the key must have been valid at `granted-at`.
    public var signedAt: Date { grantedAt }

    /// The consent id as written in the payload and used as the store's key: lower-case UUID text.
    public var idText: String { id.uuidString.lowercased() }

    /// The payload as a JSON value (members as in CONTRACTS §5 plus `consent-version`).
    public var json: JSONValue {
        var m: [String: JSONValue] = [
            "consent-version": .int(Int64(Self.formatVersion)),
            "id": .string(idText),
            "subject": .string(subject),
            "template": .object(["id": .string(template.id), "version": .int(Int64(template.version))]),
            "language": .string(language),
            "clauses": .array(clauses.map(JSONValue.string)),
            "granted-at": .string(RFC3339.format(grantedAt)),
            "expires-at": .string(RFC3339.format(expiresAt)),
            "collected-by": collectedBy.json,
            "guardians": .array(guardians.map(\.json)),
        ]
        if let evidence { m["evidence"] = .string(evidence) }
        return .object(m)
    }

    /// The exact bytes that are signed: canonical JSON (sorted members, no whitespace).
    public var canonicalPayload: [UInt8] { CanonicalJSON.encode(json) }

    static let members: Set<String> = ["consent-version", "id", "subject", "template", "language", "clauses",
                                       "granted-at", "expires-at", "collected-by", "guardians", "evidence"]

    /// Reads a payload strictly: strict JSON, every required member with the right type and shape, no unknown member,
    /// no duplicate clause, then the size limit. Errors name the field.
    public init(payload bytes: [UInt8]) throws(ConsentError) {
        let doc = Self.documentKind
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: PayloadObject.parsingLimits) } catch {
            throw .payloadNotJSON(document: doc, offset: error.offset, reason: error.reason)
        }
        let o = try PayloadObject(value, document: doc, field: nil)
        try o.allowOnly(Self.members)
        let version = try o.integer("consent-version")
        guard version == Self.formatVersion else { throw .unsupportedVersion(document: doc, field: "consent-version", found: version) }

        let idText = try o.string("id")
        try o.check("id", idText, .uuid)
        id = UUID(uuidString: idText)!
        subject = try o.string("subject")
        try o.check("subject", subject, .caseID)

        let t = try o.object("template")
        try t.allowOnly(["id", "version"])
        let templateID = try t.string("id")
        try t.check("id", templateID, .identifier)
        let templateVersion = try t.integer("version")
        guard templateVersion >= 1 else {
            throw .invalidValue(document: doc, field: "template.version", value: String(templateVersion),
                                reason: LocalizedText(de: "muss mindestens 1 sein", en: "must be at least 1"))
        }
        template = TemplateReference(id: templateID, version: templateVersion)

        language = try o.string("language")
        try o.check("language", language, .languageCode)

        clauses = try o.stringArray("clauses")
        guard !clauses.isEmpty else {
            throw .invalidValue(document: doc, field: "clauses", value: "[]",
                                reason: LocalizedText(de: "mindestens eine Klausel muss erteilt sein", en: "at least one clause must be granted"))
        }
        var seen = Set<String>()
        for (i, c) in clauses.enumerated() {
            try o.check("clauses[\(i)]", c, .identifier)
            guard seen.insert(c).inserted else {
                throw .invalidValue(document: doc, field: "clauses[\(i)]", value: c,
                                    reason: LocalizedText(de: "Klausel doppelt genannt", en: "clause listed twice"))
            }
        }

        grantedAt = try o.date("granted-at")
        expiresAt = try o.date("expires-at")
        collectedBy = try CaseManagerReference(reading: try o.object("collected-by"))
        var guardians: [Guardian] = []
        for (i, g) in try o.array("guardians", optional: true).enumerated() {
            guardians.append(try Guardian(reading: try PayloadObject(g, document: doc, field: "guardians[\(i)]")))
        }
        self.guardians = guardians
        evidence = try o.optionalString("evidence")
        if let evidence { try o.check("evidence", evidence, .sha256Digest) }
        try PayloadObject.requireSize(bytes, document: doc)
    }

    /// The `sha256:<hex>` evidence value for a scanned paper form, read in chunks (scans can be large). A regular file
    /// that is not empty: `/dev/zero` was hashed for as long as the command ran, a pipe without a writer waited for
    /// good, and an empty file was recorded as the proof of a signed paper (found by probing the command line).
    public static func evidenceDigest(ofFileAt path: String) throws(ConsentError) -> String {
        if let reason = InputFileProblem.reason(path) { throw .unreadableInput(path: path, reason: reason) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw .unreadableInput(path: path, reason: LocalizedText(de: "ist keine reguläre Datei (ein Gerät oder eine Pipe); den Scan als Datei speichern",
                                                                     en: "is not a regular file (a device or a pipe); save the scan as a file"))
        }
        guard ((attributes?[.size] as? NSNumber)?.intValue ?? 0) > 0 else {
            throw .unreadableInput(path: path, reason: LocalizedText(de: "ist leer; erwartet wird der Scan der unterschriebenen Erklärung",
                                                                     en: "is empty; the scan of the signed declaration is expected"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadableInput(path: path, reason: InputFileProblem.systemReason(errno))
        }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let code = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? Int32(truncatingIfNeeded: $0.code) : nil }
            throw .unreadableInput(path: path, reason: InputFileProblem.systemReason(code ?? EIO))
        }
        return "sha256:" + Hex.encode(hasher.finalize())
    }
}

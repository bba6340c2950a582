import Diagnostics
import Foundation
import Signing
import StrictJSON

/// The payload of a signed withdrawal (CONTRACTS §5, GDPR Art. 7(3)): which consent is withdrawn, from
/// when, and who recorded it. A separate JWS with `typ: consentgate-withdrawal+json`.
///
/// ```json
/// {"consent":"6f1c…","recorded-by":{"case-manager":"cm-017","municipality":"Troisdorf"},
///  "subject":"RSK-2022-000017","withdrawal-version":1,"withdrawn-at":"2027-01-10T09:00:00Z"}
/// ```
///
/// A withdrawal of single lines (clauses) of the consent names them in `clauses` (sorted, unique, non-empty) and is
/// `withdrawal-version` 2: a release that knows only version 1 then refuses it as an unsupported version instead of
/// reading it as the withdrawal of the whole consent (or of nothing). A withdrawal of the whole consent stays version 1,
/// byte for byte as before, so every stored version-1 document keeps its bytes and still verifies.
public struct ConsentWithdrawal: SignedPayload, Hashable {
    /// The payload format version of a withdrawal of the whole consent (`withdrawal-version`).
    public static let formatVersion = 1
    /// The payload format version of a withdrawal of single clauses (with `clauses`).
    public static let clauseFormatVersion = 2
    /// Withdrawals are signed with JWS `typ` `consentgate-withdrawal+json`.
    public static let documentKind = ConsentDocumentKind.withdrawal

    /// The id of the withdrawn consent.
    public var consentID: UUID
    /// The subject's case id (must equal the consent's).
    public var subject: String
    /// From this time on (inclusive) the consent no longer counts; kept to the whole second.
    public var withdrawnAt: Date
    /// Who recorded the withdrawal, and in which municipality (`recorded-by`).
    public var recordedBy: CaseManagerReference
    /// The withdrawn clause ids (sorted, unique, non-empty), or nil when the whole consent is withdrawn.
    public var clauses: [String]?

    /// Creates a payload; `withdrawnAt` is truncated to the whole second, as it is signed. `clauses` nil withdraws
    /// the whole consent; otherwise the clauses as given (signing refuses a list that is empty, unsorted or repeats one).
    public init(consentID: UUID, subject: String, withdrawnAt: Date, recordedBy: CaseManagerReference, clauses: [String]? = nil) {
        self.consentID = consentID; self.subject = subject
        self.withdrawnAt = withdrawnAt.wholeSecond; self.recordedBy = recordedBy; self.clauses = clauses
    }

    /// Whether this withdraws the whole consent (no `clauses`).
    public var isWhole: Bool { clauses == nil }

    /// The signing time: the key must have been valid at `withdrawn-at`.
    public var signedAt: Date { withdrawnAt }

    /// The withdrawn consent's id in lower case.
    public var consentIDText: String { consentID.uuidString.lowercased() }

    /// The payload as a JSON value (members as in CONTRACTS §5 plus `withdrawal-version`).
    /// `clauses` and version 2 only for a withdrawal of single clauses.
    public var json: JSONValue {
        var m: [String: JSONValue] = [
            "withdrawal-version": .int(Int64(clauses == nil ? Self.formatVersion : Self.clauseFormatVersion)),
            "consent": .string(consentIDText),
            "subject": .string(subject),
            "withdrawn-at": .string(RFC3339.format(withdrawnAt)),
            "recorded-by": recordedBy.json,
        ]
        if let clauses { m["clauses"] = .array(clauses.map(JSONValue.string)) }
        return .object(m)
    }

    /// The exact bytes that are signed: canonical JSON (sorted members, no whitespace).
    public var canonicalPayload: [UInt8] { CanonicalJSON.encode(json) }

    /// Reads a withdrawal payload strictly; errors name the field.
    public init(payload bytes: [UInt8]) throws(ConsentError) {
        let doc = Self.documentKind
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: PayloadObject.parsingLimits) } catch {
            throw .payloadNotJSON(document: doc, offset: error.offset, reason: error.reason)
        }
        let o = try PayloadObject(value, document: doc, field: nil)
        let version = try o.integer("withdrawal-version")
        guard version == Self.formatVersion || version == Self.clauseFormatVersion else {
            throw .unsupportedVersion(document: doc, field: "withdrawal-version", found: version)
        }
        // Version 1 has no `clauses` (an unknown member there); version 2 must have them.
        try o.allowOnly(version == Self.formatVersion ? ["withdrawal-version", "consent", "subject", "withdrawn-at", "recorded-by"]
                            : ["withdrawal-version", "consent", "subject", "withdrawn-at", "recorded-by", "clauses"])
        let idText = try o.string("consent")
        try o.check("consent", idText, .uuid)
        consentID = UUID(uuidString: idText)!
        subject = try o.string("subject")
        try o.check("subject", subject, .caseID)
        withdrawnAt = try o.date("withdrawn-at")
        recordedBy = try CaseManagerReference(reading: try o.object("recorded-by"))
        clauses = version == Self.clauseFormatVersion ? try Self.readClauses(o) : nil
        try PayloadObject.requireSize(bytes, document: doc)
    }

    /// The `clauses` of a version-2 payload: non-empty, each an identifier, sorted (by Unicode scalars, as
    /// `Array.sorted()` orders Swift strings) and none twice, so one statement has one form.
    private static func readClauses(_ o: PayloadObject) throws(ConsentError) -> [String] {
        let doc = documentKind
        let clauses = try o.stringArray("clauses")
        guard !clauses.isEmpty else {
            throw .invalidValue(document: doc, field: "clauses", value: "[]", reason: LocalizedText(
                de: "mindestens eine Klausel muss genannt sein (ohne „clauses“ gilt der Widerruf der ganzen Einwilligung)",
                en: "at least one clause must be named (without \"clauses\" the whole consent is withdrawn)"))
        }
        for (i, c) in clauses.enumerated() {
            try o.check("clauses[\(i)]", c, .identifier)
            if i > 0, !(clauses[i - 1] < c) {
                throw .invalidValue(document: doc, field: "clauses[\(i)]", value: c, reason: clauses[i - 1] == c
                    ? LocalizedText(de: "Klausel doppelt genannt", en: "clause listed twice")
                    : LocalizedText(de: "die Klauseln müssen sortiert sein", en: "the clauses must be sorted"))
            }
        }
        return clauses
    }
}

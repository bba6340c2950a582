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
public struct ConsentWithdrawal: SignedPayload, Hashable {
    /// The payload format version (`withdrawal-version`).
    public static let formatVersion = 1
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

    /// Creates a payload; `withdrawnAt` is truncated to the whole second, as it is signed.
    public init(consentID: UUID, subject: String, withdrawnAt: Date, recordedBy: CaseManagerReference) {
        self.consentID = consentID; self.subject = subject
        self.withdrawnAt = withdrawnAt.wholeSecond; self.recordedBy = recordedBy
    }

    /// The signing time: the key must have been valid at `withdrawn-at`.
    public var signedAt: Date { withdrawnAt }

    /// The withdrawn consent's id in lower case.
    public var consentIDText: String { consentID.uuidString.lowercased() }

    /// The payload as a JSON value (members as in CONTRACTS §5 plus `withdrawal-version`).
    public var json: JSONValue {
        .object([
            "withdrawal-version": .int(Int64(Self.formatVersion)),
            "consent": .string(consentIDText),
            "subject": .string(subject),
            "withdrawn-at": .string(RFC3339.format(withdrawnAt)),
            "recorded-by": recordedBy.json,
        ])
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
        try o.allowOnly(["withdrawal-version", "consent", "subject", "withdrawn-at", "recorded-by"])
        let version = try o.integer("withdrawal-version")
        guard version == Self.formatVersion else { throw .unsupportedVersion(document: doc, field: "withdrawal-version", found: version) }
        let idText = try o.string("consent")
        try o.check("consent", idText, .uuid)
        consentID = UUID(uuidString: idText)!
        subject = try o.string("subject")
        try o.check("subject", subject, .caseID)
        withdrawnAt = try o.date("withdrawn-at")
        recordedBy = try CaseManagerReference(reading: try o.object("recorded-by"))
    }
}

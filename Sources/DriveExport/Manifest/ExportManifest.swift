import Foundation
import Signing
import StrictJSON

/// `manifest.json` of one partner run folder (CONTRACTS §7), version 1. Encoded deterministically by
/// `encoded()`; `manifest.sig` is the signature over exactly those bytes. Example:
///
/// ```json
/// {
///   "audit-checkpoint": "consentgate.example/audit\n42\nq1w2…=\n",
///   "created-at": "2026-11-25T13:00:00Z",
///   "files": [{"name": "registrations.csv", "records": 118, "bytes": 40211, "sha256": "9f86…"}],
///   "input": {"sha256": "e3b0…"},
///   "manifest-version": 1,
///   "partner": "schulamt",
///   "policy": {"digest": "sha256:…", "id": "kim-rhein-sieg", "version": "2026-11-25"},
///   "purpose": "school-planning",
///   "run-id": "20261125T130000Z-3f9a0c21",
///   "signer": {"algorithm": "Ed25519", "kid": "…"}
/// }
/// ```
public struct ExportManifest: Sendable, Equatable {
    /// The format version written into `manifest-version`.
    public static let version = 1

    /// The policy the run decided with.
    public struct Policy: Sendable, Equatable {
        /// The bundle id.
        public var id: String
        /// The bundle version.
        public var version: String
        /// `sha256:<hex>` of the bundle, as in decision output.
        public var digest: String
        /// A policy reference.
        public init(id: String, version: String, digest: String) { self.id = id; self.version = version; self.digest = digest }
    }

    /// The run id (also the run folder's name).
    public var runID: String
    /// The partner id (policy `partners` key).
    public var partner: String
    /// The purpose id the partner receives the data for.
    public var purpose: String
    /// The policy the run decided with.
    public var policy: Policy
    /// SHA-256 (hex) of the registration list the run read.
    public var inputSHA256: String
    /// When the run wrote the folder (RFC 3339, UTC, in the JSON).
    public var createdAt: Date
    /// The files of the run folder other than the manifest and its signature.
    public var files: [WrittenFile]
    /// `kid` (RFC 7638 thumbprint) of the `export-signer` key.
    public var signerKid: String
    /// The signer key's algorithm (`Ed25519` or `P-256` in the JSON: tells the partner which command verifies).
    public var signerAlgorithm: SignatureAlgorithm
    /// The audit log checkpoint (C2SP tlog-checkpoint text) after the run's entries; `nil` omits it.
    public var auditCheckpoint: String?

    /// A manifest.
    public init(runID: String, partner: String, purpose: String, policy: Policy, inputSHA256: String,
                createdAt: Date, files: [WrittenFile], signerKid: String, signerAlgorithm: SignatureAlgorithm,
                auditCheckpoint: String?) {
        self.runID = runID; self.partner = partner; self.purpose = purpose; self.policy = policy
        self.inputSHA256 = inputSHA256; self.createdAt = createdAt; self.files = files
        self.signerKid = signerKid; self.signerAlgorithm = signerAlgorithm; self.auditCheckpoint = auditCheckpoint
    }

    /// The manifest as a JSON value.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "manifest-version": .int(Int64(Self.version)),
            "run-id": .string(runID),
            "partner": .string(partner),
            "purpose": .string(purpose),
            "policy": .object(["id": .string(policy.id), "version": .string(policy.version), "digest": .string(policy.digest)]),
            "input": .object(["sha256": .string(inputSHA256)]),
            "created-at": .string(RFC3339.format(createdAt)),
            "files": .array(files.map { .object(["name": .string($0.name), "sha256": .string($0.sha256),
                                                 "records": .int(Int64($0.records)), "bytes": .int(Int64($0.bytes))]) }),
            "signer": .object(["kid": .string(signerKid), "algorithm": .string(signerAlgorithm.jwsAlgorithm == "ES256" ? "P-256" : "Ed25519")]),
        ]
        if let c = auditCheckpoint { o["audit-checkpoint"] = .string(c) }
        return .object(o)
    }

    /// The exact bytes of `manifest.json`.
    public func encoded() -> [UInt8] { CanonicalJSON.encodeIndented(json) }

    /// The detached signature for `manifest.sig` over `encoded()`: 64 raw bytes for Ed25519, DER for
    /// P-256, so partners verify with stock `openssl` (see docs/export.md). The key must be the signer
    /// the manifest names.
    public func signature(with key: PrivateKey) throws -> [UInt8] {
        guard key.publicKey.kid == signerKid, key.algorithm == signerAlgorithm else {
            throw DriveExportError.manifestMismatch(reason: "signer kid \(signerKid) is not the signing key's kid \(key.publicKey.kid)")
        }
        do { return try key.signature(for: encoded()) } catch {
            throw DriveExportError.signingFailed(reason: String(describing: error))
        }
    }
}

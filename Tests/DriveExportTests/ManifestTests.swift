import Foundation
import Signing
import Testing
@testable import DriveExport

@Suite("Manifest and signature")
struct ManifestTests {
    static func manifest(key: PrivateKey, files: [WrittenFile], runID: String = "20261125T130000Z-a1b2") -> ExportManifest {
        ExportManifest(runID: runID, partner: "schulamt", purpose: "school-planning",
                       policy: .init(id: "kim-rhein-sieg", version: "2026-11-25", digest: "sha256:" + String(repeating: "ab", count: 32)),
                       inputSHA256: String(repeating: "cd", count: 32), createdAt: TestSupport.now, files: files,
                       signerKid: key.publicKey.kid, signerAlgorithm: key.algorithm,
                       auditCheckpoint: "consentgate.example/audit\n42\nq1w2e3r4t5y6u7i8o9p0AAAAAAAAAAAAAAAAAAAAAAA=\n")
    }

    @Test("encoding is deterministic, sorted, and parses back to the same values")
    func encoding() throws {
        let key = try PrivateKey.generate(.ed25519)
        let files = [WrittenFile(name: "registrations.csv", bytes: 10, sha256: String(repeating: "0", count: 64), records: 3)]
        let a = Self.manifest(key: key, files: files).encoded()
        let b = Self.manifest(key: key, files: files).encoded()
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"audit-checkpoint\": \"consentgate.example/audit\\n42\\n"))
        #expect(text.hasSuffix("}\n"))
        let parsed = try JSONSerialization.jsonObject(with: Data(a)) as! [String: Any]
        #expect(parsed["manifest-version"] as? Int == 1)
        #expect(parsed["run-id"] as? String == "20261125T130000Z-a1b2")
        #expect(parsed["created-at"] as? String == "2026-11-25T10:00:00Z")
        #expect((parsed["signer"] as? [String: String])?["kid"] == key.publicKey.kid)
        #expect(((parsed["files"] as? [[String: Any]])?.first?["records"] as? Int) == 3)
        #expect(Array(parsed.keys).sorted() == ["audit-checkpoint", "created-at", "files", "input", "manifest-version", "partner", "policy", "purpose", "run-id", "signer"])
    }

    @Test("a published folder verifies with stock openssl and sha256sum", arguments: [SignatureAlgorithm.ed25519, .p256])
    func opensslVerifies(algorithm: SignatureAlgorithm) throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let key = try PrivateKey.generate(algorithm)
        let lock = try DriveRunLock(drive: drive)
        let staging = try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "run-1", lock: lock)
        let w = try staging.csvWriter(header: ["Fall-ID", "Familienname (kyrillisch)"])
        try w.write(["RSK-2022-000001", "Шевченко"])
        try staging.add(w.finish())
        let folder = try staging.publish(manifest: Self.manifest(key: key, files: staging.files, runID: "run-1"), signingKey: key)
        #expect(folder == drive + "/Schulamt/run-1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["manifest.json", "manifest.sig", "registrations.csv"])
        try Data(key.publicKey.pem.utf8).write(to: URL(fileURLWithPath: drive + "/pub.pem"))
        let verify: [String] = algorithm == .ed25519
            ? ["pkeyutl", "-verify", "-pubin", "-inkey", drive + "/pub.pem", "-rawin", "-in", folder + "/manifest.json", "-sigfile", folder + "/manifest.sig"]
            : ["dgst", "-sha256", "-verify", drive + "/pub.pem", "-signature", folder + "/manifest.sig", folder + "/manifest.json"]
        let ok = try TestSupport.run("/usr/bin/openssl", verify)
        #expect(ok.status == 0, "\(String(decoding: ok.out + ok.err, as: UTF8.self))")
        // A manifest changed by one byte no longer verifies.
        var tampered = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")))
        tampered[tampered.count / 2] ^= 0x01
        try Data(tampered).write(to: URL(fileURLWithPath: drive + "/tampered.json"))
        var bad = verify
        bad[bad.firstIndex(of: folder + "/manifest.json")!] = drive + "/tampered.json"
        #expect(try TestSupport.run("/usr/bin/openssl", bad).status != 0)
        // The CSV's digest in the manifest is what sha256sum prints.
        let sum = try TestSupport.run("/usr/bin/sha256sum", [folder + "/registrations.csv"])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as! [String: Any]
        let listed = (manifest["files"] as! [[String: Any]])[0]
        #expect(String(decoding: sum.out, as: UTF8.self).hasPrefix((listed["sha256"] as! String) + " "))
        #expect(listed["records"] as? Int == 1)
    }

    @Test("publish refuses a manifest that does not describe the staged files or names another signer")
    func mismatch() throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let key = try PrivateKey.generate(), other = try PrivateKey.generate()
        let lock = try DriveRunLock(drive: drive)
        let staging = try PartnerRunStaging(drive: drive, partnerFolder: "Jugendamt", runID: "r2", lock: lock)
        let w = try staging.csvWriter(header: ["A"])
        try staging.add(w.finish())
        var wrongFiles = Self.manifest(key: key, files: staging.files, runID: "r2")
        wrongFiles.files[0].sha256 = String(repeating: "f", count: 64)
        #expect(throws: DriveExportError.self) { try staging.publish(manifest: wrongFiles, signingKey: key) }
        #expect(throws: DriveExportError.self) { try staging.publish(manifest: Self.manifest(key: other, files: staging.files, runID: "r2"), signingKey: key) }
        #expect(!FileManager.default.fileExists(atPath: drive + "/Jugendamt/r2"))
    }
}

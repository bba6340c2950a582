import Foundation
import Signing
import StrictJSON
import TestFolders
import Testing
@testable import AuditLog

/// Every tree size 1…64 of a real log: roots, inclusion proofs for every index and consistency proofs
/// for every older size, as the CLI prints them, checked by an independent Python implementation.
@Suite("Independent RFC 9162 check (Python hashlib)")
struct PythonCrossCheckTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    @Test("Python recomputes every root and verifies every proof of sizes 1…64; it rejects altered proofs")
    func allSizes() throws {
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path))
        let signer = try TestSupport.signer()
        var leaves: [String] = []
        for n in 0..<64 {
            let e = try TestSupport.disclosure(n, partner: n % 3 == 0 ? "jobcenter" : "schulamt")
            try store.append(e, signer: signer)
            leaves.append(Hex.encode(e.canonicalBytes()))
        }
        var cases: [JSONValue] = []
        for size in Int64(1)...64 {
            let cp = try store.consistencyProof(from: size, to: size)
            cases.append(.object(["type": .string("root"), "size": .int(size), "root": cp.json["root-hash-2"]!]))
            for i in 0..<size {
                let p = try store.inclusionProof(index: i, size: size)
                #expect(p.verify())
                cases.append(p.json)
            }
            for old in Int64(1)...size {
                let p = try store.consistencyProof(from: old, to: size)
                #expect(p.verify())
                cases.append(p.json)
            }
        }
        // Altered proofs the checker must reject (so it cannot pass by accepting everything).
        var bad = try store.inclusionProof(index: 5, size: 40)
        bad.hashes[1][0] ^= 0x80
        var badJSON = bad.json.objectValue!
        badJSON["expect-invalid"] = .bool(true)
        cases.append(.object(badJSON))
        var badC = try store.consistencyProof(from: 13, to: 64)
        badC.hashes.removeLast()
        var badCJSON = badC.json.objectValue!
        badCJSON["expect-invalid"] = .bool(true)
        cases.append(.object(badCJSON))

        let doc = JSONValue.object(["leaves": .strings(leaves), "cases": .array(cases)])
        let file = dir.appendingPathComponent("cases.json")
        try Data(CanonicalJSON.encode(doc)).write(to: file)
        let script = TestSupport.fixtures.appendingPathComponent("rfc9162_check.py").path
        let (status, out, err) = try TestSupport.run("/usr/bin/env", ["python3", script, file.path])
        #expect(status == 0, "\(out)\(err)")
        #expect(out == "OK \(cases.count) checks\n")
        #expect(cases.count == 64 + 2 * (64 * 65 / 2) + 2)
    }
}

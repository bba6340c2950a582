import Foundation
import Testing
@testable import DriveExport

@Suite("Record fingerprint")
struct FingerprintTests {
    @Test("order-independent, value- and field-sensitive, unambiguous, matches an independent computation")
    func fingerprint() throws {
        let a = RecordFingerprint.of([(field: "name.family", value: "Шевченко"), (field: "birth.date", value: "01.02.2010")])
        let b = RecordFingerprint.of([(field: "birth.date", value: "01.02.2010"), (field: "name.family", value: "Шевченко")])
        #expect(a == b && a.count == 64)
        #expect(a != RecordFingerprint.of([(field: "name.family", value: "Шевченкo"), (field: "birth.date", value: "01.02.2010")]))
        #expect(RecordFingerprint.of([(field: "a", value: "bc")]) != RecordFingerprint.of([(field: "ab", value: "c")]))
        #expect(RecordFingerprint.of([(field: "a", value: "")]) != RecordFingerprint.of([]))
        let script = """
        import hashlib, struct
        def lp(s):
            b = s.encode("utf-8"); return struct.pack(">I", len(b)) + b
        cells = sorted([("name.family", "Шевченко"), ("birth.date", "01.02.2010")], key=lambda c: c[0].encode())
        data = b"consentgate/record-fingerprint/v1\\x00" + b"".join(lp(f) + lp(v) for f, v in cells)
        print(hashlib.sha256(data).hexdigest(), end="")
        """
        let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", script])
        #expect(String(decoding: r.out, as: UTF8.self) == a)
    }

    @Test("a record's fingerprint over export columns ignores other columns")
    func recordColumns() throws {
        let rows = try TestSupport.readRows(path: TestSupport.fixture("csv/gen40-semicolon-crlf.csv"))
        guard case .valid(let r)? = rows.first else { Issue.record("no valid row"); return }
        let cols = ["case.id", "name.family", "birth.date"]
        #expect(RecordFingerprint(fields: cols).of(r) == RecordFingerprint.of(cols.map { (field: $0, value: r[$0]!) }))
        #expect(RecordFingerprint(fields: cols).of(r) == RecordFingerprint(fields: cols.reversed()).of(r))
        #expect(RecordFingerprint(fields: cols).of(r) != RecordFingerprint(fields: cols + ["health.notes"]).of(r))
    }
}

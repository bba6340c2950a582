import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// A damaged tree frontier is said in the reader's language: the German message read "Audit-Protokoll beschädigt: stored
/// tree frontier has 161 bytes, not a multiple of 32" (audit review, session 40, L1).
@Suite struct CorruptedFrontierWordsTests {
    @Test(arguments: [
        ("UPDATE audit_frontier SET hashes = hashes || x'00'", "kein Vielfaches von 32", "not a multiple of 32"),
        ("DELETE FROM audit_frontier", "die Zeile des Baumrands fehlt", "the tree frontier row is missing"),
    ])
    func theMessageIsInTheReadersLanguage(_ sql: String, _ de: String, _ en: String) throws {
        let tmp = try TemporaryDirectory("corrupted-frontier")
        let path = tmp.url.appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        for n in 0..<3 { try store.append(TestSupport.disclosure(n), signer: signer) }
        try TestSupport.sqlite(path, sql)
        let error = #expect(throws: AuditLogError.self) { try store.append(TestSupport.disclosure(3), signer: signer) }
        #expect(error?.category == .integrity)
        let german = error?.message(in: .de) ?? ""
        #expect(german.hasPrefix("Audit-Protokoll beschädigt: ") && german.contains(de), "\(german)")
        #expect(!german.contains(en), "\(german)")
        #expect(error?.message(in: .en).contains(en) == true, "\(String(describing: error))")
    }
}

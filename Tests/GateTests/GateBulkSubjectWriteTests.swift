import Diagnostics
import Foundation
import PolicyEngine
import GRDB
import Testing
@testable import Gate

/// The export job's chunk write stores subjects with one statement per chunk (`SubjectStore.upsert(many:)`):
/// the stored rows must be exactly those the per-subject upsert stores, for new and for existing subjects.
@Suite struct GateBulkSubjectWriteTests {
    static let day: Double = 86_400
    static let subjects: [Subject] = [
        Subject(id: "RSK-2026-000001"),
        Subject(id: "RSK-2026-000002", birthDate: Date(timeIntervalSince1970: 12_000 * day), municipality: "Sankt Augustin",
                unaccompaniedMinor: true, guardians: ["Olena \"Lena\" Kovalenko", "RSK-2026-000009", "Back\\slash/Slash"]),
        Subject(id: "RSK-2026-000003", birthDate: Date(timeIntervalSince1970: -3_000 * day), municipality: "Hennef (Sieg)",
                unaccompaniedMinor: false),
        Subject(id: "RSK-2026-000004", municipality: "Troisdorf", guardians: ["Тарас Шевченко"]),
    ]

    static func rows(_ writer: any DatabaseWriter) throws -> [[String?]] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, birth_date, municipality, unaccompanied_minor, guardians, updated_at, typeof(unaccompanied_minor) FROM subject ORDER BY id")
                .map { row in (0..<7).map { i in row[i].map { "\($0)" } } }
        }
    }

    @Test("one statement per chunk stores what the per-subject upsert stores, inserting and then updating")
    func bulkEqualsSingle() throws {
        let a = try GateTestInstallation(), b = try GateTestInstallation()
        defer { a.remove(); b.remove() }
        let bulk = try a.open().database.writer, single = try b.open().database.writer
        let changed = Self.subjects.map { s in
            Subject(id: s.id, birthDate: s.birthDate.map { $0.addingTimeInterval(Self.day) }, municipality: "Siegburg",
                    unaccompaniedMinor: s.unaccompaniedMinor.map { !$0 }, guardians: s.guardians.reversed())
        }
        for (round, list) in [Self.subjects, changed].enumerated() {
            let at = "2026-11-2\(round + 1)T10:00:00Z"
            try bulk.write { db in try SubjectStore.upsert(many: list, updatedAt: at, db) }
            try single.write { db in
                for s in list {
                    try db.cachedStatement(sql: SubjectStore.upsertSQL).execute(arguments: [
                        s.id, s.birthDate.map { UTCDay.format(UTCDay.day(of: $0)) }, s.municipality, s.unaccompaniedMinor,
                        s.guardians.isEmpty ? "[]" : JSONStringEscaping.array(s.guardians), at])
                }
            }
            let got = try Self.rows(bulk)
            #expect(got == (try Self.rows(single)))
            #expect(got.count == Self.subjects.count)
        }
        // Read back through the store: the attributes survive the round trip.
        let store = SubjectStore(writer: bulk)
        for s in changed { #expect(try store.subject(id: s.id) == s) }
    }
}

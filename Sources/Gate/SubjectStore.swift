import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import StoreDiagnostics

/// A person as ConsentGate knows them: a case id (never a name) and the attributes rules may test.
public struct Subject: Sendable, Equatable {
    /// The case id, e.g. `RSK-2022-000017`.
    public var id: String
    /// The birth date (midnight UTC of the calendar day); age is derived from it at decision time.
    public var birthDate: Date?
    /// The municipality whose case management holds the case, in Unicode NFC (see `init`).
    public var municipality: String?
    /// Whether the person arrived as an unaccompanied minor.
    public var unaccompaniedMinor: Bool?
    /// Guardians as recorded (names or case ids), for minors.
    public var guardians: [String]

    /// A subject; `municipality` is kept in Unicode NFC. Swift compares strings by canonical equivalence, SQLite by
    /// bytes: a list exported on a Mac spells `Königswinter` decomposed (`o` + combining diaeresis), which passed every
    /// check in Swift and was then missing from the SQL look-ups by municipality (a case worker's list of people, the
    /// DPO's filter).
    public init(id: String, birthDate: Date? = nil, municipality: String? = nil, unaccompaniedMinor: Bool? = nil,
                guardians: [String] = []) {
        self.id = id; self.birthDate = birthDate; self.municipality = municipality.map(Self.nfc)
        self.unaccompaniedMinor = unaccompaniedMinor; self.guardians = guardians
    }

    /// 1900-01-01 as a day number (`UTCDay`): the earliest birth date ConsentGate records or decides on, as the
    /// registration lists' (`CivilDate`). Nobody alive was born earlier; such a date is a typing error (`1015` for
    /// `2015`) that would count a child as an adult.
    public static let earliestBirthDay = UTCDay.days(year: 1900, month: 1, day: 1)

    /// `text` in Unicode NFC (ASCII, the common case, as it is).
    static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The attributes the evaluator tests.
    public var attributes: SubjectAttributes {
        SubjectAttributes(birthDate: birthDate, municipality: municipality, unaccompaniedMinor: unaccompaniedMinor,
                          guardianCount: guardians.count)
    }

    /// This subject with every attribute `other` states replacing the stored one.
    public func updated(with other: Subject) -> Subject {
        Subject(id: id, birthDate: other.birthDate ?? birthDate, municipality: other.municipality ?? municipality,
                unaccompaniedMinor: other.unaccompaniedMinor ?? unaccompaniedMinor,
                guardians: other.guardians.isEmpty ? guardians : other.guardians)
    }
}

/// The `subject` table: read and upsert subjects.
struct SubjectStore: Sendable {
    let writer: any DatabaseWriter

    func subject(id: String) throws -> Subject? {
        try GateError.requireNoNUL(id, field: "subject")
        do {
            return try writer.read { db in try Self.fetch(db, id: id) }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Person \(id) lesen", en: "read subject \(id)")) }
    }

    static func fetch(_ db: Database, id: String) throws -> Subject? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM subject WHERE id = ?", arguments: [id]) else { return nil }
        return try decode(row)
    }

    /// The case id on record (a person row or a stored consent) that equals `id` but for letter case (`RSK-2022-000063`
    /// for `rsk-2022-000063`), if any, in any municipality. Case ids are compared as written everywhere (the subject
    /// table, consents, the log's subject index), so a second spelling would file a second person: its consents,
    /// decisions and Art. 15 report apart from the first (API review M2, session 41). Case ids are ASCII
    /// (`CellChecks.isValidCaseID`, `ConsentDeclaration`), which is all SQLite's `NOCASE` folds. A scan of the person
    /// table (no index folds case): asked only when a consent is about to file a person not yet known.
    static func otherSpelling(of id: String, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT id FROM (SELECT id FROM subject WHERE id = ?1 COLLATE NOCASE AND id <> ?1
                            UNION SELECT subject FROM consent WHERE subject = ?1 COLLATE NOCASE AND subject <> ?1)
            ORDER BY id LIMIT 1
            """, arguments: [id])
    }

    /// Throws `GateError.caseIDSpelledOtherwise` when nothing is on record under `id` (no person row, no consent but
    /// the one being recorded) while another spelling of it is.
    static func requireNoOtherSpelling(of id: String, field: String, _ db: Database) throws {
        guard try fetch(db, id: id) == nil, let recorded = try otherSpelling(of: id, db) else { return }
        // A consent under `id` other than the one this transaction records: the person is known under this spelling.
        let consents = try Int.fetchOne(db, sql: "SELECT count(*) FROM consent WHERE subject = ?", arguments: [id]) ?? 0
        guard consents <= 1 else { return }
        throw GateError.caseIDSpelledOtherwise(field: field, given: id, recorded: recorded)
    }

    /// The person a `subject` row holds (columns `id`, `birth_date`, `municipality`, `unaccompanied_minor`,
    /// `guardians`). A value ConsentGate would not have written (edited by hand) is a `StoredRowError` naming the
    /// row and the column: never a trap, and never read as "no birth date" or "no guardians", which would change
    /// what the rules decide.
    static func decode(_ row: Row) throws(StoredRowError) -> Subject {
        let r = StoredRow(row, table: "subject", keyColumn: "id")
        let id: String = try r.value("id")
        var birthDate: Date?
        if let text: String = try r.optional("birth_date") {
            guard let day = UTCDay.parse(text) else {
                throw r.unreadable("birth_date", LocalizedText(de: "ist kein Datum JJJJ-MM-TT", en: "is not a date YYYY-MM-DD"))
            }
            birthDate = Date(timeIntervalSince1970: Double(day) * 86_400)
        }
        let guardiansJSON: String = try r.value("guardians")
        var guardians: [String] = []
        if guardiansJSON != "[]" {
            guard let list = try? JSONDecoder().decode([String].self, from: Data(guardiansJSON.utf8)) else {
                throw r.unreadable("guardians", LocalizedText(de: "ist keine JSON-Liste von Namen", en: "is not a JSON list of names"))
            }
            guardians = list
        }
        // By its storage class: SQLite's own conversion (what a cursor's integer accessor does) reads 'ja' as 0.
        let unaccompanied: Bool?
        switch (row.hasColumn("unaccompanied_minor") ? row["unaccompanied_minor"] : DatabaseValue.null).storage {
        case .null: unaccompanied = nil
        case .int64(let flag) where flag == 0 || flag == 1: unaccompanied = flag == 1
        default: throw r.unreadable("unaccompanied_minor", LocalizedText(de: "ist weder 0 noch 1", en: "is neither 0 nor 1"))
        }
        return Subject(id: id, birthDate: birthDate, municipality: try r.optional("municipality"),
                       unaccompaniedMinor: unaccompanied, guardians: guardians)
    }

    /// Inserts a subject row or replaces its attributes (arguments: id, birth date `YYYY-MM-DD`, municipality,
    /// unaccompanied minor, guardians JSON, updated-at): the one statement every writer of subjects uses.
    static let upsertSQL = """
        INSERT INTO subject (id, birth_date, municipality, unaccompanied_minor, guardians, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET birth_date = excluded.birth_date, municipality = excluded.municipality,
          unaccompanied_minor = excluded.unaccompanied_minor, guardians = excluded.guardians,
          updated_at = excluded.updated_at
        """

    /// `upsertSQL` for many subjects in ONE statement (arguments: the rows as a JSON array of
    /// `[id, birth date, municipality, unaccompanied minor 0/1, guardians JSON]`, then updated-at). Bulk writers
    /// (the export job) use it: a statement that can abort midway inside a transaction — every write to
    /// `subject` can, because the change-counter triggers run with it — first copies each page it touches
    /// to SQLite's statement journal, so one statement per row copied ~3 pages of 16 KiB per row (5 GB for
    /// 100,000 rows); one statement per chunk copies each page once.
    static let bulkUpsertSQL = """
        INSERT INTO subject (id, birth_date, municipality, unaccompanied_minor, guardians, updated_at)
        SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, ? FROM json_each(?) WHERE true
        ON CONFLICT(id) DO UPDATE SET birth_date = excluded.birth_date, municipality = excluded.municipality,
          unaccompanied_minor = excluded.unaccompanied_minor, guardians = excluded.guardians,
          updated_at = excluded.updated_at
        """

    /// Writes `subjects` as they are (already merged with what is stored) with `bulkUpsertSQL`.
    static func upsert(many subjects: [Subject], updatedAt: String, _ db: Database) throws {
        guard !subjects.isEmpty else { return }
        var rows: [UInt8] = [0x5B]
        rows.reserveCapacity(subjects.count * 64)
        for (i, s) in subjects.enumerated() {
            if i > 0 { rows.append(0x2C) }
            rows.append(0x5B)
            JSONStringEscaping.append(s.id, to: &rows)
            rows.append(0x2C)
            if let b = s.birthDate { JSONStringEscaping.append(UTCDay.format(UTCDay.day(of: b)), to: &rows) } else { rows.append(contentsOf: "null".utf8) }
            rows.append(0x2C)
            if let m = s.municipality { JSONStringEscaping.append(m, to: &rows) } else { rows.append(contentsOf: "null".utf8) }
            rows.append(0x2C)
            rows.append(contentsOf: (s.unaccompaniedMinor.map { $0 ? "1" : "0" } ?? "null").utf8)
            rows.append(0x2C)
            JSONStringEscaping.append(s.guardians.isEmpty ? "[]" : JSONStringEscaping.array(s.guardians), to: &rows)
            rows.append(0x5D)
        }
        rows.append(0x5D)
        try db.cachedStatement(sql: bulkUpsertSQL).execute(arguments: [updatedAt, String(decoding: rows, as: UTF8.self)])
    }

    /// Inserts the subject or merges the stated attributes into the stored one; returns the result.
    @discardableResult
    func upsert(_ subject: Subject, now: Date = Date()) throws -> Subject {
        try GateError.requireNoNUL(subject.id, field: "subject")
        do {
            return try writer.write { db in try Self.upsert(subject, now: now, db) }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Person \(subject.id) speichern", en: "store subject \(subject.id)")) }
    }

    /// `upsert` inside the caller's write transaction (e.g. with the consent that states the attributes).
    @discardableResult
    static func upsert(_ subject: Subject, now: Date, _ db: Database) throws -> Subject {
        let merged = try fetch(db, id: subject.id).map { $0.updated(with: subject) } ?? subject
        let guardians = JSONStringEscaping.array(merged.guardians)
        try db.cachedStatement(sql: upsertSQL).execute(arguments: [merged.id, merged.birthDate.map { UTCDay.format(UTCDay.day(of: $0)) },
                             merged.municipality, merged.unaccompaniedMinor, guardians, RFC3339.format(now)])
        return merged
    }
}

import AuditLog
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import StoreDiagnostics

extension Gate {
    /// Archives the bundle by digest and records `policy-loaded` when the policy in force is not the one
    /// in force before (so a DPO sees every policy change, and `audit explain` can re-evaluate with old
    /// bundles). The caller holds the `InstallationLock`, so the read and the record are not interleaved
    /// with another process opening the same database.
    func recordPolicyIfNew(actor: Actor) throws {
        let digest = policy.digest
        let previous: String?
        do {
            previous = try database.writer.read { db in
                try String.fetchOne(db, sql: "SELECT digest FROM policy_current WHERE id = 1")
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk-Archiv lesen", en: "read policy archive")) }
        // Named first, read only when the archive needs them: an unchanged policy costs a walk of the folder, no reads.
        let files = try PolicyArchive.bundleFiles(directory: configuration.policyDirectory)
        guard previous != digest else { return try completeArchive(digest: digest, files: files) }
        let blob = try PolicyArchive.archive(files)
        do {
            try database.writer.write { db in
                try db.execute(sql: """
                    INSERT OR IGNORE INTO policy_archive (digest, bundle_id, version, files, loaded_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [digest, policy.bundle.id, policy.bundle.version, blob, RFC3339.format(Date())])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk archivieren", en: "archive policy")) }
        try completeArchive(digest: digest, files: files)
        // Logged first, marked current after: a crash in between logs the change again on the next open
        // rather than never.
        try record(.policyLoaded(PolicyLoadedRecord(bundleID: policy.bundle.id, version: policy.bundle.version,
                                                    digest: digest, previousDigest: previous)), actor: actor)
        do {
            try database.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO policy_current (id, digest) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET digest = excluded.digest
                    """, arguments: [digest])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk als aktuell kennzeichnen", en: "mark policy current")) }
    }

    /// Replaces the archived files of the bundle in force when they lack some of `files` (its files as found now): an
    /// archive written before links were followed (a policy folder that is a link was archived empty) stays under its
    /// digest otherwise, since the bundle in force is archived only when it changes. The same digest is the same loaded
    /// model, so the files may be replaced; nothing is logged.
    private func completeArchive(digest: String, files: [String: String]) throws {
        let fresh = Set(files.keys)
        let stored: Data?
        do {
            stored = try database.writer.read { db in
                try Data.fetchOne(db, sql: "SELECT files FROM policy_archive WHERE digest = ?", arguments: [digest])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk-Archiv lesen", en: "read policy archive")) }
        // No row (a database from before the archive) is left as it was; the caller holds the `InstallationLock`.
        guard let stored else { return }
        let storedNames = (try? JSONDecoder().decode([String: String].self, from: stored)).map { Set($0.keys) } ?? []
        guard !fresh.isSubset(of: storedNames) else { return }
        let blob = try PolicyArchive.archive(files)
        do {
            try database.writer.write { db in
                try db.execute(sql: "UPDATE policy_archive SET files = ? WHERE digest = ?", arguments: [blob, digest])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk archivieren", en: "archive policy")) }
    }

    /// The archived bundle with `digest`, unpacked into a fresh temporary folder, compiled.
    ///
    /// What the row holds is judged by what can be shown: a blob ConsentGate cannot have written (not JSON of paths and
    /// base64 contents) or files that load to another digest are an integrity failure (`PolicyArchiveError.unreadable`,
    /// `.digestMismatch`, exit 4). Files that no longer load at all cannot be checked against the digest, which covers
    /// the loaded bundle, not the bytes: `PolicyArchiveError.unloadable` (exit 3) says so, with the loader's reason,
    /// since an older bundle format this release no longer reads fails the same way as a changed file.
    public func archivedPolicy(digest: String) throws -> CompiledPolicy? {
        if digest == policy.digest { return policy }
        return try PolicyArchive.load(digest: digest, from: database)
    }
}

/// The policy in force as the database knows it, for commands that read the log without opening the installation.
public enum ArchivedPolicyInForce {
    /// The archived bundle that was in force when the installation was last opened (`policy_current`), or nil when the
    /// database has none (a database not yet opened by any command). What `audit report` names rows by when the
    /// policy folder is absent or does not load: the report describes what happened, and an Art. 15 answer must not
    /// wait for a half-finished edit of today's folder. The archive's checks apply (`Gate.archivedPolicy`).
    public static func load(from database: AppDatabase) throws -> CompiledPolicy? {
        let digest: String?
        do {
            digest = try database.writer.read { db in
                guard try db.tableExists("policy_current") else { return nil }
                return try String.fetchOne(db, sql: "SELECT digest FROM policy_current WHERE id = 1")
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk-Archiv lesen", en: "read policy archive")) }
        return try digest.flatMap { try PolicyArchive.load(digest: $0, from: database) }
    }

    /// The files of the archived policy in force unpacked into a fresh temporary folder (the caller removes it), with
    /// that policy's version, or nil when the database has none: a reading command (`audit explain`) opens the
    /// installation on it while today's folder does not load. The archive's checks apply as for `load(from:)`.
    public static func unpacked(from database: AppDatabase) throws -> (directory: URL, version: String)? {
        guard let policy = try load(from: database) else { return nil }
        let blob: Data? = try database.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT files FROM policy_archive WHERE digest = ?", arguments: [policy.digest])
        }
        guard let blob else { return nil }
        return (URL(fileURLWithPath: try PolicyArchive.unpack(blob)), policy.bundle.version)
    }
}

/// A policy bundle folder packed into one blob (JSON: relative path → base64 content) for the archive.
enum PolicyArchive {
    /// The policy archived under `digest` in `database`, or nil when there is none (or no archive table, in a database
    /// not yet migrated). A row that ConsentGate cannot have written, or whose files do not give the digest it is
    /// filed under, throws `PolicyArchiveError` (an integrity failure); files that no longer load throw `.unloadable`.
    static func load(digest: String, from database: AppDatabase) throws -> CompiledPolicy? {
        let row: (files: Data, loadedAt: String)?
        do {
            row = try database.writer.read { db -> (Data, String)? in
                guard try db.tableExists("policy_archive"),
                      let r = try Row.fetchOne(db, sql: "SELECT digest, files, loaded_at FROM policy_archive WHERE digest = ?", arguments: [digest])
                else { return nil }
                let stored = StoredRow(r, table: "policy_archive", keyColumn: "digest")
                return (try stored.value("files"), try stored.optional("loaded_at") ?? "")
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Regelwerk-Archiv lesen", en: "read policy archive")) }
        guard let (blob, loadedAt) = row else { return nil }
        if let problem = problem(in: blob) { throw PolicyArchiveError.unreadable(digest: digest, reason: problem) }
        let dir = try unpack(blob)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let archived: CompiledPolicy
        // Read as it was when it came into force: checks added since do not refuse it (`BundleLoader`).
        do { archived = try CompiledPolicy.load(directory: URL(fileURLWithPath: dir), archived: true) } catch {
            throw PolicyArchiveError.unloadable(digest: digest, reason: LocalizedText(de: error.message(in: .de), en: error.message(in: .en)))
        }
        // The row is found by the digest it is filed under; its files must give that digest, or an explanation (or a
        // report's citations) would use rules other than those in force at the time.
        // An archive an earlier release filed gives the digest of its time (`BundleDigest.earlierDigests`); only a row
        // filed before this release existed can have one (later rows carry the current digest, so titles added to an
        // archived bundle afterwards stay a change).
        let filedEarlier = loadedAt < Self.currentDigestSince
        guard archived.digest == digest || (filedEarlier && BundleDigest.earlierDigests(of: archived.bundle).contains(digest)) else {
            throw PolicyArchiveError.digestMismatch(expected: digest, actual: archived.digest)
        }
        return archived
    }

    /// From this time on (RFC 3339, compared as text) every release files archives under the current form of the digest.
    static let currentDigestSince = "2026-12-06T00:00:00Z"

    /// The files of the bundle folder that the archive keeps, by their path relative to the folder (→ the path to
    /// read), found as the loader finds them: through symbolic links that stay inside the bundle (the folder itself may
    /// be a link to the release in force, a text file a link to another file of the bundle). `FileManager`'s
    /// enumerator follows neither, which left such an archive without the files and the old bundle unloadable.
    ///
    /// Left out: hidden folders (`.git`: a bundle kept in git, as docs/policy.md suggests, had its whole history read
    /// into memory and stored on every open, 2 GB for a 400 MB pack: input review, finding 2) and files over the loader's
    /// `YAMLLimits.maxFileBytes` (no bundle file can be larger: the loader refuses it). A hidden file is kept (the
    /// loader reads a `.local.yaml` beside `policy.yaml`). A folder that cannot be listed and a broken link are passed
    /// over, as the loader passes over what it does not read (a root-only `lost+found` in the bundle folder must not
    /// stop every command); a file the loader read cannot be among them.
    static func bundleFiles(directory: String) throws -> [String: String] {
        let fm = FileManager.default
        let realRoot = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let rootPrefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        var files: [String: String] = [:]
        func walk(_ dir: String, relative: String, within ancestors: Set<String>) throws {
            for name in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let resolved = URL(fileURLWithPath: dir).appendingPathComponent(name).resolvingSymlinksInPath().path
                // A link leading outside the bundle: the loader refuses to read through it, so it is no part of it.
                guard resolved.hasPrefix(rootPrefix), let attributes = try? fm.attributesOfItem(atPath: resolved) else { continue }
                let type = attributes[.type] as? FileAttributeType
                if type == .typeDirectory {
                    guard !name.hasPrefix(".") else { continue }
                    // A link back to a folder it lies in (a cycle) is not followed.
                    guard !ancestors.contains(resolved) else { continue }
                    try walk(resolved, relative: rel, within: ancestors.union([resolved]))
                } else if type == .typeRegular, ((attributes[.size] as? Int) ?? 0) <= YAMLLimits.maxFileBytes {
                    files[rel] = resolved
                }
            }
        }
        try walk(realRoot, relative: "", within: [realRoot])
        return files
    }

    /// The archive of `files` (as `bundleFiles` names them): a JSON object of relative paths to base64 contents.
    static func archive(_ files: [String: String]) throws -> Data {
        var contents: [String: String] = [:]
        for (rel, path) in files {
            do { contents[rel] = try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString() } catch {
                throw StorageError.failed(operation: .init(de: "Regelwerk-Datei \(rel) archivieren", en: "archive policy file \(rel)"), reason: StorageFailureReason(error))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(contents)
    }

    /// `archive(bundleFiles(directory:))`: the archive of the bundle folder as it is now.
    static func collect(directory: String) throws -> Data { try archive(try bundleFiles(directory: directory)) }

    /// Why `blob` is not an archive `collect` can have written (JSON object of relative paths without `..` to base64
    /// contents), or nil when it is one.
    static func problem(in blob: Data) -> LocalizedText? {
        guard let files = try? JSONDecoder().decode([String: String].self, from: blob) else {
            return LocalizedText(de: "kein JSON-Objekt aus Pfaden und base64-Inhalten", en: "not a JSON object of paths and base64 contents")
        }
        for (rel, content) in files.sorted(by: { $0.key < $1.key })
        where rel.hasPrefix("/") || rel.split(separator: "/").contains("..") || Data(base64Encoded: content) == nil {
            return LocalizedText(de: "ungültiger Eintrag \(rel)", en: "bad entry \(rel)")
        }
        return nil
    }

    /// The name prefix of the folders `unpack` creates.
    static let unpackPrefix = "consentgate-policy-"

    /// Writes the files of `blob` into a new folder `<unpackPrefix><UUID>` in `parent` (default: the temporary
    /// directory) and returns its path; the caller removes it. When an entry is bad or cannot be written, the folder
    /// and what was written into it so far are removed before the error is thrown.
    static func unpack(_ blob: Data, in parent: URL = FileManager.default.temporaryDirectory) throws -> String {
        let files = try JSONDecoder().decode([String: String].self, from: blob)
        let dir = parent.appendingPathComponent("\(unpackPrefix)\(UUID().uuidString)")
        do {
            for (rel, content) in files.sorted(by: { $0.key < $1.key }) {
                guard !rel.hasPrefix("/"), !rel.split(separator: "/").contains(".."), let data = Data(base64Encoded: content) else {
                    throw StorageError.failed(operation: .init(de: "archiviertes Regelwerk entpacken", en: "unpack archived policy"), reason: .text(.init(de: "ungültiger Eintrag \(rel)", en: "bad entry \(rel)")))
                }
                let url = dir.appendingPathComponent(rel)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        return dir.path
    }
}

import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// Makes committed WAL frames durable on a background thread: `fsync` of the database's `-wal` file,
/// the same system call SQLite makes at each commit under `synchronous = FULL`, issued by the pipelined
/// append (`appendBatches`) after a commit made with `synchronous = NORMAL`, so that the next batch's
/// inserts run while the disk flushes. A batch is reported durable only after an fsync that started
/// after its commit has returned success.
///
/// The file is opened by path once (read-only; Linux flushes a file's data through any descriptor) and
/// reopened when the `-wal` file is a different file than before. At each (re)open the folder is
/// fsynced too, as SQLite does for a new WAL file, so the file's name survives a crash as well.
final class WALSyncer: @unchecked Sendable {
    /// One fsync in flight: `wait()` returns its result.
    final class Ticket: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        /// 0, or the `errno` of the failed fsync (written before `done` is signalled, read after).
        private var error: Int32 = 0

        fileprivate func finish(_ e: Int32) { error = e; done.signal() }

        /// Waits for the fsync; throws if it failed.
        func wait(path: String) throws {
            done.wait()
            if error != 0 {
                throw AuditLogError.storage(operation: .sync(path: path), reason: .system(errno: error))
            }
        }
    }

    private let queue = DispatchQueue(label: "consentgate.audit.wal-sync")
    /// Touched only by the thread driving the pipeline (inside its write blocks and at `close`).
    private var fd: Int32 = -1
    private var inode: ino_t = 0
    private(set) var path = ""

    deinit { close() }

    /// Opens (or reopens) the `-wal` file of the connection `db`. Call inside the write block, after the
    /// commit, so the file exists and cannot be replaced meanwhile (this connection keeps it open).
    func attach(_ db: Database) throws {
        guard let conn = db.sqliteConnection, let main = sqlite3_db_filename(conn, "main") else {
            throw AuditLogError.storage(operation: .append, reason: .connectionClosed)
        }
        let walPath = String(cString: main) + "-wal"
        var st = stat()
        guard stat(walPath, &st) == 0 else {
            throw AuditLogError.storage(operation: .open(path: walPath), reason: .system(errno: errno))
        }
        if fd >= 0, walPath == path, st.st_ino == inode { return }
        close()
        let newFD = open(walPath, O_RDONLY | O_CLOEXEC)
        guard newFD >= 0 else {
            throw AuditLogError.storage(operation: .open(path: walPath), reason: .system(errno: errno))
        }
        var own = stat()
        fstat(newFD, &own)
        fd = newFD; inode = own.st_ino; path = walPath
        let folder = (walPath as NSString).deletingLastPathComponent
        let dirFD = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            let ok = fsync(dirFD) == 0
            let e = errno
            Foundation.close(dirFD)
            if !ok { throw AuditLogError.storage(operation: .sync(path: folder), reason: .system(errno: e)) }
        }
    }

    /// Starts an fsync of the attached file on the background thread; it covers every frame written before now.
    func startSync() -> Ticket {
        let ticket = Ticket()
        let fd = self.fd
        queue.async { ticket.finish(fsync(fd) == 0 ? 0 : errno) }
        return ticket
    }

    /// Closes the file after the queued fsyncs have run.
    func close() {
        guard fd >= 0 else { return }
        let fd = self.fd
        queue.sync { _ = Foundation.close(fd) }
        self.fd = -1
    }
}

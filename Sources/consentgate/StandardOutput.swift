import Diagnostics
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc  // `stdout`, a C global: only this file touches it
#endif

/// Standard output, checked. A command's answer that did not reach its file (a full disk behind `> file`, `/dev/full`)
/// is a storage failure (exit 5) said on standard error, not a silent success with an empty file: found in the
/// full-disk review, where `users add > token.txt` exited 0 and the token printed once was lost.
///
/// Everything the command line prints goes into stdio's one buffer (`print`, `write(_:)`), so the order of its
/// lines is kept; `flush()` says whether all of it was written.
enum StandardOutput {
    /// Writes `text` as it is (no newline added), into the buffer `print` writes to.
    /// A failed write keeps its `errno` here, so that `flush()` can say why even when stdio threw the text away.
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, stdout) }
        if written < bytes.count { _ = firstFailure.compareExchange(expected: 0, desired: errno, ordering: .relaxed) }
    }

    /// Writes out the buffer. Throws when this or any earlier write of the process to standard output failed.
    static func flush() throws(StandardOutputError) {
        let flushFailed = fflush(stdout) != 0
        let reason = flushFailed ? errno : firstFailure.load(ordering: .relaxed)
        guard flushFailed || ferror(stdout) != 0 else { return }
        throw StandardOutputError(errno: reason == 0 ? nil : reason)
    }

    /// Throws when a write to standard output has failed so far, without flushing: a command that prints as it reads
    /// (`audit log`) stops at the first lost line instead of reading the rest of a long answer for nobody.
    static func requireNoFailure() throws(StandardOutputError) {
        guard ferror(stdout) != 0 else { return }
        let reason = firstFailure.load(ordering: .relaxed)
        throw StandardOutputError(errno: reason == 0 ? nil : reason)
    }

    /// The `errno` of the first failed `write(_:)` (0: none failed).
    private static let firstFailure = Atomic<Int32>(0)
}

/// The command's output could not be written to standard output (exit 5), with the system's reason and, where
/// something was already done that the lost output was the only record of, what to do now.
struct StandardOutputError: UserFacingError, Equatable {
    /// Why the last write failed, when known (an earlier buffered write may have failed without a reason kept).
    let errno: Int32?
    /// What the lost output meant and what to do now (e.g. a token shown only once: issue a new one).
    var consequence: LocalizedText?

    /// A storage failure (exit 5): the output's file or device refused it.
    var category: ProblemCategory { .storage }

    /// The failure, its reason and the consequence in `language`.
    func message(in language: Language) -> String {
        let why = errno.map { ": " + SystemErrorText.describe(errno: $0, in: language) } ?? ""
        let head = language == .de ? "Die Ausgabe ließ sich nicht schreiben (Standardausgabe)\(why)"
                                   : "could not write the output (standard output)\(why)"
        return consequence.map { head + "; " + $0[language] } ?? head
    }

    /// This error with `consequence` said after it.
    func with(consequence: LocalizedText) -> StandardOutputError {
        var copy = self
        copy.consequence = consequence
        return copy
    }
}

/// Standard error, written without ever trapping: Foundation's `FileHandle.write` traps on a failed write, so a full
/// disk behind `2>` (or `> log 2>&1`) turned the very message about a lost answer into a crash (found in a review of
/// this session's changes). What cannot be written to standard error is lost; nothing else can be done about it.
enum StandardError {
    /// Writes `text` as it is (no newline added); a failure is ignored.
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, stderr) }
    }
}

/// The command line's `print`: the standard library's, written through `StandardOutput` so that a failed write keeps
/// its reason for the final check. Declared in this module, it is the `print` every command here calls.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    StandardOutput.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}

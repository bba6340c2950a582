#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics

/// The line an export run writes to standard error when SIGTERM (`systemctl stop`, a `timeout` wrapper) or SIGINT
/// (Ctrl-C) stops it, so an unattended run's log tells a stopped run from one that never started. The process then
/// ends by the same signal, as without the handler (exit status 128 + signal): the run's own recovery rules apply
/// (docs/export-job.md: the next run finishes or drops what this one began; nothing half-written is visible).
///
/// The texts are built before the handler is installed; the handler only calls `write`, `signal` and `raise`, which
/// are async-signal-safe.
enum ExportTerminationNotice {
    /// Installs the handler for SIGTERM and SIGINT. `clearLine`: standard error shows the progress line, which the
    /// notice replaces.
    static func install(language: Language, clearLine: Bool) {
        for (sig, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            let text = (clearLine ? "\r\u{1B}[K" : "") + (language == .de
                ? "Fehler: Abgebrochen durch Signal \(name), bevor der Lauf fertig war. Den Partnern ist nichts Halbes sichtbar; "
                    + "der nächste Lauf schließt ab oder verwirft, was dieser begonnen hat.\n"
                : "error: stopped by signal \(name) before the run finished. Partners see nothing half-written; "
                    + "the next run finishes or drops what this one began.\n")
            let bytes = Array(text.utf8)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)   // kept for the process's life
            _ = buffer.initialize(from: bytes)
            if sig == SIGTERM { exportTerminationText = buffer } else { exportInterruptionText = buffer }
            _ = signal(sig, exportTerminationHandler)
        }
    }
}

/// The prepared notices (see `ExportTerminationNotice`): written once before the handler is installed, then only read.
nonisolated(unsafe) private var exportTerminationText: UnsafeMutableBufferPointer<UInt8>? = nil
nonisolated(unsafe) private var exportInterruptionText: UnsafeMutableBufferPointer<UInt8>? = nil

/// Writes the notice and ends the process by the same signal (default action).
private let exportTerminationHandler: @convention(c) (Int32) -> Void = { sig in
    if let text = sig == SIGTERM ? exportTerminationText : exportInterruptionText, let base = text.baseAddress {
        _ = write(2, base, text.count)
    }
    _ = signal(sig, SIG_DFL)
    _ = raise(sig)
}

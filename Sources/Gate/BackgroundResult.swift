import Dispatch
import Synchronization

/// A value computed once on a background queue, started at once and waited for when first needed: a private
/// key is decrypted (600,000 PBKDF2 rounds, ~0.1 s) on the other core while the policy compiles, the database
/// opens or the export's pass 1 reads the list. A failure is rethrown to whoever asks, exactly as if the work
/// had run then.
public final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, any Error>?>(nil)

    /// Starts `work` on a queue of its own, labelled `label`.
    public init(label: String, _ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue(label: label).async { [self] in
            let r = Result { try work() }
            result.withLock { $0 = r }
            done.signal()
        }
    }

    /// The work's error, if it has already failed (never waits).
    public var failure: (any Error)? {
        result.withLock { r in
            if case .failure(let error)? = r { return error }
            return nil
        }
    }

    /// Whether the work has finished (succeeded or failed), waiting at most `seconds` for it.
    public func isFinished(waitingAtMost seconds: Double) -> Bool {
        if result.withLock({ $0 != nil }) { return true }
        guard done.wait(timeout: .now() + seconds) == .success else { return false }
        done.signal()   // as in `value()`: later waiters pass straight through
        return true
    }

    /// The value (waiting until it is computed); rethrows the work's error.
    public func value() throws -> Value {
        if let r = result.withLock({ $0 }) { return try r.get() }
        done.wait()
        done.signal()   // later callers (and other threads) pass straight through
        return try result.withLock { $0! }.get()
    }
}

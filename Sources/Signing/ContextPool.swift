import COpenSSL
import Foundation

/// A small pool of ready-to-use OpenSSL operation contexts (`EVP_MD_CTX` or `EVP_PKEY_CTX`) for one key.
///
/// Initialising a signing context fetches the algorithm from the provider and sets up its state, which costs
/// as much as a short signature. Reusing initialised contexts brings our per-operation cost to what
/// `openssl speed` measures. A context is not thread-safe, so each operation checks one out exclusively;
/// a context whose operation failed is freed rather than returned.
///
/// `@unchecked Sendable`: the idle list is only touched under `lock`, and a checked-out pointer is used by
/// exactly one caller until it is returned or freed. Pointers never leave the module.
final class ContextPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    private let limit: Int
    private let make: () throws -> OpaquePointer
    private let free: (OpaquePointer) -> Void

    /// `make` returns a new initialised context (throwing a drained OpenSSL error on failure); `free` frees one.
    init(limit: Int = 8, make: @escaping () throws -> OpaquePointer, free: @escaping (OpaquePointer) -> Void) {
        self.limit = limit
        self.make = make
        self.free = free
    }

    deinit { for ctx in idle { free(ctx) } }

    /// Runs `body` with an exclusive context. `body` returns its result and whether the context is still in
    /// a reusable state; a throwing or non-reusable operation frees the context.
    func withContext<R>(_ body: (OpaquePointer) throws -> (result: R, reusable: Bool)) throws -> R {
        lock.lock()
        let cached = idle.popLast()
        lock.unlock()
        let ctx = try cached ?? make()
        let outcome: (result: R, reusable: Bool)
        do { outcome = try body(ctx) } catch {
            free(ctx)
            throw error
        }
        if outcome.reusable {
            lock.lock()
            if idle.count < limit {
                idle.append(ctx)
                lock.unlock()
            } else {
                lock.unlock()
                free(ctx)
            }
        } else {
            free(ctx)
        }
        return outcome.result
    }
}

import Foundation
import Signing
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a thread still inside libcrypto meets while the process exits: OpenSSL's own `atexit` clean-up frees its
/// algorithms and providers, and a digest or key operation on another thread then uses freed memory (an export that
/// stopped with an error once ended with SIGSEGV in libcrypto instead of its exit code). `exit` runs `atexit` handlers
/// in reverse order, so a handler registered before OpenSSL's first use runs after OpenSSL's clean-up, where those
/// threads would be: it asks libcrypto for random bytes there, in a child process (an exit test), and ends the process
/// with the outcome.
@Suite struct CryptoLibraryExitTests {
    /// With the library kept (as `consentgate` and the benchmark do first thing), libcrypto still works after every other
    /// exit handler has run.
    @Test func libcryptoStillWorksWhileTheProcessExits() async {
        await #expect(processExitsWith: .exitCode(42)) {
            atexit { _exit((try? SecureRandom.bytes(32))?.count == 32 ? 42 : 43) }
            CryptoLibrary.keepLoadedUntilProcessExit()
            _ = try? SecureRandom.bytes(16)
            exit(0)
        }
    }

    /// Without it, OpenSSL's clean-up has run before the same handler, and libcrypto gives no random bytes any more. This
    /// is what the test above guards against; if OpenSSL ever stops cleaning up at exit, this one fails
    /// and both can go.
    @Test func withoutItOpenSSLHasCleanedUpBeforeTheLastExitHandler() async {
        await #expect(processExitsWith: .failure) {
            atexit { _exit((try? SecureRandom.bytes(32))?.count == 32 ? 0 : 43) }
            _ = try? SecureRandom.bytes(16)
            exit(0)
        }
    }
}

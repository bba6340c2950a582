import COpenSSL

/// The OpenSSL library as a whole, for a program's start.
public enum CryptoLibrary {
    /// Tells libcrypto not to tear itself down when the process exits. By default OpenSSL registers `OPENSSL_cleanup`
    /// with `atexit`, which frees its providers, algorithms and locks while other threads may still be inside it; a
    /// command that stops with an error (exit code per CONTRACTS §8) while a key is being decrypted or a list hashed on
    /// another thread could then crash in that thread instead of ending with its exit code (seen once: an export that
    /// could not write its quarantine report ended with SIGSEGV in libcrypto instead of exit 5). The process's end frees
    /// the memory anyway. Takes effect only as the first use of OpenSSL in the process, so a program calls it first
    /// thing in `main`; returns false if OpenSSL refused to initialise.
    @discardableResult
    public static func keepLoadedUntilProcessExit() -> Bool {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1
    }
}

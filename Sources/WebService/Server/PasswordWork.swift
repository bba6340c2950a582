/// The password check of a page login (scrypt, N = 2^15, r = 8, p = 3: about 0.3 s of CPU and 32 MiB per check; the p
/// lanes run one after another, so memory stays that of one) runs here: on one dispatch thread of its own, one check at
/// a time, never on a thread of Swift's concurrency pool. So does the rehash of a stored hash weaker than that
/// (`PasswordRehash`): one more scrypt with these parameters, at one login per account.
///
/// Found in the web review: the login ran the check in `Task.detached`, which is still the concurrency pool, two
/// threads on two cores, and those threads serve every request. A login for an unknown name runs one scrypt too (so
/// timing does not tell which names exist) and the throttle counts per name, so anyone who can reach the login form
/// could keep both threads busy with a handful of parallel logins under made-up names and stall every page and API
/// request. Here such logins queue behind each other (memory bounded to one check) while every other request is served.
enum PasswordWork {
    private static let queue = OffPoolQueue(label: "consentgate.password-check", concurrent: false)

    /// Whether the calling code runs on the password thread (for tests).
    static var isCurrent: Bool { queue.isCurrent }

    /// Runs `work` on the password thread, after the checks queued before it, and returns (or rethrows) what it did.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T { try await queue.run(work) }
}

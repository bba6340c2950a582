import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who a command acts as, for the audit log: `--actor`, else `$CONSENTGATE_ACTOR`, else the login name (`$USER`,
/// `$LOGNAME`, else the process's user from the password database), else `cli`. Under systemd, cron or in a container
/// `USER` and `LOGNAME` are often unset; a black-box review found the log then said `cli` although docs/dpo-guide.md
/// promises the login name. An empty value counts as not given.
enum CommandActor {
    static func resolve(_ option: String?, environment: [String: String]) -> String {
        func given(_ v: String?) -> String? { v.flatMap { $0.isEmpty ? nil : $0 } }
        return given(option) ?? given(environment["CONSENTGATE_ACTOR"]) ?? given(environment["USER"])
            ?? given(environment["LOGNAME"]) ?? given(loginName()) ?? "cli"
    }

    /// The name of the process's effective user in the password database, or nil.
    static func loginName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}

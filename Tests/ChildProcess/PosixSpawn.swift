import Glibc

/// The one `posix_spawn` call behind `Spawn`: file actions for the standard streams, the working directory and
/// closing inherited descriptors; default signal mask and dispositions; argv and envp as C strings.
enum PosixSpawn {
    /// One standard-stream action, done in the child before the program starts.
    enum Stream: Sendable, Equatable {
        /// Open `path` with `flags` (mode 0644 when created) as descriptor `fd`.
        case open(Int32, String, Int32)
        /// Make descriptor `onto` a copy of descriptor `from` (`2>&1` is `.duplicate(1, onto: 2)`).
        case duplicate(Int32, onto: Int32)
    }

    /// Starts `executable` with argv `[executable] + arguments` and returns its pid. `posix_spawn` reports a failed
    /// `exec` (e.g. ENOENT) itself: glibc waits for the child to reach it.
    static func launch(_ executable: String, _ arguments: [String], command: String, environment: Spawn.Environment,
                       workingDirectory: String?, streams: [Stream]) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for stream in streams {
            let rc = switch stream {
            case let .open(fd, path, flags): posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0o644)
            case let .duplicate(from, onto): posix_spawn_file_actions_adddup2(&actions, from, onto)
            }
            guard rc == 0 else { throw .cannotStart(command: command, errno: rc) }
        }
        if let workingDirectory {
            guard let addchdir = GlibcExtensions.addchdir else {
                throw .unsupported(command: command, function: "posix_spawn_file_actions_addchdir_np (glibc 2.29)")
            }
            let rc = addchdir(&actions, workingDirectory)
            guard rc == 0 else { throw .cannotStart(command: command, errno: rc) }
        }
        // Descriptors 3 and up stay with this process (`Process` closes them too): a concurrent test's lock file
        // or pipe end must not live on in an unrelated child. Without the call (glibc < 2.34) they are inherited.
        if let addclosefrom = GlibcExtensions.addclosefrom {
            let rc = addclosefrom(&actions, 3)
            guard rc == 0 else { throw .cannotStart(command: command, errno: rc) }
        }

        // Default dispositions and an empty mask: a signal this process ignores or blocks (SIGPIPE, say) must not
        // stay ignored or blocked in the child.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc: Int32
        if let variables = environment.variables {
            let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        } else {
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        guard rc == 0 else { throw .cannotStart(command: command, errno: rc) }
        return pid
    }
}

/// glibc's `posix_spawn_file_actions_add*_np` functions, looked up at run time: `spawn.h` declares them only
/// under `_GNU_SOURCE`, which Swift's Glibc module does not define, so they are not imported.
public enum GlibcExtensions {
    /// `posix_spawn_file_actions_addchdir_np(actions, path)` (glibc 2.29).
    public typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    /// `posix_spawn_file_actions_addclosefrom_np(actions, from)` (glibc 2.34).
    public typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// The child changes to a folder before `exec`; nil when this glibc lacks it.
    public static var addchdir: AddChdir? { function("posix_spawn_file_actions_addchdir_np") }
    /// The child closes every descriptor from a number up before `exec`; nil when this glibc lacks it.
    public static var addclosefrom: AddClosefrom? { function("posix_spawn_file_actions_addclosefrom_np") }

    /// The C function `name` of the loaded libraries (RTLD_DEFAULT is the null handle), typed as `F`.
    private static func function<F>(_ name: String) -> F? {
        dlsym(nil, name).map { unsafeBitCast($0, to: F.self) }
    }
}

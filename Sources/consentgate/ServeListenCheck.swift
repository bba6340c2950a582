#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics

/// `serve` tries its `--host`/`--port` before it opens the installation: a port another service holds, a privileged
/// port, or an address of no interface of this machine is then a usage error in the user's language (exit 2) naming
/// the option, before demo accounts are made (whose API tokens are printed only once the server listens). Without
/// it, the server's bind failed later with SwiftNIO's English text (`bind(descriptor:ptr:bytes:): Address already in
/// use) (errno: 98)`) and exit code 1, which CONTRACTS §8 reserves for a denial.
///
/// The test binds a socket as the server will (`SO_REUSEADDR`, Hummingbird's default) and closes it again; another
/// process taking the port in between still fails at the server's own bind.
enum ServeListenCheck {
    /// Throws `ServeListenError` when `host`:`port` cannot be listened on.
    static func check(host: String, port: Int) throws {
        guard (0...65_535).contains(port) else { throw ServeListenError.portOutOfRange(port) }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else {
            throw ServeListenError.unknownHost(host)
        }
        defer { freeaddrinfo(found) }
        let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { return }   // no socket to try with: the server's own bind will say what is wrong
        defer { close(fd) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 {
            throw ServeListenError.cannotListen(host: host, port: port, errno: errno)
        }
    }
}

/// Why `serve` cannot listen where it was told to (usage error, exit 2: another `--host` or `--port` is the remedy).
enum ServeListenError: UserFacingError, Equatable {
    /// `--port` outside 0…65535.
    case portOutOfRange(Int)
    /// `--host` is neither an address nor a name that resolves.
    case unknownHost(String)
    /// Binding failed with `errno`.
    case cannotListen(host: String, port: Int, errno: Int32)

    /// Always a usage error (exit 2).
    var category: ProblemCategory { .usage }

    /// The problem in `language`, naming the option; for a failed bind the usual causes (address in use, no
    /// permission for a port below 1024, an address of no interface) in words with the errno, and what to do instead.
    func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .portOutOfRange(port):
            return de ? "--port \(port): kein Port (erlaubt sind 0 bis 65535; 0 wählt einen freien)"
                      : "--port \(port): not a port (0 to 65535 are allowed; 0 picks a free one)"
        case let .unknownHost(host):
            return de ? "--host \(host): keine IP-Adresse und kein auflösbarer Rechnername"
                      : "--host \(host): neither an IP address nor a host name that resolves"
        case let .cannotListen(host, port, code):
            switch code {
            case EADDRINUSE:
                return de ? "--port \(port): an \(host) lauscht schon ein anderer Dienst (Adresse belegt, errno \(code)); einen anderen --port wählen (0 wählt einen freien) oder den anderen Dienst beenden"
                          : "--port \(port): another service already listens on \(host) (address in use, errno \(code)); choose another --port (0 picks a free one) or stop the other service"
            case EACCES:
                return de ? "--port \(port): keine Berechtigung, an diesem Port zu lauschen (Ports unter 1024 brauchen Administratorrechte; errno \(code)); einen Port ab 1024 wählen"
                          : "--port \(port): no permission to listen on this port (ports below 1024 need administrator rights; errno \(code)); choose a port from 1024"
            case EADDRNOTAVAIL:
                return de ? "--host \(host): die Adresse gehört zu keiner Netzwerkschnittstelle dieses Rechners (errno \(code))"
                          : "--host \(host): the address belongs to no network interface of this machine (errno \(code))"
            default:
                return de ? "--host \(host) --port \(port): lauschen nicht möglich: \(SystemErrorText.describe(errno: code, in: .de))"
                          : "--host \(host) --port \(port): cannot listen: \(SystemErrorText.describe(errno: code, in: .en))"
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestFolders
import Testing

/// `serve` on a port another service holds (the usual `8080` of a second start, say): a usage error naming `--port`, in
/// the language of `--lang`, exit 2, before the installation is opened. It used to end with SwiftNIO's English
/// `Error: bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)` and exit code 1 – a "denied" by
/// CONTRACTS §8 – after creating the database and the demo accounts, whose API tokens were then never shown.
@Suite struct ServeListenCLITests {
    /// A TCP socket listening on a free loopback port, closed when the value goes away.
    final class Listener: Sendable {
        let fd: Int32
        let port: Int

        init() throws {
            #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            try #require(descriptor >= 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && listen(descriptor, 1) == 0 }
            }
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) == 0 }
            }
            fd = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
            try #require(bound && named)
        }

        deinit { close(fd) }
    }

    @Test(arguments: [
        (["CONSENTGATE_LANG": "de"], [] as [String],
         "Fehler: --port PORT: an 127.0.0.1 lauscht schon ein anderer Dienst (Adresse belegt, errno 98); einen anderen --port wählen (0 wählt einen freien) oder den anderen Dienst beenden\n"),
        (["CONSENTGATE_LANG": "de"], ["--lang", "en"],
         "error: --port PORT: another service already listens on 127.0.0.1 (address in use, errno 98); choose another --port (0 picks a free one) or stop the other service\n"),
    ])
    func aPortInUseIsAUsageErrorInWords(environment: [String: String], lang: [String], expected: String) throws {
        let folder = try TemporaryDirectory("cli-serve-port")
        let listener = try Listener()
        let db = folder.url.appendingPathComponent("consentgate.sqlite").path
        let r = try CLIRunner.run(["serve", "--demo", "--db", db, "--port", String(listener.port)] + lang,
                                  environment: environment, timeout: 60)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr == expected.replacingOccurrences(of: "PORT", with: String(listener.port)), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: db), "nothing is opened or created before the port is known to be free")
    }

    @Test func aPortOutOfRangeAndAnAddressOfNoInterfaceAreNamed() throws {
        let folder = try TemporaryDirectory("cli-serve-port")
        let db = folder.url.appendingPathComponent("consentgate.sqlite").path
        let port = try CLIRunner.run(["serve", "--demo", "--db", db, "--port", "70000"], timeout: 60)
        #expect(port.exitCode == 2, "\(port)")
        #expect(port.stderr == "error: --port 70000: not a port (0 to 65535 are allowed; 0 picks a free one)\n", "\(port)")
        // 192.0.2.1 (TEST-NET-1, RFC 5737) belongs to no interface of this machine.
        let host = try CLIRunner.run(["serve", "--demo", "--db", db, "--host", "192.0.2.1", "--port", "0"],
                                     environment: ["CONSENTGATE_LANG": "de"], timeout: 60)
        #expect(host.exitCode == 2, "\(host)")
        #expect(host.stderr == "Fehler: --host 192.0.2.1: die Adresse gehört zu keiner Netzwerkschnittstelle dieses Rechners (errno 99)\n", "\(host)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}

// `swift run -c release consentgate-bench AREA [options]`: prints figures and ratios against a baseline
// measured in the same process. Areas: signing, policy, audit, export. Results go to BENCHMARKS.md.
import Foundation
import Signing

// Before any other use of OpenSSL, as the command line does (`CryptoLibrary`).
CryptoLibrary.keepLoadedUntilProcessExit()

let args = Array(CommandLine.arguments.dropFirst())
let area = args.first ?? "help"
let rest = Array(args.dropFirst())
// An error (a list or folder not found: the areas read `policies/` and `keys/` relative to the package root) is one
// line naming it and exit 1, not a crash with a backtrace.
do {
    switch area {
    case "signing": try await SigningBenchmark.run(arguments: rest)
    case "policy": try await PolicyBenchmark.run(arguments: rest)
    case "audit": try await AuditBenchmark.run(arguments: rest)
    case "export": try await ExportBenchmark.run(arguments: rest)
    default:
        print("usage: consentgate-bench signing|policy|audit|export [options]")
        exit(area == "help" ? 0 : 2)
    }
} catch {
    FileHandle.standardError.write(Data("consentgate-bench \(area): \(error) (run it from the package root: it reads policies/ and keys/ there)\n".utf8))
    exit(1)
}

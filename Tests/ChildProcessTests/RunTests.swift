import ChildProcess
import Foundation
import Testing

/// `Spawn.run`: exit statuses, captured streams byte for byte, input, working directory, environment, errors.
@Suite struct RunTests {
    /// A fresh folder for one test's files.
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("child-process-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("exit codes 0 and 3 come back as they are", arguments: [Int32(0), 3])
    func exitCodes(_ code: Int32) throws {
        let result = try Spawn.run("/bin/sh", ["-c", "exit \(code)"])
        #expect(result.termination == .exited(code))
        #expect(result.status == code)
        #expect(result.termination.exitCode == code && result.termination.signal == nil)
    }

    @Test("a child killed by a signal reports 128 + the signal")
    func killedBySignal() throws {
        let result = try Spawn.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(result.termination == .signalled(9))
        #expect(result.status == 128 + 9)
        #expect(result.termination.exitCode == nil)
    }

    @Test("standard output and standard error are captured exactly, non-ASCII and all")
    func capturesBothStreams() throws {
        let out = "Grüße, Шевченко, 東京 ✓\nno newline at the end"
        let err = "Fehler: ä\u{0}ö\n"
        let result = try Spawn.run("/usr/bin/printf", ["%s", out], stderr: .capture)
        #expect(result.stdoutText == out)
        #expect(result.stdout == Data(out.utf8))
        #expect(result.stderr.isEmpty)
        let both = try Spawn.run("/bin/sh", ["-c", #"printf '%s' "$1"; printf 'Fehler: \303\244\000\303\266\n' >&2"#, "sh", out])
        #expect(both.stdout == Data(out.utf8))
        #expect(both.stderr == Data(err.utf8))
    }

    @Test("invalid UTF-8 is kept as bytes; only the text views replace it")
    func invalidUTF8() throws {
        let result = try Spawn.run("/usr/bin/printf", [#"\377\376A"#])
        #expect(result.stdout == Data([0xFF, 0xFE, 0x41]))
        #expect(result.stdoutText == "\u{FFFD}\u{FFFD}A")
    }

    @Test("more output than a pipe holds (1 MiB on each stream) does not block")
    func largeOutput() throws {
        let result = try Spawn.run("/bin/sh", ["-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"], timeout: 60)
        #expect(result.stdout.count == 1_048_576 && result.stderr.count == 1_048_576)
        #expect(result.stdout.allSatisfy { $0 == 0 })
    }

    @Test("standard error sent to standard output arrives in the one capture, in order")
    func mergedStreams() throws {
        let result = try Spawn.run("/bin/sh", ["-c", "echo one; echo two >&2; echo three"], stderr: .standardOutput)
        #expect(result.stdoutText == "one\ntwo\nthree\n")
        #expect(result.stderr.isEmpty)
        #expect(throws: SpawnError.self) { try Spawn.run("/bin/true", stdout: .standardOutput) }
    }

    @Test("standard input is fed from bytes, from a file, or is empty (/dev/null)")
    func standardInput() throws {
        let bytes: [UInt8] = Array("Zeile 1\nZeile 2 – ü\n".utf8) + [0, 255]
        #expect(try Spawn.run("/bin/cat", stdin: .bytes(bytes)).stdout == Data(bytes))
        #expect(try Spawn.run("/bin/cat", stdin: .text("ß")).stdoutText == "ß")
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/in"))
        #expect(try Spawn.run("/bin/cat", stdin: .file(dir + "/in")).stdout == Data(bytes))
        #expect(try Spawn.run("/bin/cat").stdout.isEmpty, "the default input is empty")
    }

    @Test("output to a file creates it, or replaces what was there")
    func outputToFile() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/out.txt"
        try Data(String(repeating: "old content ", count: 100).utf8).write(to: URL(fileURLWithPath: file))
        let result = try Spawn.run("/bin/sh", ["-c", "echo new; echo err >&2"], stdout: .file(file), stderr: .null)
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "new\n")
    }

    @Test("the working directory is honoured (/bin/pwd), the default is this process's")
    func workingDirectory() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let real = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        #expect(try Spawn.run("/bin/pwd", ["-P"], workingDirectory: dir).stdoutText == real + "\n")
        #expect(try Spawn.run("/bin/pwd", ["-P"], workingDirectory: "/").stdoutText == "/\n")
        let own = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        #expect(try Spawn.run("/bin/pwd", ["-P"]).stdoutText == own + "\n")
    }

    @Test("the environment is passed: exactly, inherited, or inherited with overrides (/usr/bin/env)")
    func environment() throws {
        func variables(_ environment: Spawn.Environment) throws -> Set<String> {
            Set(try Spawn.run("/usr/bin/env", environment: environment).stdoutText.split(separator: "\n").map(String.init))
        }
        #expect(try variables(.exactly(["A": "1", "GRUSS": "Grüß Gott", "EMPTY": ""])) == ["A=1", "GRUSS=Grüß Gott", "EMPTY="])
        let path = try #require(ProcessInfo.processInfo.environment["PATH"])
        #expect(try variables(.inherited).contains("PATH=\(path)"))
        let overridden = try variables(.inherited(overriding: ["PATH": "/nowhere", "CHILD_PROCESS_TEST": "ja"]))
        #expect(overridden.contains("PATH=/nowhere") && overridden.contains("CHILD_PROCESS_TEST=ja"))
        #expect(!overridden.contains("PATH=\(path)"))
        if let home = ProcessInfo.processInfo.environment["HOME"] { #expect(overridden.contains("HOME=\(home)"), "the rest inherited") }
    }

    @Test("a missing executable is a clear error naming it and the errno text")
    func missingExecutable() throws {
        let error = #expect(throws: SpawnError.self) { try Spawn.run("/no/such/program", ["--flag"]) }
        #expect(error == .cannotStart(command: "/no/such/program --flag", errno: ENOENT))
        #expect(error?.description == "cannot start /no/such/program --flag: No such file or directory (errno 2)")
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: dir + "/plain"))
        let notExecutable = #expect(throws: SpawnError.self) { try Spawn.run(dir + "/plain") }
        #expect(notExecutable == .cannotStart(command: dir + "/plain", errno: EACCES))
    }

    @Test("a missing working directory is named as such, not as a missing program")
    func missingDirectory() throws {
        let error = #expect(throws: SpawnError.self) { try Spawn.run("/bin/pwd", workingDirectory: "/no/such/folder") }
        #expect(error == .noSuchDirectory(command: "/bin/pwd", directory: "/no/such/folder"))
        #expect(error?.description.contains("no directory /no/such/folder") == true)
    }

    @Test("a missing input file or output folder is named as such")
    func missingFiles() throws {
        let input = #expect(throws: SpawnError.self) { try Spawn.run("/bin/cat", stdin: .file("/no/such/input")) }
        #expect(input?.description == "/bin/cat: file /no/such/input: cannot read standard input: No such file or directory (errno 2)")
        let output = #expect(throws: SpawnError.self) { try Spawn.run("/bin/true", stderr: .file("/no/such/folder/err")) }
        #expect(output?.description.hasPrefix("/bin/true: file /no/such/folder/err: cannot write output there") == true)
    }

    @Test("a child running past its timeout is killed and reported, in about the timeout")
    func timeout() throws {
        let start = ContinuousClock.now
        let error = #expect(throws: SpawnError.self) { try Spawn.run("/bin/sleep", ["30"], timeout: 0.3) }
        #expect(error == .timedOut(command: "/bin/sleep 30", seconds: 0.3))
        #expect(ContinuousClock.now - start < .seconds(20), "killed long before sleep 30 would end")
    }

    @Test("no descriptor of this process beyond 0, 1 and 2 is open in the child")
    func descriptorsClosed() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Held at 100 or above: a low number (3) would be free again in the child, where `ls` opens its listing there.
        let opened = open(dir + "/held", O_WRONLY | O_CREAT, 0o644)
        try #require(opened >= 3)
        let held = fcntl(opened, F_DUPFD, 100)
        close(opened)
        try #require(held >= 100)
        defer { close(held) }
        let listed = try Spawn.run("/bin/ls", ["/proc/self/fd"]).stdoutText.split(separator: "\n").compactMap { Int32($0) }
        #expect(!listed.contains(held), "\(listed)")
        // 0-2 and the one descriptor `ls` opens for the listing itself.
        #expect(listed.filter { $0 > 2 }.count <= 1, "\(listed)")
    }

    @Test("a signal this process ignores is back at its default in the child")
    func signalDefaults() throws {
        let previous = signal(SIGUSR1, SIG_IGN)
        defer { signal(SIGUSR1, previous) }
        let result = try Spawn.run("/bin/sh", ["-c", "kill -USR1 $$; sleep 5"], timeout: 30)
        #expect(result.termination == .signalled(SIGUSR1))
    }
}

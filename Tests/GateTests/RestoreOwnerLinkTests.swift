import Foundation
import Testing
@testable import Gate

/// `restore` run as root gives its copy the owner of the database it replaces. The copy lies in the database's folder,
/// which the service account (the database's owner) may write to: between the copy and the change of owner that account
/// could put a symbolic or hard link to a file of root's (`/etc/shadow`) at the copy's name, and `chown`, following it,
/// gave that file to the service account. Only the copy itself may change owner: a link at its name is left as it is.
@Suite struct RestoreOwnerLinkTests {
    static func owner(_ path: String) -> uid_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_uid : uid_t.max
    }

    @Test(.enabled(if: geteuid() == 0, "giving a file to another account needs root"))
    func aLinkAtTheCopysNameGivesNothingAway() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("restore-owner-link-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = dir + "/cg.sqlite", victim = dir + "/root-only", copy = dir + "/.cg.sqlite.tmp-0123456789ab"
        #expect(FileManager.default.createFile(atPath: database, contents: Data()))
        #expect(chown(database, 4321, 4322) == 0)
        #expect(FileManager.default.createFile(atPath: victim, contents: Data("secret".utf8)))

        #expect(symlink(victim, copy) == 0)
        DatabaseRestore.giveOwner(of: database, to: copy)
        #expect(Self.owner(victim) == 0, "a symbolic link at the copy's name")
        unlink(copy)
        #expect(chown(victim, 0, 0) == 0)

        #expect(link(victim, copy) == 0)
        DatabaseRestore.giveOwner(of: database, to: copy)
        #expect(Self.owner(victim) == 0, "a hard link at the copy's name")
        unlink(copy)

        // The copy itself still takes the database's owner.
        #expect(FileManager.default.createFile(atPath: copy, contents: Data()))
        DatabaseRestore.giveOwner(of: database, to: copy)
        #expect(Self.owner(copy) == 4321)
    }
}

import Foundation

/// Recomputes the tree from entries in index order and checks it against the signed checkpoints (and an
/// optional trusted one) as each checkpoint's size is reached. Used by `verify`, on one thread at a time.
final class TreeRecomputer {
    /// Allocation-free hashing: a `[UInt8]` per leaf and node cost as much as hashing the entry.
    private let hasher = InlineMerkleHasher()
    private var range = DigestRange()
    private let roots: [(size: Int64, root: Digest32?)]
    private let trusted: (size: Int64, root: Digest32?)?
    private var nextCheckpoint = 0
    private var lastGood: Int64 = 0

    /// A signed root that is not 32 bytes can match no recomputed root (it stays nil and is reported as a mismatch).
    init(roots: [(size: Int64, root: [UInt8])], trusted: Checkpoint?) throws {
        self.roots = roots.map { ($0.size, Digest32($0.root)) }
        self.trusted = trusted.map { ($0.size, Digest32($0.rootHash)) }
        // A stored or trusted checkpoint of size 0 is checked before any entry.
        try checkRoots()
    }

    /// Number of entries added.
    var size: Int64 { range.size }

    /// The root of the entries added so far.
    var rootHash: [UInt8] { range.root(hasher: hasher).bytes }

    /// Adds the next entry by its leaf hash, computed by the caller from the stored bytes: its index must
    /// follow on, and `matchesStored` says whether that hash equals the leaf hash stored with the entry.
    func add(index: Int64, leaf: Digest32, matchesStored: Bool) throws {
        let expected = range.size
        guard index == expected else { throw AuditLogError.tampered(.entryMissing(index: expected, nextStored: index)) }
        guard matchesStored else { throw AuditLogError.tampered(.entryChanged(index: index)) }
        range.append(leaf, hasher: hasher)
        try checkRoots()
    }

    private func checkRoots() throws {
        while nextCheckpoint < roots.count, roots[nextCheckpoint].size == range.size {
            let (size, root) = roots[nextCheckpoint]
            if range.root(hasher: hasher) != root {
                throw AuditLogError.tampered(.checkpointMismatch(firstIndex: lastGood, size: size))
            }
            lastGood = size
            nextCheckpoint += 1
        }
        if let trusted, trusted.size == range.size, range.root(hasher: hasher) != trusted.root {
            throw AuditLogError.tampered(.rewritten(trustedSize: trusted.size))
        }
    }
}

import Diagnostics
import Foundation
import GRDB
import StrictJSON

/// An RFC 9162 inclusion proof as `audit prove` prints it:
/// `{"proof-version":1,"type":"inclusion","leaf-index","tree-size","entry","leaf-hash","root-hash","hashes"}`
/// with hashes and the entry bytes in standard base64.
public struct InclusionProof: Sendable, Equatable {
    /// The entry's leaf index, 0-based (the log's entry index).
    public var leafIndex: Int64
    /// The size of the tree the proof is against (entries 0 ..< treeSize).
    public var treeSize: Int64
    /// The entry's canonical bytes (the leaf), so a checker can recompute the leaf hash itself.
    public var entry: [UInt8]
    /// The RFC 9162 leaf hash of `entry`, 32 bytes.
    public var leafHash: [UInt8]
    /// The root hash of the tree of `treeSize` entries, 32 bytes; a signed checkpoint of that size names it.
    public var rootHash: [UInt8]
    /// The audit path, leaf level first.
    public var hashes: [[UInt8]]

    /// The proof document.
    public var json: JSONValue {
        .object([
            "proof-version": .int(1), "type": .string("inclusion"), "leaf-index": .int(leafIndex), "tree-size": .int(treeSize),
            "entry": .string(Data(entry).base64EncodedString()), "leaf-hash": .string(Data(leafHash).base64EncodedString()),
            "root-hash": .string(Data(rootHash).base64EncodedString()),
            "hashes": .array(hashes.map { .string(Data($0).base64EncodedString()) }),
        ])
    }

    /// Checks the proof with this implementation (RFC 9162 §2.1.3.2), including the leaf hash of `entry`.
    public func verify() -> Bool {
        let h = MerkleHasher()
        return h.leafHash(entry) == leafHash && MerkleProofVerifier.verifyInclusion(
            index: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: hashes, root: rootHash, hasher: h)
    }
}

/// An RFC 9162 consistency proof as `audit consistency` prints it:
/// `{"proof-version":1,"type":"consistency","tree-size-1","tree-size-2","root-hash-1","root-hash-2","hashes"}`.
public struct ConsistencyProof: Sendable, Equatable {
    /// The size of the earlier tree (`tree-size-1`).
    public var firstSize: Int64
    /// The size of the later tree (`tree-size-2`), at least `firstSize`.
    public var secondSize: Int64
    /// The root hash of the earlier tree, 32 bytes.
    public var firstRoot: [UInt8]
    /// The root hash of the later tree, 32 bytes.
    public var secondRoot: [UInt8]
    /// The RFC 9162 consistency path showing the later tree extends the earlier one unchanged.
    public var hashes: [[UInt8]]

    /// The proof document.
    public var json: JSONValue {
        .object([
            "proof-version": .int(1), "type": .string("consistency"), "tree-size-1": .int(firstSize),
            "tree-size-2": .int(secondSize), "root-hash-1": .string(Data(firstRoot).base64EncodedString()),
            "root-hash-2": .string(Data(secondRoot).base64EncodedString()),
            "hashes": .array(hashes.map { .string(Data($0).base64EncodedString()) }),
        ])
    }

    /// Checks the proof with this implementation (RFC 9162 §2.1.4.2).
    public func verify() -> Bool {
        MerkleProofVerifier.verifyConsistency(oldSize: firstSize, newSize: secondSize, oldRoot: firstRoot,
                                              newRoot: secondRoot, proof: hashes, hasher: MerkleHasher())
    }
}

extension AuditLogStore {
    /// The inclusion proof of entry `index` in the tree of `size` entries (default: the whole log). Reads in one
    /// snapshot, holding O(log n) hashes (`LeafRangeRoots`), not the tree's leaves.
    public func inclusionProof(index: Int64, size: Int64? = nil) throws -> InclusionProof {
        try read(.leafHashes) { db in
            let frontier = try Self.frontier(db)
            let total = frontier.size
            let n = size ?? total
            guard n >= 1, n <= total else { throw AuditLogError.outOfRange(reason: LocalizedText(de: "Baumgröße \(n) (das Protokoll enthält \(total) Einträge)", en: "tree size \(n) (the log holds \(total) entries)")) }
            guard index >= 0, index < n else { throw AuditLogError.outOfRange(reason: LocalizedText(de: "Index \(index) liegt nicht unter der Baumgröße \(n)", en: "index \(index) is not below tree size \(n)")) }
            guard let row = try Row.fetchOne(db, sql: "SELECT entry, leaf_hash FROM audit_entry WHERE idx = ?", arguments: [index]) else {
                throw AuditLogError.outOfRange(reason: LocalizedText(de: "kein Eintrag mit Index \(index)", en: "no entry with index \(index)"))
            }
            let entry = Array(row[0] as Data), leafHash = Array(row[1] as Data)
            let roots = try LeafRangeRoots(db, frontier: frontier)
            let (path, root) = try MerkleRangeProofs.inclusion(index: index, size: n, leafHash: leafHash, hasher: MerkleHasher(),
                                                               rootOf: roots.root)
            return InclusionProof(leafIndex: index, treeSize: n, entry: entry, leafHash: leafHash, rootHash: root, hashes: path)
        }
    }

    /// The consistency proof between the trees of `from` and `to` entries, read in one snapshot with O(log n) hashes
    /// held (`LeafRangeRoots`).
    public func consistencyProof(from: Int64, to: Int64) throws -> ConsistencyProof {
        try read(.leafHashes) { db in
            let frontier = try Self.frontier(db)
            let total = frontier.size
            guard from >= 1, from <= to, to <= total else {
                throw AuditLogError.outOfRange(reason: LocalizedText(de: "nötig ist 1 ≤ von (\(from)) ≤ bis (\(to)) ≤ \(total) Einträge", en: "need 1 ≤ from (\(from)) ≤ to (\(to)) ≤ \(total) entries"))
            }
            let roots = try LeafRangeRoots(db, frontier: frontier)
            let (proof, oldRoot, root) = try MerkleRangeProofs.consistency(oldSize: from, size: to, hasher: MerkleHasher(), rootOf: roots.root)
            return ConsistencyProof(firstSize: from, secondSize: to, firstRoot: oldRoot, secondRoot: root, hashes: proof)
        }
    }
}

import Testing
import FuzzSupport
@testable import DriveExport

/// The household set packs short ids into numbers: it must answer exactly as a `Set<String>` does, for ids
/// that differ only in a trailing byte, in length, in non-ASCII bytes, and for ids too long to pack.
@Suite struct HouseholdSetTests {
    @Test("an id is found exactly when it was added", arguments: [
        (["H00001"], "H00001", true),
        (["H00001"], "H0000", false),
        (["H0000"], "H00001", false),
        (["H1"], "H10", false),
        (["12345678"], "1234567", false),
        (["12345678"], "123456789", false),
        (["123456789"], "12345678", false),
        (["123456789"], "123456789", true),
        (["Д-17"], "Д-17", true),
        (["Д-17"], "Д-18", false),
        (["Haushalt Kovalenko 3"], "Haushalt Kovalenko 3", true),
        (["Haushalt Kovalenko 3"], "Haushalt Kovalenko", false),
        (["a\u{0}"], "a", false),
        (["a"], "a\u{0}", false),
        ([], "", false),
    ])
    func membership(added: [String], asked: String, found: Bool) {
        let set = HouseholdSet(added)
        #expect(set.contains(asked) == found)
        #expect(set.count == Set(added).count)
    }

    @Test("packing never gives two ids the same number", arguments: [
        ("A", "A\u{0}"), ("AB", "BA"), ("ÿ", "Ã¿"), ("12345678", "1234567"), ("H00001", "H00001 "),
    ])
    func packingIsOneToOne(a: String, b: String) {
        let pa = HouseholdSet.pack(a), pb = HouseholdSet.pack(b)
        #expect(pa == nil || pb == nil || pa != pb)
    }

    @Test("ids that cannot be packed are kept as text", arguments: ["", "123456789", "a\u{0}b", "Домогосподарство"])
    func unpackable(id: String) {
        #expect(HouseholdSet.pack(id) == nil)
        var set = HouseholdSet()
        set.insert(id)
        #expect(set.contains(id))
        #expect(set.count == 1)
    }

    @Test("random ids of one to ten characters (one to twenty bytes): the same answers as a Set<String>", arguments: [1, 2, 3])
    func sameAsStringSet(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let alphabet = Array("H0123456789-äД ".unicodeScalars)
        func randomID() -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...10, using: &rng) { s.append(alphabet.randomElement(using: &rng)!) }
            return String(s)
        }
        let added = (0..<5_000).map { _ in randomID() }
        let asked = (0..<5_000).map { _ in randomID() } + added.prefix(100)
        let reference = Set(added)
        let set = HouseholdSet(added)
        #expect(set.count == reference.count)
        #expect(asked.filter { set.contains($0) != reference.contains($0) }.isEmpty)
        #expect(set == HouseholdSet(reference.shuffled(using: &rng)))
    }
}

import Foundation
import Testing

@testable import Phases

/// The indexer's small per-thread structures: the word cache, the bucketed term sort and the brace prefilter.
@Suite struct IndexStructuresTests {
    /// A word padded with zeros (the quick hash reads whole 8-byte words) and its quick hash.
    private struct Word {
        let bytes: [UInt8]
        let count: Int
        let key: (hash: UInt64, first: UInt64, second: UInt64)

        init(_ text: String) {
            count = text.utf8.count
            bytes = Array(text.utf8) + [UInt8](repeating: 0, count: 16)
            key = bytes.withUnsafeBufferPointer { TermHash.quick(padded: $0.baseAddress!, count: text.utf8.count) }
        }

        func lookup(_ cache: WordCache) -> [UInt64]? {
            cache.terms(count: count, hash: key.hash, first: key.first, second: key.second).map(Array.init)
        }

        func insert(_ terms: [UInt64], into cache: WordCache) {
            terms.withUnsafeBufferPointer {
                cache.insert(count: count, hash: key.hash, first: key.first, second: key.second, terms: $0)
            }
        }
    }

    @Test func wordCache_returnsExactlyTheRecordedTerms() {
        let cache = WordCache(slotCount: 64)
        defer { cache.deallocate() }
        let word = Word("flatMapResult")
        #expect(word.lookup(cache) == nil)
        word.insert([11, 22, 33, 22], into: cache)
        #expect(word.lookup(cache) == [11, 22, 33, 22])
        // No terms is a valid, cached answer (one-letter identifiers yield none).
        let short = Word("x")
        short.insert([], into: cache)
        #expect(short.lookup(cache) == [])
    }

    @Test func wordCache_comparesTheWholeWord_evenWhenSlotsCollide() {
        // One slot: every word lands in it, so only the stored bytes tell words apart.
        let cache = WordCache(slotCount: 1)
        defer { cache.deallocate() }
        let a = Word("headerFields")
        let b = Word("headerField_")
        let c = Word("headerFields2")
        a.insert([1, 2], into: cache)
        #expect(a.lookup(cache) == [1, 2])
        #expect(b.lookup(cache) == nil)
        #expect(c.lookup(cache) == nil)
        // A newer word replaces the older one.
        b.insert([3], into: cache)
        #expect(b.lookup(cache) == [3])
        #expect(a.lookup(cache) == nil)
    }

    @Test func wordCache_skipsLongWordsAndWordsWithManyTerms() {
        let cache = WordCache(slotCount: 64)
        defer { cache.deallocate() }
        let long = Word("aVeryLongIdentifierName")
        long.insert([1], into: cache)
        #expect(long.lookup(cache) == nil)
        let many = Word("aBcDeFgH")
        many.insert(Array(1...UInt64(WordCache.maxTerms + 1)), into: cache)
        #expect(many.lookup(cache) == nil)
        let sixteen = Word("exactlySixteen16")
        sixteen.insert([7], into: cache)
        #expect(sixteen.lookup(cache) == [7])
    }

    @Test func termCounter_sortsSmallAndLargeFilesByHash() {
        var counter = TermCounter()
        defer { counter.deallocate() }
        var generator = SplitMix(seed: 42)
        for size in [0, 1, 5, 63, 64, 65, 300, 5000] {
            counter.reset(expected: size)
            var expected: [UInt64: UInt64] = [:]
            for _ in 0..<size {
                // Mostly distinct, some repeated (counted twice).
                let hash = generator.next() % 7 == 0 && !expected.isEmpty ? expected.keys.first! : generator.next()
                counter.add(hash, times: FieldTimes(path: 0, name: 0, comment: 1, code: 2))
                expected[hash, default: 0] += 1
            }
            let sorted = Array(counter.sorted())
            #expect(sorted.map(\.hash) == expected.keys.sorted(), "size \(size)")
            for e in sorted {
                let times = expected[e.hash] ?? 0
                #expect(e.counts == times << 32 | (2 * times) << 48, "size \(size)")
            }
        }
    }

    @Test func cacheRegion_grantsChunksUntilFull_thenRefusesForGood() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raaid-region-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/index.bin"
        do {
            let region = try #require(
                CacheRegion(path: path, headerCapacity: 100, blockCapacity: 3 * CacheRegion.chunkSize))
            #expect(region.headerCapacity == 4096)
            let a = try #require(region.take(10))
            let b = try #require(region.take(CacheRegion.chunkSize + 1))
            #expect(a == 4096..<(4096 + CacheRegion.chunkSize))
            #expect(b.lowerBound == a.upperBound && b.count == CacheRegion.chunkSize + 8)
            region.address(a.lowerBound).storeBytes(of: 0x1234, as: UInt64.self)
            #expect(region.storage.base.load(fromByteOffset: a.lowerBound, as: UInt64.self) == 0x1234)
            #expect(region.take(CacheRegion.chunkSize) == nil)
            #expect(region.take(8) == nil)
            #expect(!region.isComplete)
        }
        // Never committed: the temporary file is gone, nothing was renamed into place.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        do {
            let region = try #require(CacheRegion(path: path, headerCapacity: 16, blockCapacity: 0))
            let chunk = try #require(region.take(8))
            region.address(chunk.lowerBound).storeBytes(of: 7, as: UInt64.self)
            let header: [UInt8] = Array("HEADER".utf8)
            #expect(header.withUnsafeBytes { region.commit(header: $0, size: chunk.lowerBound + 8) })
        }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 4096 + 8 && bytes.starts(with: Array("HEADER".utf8)) && bytes[4096] == 7)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["index.bin"])
    }

    @Test func bracePrefilter_neverMissesABrace() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<20_000 {
            var bytes = (0..<8).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let hasBrace = generator.next() & 1 == 0
            if hasBrace { bytes[Int(generator.next() % 8)] = generator.next() & 1 == 0 ? 0x7B : 0x7D }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            if bytes.contains(0x7B) || bytes.contains(0x7D) {
                #expect(DefinitionScanner.mayHaveBrace(word))
            }
        }
        let plain = Array("let x = y".utf8.prefix(8)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(!DefinitionScanner.mayHaveBrace(plain))
    }
}

/// A small deterministic generator for test data (SplitMix64), so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite struct StampedSlotsTests {
    /// Finds `key` by linear probing, as the counters do; nil when it is not in the current file.
    private func find(_ table: StampedSlots, _ key: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: key) & table.mask
        while table.isUsed(i) {
            if table.slots[i].key == key { return Int(table.slots[i].entry) }
            i = (i &+ 1) & table.mask
        }
        return nil
    }

    @Test func growKeepsEveryKey_andResetEmptiesTheTableWithoutClearingIt() {
        var table = StampedSlots(capacity: 256)
        defer { table.deallocate() }
        table.reset(expected: 10)
        // Keys that collide in the low bits, past the point where the probed part must grow twice.
        let keys = (0..<300).map { UInt64($0) << 20 | 7 }
        for (k, key) in keys.enumerated() {
            var i = Int(truncatingIfNeeded: key) & table.mask
            while table.isUsed(i) { i = (i &+ 1) & table.mask }
            table.fill(i, key: key, entry: k)
            if (k + 1) * 2 > table.mask { table.grow(count: k + 1) { keys[$0] } }
        }
        #expect(table.mask + 1 >= 600)
        #expect(keys.enumerated().allSatisfy { find(table, $0.element) == $0.offset })
        table.reset(expected: 10)
        #expect(keys.allSatisfy { find(table, $0) == nil })
    }
}

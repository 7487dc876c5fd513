#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts term hashes per field for one file at a time; one instance per indexing thread.
///
/// An open-addressing table keyed by the 64-bit hash (``StampedSlots``: starting the next file costs nothing).
/// A plain value over manually managed memory: the owner copies it into a local for the hot loop (no exclusivity
/// checks), stores it back, and calls ``deallocate()`` once.
struct TermCounter {
    /// One counted term: its hash and four saturating 16-bit field counts (path, name, comment, code).
    struct Entry {
        var hash: UInt64
        var counts: UInt64
    }

    private var table = StampedSlots()
    private(set) var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity: Int
    /// Distinct terms of the current file.
    private(set) var count = 0
    /// Token totals per field of the current file.
    var lengths = FieldLengths()
    /// Sorting space: entries in hash order, and bucket boundaries.
    private var scratch: UnsafeMutablePointer<Entry>
    private var scratchCapacity = 1 << 11
    private var bucketStarts: UnsafeMutablePointer<Int32>
    private var bucketCapacity = 1 << 12

    init() {
        entryCapacity = 1 << 11
        entries = .allocate(capacity: entryCapacity)
        scratch = .allocate(capacity: scratchCapacity)
        bucketStarts = .allocate(capacity: bucketCapacity)
    }

    /// Frees the memory; call once, from the owner.
    func deallocate() {
        table.deallocate()
        entries.deallocate()
        scratch.deallocate()
        bucketStarts.deallocate()
    }

    /// Starts a new file expected to hold about `expected` distinct items (sizes the probed part of the table).
    mutating func reset(expected: Int) {
        table.reset(expected: expected)
        count = 0
        lengths = FieldLengths()
    }

    /// Counts `times` occurrences of `hash` per field, saturating each count at `UInt16.max`.
    @inline(__always)
    mutating func add(_ hash: UInt64, times: FieldTimes) {
        lengths.path &+= times.path
        lengths.name &+= times.name
        lengths.comment &+= times.comment
        lengths.code &+= times.code
        let slots = table.slots, mask = table.mask, stamp = table.stamp
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s.stamp != stamp {
                slots[i] = StampedSlots.Slot(key: hash, stamp: stamp, entry: Int32(count))
                entries[count] = Entry(hash: hash, counts: TermCounter.adding(0, times))
                count += 1
                if count * 2 > mask { grow() }
                return
            }
            if s.key == hash {
                let e = entries + Int(s.entry)
                e.pointee.counts = TermCounter.adding(e.pointee.counts, times)
                return
            }
            i = (i &+ 1) & mask
        }
    }

    /// Adds per-field `times` to four packed 16-bit counts, saturating.
    @inline(__always)
    private static func adding(_ packed: UInt64, _ times: FieldTimes) -> UInt64 {
        @inline(__always)
        func field(_ shift: UInt64, _ t: UInt32) -> UInt64 {
            let old = (packed >> shift) & 0xFFFF
            return min(old &+ UInt64(t), 0xFFFF) << shift
        }
        return field(0, times.path) | field(16, times.name) | field(32, times.comment) | field(48, times.code)
    }

    /// Sorts the current file's entries by hash and returns them (valid until the next file).
    mutating func sorted() -> UnsafeMutableBufferPointer<Entry> {
        if count < 64 {
            TermCounter.sort(entries, 0, count)
            return UnsafeMutableBufferPointer(start: entries, count: count)
        }
        // Hashes are uniform: scatter into about one bucket per entry by the top bits, then one insertion pass
        // finishes each bucket (expected O(n), against quicksort's O(n log n)).
        var bits = 1
        while 1 << bits < count { bits += 1 }
        let buckets = 1 << bits
        if buckets + 1 > bucketCapacity {
            bucketStarts.deallocate()
            bucketCapacity = buckets + 1
            bucketStarts = .allocate(capacity: bucketCapacity)
        }
        if count > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(count, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        let shift = UInt64(64 - bits)
        bucketStarts.initialize(repeating: 0, count: buckets + 1)
        for k in 0..<count { bucketStarts[Int(entries[k].hash >> shift) + 1] += 1 }
        for b in 0..<buckets { bucketStarts[b + 1] += bucketStarts[b] }
        for k in 0..<count {
            let b = Int(entries[k].hash >> shift)
            let at = Int(bucketStarts[b])
            bucketStarts[b] = Int32(at + 1)
            (scratch + at).initialize(to: entries[k])
        }
        for k in 1..<count {
            let x = scratch[k]
            var m = k
            while m > 0 && scratch[m - 1].hash > x.hash {
                scratch[m] = scratch[m - 1]
                m -= 1
            }
            scratch[m] = x
        }
        return UnsafeMutableBufferPointer(start: scratch, count: count)
    }

    /// Quicksort by hash (hashes are distinct and well mixed), insertion sort for short ranges.
    private static func sort(_ a: UnsafeMutablePointer<Entry>, _ lo: Int, _ hi: Int) {
        var lo = lo, hi = hi
        while hi - lo > 16 {
            let pivot = a[(lo + hi) >> 1].hash
            var i = lo, j = hi - 1
            while i <= j {
                while a[i].hash < pivot { i += 1 }
                while a[j].hash > pivot { j -= 1 }
                if i <= j {
                    let t = a[i]
                    a[i] = a[j]
                    a[j] = t
                    i += 1
                    j -= 1
                }
            }
            // Recurse into the smaller side, loop on the larger.
            if j + 1 - lo < hi - i {
                sort(a, lo, j + 1)
                lo = i
            } else {
                sort(a, i, hi)
                hi = j + 1
            }
        }
        if hi - lo < 2 { return }
        for k in (lo + 1)..<hi {
            let x = a[k]
            var m = k
            while m > lo && a[m - 1].hash > x.hash {
                a[m] = a[m - 1]
                m -= 1
            }
            a[m] = x
        }
    }

    private mutating func grow() {
        let entries = self.entries
        table.grow(count: count) { entries[$0].hash }
        let size = table.mask + 1
        if size / 2 > entryCapacity {
            let fresh = UnsafeMutablePointer<Entry>.allocate(capacity: size / 2)
            fresh.moveInitialize(from: entries, count: count)
            entries.deallocate()
            self.entries = fresh
            entryCapacity = size / 2
        }
    }
}

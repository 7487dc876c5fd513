/// A view of one file's term and definition block, in a worker arena or the mapped cache.
///
/// ```
/// u32 termCount | u32 overflowCount | u32 definitionCount | u32 nameByteCount
/// termCount × u64 term hash, ascending
/// termCount × u32 packed counts: path | name << 8 | comment << 16 | code << 24; a byte 0xFF means "see overflow"
/// overflowCount × (u32 term index, 4 × u16 counts), ascending by index
/// (pad to 8) definitionCount × (u64 name hash, u32 start line, u32 end line, u32 name offset, u8 name length,
///                               u8 kind, u16 0)
/// nameByteCount bytes of lowercased definition names | (pad to 8)
/// ```
/// Native byte order (the cache header records it). Blocks start 8-byte aligned.
struct IndexBlock: @unchecked Sendable {
    // @unchecked: the pointers address immutable memory owned by `owner`, which this value retains.
    let owner: IndexStorage?
    let start: UnsafeRawPointer?
    let length: Int
    let termCount: Int
    let overflowCount: Int
    let definitionCount: Int
    private let nameByteCount: Int
    private let layout: Layout

    /// Byte offsets of the sections within a block.
    struct Layout {
        var packed = 16
        var overflow = 16
        var definitions = 16
        var names = 16
        var total = 16

        init() {}

        init(terms: Int, overflow o: Int, definitions d: Int, nameBytes: Int) {
            packed = 16 + 8 * terms
            overflow = packed + 4 * terms
            definitions = (overflow + 12 * o + 7) & ~7
            names = definitions + 24 * d
            total = (names + nameBytes + 7) & ~7
        }
    }

    /// The block of a binary or empty file.
    static let empty = IndexBlock()

    private init() {
        owner = nil
        start = nil
        length = 0
        termCount = 0
        overflowCount = 0
        definitionCount = 0
        nameByteCount = 0
        layout = Layout()
    }

    /// Parses and validates the block at `offset` (8-byte aligned) of `owner`; `nil` if inconsistent.
    ///
    /// Section sizes and overflow entries are checked here; definition fields are checked (clamped) when read.
    init?(owner: IndexStorage, offset: Int, length: Int) {
        guard offset >= 0, length >= 16, offset & 7 == 0, offset <= owner.count - length else { return nil }
        let p = owner.base + offset
        let t = Int(p.load(as: UInt32.self))
        let o = Int(p.load(fromByteOffset: 4, as: UInt32.self))
        let d = Int(p.load(fromByteOffset: 8, as: UInt32.self))
        let nb = Int(p.load(fromByteOffset: 12, as: UInt32.self))
        guard t <= length / 12, o <= t, d <= length / 24, nb <= length else { return nil }
        let layout = Layout(terms: t, overflow: o, definitions: d, nameBytes: nb)
        guard layout.total == length else { return nil }
        var previous = -1
        for k in 0..<o {
            let index = Int(p.load(fromByteOffset: layout.overflow + 12 * k, as: UInt32.self))
            guard index > previous, index < t else { return nil }
            previous = index
        }
        self.owner = owner
        self.start = p
        self.length = length
        self.termCount = t
        self.overflowCount = o
        self.definitionCount = d
        self.nameByteCount = nb
        self.layout = layout
    }

    /// Term hashes, ascending.
    var terms: TermHashList {
        TermHashList(owner: owner, base: start.map { ($0 + 16).assumingMemoryBound(to: UInt64.self) }, count: termCount)
    }

    /// Field counts, parallel to ``terms``.
    var counts: FieldCountsList {
        FieldCountsList(
            owner: owner, packed: start.map { ($0 + layout.packed).assumingMemoryBound(to: UInt32.self) },
            overflow: start.map { $0 + layout.overflow }, overflowCount: overflowCount, count: termCount)
    }

    /// Declarations in source order.
    var definitions: DefinitionList {
        DefinitionList(
            owner: owner, base: start.map { $0 + layout.definitions }, names: start.map { $0 + layout.names },
            nameByteCount: nameByteCount, count: definitionCount)
    }

    /// Name hash and kind of declaration `i` (as ``definitions`` decodes them), without building a ``Definition``.
    @inline(__always)
    func definitionHashAndKind(_ i: Int) -> (hash: UInt64, kind: DefinitionKind) {
        precondition(i >= 0 && i < definitionCount, "definition index out of range")
        let e = start! + layout.definitions + 24 * i
        return (e.load(as: UInt64.self), DefinitionKind(rawValue: e.load(fromByteOffset: 21, as: UInt8.self)) ?? .value)
    }

    /// Index of `hash` in ``terms`` (binary search), or `nil`.
    @inline(__always)
    func index(of hash: UInt64) -> Int? {
        guard let start else { return nil }
        let h = (start + 16).assumingMemoryBound(to: UInt64.self)
        var lo = 0, hi = termCount
        while lo < hi {
            let mid = (lo + hi) >> 1
            if h[mid] < hash { lo = mid + 1 } else { hi = mid }
        }
        return lo < termCount && h[lo] == hash ? lo : nil
    }
}

/// Term hashes of one file, ascending.
struct TermHashList: RandomAccessCollection, @unchecked Sendable {
    // @unchecked: read-only view of memory retained through `owner`.
    let owner: IndexStorage?
    let base: UnsafePointer<UInt64>?
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> UInt64 {
        precondition(i >= 0 && i < count, "term index out of range")
        return base![i]
    }
}

/// Per-field counts of one file's terms, decoded from their packed form on access.
struct FieldCountsList: RandomAccessCollection, @unchecked Sendable {
    // @unchecked: read-only view of memory retained through `owner`.
    let owner: IndexStorage?
    let packed: UnsafePointer<UInt32>?
    let overflow: UnsafeRawPointer?
    let overflowCount: Int
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> FieldCounts {
        precondition(i >= 0 && i < count, "term index out of range")
        let v = packed![i]
        let a = UInt16(v & 0xFF), b = UInt16((v >> 8) & 0xFF), c = UInt16((v >> 16) & 0xFF), d = UInt16(v >> 24)
        if a == 0xFF || b == 0xFF || c == 0xFF || d == 0xFF, let full = overflowCounts(i) { return full }
        return FieldCounts(path: a, name: b, comment: c, code: d)
    }

    private func overflowCounts(_ i: Int) -> FieldCounts? {
        guard let overflow else { return nil }
        var lo = 0, hi = overflowCount
        while lo < hi {
            let mid = (lo + hi) >> 1
            if Int(overflow.load(fromByteOffset: 12 * mid, as: UInt32.self)) < i { lo = mid + 1 } else { hi = mid }
        }
        guard lo < overflowCount, Int(overflow.load(fromByteOffset: 12 * lo, as: UInt32.self)) == i else { return nil }
        let e = 12 * lo
        return FieldCounts(
            path: overflow.load(fromByteOffset: e + 4, as: UInt16.self),
            name: overflow.load(fromByteOffset: e + 6, as: UInt16.self),
            comment: overflow.load(fromByteOffset: e + 8, as: UInt16.self),
            code: overflow.load(fromByteOffset: e + 10, as: UInt16.self))
    }
}

/// Declarations of one file, decoded on access.
struct DefinitionList: RandomAccessCollection, @unchecked Sendable {
    // @unchecked: read-only view of memory retained through `owner`.
    let owner: IndexStorage?
    let base: UnsafeRawPointer?
    let names: UnsafeRawPointer?
    let nameByteCount: Int
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Definition {
        precondition(i >= 0 && i < count, "definition index out of range")
        let e = base! + 24 * i
        // Clamped, so a corrupt cache can only yield odd names, never reads outside the block.
        let nameOffset = Swift.min(Int(e.load(fromByteOffset: 16, as: UInt32.self)), nameByteCount)
        let nameLength = Swift.min(Int(e.load(fromByteOffset: 20, as: UInt8.self)), nameByteCount - nameOffset)
        return Definition(
            nameHash: e.load(as: UInt64.self),
            kind: DefinitionKind(rawValue: e.load(fromByteOffset: 21, as: UInt8.self)) ?? .value,
            startLine: e.load(fromByteOffset: 8, as: UInt32.self),
            endLine: Swift.max(e.load(fromByteOffset: 8, as: UInt32.self), e.load(fromByteOffset: 12, as: UInt32.self)),
            nameBytes: UnsafeBufferPointer(
                start: (names! + nameOffset).assumingMemoryBound(to: UInt8.self), count: nameLength),
            owner: owner)
    }
}

/// A declaration found in a file, with its line range.
struct Definition: @unchecked Sendable {
    // @unchecked: `nameBytes` points into immutable memory retained through `owner`.
    /// ``TermHash`` of the whole lowercased name (0 when the name yields no term).
    var nameHash: UInt64
    /// Declaration kind.
    var kind: DefinitionKind
    /// First line (1-based).
    var startLine: UInt32
    /// Last line (1-based, inclusive).
    var endLine: UInt32
    fileprivate let nameBytes: UnsafeBufferPointer<UInt8>
    fileprivate let owner: IndexStorage?

    /// The whole lowercased name term, as indexed (empty when the name yields none).
    var name: String { String(decoding: nameBytes, as: UTF8.self) }
}

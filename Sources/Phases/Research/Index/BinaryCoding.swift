/// Little-endian bounds-checked reader over raw bytes; every accessor returns `nil` past the end.
struct BinaryReader {
    private let raw: UnsafeRawBufferPointer
    private var offset = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    /// Bytes left to read.
    var remaining: Int { raw.count - offset }

    mutating func bytes(_ n: Int) -> UnsafeBufferPointer<UInt8>? {
        guard n >= 0, n <= remaining else { return nil }
        let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)]).bindMemory(to: UInt8.self)
        offset += n
        return slice
    }

    private mutating func load<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { return nil }
        let v = raw.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: v)
    }

    mutating func u8() -> UInt8? { load(UInt8.self) }
    mutating func u16() -> UInt16? { load(UInt16.self) }
    mutating func u32() -> UInt32? { load(UInt32.self) }
    mutating func u64() -> UInt64? { load(UInt64.self) }
    mutating func i64() -> Int64? { load(Int64.self) }
}

/// Little-endian growable byte writer.
struct BinaryWriter {
    private(set) var data: [UInt8] = []

    mutating func bytes<S: Sequence>(_ s: S) where S.Element == UInt8 { data.append(contentsOf: s) }

    private mutating func store<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u16(_ v: UInt16) { store(v) }
    mutating func u32(_ v: UInt32) { store(v) }
    mutating func u64(_ v: UInt64) { store(v) }
    mutating func i64(_ v: Int64) { store(v) }
}

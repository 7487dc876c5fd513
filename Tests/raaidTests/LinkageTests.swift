import Foundation
import Testing

/// What the executable loads at start-up: every `raaid` process (`--version` included) pays for each shared library
/// it links, so the model transport's libcurl is loaded on demand (CCurlShim) and FoundationNetworking, which
/// would bring libcurl and its dozen dependencies into every start-up, must not be linked.
@Suite struct LinkageTests {
    #if os(Linux)
        @Test func executable_doesNotLinkFoundationNetworkingOrLibcurl() throws {
            let bytes = try Data(contentsOf: RepositoryPaths.executable)
            // A linked library is named in the ELF dynamic section (DT_NEEDED) by its soname.
            #expect(bytes.range(of: Data("libFoundationNetworking.so".utf8)) == nil)
            let needed = try neededLibraries(RepositoryPaths.executable.path)
            #expect(!needed.isEmpty, "the reader found the dynamic section")
            #expect(needed.contains { $0.hasPrefix("libswiftCore") })
            #expect(!needed.contains { $0.contains("curl") || $0.contains("FoundationNetworking") }, "\(needed)")
        }

        /// DT_NEEDED entries of a 64-bit little-endian ELF file.
        private func neededLibraries(_ path: String) throws -> [String] {
            let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            func read<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
                var value: T = 0
                for index in 0..<MemoryLayout<T>.size { value |= T(data[offset + index]) << (8 * index) }
                return value
            }
            guard data.count > 64, data[0..<4] == [0x7F, 0x45, 0x4C, 0x46], data[4] == 2, data[5] == 1 else { return [] }
            let sectionTable = Int(read(0x28, as: UInt64.self))
            let sectionSize = Int(read(0x3A, as: UInt16.self))
            let sectionCount = Int(read(0x3C, as: UInt16.self))
            var dynamic: (offset: Int, size: Int, link: Int)?
            var sections: [(offset: Int, size: Int)] = []
            for index in 0..<sectionCount {
                let header = sectionTable + index * sectionSize
                let type = read(header + 4, as: UInt32.self)
                let offset = Int(read(header + 0x18, as: UInt64.self))
                let size = Int(read(header + 0x20, as: UInt64.self))
                sections.append((offset, size))
                if type == 6 { dynamic = (offset, size, Int(read(header + 0x28, as: UInt32.self))) }  // SHT_DYNAMIC
            }
            guard let dynamic, dynamic.link < sections.count else { return [] }
            let strings = sections[dynamic.link].offset
            var names: [String] = []
            for entry in stride(from: dynamic.offset, to: dynamic.offset + dynamic.size, by: 16) {
                let tag = read(entry, as: UInt64.self)
                if tag == 0 { break }
                guard tag == 1 else { continue }  // DT_NEEDED
                let start = strings + Int(read(entry + 8, as: UInt64.self))
                let end = data[start...].firstIndex(of: 0) ?? start
                names.append(String(decoding: data[start..<end], as: UTF8.self))
            }
            return names
        }
    #endif
}

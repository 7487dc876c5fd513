/// File extensions that are skipped without reading the file because they are binary by convention.
///
/// Only unambiguous formats are listed (images, archives, object code, media, fonts, documents, databases,
/// bytecode). Ambiguous ones such as `.bin`, `.dat` or `.svg` (text) are left to the NUL-byte sniffing done at
/// index time.
enum BinaryExtensions {
    static let all: [String] = [
        // Images
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "tif", "tiff", "webp", "heic", "heif", "psd", "xcf",
        "avif", "jp2", "raw", "cr2", "nef",
        // Archives and packages
        "zip", "tar", "gz", "tgz", "bz2", "tbz2", "xz", "txz", "zst", "lz", "lz4", "lzma", "7z", "rar", "cab",
        "deb", "rpm", "apk", "ipa", "dmg", "iso", "img", "msi", "pkg", "jar", "war", "ear", "aar", "whl", "egg",
        "nupkg", "gem", "crate",
        // Object code, libraries and executables
        "o", "obj", "a", "lib", "so", "dylib", "dll", "exe", "pdb", "ilk", "exp", "ko", "elf", "dSYM", "bc",
        "wasm", "swiftmodule", "swiftdoc", "swiftsourceinfo", "pcm", "gch", "pch", "rlib", "rmeta",
        // Bytecode
        "class", "pyc", "pyo", "pyd", "beam", "luac", "dex", "odex",
        // Documents
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "key", "numbers", "pages", "epub",
        "mobi",
        // Fonts
        "ttf", "otf", "woff", "woff2", "eot", "ttc",
        // Audio and video
        "mp3", "wav", "flac", "ogg", "oga", "opus", "aac", "m4a", "wma", "aiff", "mid", "midi", "mp4", "m4v",
        "mov", "avi", "mkv", "webm", "wmv", "flv", "mpg", "mpeg", "3gp",
        // Databases and data blobs
        "sqlite", "sqlite3", "db", "mdb", "accdb", "parquet", "feather", "npy", "npz", "pkl", "pickle", "h5",
        "hdf5", "onnx", "pt", "pth", "ckpt", "safetensors", "tflite", "mlmodel",
        // Misc
        "swp", "ds_store", "blend", "fbx", "glb", "3ds", "max", "sketch", "fig",
    ]

    private struct Key: Hashable {
        var high: UInt64 = 0
        var low: UInt64 = 0
    }

    /// Extensions of at most 16 bytes, lowercased and packed into two words for allocation-free lookups.
    private static let packed: Set<Key> = Set(all.compactMap { pack(Array($0.lowercased().utf8)[...]) })

    /// Whether the file name ends in a binary extension (case-insensitive); dot files like `.DS_Store` count too.
    static func contains(name: UnsafeBufferPointer<UInt8>) -> Bool {
        var dot = name.count - 1
        while dot >= 0 && name[dot] != WorkspaceByte.dot { dot -= 1 }
        guard dot >= 0, let key = pack(name[(dot + 1)...]) else { return false }
        return packed.contains(key)
    }

    private static func pack<C: Collection<UInt8>>(_ bytes: C) -> Key? {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var key = Key()
        for byte in bytes {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            key.high = key.high << 8 | key.low >> 56
            key.low = key.low << 8 | UInt64(lower)
        }
        return key
    }
}

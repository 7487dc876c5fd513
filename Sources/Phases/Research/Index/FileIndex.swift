/// Per-field term counts of one term in one file.
struct FieldCounts: Sendable, Equatable {
    /// Occurrences in the path.
    var path: UInt16 = 0
    /// Occurrences in definition names.
    var name: UInt16 = 0
    /// Occurrences in comments and docs.
    var comment: UInt16 = 0
    /// Occurrences in code.
    var code: UInt16 = 0
}

/// Total token counts per field of one file (for length normalization).
struct FieldLengths: Sendable, Equatable {
    var path: UInt32 = 0
    var name: UInt32 = 0
    var comment: UInt32 = 0
    var code: UInt32 = 0
}

/// What kind of declaration a ``Definition`` is.
enum DefinitionKind: UInt8, Sendable {
    /// class, struct, enum, protocol, interface, trait, type alias…
    case type = 0
    /// extension or impl block of a type defined elsewhere.
    case extensionBlock = 1
    /// function, method, initializer.
    case function = 2
    /// property, constant, enum case, module-level variable.
    case value = 3
    /// module / namespace.
    case module = 4
}

/// The index of one workspace file: identity, field lengths, and a view of its term and definition block.
struct FileIndex: Sendable {
    var path: String
    var size: Int64
    var modificationTime: Int64
    var inode: UInt64
    var language: SourceLanguage
    var lineCount: UInt32
    var lengths: FieldLengths
    /// The file's terms, counts and definitions (empty for binary markers).
    var block: IndexBlock

    /// Term hashes (see ``TermHash``), ascending; parallel to ``counts``.
    var terms: TermHashList { block.terms }
    /// Per-field counts, parallel to ``terms``.
    var counts: FieldCountsList { block.counts }
    /// Declarations, in source order.
    var definitions: DefinitionList { block.definitions }

    /// Whether the cache entry still describes `file`.
    func matches(_ file: WorkspaceFile) -> Bool {
        file.size == size && file.modificationTime == modificationTime && file.inode == inode
    }
}

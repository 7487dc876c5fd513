import Memory

/// `edit_file`: replaces an exact text in a file with a new one.
///
/// `old` must occur exactly once (or at least once with `replace_all`). When it does not occur, the error shows the
/// three most similar line windows of the file, with line numbers; when it occurs several times, the error lists
/// where, so the model can add context or set `replace_all`. Files with CRLF line ends accept `old`/`new` written
/// with LF.
public struct EditFileTool: Tool {
    /// Largest file edited, in bytes.
    public var maximumFileBytes = 8 << 20

    /// Creates the tool.
    public init() {}

    public var access: ToolAccess { .write }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "edit_file",
            description: """
                Replace an exact piece of text in a file. `old` must match the file byte for byte, including \
                indentation and line breaks, and must occur exactly once unless replace_all is true; include a few \
                surrounding lines to make it unique. If it does not match, the error shows the closest parts of \
                the file with line numbers: copy the text from there (without the line-number prefix) and retry. \
                To create a file use write_file.
                """,
            inputSchema: JSONSchema.object(
                [
                    ("path", JSONSchema.string("File path relative to the workspace root.")),
                    ("old", JSONSchema.string("The exact text to replace.")),
                    ("new", JSONSchema.string("The replacement text.")),
                    ("replace_all", JSONSchema.boolean("Replace every occurrence (default false).")),
                ], required: ["path", "old", "new"]))
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let resolved = try context.workspace.resolveForWriting(input["path"]?.stringValue ?? "")
        var old = Array((input["old"]?.stringValue ?? "").utf8)
        var new = Array((input["new"]?.stringValue ?? "").utf8)
        let replaceAll = input["replace_all"]?.boolValue ?? false
        guard !old.isEmpty else {
            throw ToolError.invalidInput("edit_file: \"old\" must not be empty; use write_file to create a file")
        }
        guard old != new else { throw ToolError.invalidInput("edit_file: \"old\" and \"new\" are the same") }
        guard FileIO.kind(resolved.absolute) != nil else {
            throw ToolError(
                code: "not_found",
                message: "edit_file: '\(resolved.relative)' does not exist; use write_file to create it")
        }
        let content = try FileIO.readFile(
            resolved.absolute, display: resolved.relative, tool: name, limit: maximumFileBytes)
        guard !FileIO.isBinary(content) else {
            throw ToolError(code: "binary_file", message: "edit_file: '\(resolved.relative)' is a binary file")
        }
        var matches = ByteSearch.occurrences(of: old, in: content)
        if matches.isEmpty, content.contains(0x0D), !old.contains(0x0D), old.contains(0x0A) {
            let crlfOld = ByteSearch.crlf(old)
            let crlfMatches = ByteSearch.occurrences(of: crlfOld, in: content)
            if !crlfMatches.isEmpty {
                old = crlfOld
                new = ByteSearch.crlf(new)
                matches = crlfMatches
            }
        }
        if matches.isEmpty {
            throw ToolError(
                code: "no_match", message: noMatchMessage(old: old, content: content, path: resolved.relative))
        }
        if matches.count > 1 && !replaceAll {
            throw ToolError(
                code: "ambiguous_match",
                message: ambiguousMessage(
                    matches: matches, oldLength: old.count, content: content, path: resolved.relative))
        }
        var updated: [UInt8] = []
        updated.reserveCapacity(content.count + matches.count * (new.count - old.count))
        var cursor = 0
        for match in matches {
            updated += content[cursor..<match]
            updated += new
            cursor = match + old.count
        }
        updated += content[cursor...]
        try context.checkCancellation()
        try FileIO.writeFile(updated, to: resolved.absolute, display: resolved.relative, tool: name)
        let stats = DiffStats.compute(old: content, new: updated)
        var text =
            "Edited \(resolved.relative): replaced \(matches.count) occurrence\(matches.count == 1 ? "" : "s") "
            + "(+\(stats.added) -\(stats.removed) lines)."
        if matches.count == 1 {
            text += "\n" + excerpt(of: updated, from: matches[0], length: new.count)
        }
        return .success(
            text, metadata: ["file_change": DiffStats.fileChange(path: resolved.relative, op: "modify", stats: stats)])
    }

    private func lines(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
    }

    private func numbered(_ fileLines: [Substring], _ range: ClosedRange<Int>) -> String {
        range.map { number in
            let label = String(number)
            return String(repeating: " ", count: max(0, 6 - label.count)) + label + "\t"
                + fileLines[number - 1].prefix(300)
        }.joined(separator: "\n")
    }

    private func noMatchMessage(old: [UInt8], content: [UInt8], path: String) -> String {
        var oldLines = lines(old)
        if oldLines.count > 1 && oldLines.last == "" { oldLines.removeLast() }
        let fileLines = lines(content)
        let candidates = EditCandidates.find(oldLines: oldLines, in: fileLines)
        var text = "edit_file: \"old\" was not found in '\(path)'."
        guard !candidates.isEmpty else {
            return text + " No similar text either; read the file with read_file and copy the exact text."
        }
        text += " The closest parts of the file are below; copy the exact text (without the line numbers) and retry."
        for candidate in candidates {
            let percent = Int((candidate.score * 100).rounded())
            let note = candidate.differsOnlyInWhitespace ? ", differs only in white space/indentation" : ""
            text += "\n--- lines \(candidate.startLine)-\(candidate.endLine) (similarity \(percent)%\(note))\n"
            text += numbered(fileLines, candidate.startLine...candidate.endLine)
        }
        return text
    }

    private func ambiguousMessage(matches: [Int], oldLength: Int, content: [UInt8], path: String) -> String {
        let fileLines = lines(content)
        var text =
            "edit_file: \"old\" occurs \(matches.count) times in '\(path)'; it must be unique. Include more "
            + "surrounding lines in \"old\" (and \"new\"), or set replace_all to change every occurrence."
        for match in matches.prefix(5) {
            let first = ByteSearch.lineNumber(at: match, in: content)
            let last = ByteSearch.lineNumber(at: max(match, match + oldLength - 1), in: content)
            let from = max(1, first - 1)
            let to = min(fileLines.count, last + 1)
            text += "\n--- occurrence at line \(first)\n" + numbered(fileLines, from...to)
        }
        if matches.count > 5 { text += "\n… [\(matches.count - 5) more occurrences]" }
        return text
    }

    /// The edited region with two lines of context, at most 30 lines.
    private func excerpt(of content: [UInt8], from offset: Int, length: Int) -> String {
        let fileLines = lines(content)
        let first = ByteSearch.lineNumber(at: offset, in: content)
        let last = ByteSearch.lineNumber(at: max(offset, offset + length - 1), in: content)
        let from = max(1, first - 2)
        let to = min(fileLines.count, max(from, min(last + 2, from + 29)))
        return numbered(fileLines, from...to)
    }
}

/// Exact byte search for ``EditFileTool``.
enum ByteSearch {
    /// Start offsets of the non-overlapping occurrences of `needle` in `haystack`.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var result: [Int] = []
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return result
    }

    /// `bytes` with every lone LF turned into CRLF.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) { result.append(0x0D) }
            result.append(byte)
        }
        return result
    }

    /// The 1-based line number of byte `offset`.
    static func lineNumber(at offset: Int, in bytes: [UInt8]) -> Int {
        var count = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { count += 1 }
        return count
    }
}

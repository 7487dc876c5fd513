/// Line-based declaration finder with line ranges, one instance per file.
///
/// Feed it each line's code (comments removed) in order with ``scan(line:number:)``, then call
/// ``finish(lastLine:)``. Brace languages close a declaration when the brace depth returns to where it started;
/// indentation languages close it at the next line indented no deeper. Values (`let`, `case`, …) inside function
/// bodies are ignored.
struct DefinitionScanner {
    /// A declaration found, with the raw bytes of its name.
    struct Found {
        var name: [UInt8]
        var kind: DefinitionKind
        var startLine: Int
        var endLine: Int
    }

    private struct Open {
        var index: Int
        var depth: Int
        var indent: Int
        var opened: Bool
        var kind: DefinitionKind
    }

    let syntax: DefinitionSyntax
    private(set) var found: [Found] = []
    private var stack: [Open] = []
    private var depth = 0
    private var lastNonBlank = 0

    init(syntax: DefinitionSyntax) { self.syntax = syntax }

    private var insideFunction: Bool { stack.contains { $0.kind == .function } }

    /// Processes one line of code (1-based `number`).
    mutating func scan(line: UnsafeBufferPointer<UInt8>, number: Int) {
        var start = 0
        var indent = 0
        if let base = line.baseAddress {
            // Eight spaces at a time first: most indentation is spaces.
            while start + 8 <= line.count,
                UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020
            {
                start += 8
                indent += 8
            }
        }
        while start < line.count, line[start] == 0x20 || line[start] == 0x09 {
            indent += line[start] == 0x09 ? 4 : 1
            start += 1
        }
        let blank = start == line.count
        if syntax.indentBased {
            if blank { return }
            while let top = stack.last, indent <= top.indent {
                found[top.index].endLine = max(found[top.index].startLine, lastNonBlank)
                stack.removeLast()
            }
            if var def = declaration(line, from: start, number: number) {
                def.endLine = number
                stack.append(Open(index: found.count, depth: 0, indent: indent, opened: true, kind: def.kind))
                found.append(def)
            }
            lastNonBlank = number
            return
        }
        if !blank, var def = declaration(line, from: start, number: number) {
            // A pending body-less declaration at the same depth ends here (protocol requirements, stored values).
            while let top = stack.last, !top.opened, top.depth >= depth {
                stack.removeLast()
            }
            def.endLine = number
            stack.append(Open(index: found.count, depth: depth, indent: indent, opened: false, kind: def.kind))
            found.append(def)
        }
        var maxDepth = depth
        var k = start
        if let base = line.baseAddress {
            // Eight bytes at a time: most of a line has no brace at all.
            while k + 8 <= line.count {
                let w = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                if DefinitionScanner.mayHaveBrace(w) {
                    for j in k..<(k + 8) { countBrace(line[j], &maxDepth) }
                }
                k += 8
            }
        }
        while k < line.count {
            countBrace(line[k], &maxDepth)
            k += 1
        }
        while let top = stack.last {
            var entry = top
            if !entry.opened {
                if maxDepth > entry.depth {
                    entry.opened = true
                } else if number - found[entry.index].startLine >= 4 || entry.kind == .value {
                    stack.removeLast()
                    continue
                } else {
                    break
                }
            }
            if depth <= entry.depth {
                found[entry.index].endLine = number
                stack.removeLast()
                continue
            }
            stack[stack.count - 1] = entry
            break
        }
    }

    @inline(__always)
    private mutating func countBrace(_ b: UInt8, _ maxDepth: inout Int) {
        if b == 0x7B {
            depth += 1
            maxDepth = max(maxDepth, depth)
        } else if b == 0x7D {
            depth = max(0, depth - 1)
        }
    }

    /// Whether the eight bytes in `w` may include `{` or `}` (never `false` when they do; rarely `true` when not).
    @inline(__always)
    static func mayHaveBrace(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let open = w ^ 0x7B7B_7B7B_7B7B_7B7B
        let close = w ^ 0x7D7D_7D7D_7D7D_7D7D
        return ((open &- ones) & ~open | (close &- ones) & ~close) & highs != 0
    }

    /// Closes declarations still open at end of file.
    mutating func finish(lastLine: Int) {
        for open in stack where open.opened {
            found[open.index].endLine = syntax.indentBased ? max(found[open.index].startLine, lastNonBlank) : lastLine
        }
        stack.removeAll()
    }

    // MARK: - Line parsing

    private func declaration(_ line: UnsafeBufferPointer<UInt8>, from start: Int, number: Int) -> Found? {
        var i = start
        var keywordKind: DefinitionKind?
        var words = 0
        while i < line.count, words < 8 {
            // Attributes/annotations: @Name or @Name(...), unless "@name" is itself a keyword (Objective-C).
            if line[i] == 0x40 {
                let word = readWord(line, i + 1)
                if word.isEmpty { return nil }
                if let kind = syntax.keywordTable.value(line, i..<word.upperBound) {
                    keywordKind = kind
                    i = skipSpaces(line, word.upperBound)
                    break
                }
                i = skipSpaces(line, skipParens(line, word.upperBound))
                words += 1
                continue
            }
            let word = readWord(line, i)
            if word.isEmpty { break }
            var afterWord = word.upperBound
            // Rust visibility like pub(crate)
            if spells(line, word, "pub"), afterWord < line.count, line[afterWord] == 0x28 {
                afterWord = skipParens(line, afterWord)
            }
            if let kind = syntax.keywordTable.value(line, word) {
                let nextWord = readWord(line, skipSpaces(line, afterWord))
                if syntax.keywordTable.value(line, nextWord) != nil {
                    i = skipSpaces(line, afterWord)
                    words += 1
                    continue
                }
                keywordKind = kind
                i = skipSpaces(line, afterWord)
                if spells(line, word, "macro_rules"), i < line.count, line[i] == 0x21 { i = skipSpaces(line, i + 1) }
                if spells(line, word, "init") || spells(line, word, "subscript") {
                    return Found(name: Array(line[word]), kind: kind, startLine: number, endLine: number)
                }
                break
            }
            if syntax.modifierTable.value(line, word) != nil {
                let j = skipSpaces(line, afterWord)
                // `get(key)` or `default = 1`: the "modifier" is really a name.
                if j < line.count, !Tokenizer.isIdentByte(line[j]), line[j] != 0x40, line[j] != 0x24 { break }
                i = j
                words += 1
                continue
            }
            break
        }
        guard let kind = keywordKind else {
            return heuristicDeclaration(line, from: i, lineStart: start, number: number)
        }
        if kind == .value && insideFunction { return nil }
        // Go receivers: func (r *T) Name(
        if i < line.count, line[i] == 0x28, kind == .function { i = skipSpaces(line, skipParens(line, i)) }
        // Rust impl<T> Trait for Type / generic params
        if i < line.count, line[i] == 0x3C { i = skipSpaces(line, skipAngles(line, i)) }
        if i < line.count, line[i] == 0x2A { i = skipSpaces(line, i + 1) }  // function* / pointer
        var name = readWord(line, i)
        if kind == .extensionBlock, syntax.hasImpl, let after = findFor(line, from: name.upperBound) {
            name = readWord(line, skipSpaces(line, after))
        }
        guard !name.isEmpty, DefinitionSyntax.controlTable.value(line, name) == nil else { return nil }
        return Found(name: Array(line[name]), kind: kind, startLine: number, endLine: number)
    }

    /// `Type name(args) {` or `name(args) {` methods; and Python module-level `NAME = value`.
    private func heuristicDeclaration(
        _ line: UnsafeBufferPointer<UInt8>, from i: Int, lineStart: Int, number: Int
    ) -> Found? {
        if syntax.topLevelAssignments, lineStart == 0 {
            let name = readWord(line, 0)
            let j = skipSpaces(line, name.upperBound)
            if !name.isEmpty, j < line.count, line[j] == 0x3D, j + 1 >= line.count || line[j + 1] != 0x3D {
                return Found(name: Array(line[name]), kind: .value, startLine: number, endLine: number)
            }
            return nil
        }
        guard syntax.methodHeuristic, !insideFunction else { return nil }
        // The identifier right before the first "(" is the name; nothing like "=" or "." may precede it.
        var k = i
        var lastWord = 0..<0
        var wordsBefore = 0
        while k < line.count {
            let b = line[k]
            if b == 0x28 { break }
            if b == 0x3D || b == 0x2E && !syntax.hasFun || b == 0x3B || b == 0x7B || b == 0x22 || b == 0x27 {
                return nil
            }
            let word = readWord(line, k)
            if !word.isEmpty {
                if DefinitionSyntax.controlTable.value(line, word) != nil { return nil }
                lastWord = word
                wordsBefore += 1
                k = word.upperBound
            } else {
                k += 1
            }
        }
        guard k < line.count, !lastWord.isEmpty else { return nil }
        let trimmedEnd = lastNonSpace(line)
        guard trimmedEnd >= 0, line[trimmedEnd] != 0x3B, line[trimmedEnd] != 0x2C else { return nil }
        let inType = stack.last.map { $0.kind == .type && depth == $0.depth + 1 } ?? false
        guard inType || (depth == 0 && wordsBefore >= 2) else { return nil }
        return Found(name: Array(line[lastWord]), kind: .function, startLine: number, endLine: number)
    }

    /// The word (identifier bytes or `$`) starting at `from`; empty when there is none.
    private func readWord(_ line: UnsafeBufferPointer<UInt8>, _ from: Int) -> Range<Int> {
        var j = from
        while j < line.count, Tokenizer.isIdentByte(line[j]) || line[j] == 0x24 { j += 1 }
        return from..<max(from, j)
    }

    /// Whether `line[range]` spells `word`.
    private func spells(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<range.count where line[range.lowerBound + k] != w[k] { return false }
        return true
    }

    private func skipSpaces(_ line: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var j = from
        while j < line.count, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
        return j
    }

    private func skipParens(_ line: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        guard from < line.count, line[from] == 0x28 else { return from }
        var level = 0
        var j = from
        while j < line.count {
            if line[j] == 0x28 { level += 1 } else if line[j] == 0x29 { level -= 1; if level == 0 { return j + 1 } }
            j += 1
        }
        return j
    }

    private func skipAngles(_ line: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var level = 0
        var j = from
        while j < line.count {
            if line[j] == 0x3C { level += 1 } else if line[j] == 0x3E { level -= 1; if level == 0 { return j + 1 } }
            j += 1
        }
        return j
    }

    private func lastNonSpace(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var j = line.count - 1
        while j >= 0, line[j] == 0x20 || line[j] == 0x09 || line[j] == 0x0D { j -= 1 }
        return j
    }

    /// The index just after the first " for " at or after `from`.
    private func findFor(_ line: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let needle: StaticString = " for "
        let n = needle.utf8CodeUnitCount
        var j = from
        while j + n <= line.count {
            if spells(line, j..<(j + n), needle) { return j + n }
            j += 1
        }
        return nil
    }
}

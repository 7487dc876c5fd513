extension DefinitionScanner {
    /// Declarations of `text` as (name, kind, startLine, endLine), for tests and tools.
    static func definitions(in text: String, language: SourceLanguage) -> [(String, DefinitionKind, Int, Int)] {
        guard let syntax = DefinitionSyntax.of(language) else { return [] }
        var scanner = DefinitionScanner(syntax: syntax)
        var splitter = LineSplitter(style: language.commentStyle, language: language)
        var code: [UInt8] = []
        var comment: [UInt8] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBufferPointer { buf in
                splitter.split(UnsafeBufferPointer(buf), code: &code, comment: &comment)
            }
            code.withUnsafeBufferPointer { scanner.scan(line: $0, number: i + 1) }
        }
        scanner.finish(lastLine: lines.count)
        return scanner.found.map { (String(decoding: $0.name, as: UTF8.self), $0.kind, $0.startLine, $0.endLine) }
    }
}

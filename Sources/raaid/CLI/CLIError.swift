/// A usage error: bad flags, a bad value, a missing argument. Exit code 2 (DESIGN.md).
struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message after `Error: `.
    var message: String
    /// The command path the error belongs to (`["run"]`), for the usage line and the help hint.
    var commandPath: [String]
    /// The machine code used in the `error` event.
    var code: String

    init(_ message: String, commandPath: [String], code: String = "usage_error") {
        self.message = message
        self.commandPath = commandPath
        self.code = code
    }

    var description: String { message }

    /// "unknown option '--reserch-only'; did you mean '--research-only'?"
    static func unknownOption(_ option: String, candidates: [String], commandPath: [String]) -> UsageError {
        var message = "unknown option '\(option)'"
        if let suggestion = closest(to: option, in: candidates) { message += "; did you mean '\(suggestion)'?" }
        return UsageError(message, commandPath: commandPath, code: "unknown_option")
    }

    /// The candidate within a small edit distance of `word`, if any.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= max(2, word.count / 3) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Damerau-Levenshtein distance (with adjacent transpositions).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

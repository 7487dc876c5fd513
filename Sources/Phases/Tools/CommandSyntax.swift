/// Finds shell syntax that turns one command into several (or redirects it), for ``PermissionPolicy``.
enum CommandSyntax {
    /// The first chaining, substitution or redirection construct outside single quotes, or `nil` for a single
    /// simple command. Unterminated quotes count as unsafe.
    static func compoundConstruct(in command: String) -> String? {
        let scalars = Array(command.unicodeScalars)
        var index = 0
        var inSingle = false
        var inDouble = false
        while index < scalars.count {
            let c = scalars[index]
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            if inSingle {
                if c == "'" { inSingle = false }
                index += 1
                continue
            }
            if c == "\\" {
                if next == "\n" { return "a line continuation" }
                index += 2
                continue
            }
            if c == "`" { return "`" }
            if c == "$" && next == "(" { return "$(" }
            if inDouble {
                if c == "\"" { inDouble = false }
                index += 1
                continue
            }
            switch c {
            case "'": inSingle = true
            case "\"": inDouble = true
            case ";": return ";"
            case "&": return next == "&" ? "&&" : "&"
            case "|": return next == "|" ? "||" : "|"
            case ">", "<": return String(c)
            case "(", ")": return String(c)
            case "\n", "\r": return "a newline"
            default: break
            }
            index += 1
        }
        if inSingle || inDouble { return "an unterminated quote" }
        return nil
    }
}

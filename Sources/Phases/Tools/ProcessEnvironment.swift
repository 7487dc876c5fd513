#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// The environment commands run with.
public enum ProcessEnvironment {
    /// raaid's own environment without secrets, plus settings that keep tools from waiting on a terminal:
    /// `PAGER=cat`, `GIT_PAGER=cat`, `GIT_TERMINAL_PROMPT=0`, `RAAID=1`.
    ///
    /// Removed: names ending in `_API_KEY`, `_TOKEN`, `_SECRET`, `_PASSWORD` or containing `SECRET_KEY`, and
    /// `RAAID_*` settings, so a command such as `env` cannot leak a provider key into the event stream.
    public static func inherited() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if !isSecret(name) { result[name] = String(text[text.index(after: equals)...]) }
            }
            pointer += 1
        }
        result["PAGER"] = "cat"
        result["GIT_PAGER"] = "cat"
        result["GIT_TERMINAL_PROMPT"] = "0"
        result["RAAID"] = "1"
        return result
    }

    /// Whether an environment variable name looks like it holds a secret.
    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        if upper.hasPrefix("RAAID_") { return true }
        for suffix in ["_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD", "APIKEY"] where upper.hasSuffix(suffix) {
            return true
        }
        return upper.contains("SECRET_KEY") || upper == "API_KEY" || upper == "TOKEN"
    }
}

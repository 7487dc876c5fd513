/// Favors files in the workspace's dominant programming languages over minority ones (e.g. vendored C in a Swift
/// package), gently: `(count / dominantCount)^0.25`, never below 0.5.
struct LanguagePrior {
    private var factors: [SourceLanguage: Double] = [:]

    init(files: [FileIndex]) {
        var counts: [SourceLanguage: Int] = [:]
        for f in files where f.language.isCode { counts[f.language, default: 0] += 1 }
        // C headers are shared by C and C++/Objective-C; treat them as one family.
        let top = counts.values.max() ?? 0
        guard top > 0 else { return }
        for (lang, n) in counts {
            var share = Double(n) / Double(top)
            if lang == .c || lang == .cpp {
                share = Double((counts[.c] ?? 0) + (counts[.cpp] ?? 0)) / Double(top)
            }
            if lang == .javascript || lang == .typescript {
                share = Double((counts[.javascript] ?? 0) + (counts[.typescript] ?? 0)) / Double(top)
            }
            factors[lang] = max(0.5, min(1, share).squareRoot().squareRoot())
        }
    }

    func factor(_ language: SourceLanguage) -> Double { factors[language] ?? 1 }
}

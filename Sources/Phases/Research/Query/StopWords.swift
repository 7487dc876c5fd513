/// English and issue-template words that carry no retrieval signal in task prose.
enum StopWords {
    static func contains(_ word: String) -> Bool { words.contains(word) }

    static let words: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "done", "down", "during", "each", "either", "etc", "even", "ever", "every",
        "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
        "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "let", "like", "may",
        "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
        "one", "only", "or", "other", "our", "out", "over", "own", "per", "please", "quite", "rather", "really",
        "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
        "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon",
        "us", "very", "via", "was", "we", "well", "were", "what", "when", "where", "whether", "which", "while",
        "who", "whom", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "instead",
        "motivation", "modification", "modifications", "result", "results", "changes", "change", "changed",
        "currently", "issue", "problem", "bug", "fix", "fixes", "fixed", "add", "added", "adds", "adding",
        "make", "makes", "made", "allow", "allows", "use", "used", "uses", "using", "update", "updated", "now",
        "new", "case", "cases", "way", "thing", "things", "want", "need", "needs", "needed", "able", "cannot",
        "don", "doesn", "isn", "won", "didn", "it's", "don't", "there's", "we're", "i'm", "get", "got", "see",
        "e.g", "eg", "ie", "tests", "test", "testing", "pr", "implement", "implementation", "support", "ensure",
        "correctly", "properly", "better", "instead", "avoid", "prevent",
    ]
}

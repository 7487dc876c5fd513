/// How many files of one language a workspace has.
public struct LanguageCount: Sendable, Equatable {
    /// Display name, such as `"Swift"` or `"C++"`.
    public var name: String
    /// Number of files counted for the language.
    public var files: Int

    /// Creates a count.
    public init(name: String, files: Int) {
        self.name = name
        self.files = files
    }
}

/// What ``ProjectDetector`` learned about a workspace: languages, how to build and test it, where it starts.
public struct ProjectFacts: Sendable, Equatable {
    /// Languages by file count, most files first (ties by name).
    public var languages: [LanguageCount]
    /// Shell commands, run from the workspace root, that build the project; most specific first.
    public var buildCommands: [String]
    /// Shell commands, run from the workspace root, that run the tests.
    public var testCommands: [String]
    /// Root-relative paths of likely program entry points.
    public var entryPoints: [String]
    /// Root-relative paths of build manifests at the root or one directory below it, root first.
    public var manifests: [String]

    /// Creates facts.
    public init(
        languages: [LanguageCount] = [], buildCommands: [String] = [], testCommands: [String] = [],
        entryPoints: [String] = [], manifests: [String] = []
    ) {
        self.languages = languages
        self.buildCommands = buildCommands
        self.testCommands = testCommands
        self.entryPoints = entryPoints
        self.manifests = manifests
    }
}

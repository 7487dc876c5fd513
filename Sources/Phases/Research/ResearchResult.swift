/// Everything a research run found out about a task in a workspace.
public struct ResearchResult: Sendable {
    /// Languages, build and test commands, entry points and manifests of the workspace.
    public var project: ProjectFacts
    /// Related files, best first, at most ``ResearchOptions/maxRelatedFiles``.
    public var relatedFiles: [RelatedFile]
    /// Key excerpts of the top files.
    public var snippets: [KeySnippet]
    /// Short sentences worth remembering (languages, commands, where named symbols live).
    public var facts: [String]
    /// A short Markdown research note.
    public var note: String
    /// Counters for the run.
    public var stats: ResearchStats

    /// Creates a result.
    public init(
        project: ProjectFacts, relatedFiles: [RelatedFile], snippets: [KeySnippet], facts: [String], note: String,
        stats: ResearchStats
    ) {
        self.project = project
        self.relatedFiles = relatedFiles
        self.snippets = snippets
        self.facts = facts
        self.note = note
        self.stats = stats
    }
}

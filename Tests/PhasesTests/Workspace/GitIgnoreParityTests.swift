import Foundation
import Testing

@testable import Phases

/// Compares the walker's file set with what git itself considers untracked and not ignored.
@Suite struct GitIgnoreParityTests {
    static let rootIgnore = """
        # comment line
        *.log
        !important.log
        /build/
        docs/*.tmp
        **/cache
        logs/**
        !logs/keep/
        tmp/
        \\#hash.txt
        \\!bang.txt
        space\\ 
        trailing.txt   
        [abc]-class.txt
        file[!0-9].dat
        grade[[:digit:]].txt
        out/**/*.gen
        a/**/z.txt
        excluded/
        !excluded/reinclude.txt
        foo**/bar
        /anchored-root.md
        mid/dle.md
        dironly/
        *.q?
        !keep.q1

        """

    static let files = [
        "README.md", "app.log", "important.log", "nested/deep/app.log", "nested/deep/important.log",
        "build/out.txt", "src/build/kept.txt", "docs/a.tmp", "docs/sub/b.tmp", "docs/readme.md",
        "cache/x.txt", "src/cache/y.txt", "src/cachefile.txt", "logs/a.txt", "logs/keep/b.txt", "logs/deeper/c.txt",
        "tmp/t.txt", "src/tmp/t.txt", "tmpfile.txt", "#hash.txt", "!bang.txt", "space ", "space", "trailing.txt",
        "a-class.txt", "d-class.txt", "fileX.dat", "file1.dat", "grade5.txt", "gradeA.txt",
        "out/x.gen", "out/a/b/y.gen", "out/keep.txt", "a/z.txt", "a/b/c/z.txt", "b/a/z.txt",
        "excluded/reinclude.txt", "excluded/other.txt", "foo/bar", "foox/y/bar", "fooz/bar/baz.txt",
        "anchored-root.md", "sub/anchored-root.md", "mid/dle.md", "x/mid/dle.md",
        "dironly/f.txt", "sub/dironly", "v.q1", "keep.q1", "v.q22",
        "sub/a.txt", "sub/keep.txt", "sub/anchored.md", "sub/x/anchored.md", "sub/nested/n.txt", "sub/nested.md",
        "sub/deeper/d.txt", "sub/deeper/e.md", "sub/deeper/nested/z.md",
        "secret.secret", "dir with space/file name.md", "ünïcode/fïle.md", "brackets/[x].md",
    ]

    static let nestedIgnores = [
        "sub/.gitignore": "*.txt\n!keep.txt\n/anchored.md\nnested/\n",
        "sub/deeper/.gitignore": "!*.txt\n!nested/\n",
        "ünïcode/.gitignore": "# only a comment\n",
        "brackets/.gitignore": "\\[x].md\n",
    ]

    @Test func walkerMatchesGitLsFiles() throws {
        let tree = try TemporaryTree("parity")
        defer { tree.remove() }
        _ = try Shell.git(["init", "-q", "."], in: tree.root)
        try tree.write(".gitignore", Self.rootIgnore)
        for (path, content) in Self.nestedIgnores { try tree.write(path, content) }
        for path in Self.files { try tree.write(path, "x") }
        try tree.write(".git/info/exclude", "*.secret\n")

        let output = try Shell.git(["ls-files", "-z", "--others", "--exclude-standard"], in: tree.root)
        let expected = output.split(separator: "\0").map(String.init)
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(expected.count > 20, "fixture should leave plenty of files visible")

        var options = WalkOptions()
        options.maxFileSize = .max
        options.extraIgnoreFileNames = []
        for threads in [1, 2] {
            var walker = WorkspaceWalker(root: tree.root, options: options)
            walker.maximumThreads = threads
            let walked = try walker.walk().files.map(\.path)
            #expect(walked == expected, "threads: \(threads)")
            let missing = Set(expected).subtracting(walked)
            let extra = Set(walked).subtracting(expected)
            #expect(missing.isEmpty && extra.isEmpty, "missing \(missing.sorted()), extra \(extra.sorted())")
        }
    }
}

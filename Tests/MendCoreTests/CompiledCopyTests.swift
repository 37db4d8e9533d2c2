// Compiled copies in the cache folder: read exactly like a fresh compile, rebuilt when data changes, never an error when damaged.
import Foundation
import Testing
@testable import MendCore

/// The body of a compiled copy made of these records, as `decode` gets it.
func compiledBody(_ lines: [String]) -> CompiledCopy.Bytes {
    let copy = MappedCopy(records: ArraySlice(Array((lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n").utf8)))
    _ = Unmanaged.passRetained(copy)   // held for the rest of the run: decoders read the records where they lie
    return copy.bytes[...]
}

/// A fresh, empty cache folder that does not exist yet.
private func freshCache(salt: String = "test") -> CacheFolder {
    CacheFolder(path: NSTemporaryDirectory() + "mend-cache-\(UUID().uuidString)/mend", salt: salt)
}

private func copies(in cache: CacheFolder, kind: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).filter { $0.hasPrefix(kind + "-") && $0.hasSuffix(".txt") }.sorted()
}

private func permissions(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// Every line of the safety evaluation sets (tuned and independent).
private func safetyLines() throws -> [LabelledCrisisLine] {
    var all: [LabelledCrisisLine] = []
    for folder in ["dialogs/safety/examples/must-pass", "Tests/Evaluation/independent/safety"] {
        let dir = packageRoot.appendingPathComponent(folder)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".tsv") {
            let (lines, problems) = SafetyEval.parse(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8), file: name)
            #expect(problems.isEmpty, "\(name)")
            all += lines
        }
    }
    return all
}

@Suite struct CompiledCopyMechanism {
    /// A tiny kind of data: the text of one file, compiled by counting calls.
    final class Counter: @unchecked Sendable { var compiles = 0 }

    func load(_ file: URL, _ cache: CacheFolder?, _ counter: Counter, diagnostics: inout [Diagnostic], warn: Bool = false) -> String {
        CompiledCopy.load("demo", format: "demo-1", files: [file.path], cache: cache, diagnostics: &diagnostics,
                          decode: { body in CompiledCopy.lines(body).first.map { CompiledCopy.unescape($0[0]) } },
                          encode: { [CompiledCopy.escape($0)] },
                          compile: { diagnostics in
                              counter.compiles += 1
                              if warn { diagnostics.append(Diagnostic(file: "demo", line: 1, column: 1, severity: .warning, message: "odd")) }
                              return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                          })
    }

    func dataFile(_ text: String) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory() + "mend-data-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func aCopyIsKeptPrivatelyAndReadInsteadOfCompiling() throws {
        let cache = freshCache(), counter = Counter(), file = try dataFile("a\tb\nc\\d")
        var diagnostics: [Diagnostic] = []
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "a\tb\nc\\d")
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "a\tb\nc\\d", "tabs, line breaks and backslashes come back")
        #expect(counter.compiles == 1)
        let kept = copies(in: cache, kind: "demo")
        #expect(kept.count == 1)
        #expect(permissions(cache.path) == 0o700)
        #expect(permissions(cache.path + "/" + kept[0]) == 0o600)
        #expect(diagnostics.isEmpty)
    }

    @Test func aChangedDataFileOrProgramCompilesAgainAndReplacesTheCopy() throws {
        let cache = freshCache(), counter = Counter(), file = try dataFile("first")
        var diagnostics: [Diagnostic] = []
        _ = load(file, cache, counter, diagnostics: &diagnostics)
        try "second".write(to: file, atomically: true, encoding: .utf8)
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "second")
        #expect(counter.compiles == 2)
        #expect(copies(in: cache, kind: "demo").count == 1, "the older copy is removed")
        let rebuilt = CacheFolder(path: cache.path, salt: "another build")
        #expect(load(file, rebuilt, counter, diagnostics: &diagnostics) == "second")
        #expect(counter.compiles == 3)
    }

    /// Sets a file's access and modification times (its change time is always now).
    func date(_ url: URL, _ seconds: Int) {
        var times = [timeval(tv_sec: seconds, tv_usec: 0), timeval(tv_sec: seconds, tv_usec: 0)]
        _ = utimes(url.path, &times)
    }

    @Test func theFilesDatesSpareHashingButAnyWriteIsSeen() throws {
        let cache = freshCache(), counter = Counter(), file = try dataFile("first")
        let past = time(nil) - 100
        date(file, past)
        sleep(3)   // only files changed over two seconds ago are noted
        var diagnostics: [Diagnostic] = []
        _ = load(file, cache, counter, diagnostics: &diagnostics)
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "first")
        #expect(counter.compiles == 1)
        #expect(FileManager.default.fileExists(atPath: cache.path + "/demo-stat.key"), "an old file's dates are noted")
        // The same size, and the same date set back: the change time still differs, so the bytes are hashed again.
        try "fires".write(to: file, atomically: false, encoding: .utf8)
        date(file, past)
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "fires")
        #expect(counter.compiles == 2)
        // A file just written is never noted (its time may not have moved): each start hashes it.
        try "third".write(to: file, atomically: false, encoding: .utf8)
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "third")
        try "fifth".write(to: file, atomically: false, encoding: .utf8)
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "fifth")
        #expect(counter.compiles == 4)
        // A damaged note is no more than a missing one.
        for junk in ["", "demo-1\n", "\u{FF}\u{FE}", "x\n../../etc/passwd\n"] {
            try junk.write(toFile: cache.path + "/demo-stat.key", atomically: false, encoding: .utf8)
            #expect(load(file, cache, counter, diagnostics: &diagnostics) == "fifth")
        }
        #expect(counter.compiles == 4)
        #expect(diagnostics.isEmpty)
    }

    @Test func aDamagedCopyIsCompiledAgainWithoutAnError() throws {
        let cache = freshCache(), counter = Counter(), file = try dataFile("the data")
        var diagnostics: [Diagnostic] = []
        _ = load(file, cache, counter, diagnostics: &diagnostics)
        let copy = cache.path + "/" + copies(in: cache, kind: "demo")[0]
        let whole = try Data(contentsOf: URL(fileURLWithPath: copy))
        for damaged in [whole.prefix(whole.count - 3), whole.prefix(7), Data(), Data("garbage\u{0}\u{FF}\n".utf8), Data(repeating: 0xFF, count: 300),
                        Data("demo-1\nthe data\nmore\nend 1\n".utf8)] {
            try damaged.write(to: URL(fileURLWithPath: copy))
            let before = counter.compiles
            #expect(load(file, cache, counter, diagnostics: &diagnostics) == "the data")
            #expect(counter.compiles == before + 1)
        }
        #expect(load(file, cache, counter, diagnostics: &diagnostics) == "the data")
        #expect(counter.compiles == 7, "the last compile wrote a good copy again")
        #expect(diagnostics.isEmpty)
    }

    @Test func anUnwritableCacheJustMeansCompiling() throws {
        let counter = Counter(), file = try dataFile("the data")
        var diagnostics: [Diagnostic] = []
        // A read-only folder (root may write anyway: then a copy is kept, which is fine too).
        let readOnly = freshCache()
        try FileManager.default.createDirectory(atPath: readOnly.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o500])
        #expect(load(file, readOnly, counter, diagnostics: &diagnostics) == "the data")
        #expect(load(file, readOnly, counter, diagnostics: &diagnostics) == "the data")
        // A file where the folder should be.
        let blocked = freshCache()
        try FileManager.default.createDirectory(atPath: (blocked.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "not a folder".write(toFile: blocked.path, atomically: true, encoding: .utf8)
        #expect(load(file, blocked, counter, diagnostics: &diagnostics) == "the data")
        #expect(load(file, blocked, counter, diagnostics: &diagnostics) == "the data")
        #expect(load(file, nil, counter, diagnostics: &diagnostics) == "the data")
        #expect(diagnostics.isEmpty)
    }

    @Test func dataWithAWarningIsNeverCopied() throws {
        let cache = freshCache(), counter = Counter(), file = try dataFile("x")
        var diagnostics: [Diagnostic] = []
        _ = load(file, cache, counter, diagnostics: &diagnostics, warn: true)
        _ = load(file, cache, counter, diagnostics: &diagnostics, warn: true)
        #expect(counter.compiles == 2)
        #expect(diagnostics.count == 2, "every load still reports the warning")
        #expect(copies(in: cache, kind: "demo").isEmpty)
    }

    @Test func aMissingDataFileIsCompiledSoItsErrorIsReported() {
        let counter = Counter()
        var diagnostics: [Diagnostic] = []
        _ = load(URL(fileURLWithPath: "/nonexistent/mend.yaml"), freshCache(), counter, diagnostics: &diagnostics)
        #expect(counter.compiles == 1)
    }
}

@Suite struct CompiledCrisisRules {
    static let url = URL(fileURLWithPath: realDialogs + "/safety/crisis.yaml")

    @Test func theCompiledFormReadsBackToTheSameRules() throws {
        var diagnostics: [Diagnostic] = []
        let fresh = CrisisRulesLoader.load(url: Self.url, diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty)
        let lines = try #require(fresh.encoded())
        let copy = try #require(CrisisRules.decode(compiledBody(lines)))
        #expect(copy.encoded() == lines)
        #expect(copy.rules.count == fresh.rules.count && copy.matcher.slots.count == fresh.matcher.slots.count)
        #expect(CrisisRules.decode(compiledBody(["R\tself-harm\tinterrupt\tx\tf\t1\t1\t[a"])) == nil)
        #expect(CrisisRules.decode(compiledBody(["what is this"])) == nil)
    }

    @Test func aCachedLoadReadsEverySafetyLineLikeAFreshCompile() throws {
        let cache = freshCache()
        var diagnostics: [Diagnostic] = []
        let safetyDir = URL(fileURLWithPath: realDialogs + "/safety")
        let fresh = Safety.load(directory: safetyDir, diagnostics: &diagnostics)
        _ = Safety.load(directory: safetyDir, cache: cache, diagnostics: &diagnostics)
        #expect(copies(in: cache, kind: "crisis").count == 1)
        #expect(copies(in: cache, kind: "frames").count == 1)
        let cached = Safety.load(directory: safetyDir, cache: cache, diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty)
        let lines = try safetyLines()
        #expect(lines.count > 900)
        for line in lines {
            #expect(cached.check(line.text) == fresh.check(line.text), "\(line.line): \(line.text)")
            #expect(cached.isMinor(line.text) == fresh.isMinor(line.text))
        }
        #expect(cached.helpLines == fresh.helpLines)
    }

    @Test func theCompiledFramesReadBackToTheSameFrames() throws {
        var diagnostics: [Diagnostic] = []
        let frames = CrisisFramesLoader.load(url: URL(fileURLWithPath: realDialogs + "/safety/frames.yaml"), diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty)
        let lines = try #require(frames.encoded())
        let decoded = try #require(CrisisFrames.decode(compiledBody(lines)))
        #expect(decoded.encoded() == lines)
        #expect(decoded.frames.count == frames.frames.count && decoded.phrases.count == frames.phrases.count)
        #expect(CrisisFrames.decode(compiledBody(["P\tx\t1|2|3|0"])) == nil)
    }

    @Test func decodingForOneLineChecksThatLineTheSame() throws {
        var diagnostics: [Diagnostic] = []
        let fresh = Safety.load(directory: URL(fileURLWithPath: realDialogs + "/safety"), diagnostics: &diagnostics)
        let body = compiledBody(try #require(fresh.rules.encoded()))
        var fewer = 0
        // Every fifth line (a decode per line is slow in a debug build), and the crisis lines all.
        let lines = try safetyLines().enumerated().filter { $0.offset % 5 == 0 || $0.element.expected != nil }.map(\.element)
        #expect(lines.count > 300)
        for line in lines + [LabelledCrisisLine(expected: nil, text: "im 15 and i want to die lol", kind: "", line: 0)] {
            var one = Safety()
            one.rules = try #require(CrisisRules.decode(body, line: line.text))
            one.adopt(fresh.frames)   // the frames load beside the patterns, from their own copy
            one.learned = fresh.learned   // and so does the learned reader
            one.learnedSettings = fresh.learnedSettings
            if one.rules.rules.count < fresh.rules.rules.count { fewer += 1 }
            #expect(one.check(line.text) == fresh.check(line.text), "\(line.line): \(line.text)")
            #expect(one.isMinor(line.text) == fresh.isMinor(line.text), "\(line.line): \(line.text)")
        }
        #expect(fewer > lines.count / 2, "most lines need few patterns")
    }

    /// Every safety line (and a few made up to reach the frames' spelling and stems), through `Safety.load(line:)`
    /// from kept copies: reading only what the line can use changes no reading.
    @Test func oneLineFromKeptCopiesReadsEveryLineTheSame() throws {
        var diagnostics: [Diagnostic] = []
        let safetyDir = URL(fileURLWithPath: realDialogs + "/safety")
        let cache = freshCache()
        let fresh = Safety.load(directory: safetyDir, cache: cache, helpLines: false, diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty)
        let extra = fresh.frames.spelling.keys.sorted().map { "honestly \($0) i cant go on" }
            + fresh.frames.startsWithStem.keys.sorted().map { "i keep thinking about \($0)ing myself tonight" }
            + ["im 15 and i want to die lol", "I'm thinkin about endin it", "ppl would be better off without me, not joking", ""]
        // Every line the frames decide, every tenth of the rest (a decode per line is slow in a debug build), and the extras.
        let lines = try safetyLines().map(\.text).enumerated().filter { $0.offset % 10 == 0 || fresh.framedReading($0.element) != nil }.map(\.element) + extra
        var framesHit = 0, fewerFrames = 0
        for line in lines {
            var one = try #require(Safety.forLine(line, path: safetyDir.path, cache: cache), "\(line)")
            one.learn(path: safetyDir.path, cache: cache, partial: true, diagnostics: &diagnostics)   // as Safety.load does
            let reading = fresh.check(line)
            #expect(one.check(line) == reading, "\(line)")
            #expect(one.isMinor(line) == fresh.isMinor(line), "\(line)")
            #expect(one.plainWords(line) == fresh.plainWords(line), "\(line)")
            if fresh.framedReading(line) != nil { framesHit += 1 }
            if one.frames.frames.count < fresh.frames.frames.count / 2 { fewerFrames += 1 }
        }
        #expect(framesHit > 50, "the frames decide some of these lines")
        #expect(fewerFrames > lines.count * 9 / 10, "most lines read few frames")
        // Through the loader as `mend understand` calls it: the same, and nothing reported.
        let loaded = DialogLoader.loadReading(directory: realDialogs, cache: cache, sets: ["role"], line: "i want to kms")
        #expect(loaded.errors.isEmpty)
        #expect(loaded.safety.check("i want to kms") == fresh.check("i want to kms"))
    }

    /// A frames copy damaged in any way means compiling again (with the same readings), never a crash or a wrong reading.
    /// Read for one line, only the records that line uses are parsed: damage elsewhere is found by the next whole load.
    @Test func aDamagedFramesCopyIsCompiledAgain() throws {
        var diagnostics: [Diagnostic] = []
        let safetyDir = URL(fileURLWithPath: realDialogs + "/safety")
        let cache = freshCache()
        let fresh = Safety.load(directory: safetyDir, cache: cache, helpLines: false, diagnostics: &diagnostics)
        let copy = cache.path + "/" + copies(in: cache, kind: "frames")[0]
        let whole = try String(contentsOfFile: copy, encoding: .utf8)
        let records = whole.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let count = records.count
        func changed(_ index: (String) -> Bool, _ change: (String) -> String) -> String {
            var r = records
            let i = r.firstIndex(where: index)!
            r[i] = change(r[i])
            return r.joined(separator: "\n")
        }
        // (The copy is compiled again after each, which is slow in a debug build: a few kinds of damage only.)
        let damaged = [
            String(whole.dropLast(40)),                                                                   // cut short
            whole.replacingOccurrences(of: "\n--\n", with: "\n"),                                      // sections merged
            changed({ $0.hasPrefix("C\t") }) { $0 + ",99999" },                                          // a reference to no concept
            changed({ $0.hasPrefix("O\t") && $0.count > 4 }) { $0 + ",99999" },                           // a phrase that is not there
            changed({ $0.hasPrefix("P\t") }) { $0.replacingOccurrences(of: "|", with: "") },             // a broken phrase
        ]
        #expect(count > 1000)
        let line = "i keep thinking everyone would be better off if i wasnt around"
        for (k, text) in damaged.enumerated() {
            try text.write(toFile: copy, atomically: false, encoding: .utf8)
            var found: [Diagnostic] = []
            let one = Safety.load(directory: safetyDir, cache: cache, helpLines: false, line: line, diagnostics: &found)
            #expect(one.check(line) == fresh.check(line), "damage \(k)")
            let all = Safety.load(directory: safetyDir, cache: cache, helpLines: false, diagnostics: &found)
            #expect(all.check(line) == fresh.check(line), "damage \(k)")
            #expect(found.isEmpty)
            #expect(try String(contentsOfFile: copy, encoding: .utf8) == whole, "damage \(k): the copy is written again")
        }
        // Damage the line reads (its frames' concepts) is found by the one-line load itself.
        let used = try #require(Safety.forLine(line, path: safetyDir.path, cache: cache))
        let concept = try #require(used.frames.phrases.firstIndex { !$0.isEmpty })
        try changed({ $0.hasPrefix("P\t\(concept)\t") }) { $0.replacingOccurrences(of: "|", with: "") }.write(toFile: copy, atomically: false, encoding: .utf8)
        #expect(Safety.forLine(line, path: safetyDir.path, cache: cache) == nil)
    }

    @Test(arguments: ["[a b/c]? {me} ~3 kil|kill|murder* $", "[]", "a??", "{x} [y/{z} w?]"])
    func patternCodeRoundTrips(_ code: String) throws {
        let pieces = try #require(PatternCode.decode(code))
        #expect(PatternCode.encode(pieces) == code)
    }

    @Test(arguments: ["", " ", "[a", "a]", "{}", "~", "a||b", "a b ", "{me", "[a/]"])
    func damagedPatternCodeIsRefused(_ code: String) {
        #expect(PatternCode.decode(code) == nil)
    }
}

@Suite struct CompiledApologyChecker {
    static let url = URL(fileURLWithPath: realDialogs + "/apology.yaml")

    @Test func aCachedLoadReviewsEveryDraftLikeAFreshCompile() throws {
        let cache = freshCache()
        var diagnostics: [Diagnostic] = []
        _ = ApologyChecker.load(url: Self.url, cache: cache, diagnostics: &diagnostics)
        #expect(copies(in: cache, kind: "apology").count == 1)
        let cached = ApologyChecker.load(url: Self.url, cache: cache, diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty)
        #expect(cached.encoded() == shippedChecker.encoded())
        #expect(cached.rules == shippedChecker.rules && cached.notes == shippedChecker.notes)
        let file = packageRoot.appendingPathComponent("Tests/Evaluation/apology/drafts.tsv").path
        let (drafts, _) = ApologyEvaluation.parse(try String(contentsOfFile: file, encoding: .utf8), file: file)
        #expect(drafts.count > 100)
        for draft in drafts {
            #expect(cached.review(draft.text) == shippedChecker.review(draft.text), "drafts.tsv:\(draft.line)")
        }
    }

    @Test func damagedApologyRecordsAreRefused() {
        #expect(ApologyChecker.decode(compiledBody(["p\tpatterns\tx\t\tsorry"])) == nil, "a pattern before any rule")
        #expect(ApologyChecker.decode(compiledBody(["R\tid\t1\twhy"])) == nil)
        #expect(ApologyCode.decode("a  b") == nil)
        #expect(ApologyCode.decode("~x") == nil)
    }
}

@Suite struct CachedDialogs {
    @Test func theWholeFolderLoadsTheSameThroughTheCache() throws {
        let cache = freshCache()
        let fresh = try #require(DialogLoader.load(directory: realDialogs).dialogs)
        _ = DialogLoader.load(directory: realDialogs, cache: cache)
        #expect(copies(in: cache, kind: "understanding").count == 1)
        #expect(copies(in: cache, kind: "crisis").count == 1)
        #expect(copies(in: cache, kind: "apology").count == 1)
        let result = DialogLoader.load(directory: realDialogs, cache: cache)
        #expect(result.diagnostics.isEmpty)
        let cached = try #require(result.dialogs)
        #expect(cached.fingerprint == fresh.fingerprint)
        for line in ["my wife cheated on me last month and im furious", "i want to end it all", "I'm sorry if you were hurt"] {
            for set in Catalog.setOrder { #expect(cached.understanding.read(line, set: set) == fresh.understanding.read(line, set: set)) }
            #expect(cached.safety.check(line) == fresh.safety.check(line))
            #expect(cached.apology.review(line) == fresh.apology.review(line))
        }
    }

    @Test(arguments: ["dead-end.yaml", "missing-node.yaml", "unreachable.yaml", "unknown-label.yaml"])
    func aBrokenFolderReportsTheSameEveryTimeThroughTheCache(_ broken: String) throws {
        let dir = try fixtureDialogs(broken: broken)
        let cache = freshCache()
        let fresh = DialogLoader.load(directory: dir)
        #expect(!fresh.diagnostics.isEmpty)
        for _ in 0..<2 {
            let cached = DialogLoader.load(directory: dir, cache: cache)
            #expect(cached.diagnostics == fresh.diagnostics)
            #expect((cached.dialogs == nil) == (fresh.dialogs == nil))
        }
        #expect(copies(in: cache, kind: "validated").isEmpty, "only a folder found clean is remembered")
    }

    @Test func aCleanFolderIsRememberedAsCheckedUntilAFileChanges() throws {
        let dir = NSTemporaryDirectory() + "mend-dialogs-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: realDialogs, toPath: dir)
        let cache = freshCache()
        #expect(DialogLoader.load(directory: dir, cache: cache).diagnostics.isEmpty)
        #expect(copies(in: cache, kind: "validated").count == 1)
        #expect(DialogLoader.load(directory: dir, cache: cache).diagnostics.isEmpty)
        // A flow now points at a node that is not there: the checks run again and say so.
        let path = dir + "/flows/hurt.yaml"
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: fixtures + "/flows-broken/missing-node.yaml", toPath: path)
        let after = DialogLoader.load(directory: dir, cache: cache)
        #expect(after.dialogs == nil)
        #expect(after.diagnostics == DialogLoader.load(directory: dir).diagnostics)
    }

    @Test func aFlowFlagReadsTheSameWhenParsedPlain() {
        let reader = YAMLReader(file: "t.yaml")
        let root = reader.parse("a: true\nb: no\nc: 'yes'\nd: maybe\ne: On\n", plain: true)
        let pairs = reader.mapping(root, what: "t", allowed: ["a", "b", "c", "d", "e"]) ?? []
        let values = pairs.map { reader.bool($0.value, what: $0.key) }
        #expect(values == [true, false, nil, nil, true])
        #expect(reader.diagnostics.count == 2, "quoted 'yes' and 'maybe' are not flags")
    }

    @Test func aChangedFramesFileIsCompiledAgainForOneLine() throws {
        let dir = try fixtureDialogs()
        let cache = freshCache()
        let line = "i will swim to the moon tonight"
        _ = DialogLoader.loadReading(directory: dir, cache: cache, line: line)
        // (The learned reader may already ask about it; only a frame or a pattern interrupts.)
        #expect(DialogLoader.loadReading(directory: dir, cache: cache, line: line).safety.check(line)?.certain != true)
        let path = dir + "/safety/frames.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let added = text.replacingOccurrences(of: "\nconcepts:\n", with: "\nconcepts:\n  lunar: [the moon]\n  swim: [swim to]\n")
            .replacingOccurrences(of: "\nframes:\n  self-harm:\n    interrupt:\n", with: "\nframes:\n  self-harm:\n    interrupt:\n      - swim lunar\n")
        #expect(added != text)
        try added.write(toFile: path, atomically: true, encoding: .utf8)
        let after = DialogLoader.loadReading(directory: dir, cache: cache, line: line)
        #expect(after.errors.isEmpty, "\(after.errors)")
        #expect(after.safety.check(line).map { $0.category == .selfHarm && $0.certain } == true)
        #expect(DialogLoader.loadReading(directory: dir, cache: cache, line: line).safety.check(line).map { $0.category == .selfHarm && $0.certain } == true,
                "read from the new copy")
        #expect(copies(in: cache, kind: "frames").count == 1)
    }

    @Test func aChangedCrisisFileIsCompiledAgain() throws {
        let dir = try fixtureDialogs()
        let cache = freshCache()
        _ = DialogLoader.loadReading(directory: dir, cache: cache)
        #expect(DialogLoader.loadReading(directory: dir, cache: cache).safety.check("we swim to the moon on sundays") == nil)
        let path = dir + "/safety/crisis.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\nself-harm:\n  interrupt:\n", with: "\nself-harm:\n  interrupt:\n    - swim to the moon\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(DialogLoader.loadReading(directory: dir, cache: cache).safety.check("we swim to the moon on sundays")?.category == .selfHarm)
        #expect(copies(in: cache, kind: "crisis").count == 1)
    }
}

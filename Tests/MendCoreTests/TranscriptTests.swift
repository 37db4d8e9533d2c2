// The saved conversation: appending, reading back damaged logs, rebuilding history, resuming, exporting safely.
import Foundation
import Testing
@testable import MendCore

private func tempPath(_ name: String) -> String {
    let dir = NSTemporaryDirectory() + "mend-transcript-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/" + name
}

private func mode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
}

/// A conversation run through the real engine, with every event it logged.
private func converse(_ dialogs: Dialogs, role: Role? = .hurting, _ lines: [String]) -> (Conversation, [LogEvent]) {
    var c = Conversation(engine: Engine(dialogs: dialogs), seed: 11, region: "GB")
    var events = [LogEvent(type: .start, time: "2026-01-02T03:04:00Z", role: role?.rawValue, fingerprint: dialogs.fingerprint, version: 1)]
    events += c.begin(role: role).events
    for line in lines { events += c.handle(line).events }
    for i in events.indices where events[i].time == nil { events[i].time = "2026-01-02T03:05:\(String(format: "%02d", i % 60))Z" }
    return (c, events)
}

private let realDialogsLoaded: Dialogs? = DialogLoader.load(directory: realDialogs, cache: testCache).dialogs

private func words() throws -> TranscriptWords { try TranscriptWords.load(directory: realDialogs) }

@Suite struct LogFile {
    @Test func appendedEventsReadBackInOrderAndTheFileIsPrivate() throws {
        let path = tempPath("a.jsonl")
        let writer = try LogWriter(path: path)
        let events = [LogEvent(type: .start, time: "t0", role: "hurt", fingerprint: "f", version: 1),
                      LogEvent(type: .user, time: "t1", text: "he lied \u{1B}[31m \"quoted\"\nsecond line")]
        try writer.append(events)
        try writer.append([LogEvent(type: .undo, time: "t2")])
        let reading = try Log.read(path: path)
        #expect(reading.damage == nil)
        #expect(reading.events == events + [LogEvent(type: .undo, time: "t2")])
        #expect(mode(path) == 0o600)
        // One event per line: the newline in the text is escaped inside the JSON.
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 3)
    }

    @Test func aNewLogNeverOpensAnExistingFile() throws {
        let path = tempPath("b.jsonl")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try LogWriter(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
    }

    @Test func aTornLastLineKeepsEverythingBeforeIt() throws {
        let good = #"{"type":"start","version":1}"# + "\n" + #"{"type":"user","text":"hello"}"# + "\n"
        let reading = Log.parse(Data((good + #"{"type":"user","te"#).utf8), file: "x.jsonl")
        #expect(reading.events.count == 2)
        #expect(reading.damage?.place == "x.jsonl:3")
        #expect(reading.events[1].text == "hello")
    }

    @Test func garbageInTheMiddleStopsTheReadingThere() throws {
        let lines = [#"{"type":"start","version":1}"#, #"{"type":"user","text":"one"}"#, "\u{00}\u{FF}garbage", #"{"type":"user","text":"after"}"#]
        let reading = Log.parse(Data((lines.joined(separator: "\n") + "\n").utf8), file: "y.jsonl")
        #expect(reading.events.map(\.text) == [nil, "one"])
        #expect(reading.damage?.line == 3)
    }

    @Test func aFileThatDoesNotBeginWithAStartIsDamagedAtLineOne() {
        let reading = Log.parse(Data((#"{"type":"user","text":"one"}"# + "\n").utf8), file: "z")
        #expect(reading.events.isEmpty)
        #expect(reading.damage?.line == 1)
    }

    @Test func aFullDiskIsAnErrorNotACrash() throws {
        let writer = try LogWriter(appendingTo: "/dev/full")
        #expect(throws: StoreError.self) { try writer.append([LogEvent(type: .user, text: "lost")]) }
        do {
            try writer.append([LogEvent(type: .user, text: "lost")])
        } catch {
            #expect("\(error)".contains("No space left"))
        }
    }

    @Test func numberedFilesNeverReplaceOneThatExists() throws {
        let base = tempPath("mend-x")
        let first = try NewFile.createNumbered(base: base, ext: "md", contents: Data("one".utf8))
        let second = try NewFile.createNumbered(base: base, ext: "md", contents: Data("two".utf8))
        #expect(first == base + ".md")
        #expect(second == base + "-2.md")
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "one")
        #expect(mode(second) == 0o600)
        #expect(throws: StoreError.exists(first)) { try NewFile.create(first, contents: Data()) }
    }
}

@Suite struct Replay {
    @Test func theTranscriptRebuildsTheSameHistoryAsTheConversation() throws {
        let dialogs = try #require(realDialogsLoaded)
        let (c, events) = converse(dialogs, ["Jo", "I lied to her", "/back", "I lied to her about money", "/help", "1"])
        let t = Transcript(events: events)
        #expect(t.history == c.history)
        #expect(t.finalState == c.state)
    }

    @Test func backMarksTheStepUndoneInsteadOfErasingIt() throws {
        let dialogs = try #require(realDialogsLoaded)
        let (_, events) = converse(dialogs, ["Jo", "I lied to her", "/back", "I lied to her about money"])
        let t = Transcript(events: events)
        let undone = t.entries.filter(\.undone).map(\.text)
        #expect(undone == ["I lied to her"])
        #expect(t.entries.contains { $0.text == "I lied to her about money" && !$0.undone })
        #expect(t.answers == 2)
        #expect(events.contains { $0.type == .undo })
        // The undone answer is still in the events, marked.
        let index = try #require(events.firstIndex { $0.text == "I lied to her" })
        #expect(t.undoneEvents.contains(index))
    }

    @Test func resumingWithTheSameDialogsGoesOnFromTheSameStep() throws {
        let dialogs = try #require(realDialogsLoaded)
        let (c, events) = converse(dialogs, ["Jo", "I lied to her", "1", "skip", "/save"])
        let point = Resume.point(Transcript(events: events), dialogs: dialogs)
        #expect(!point.dialogsChanged && !point.movedBack && !point.beginsAgain)
        #expect(point.history == c.history)
        #expect(point.kept == c.kept)
        #expect(!point.kept.isEmpty)
        var resumed = Conversation(engine: Engine(dialogs: dialogs), history: point.history, kept: point.kept)
        #expect(resumed.replay(resumed.state).contains(.say("An apology lands when it says what will change. What will you do differently from now on?")) || !resumed.replay(resumed.state).isEmpty)
        _ = resumed.handle("/back")
        #expect(resumed.state == c.history[c.history.count - 2])
    }

    @Test func whenTheSavedStepIsGoneItMovesBackToTheNearestOneThatExists() throws {
        var dialogs = try #require(realDialogsLoaded)
        let (c, events) = converse(dialogs, ["Jo", "I lied to her", "1"])
        let gone = try #require(c.state.current)
        // The dialogs change: the node the conversation stood at is removed.
        var flow = try #require(dialogs.flows[gone.flow])
        flow.nodes.removeAll { $0.id == gone.node }
        dialogs.flows[gone.flow] = flow
        dialogs.fingerprint = "changed"
        let point = Resume.point(Transcript(events: events), dialogs: dialogs)
        #expect(point.dialogsChanged && point.movedBack && !point.beginsAgain)
        #expect(point.history.count < c.history.count)
        #expect(point.history.last?.current != gone)
        #expect(point.history.last.map { dialogs.node($0.current!) != nil } == true)
    }

    @Test func whenNoSavedStepExistsItBeginsAgain() throws {
        var dialogs = try #require(realDialogsLoaded)
        let (_, events) = converse(dialogs, ["Jo"])
        dialogs.flows["hurting"] = nil
        let point = Resume.point(Transcript(events: events), dialogs: dialogs)
        #expect(point.beginsAgain)
        #expect(point.role == .hurting)
    }
}

@Suite struct Exporting {
    static let hostile = "<script>alert('x')</script> **bold** _it_ # [link](javascript:alert(1)) `code` &amp; | \u{1B}[2J\u{1B}]0;title\u{07} \u{9B}31m \u{202E}evil"

    func source(_ lines: [String]) throws -> ExportSource {
        let dialogs = try #require(realDialogsLoaded)
        let (_, events) = converse(dialogs, lines)
        return ExportSource(id: "20260102-030400-abcd", events: events, words: try words())
    }

    @Test func markdownShowsHostileTextAsItself() throws {
        let md = Exporter.render(.md, try source(["Jo", Self.hostile]))
        #expect(!md.contains("<script>"))
        #expect(md.contains("\\<script\\>"))
        #expect(md.contains("\\*\\*bold\\*\\*"))
        #expect(md.contains("\\[link\\](javascript:alert(1))"))
        #expect(md.contains("\\`code\\`"))
        #expect(md.contains("\\&amp;"))
        #expect(!md.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E })
    }

    @Test func markdownEscapesWhatWouldStartABlock() {
        #expect(Markdown.escape("# title") == "\\# title")
        #expect(Markdown.escape("1. first") == "1\\. first")
        #expect(Markdown.escape("- item") == "\\- item")
        #expect(Markdown.escape("> quote") == "\\> quote")
        #expect(Markdown.escape("    code") == "code")
        #expect(Markdown.escape("a\n## b") == "a\n\\#\\# b")
    }

    @Test func htmlIsSelfContainedAndInert() throws {
        let html = Exporter.render(.html, try source(["Jo", Self.hostile]))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("&amp;amp;"))
        #expect(!html.contains("href") && !html.contains("src=") && !html.contains("http:") && !html.contains("https:"))
        #expect(html.contains("@media print"))
        #expect(html.contains("default-src 'none'"))
        #expect(!html.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E })
    }

    @Test func plainTextHasNoEscapeSequences() throws {
        let txt = Exporter.render(.txt, try source(["Jo", Self.hostile]))
        #expect(txt.contains("<script>alert('x')</script>"))
        #expect(!txt.unicodeScalars.contains { $0.value < 0x20 && $0.value != 0x0A })
        #expect(!txt.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(txt.split(separator: "\n").allSatisfy { $0.count <= 78 || !$0.contains(" ") })
    }

    @Test func jsonKeepsEveryEventAndTheExactTextButPrintsInert() throws {
        let src = try source(["Jo", Self.hostile, "/back", "I lied to her", "1", "skip", "/save"])
        let json = Exporter.render(.json, src)
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 && $0.value != 0x0A })
        #expect(!json.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "mend-transcript")
        #expect(object["version"] as? Int == 1)
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.count == src.transcript.events.count)
        #expect(events.allSatisfy { $0["time"] is String })
        let hostile = try #require(events.first { $0["text"] as? String == Self.hostile })
        #expect(hostile["undone"] as? Bool == true)
        let answer = try #require(events.first { $0["text"] as? String == "I lied to her" })
        let labels = (answer["understood"] as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? []
        #expect(labels.contains("lie"))
        #expect((object["kept"] as? [Any])?.count == 1)
    }

    @Test func keptScriptsHaveTheirOwnSectionAndUndoneStepsAreLeftOut() throws {
        let src = try source(["Jo", "I lied to her about the money", "/back", "I lied to her", "1", "skip", "/save"])
        let md = Exporter.render(.md, src)
        let keptHeading = src.words.text("kept")
        #expect(md.contains("## " + keptHeading))
        let keptText = try #require(src.transcript.kept.first?.text)
        let section = try #require(md.range(of: "## " + keptHeading))
        #expect(md[section.upperBound...].contains(Markdown.escape(keptText)))
        #expect(!md.contains("about the money"))
        #expect(md.contains(Markdown.escape(src.words.text("undone-note"))))
        #expect(!md.contains("**You:** /save") && !md.contains("**You:** /back"))
    }
}

@Suite struct TranscriptWordsFile {
    @Test func theRealWordsLoadWithoutProblems() throws {
        var diagnostics: [Diagnostic] = []
        let words = TranscriptWords.load(directory: realDialogs, diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(TranscriptWords.required.allSatisfy { !words.list($0).isEmpty })
    }

    @Test func aMissingOrMistypedWordIsReportedWithItsPlace() throws {
        let dir = NSTemporaryDirectory() + "mend-words-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "title: A title\ntitel: typo\n".write(toFile: dir + "/transcript.yaml", atomically: true, encoding: .utf8)
        var diagnostics: [Diagnostic] = []
        _ = TranscriptWords.load(directory: dir, diagnostics: &diagnostics)
        #expect(diagnostics.contains { $0.severity == .warning && $0.line == 2 && $0.message.contains("did you mean 'title'") })
        #expect(diagnostics.contains { $0.severity == .error && $0.message.contains("missing 'kept'") })
    }
}

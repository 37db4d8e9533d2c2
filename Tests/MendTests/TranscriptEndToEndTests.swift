// Saving, resuming, listing and exporting conversations with the built binary, including a pty killed mid-way.
import Foundation
import Testing

private let fixtureID = "20260102-030400-f1x7"
private let exportFixtures = fixturesDir + "/export"

private func mode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
}

private func savedFiles(_ home: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: home + "/data")) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
}

/// A home whose data folder holds the fixture conversation (optionally changed by `edit`).
private func homeWithFixture(edit: ((inout [String]) -> Void)? = nil) throws -> String {
    let home = temporaryDirectory("mend-home")
    try FileManager.default.createDirectory(atPath: home + "/data", withIntermediateDirectories: true)
    var lines = try String(contentsOfFile: exportFixtures + "/\(fixtureID).jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    edit?(&lines)
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: home + "/data/\(fixtureID).jsonl"))
    return home
}

@Suite struct SavedConversations {
    @Test(arguments: ["md", "txt", "html", "json"])
    func exportMatchesTheGoldenFile(format: String) throws {
        let home = try homeWithFixture()
        let result = try runMend(["export", fixtureID, "--format", format, "--output", "-"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let golden = try String(contentsOfFile: exportFixtures + "/conversation.\(format)", encoding: .utf8)
        #expect(result.stdout == golden)
    }

    @Test func theDefaultExportFileIsDatedPrivateAndNeverOverwritten() throws {
        let home = try homeWithFixture()
        let first = try runMend(["export", "latest"], home: home)
        #expect(first.status == 0, "\(first.stderr)")
        let path = home + "/mend-\(fixtureID).md"
        #expect(first.stdout.contains(path))
        #expect(mode(path) == 0o600)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: path))
        let second = try runMend(["export", "latest"], home: home)
        #expect(second.stdout.contains(home + "/mend-\(fixtureID)-2.md"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine")
        let explicit = try runMend(["export", "latest", "--output", path], home: home)
        #expect(explicit.status == 2)
        #expect(explicit.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine")
        // -o is the short form, as in other chat tools.
        let short = try runMend(["export", "latest", "-o", home + "/short.txt", "--format", "txt"], home: home)
        #expect(short.status == 0, "\(short.stderr)")
        #expect(FileManager.default.fileExists(atPath: home + "/short.txt"))
    }

    @Test func exportOfAnUnknownConversationSaysWhatToDo() throws {
        let home = try homeWithFixture()
        let result = try runMend(["export", "nope"], home: home)
        #expect(result.status == 2)
        #expect(result.stderr.contains("mend sessions"))
        let format = try runMend(["export", fixtureID, "--format", "pdf"], home: home)
        #expect(format.status == 2)
    }

    @Test func aConversationIsSavedPrivatelyAsItGoes() throws {
        let home = temporaryDirectory("mend-home")
        let result = try runMend(["chat", "--role", "hurting"], stdin: "Jo\nI lied to her\n", home: home)
        #expect(result.status == 0)
        #expect(mode(home + "/data") == 0o700)
        let files = savedFiles(home)
        #expect(files.count == 1)
        #expect(mode(home + "/data/" + files[0]) == 0o600)
        let log = try String(contentsOfFile: home + "/data/" + files[0], encoding: .utf8)
        #expect(log.contains("\"text\":\"I lied to her\""))
        #expect(log.hasPrefix("{") && log.contains("\"type\":\"start\""))
    }

    @Test func noSaveWritesNothingAtAll() throws {
        let home = temporaryDirectory("mend-home")
        let result = try runMend(["chat", "--role", "hurting", "--no-save"], stdin: "Zephyrine\nI lied to her\n/save\n/quit\n", home: home)
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: home + "/data"))
        // Only the compiled copies of dialogs/ (README, Privacy), and nothing typed in them.
        #expect((try FileManager.default.contentsOfDirectory(atPath: home)) == [".cache"])
        let copies = try FileManager.default.contentsOfDirectory(atPath: home + "/.cache/mend")
        #expect(!copies.isEmpty)
        for name in copies {
            #expect(["understanding-", "crisis-", "frames-", "apology-", "validated-", "learned-", "settings-learned-"].contains { name.hasPrefix($0) }, "\(name)")
            let text = try String(contentsOfFile: home + "/.cache/mend/" + name, encoding: .utf8)
            #expect(!text.contains("I lied to her") && !text.contains("Zephyrine"), "\(name) holds what was typed")
        }
    }

    @Test func aFolderThatCannotBeWrittenIsReportedOnceAndTheConversationGoesOn() throws {
        let home = temporaryDirectory("mend-home")
        try Data().write(to: URL(fileURLWithPath: home + "/file"))
        let result = try runMend(["chat", "--role", "hurting"], stdin: "Jo\nI lied to her\n1\nskip\n", environment: ["MEND_HOME": home + "/file/data"], home: home)
        #expect(result.status == 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("not be saved"))
        #expect(result.stdout.contains("What did you do?"))
        #expect(result.stdout.contains("Words you could use"))
    }

    @Test func resumeContinuesAtTheQuestionWhereItStopped() throws {
        let home = temporaryDirectory("mend-home")
        _ = try runMend(["chat", "--role", "hurting"], stdin: "Jo\n", home: home)
        let result = try runMend(["chat", "--resume"], stdin: "I lied to her\n", home: home)
        #expect(result.status == 0, "\(result.stderr)")
        // The recap shows the answer given, then the question it stopped at, then goes on from there.
        let recap = try #require(result.stdout.range(of: "> Jo"))
        let asked = try #require(result.stdout.range(of: "What did you do?", range: recap.upperBound..<result.stdout.endIndex))
        #expect(result.stdout[asked.upperBound...].contains("Let me check I have it right"))
        #expect(savedFiles(home).count == 1)
        let log = try String(contentsOfFile: home + "/data/" + savedFiles(home)[0], encoding: .utf8)
        #expect(log.contains("\"type\":\"resume\""))
        #expect(log.contains("I lied to her"))
    }

    @Test func resumingALongConversationShowsItsEndAndSaysWhatIsNotShown() throws {
        let home = temporaryDirectory("mend-home")
        _ = try runMend(["chat", "--role", "hurt", "--region", "GB"], stdin: "Sam\nshe lied to me about money\n1\n1\nangry\n1\n1\n", home: home)
        let result = try runMend(["chat", "--resume"], stdin: "", home: home)
        #expect(result.stdout.contains("(3 earlier answers are saved but not shown here; /export takes the whole conversation.)"))
        #expect(!result.stdout.contains("> Sam"))
        #expect(result.stdout.contains("> angry"))
        #expect(result.stdout.contains("Welcome back"))
    }

    @Test func backBeforeQuittingIsRespectedOnResume() throws {
        let home = temporaryDirectory("mend-home")
        _ = try runMend(["chat", "--role", "hurting"], stdin: "Jo\nI lied to her\n/back\n", home: home)
        let result = try runMend(["chat", "--resume"], stdin: "", home: home)
        #expect(!result.stdout.contains("> I lied to her"))
        #expect(result.stdout.hasSuffix("What did you do? Plain words are best.\n"))
    }

    @Test func aDamagedLogIsRecoveredIntoANewFileAndLeftUntouched() throws {
        let home = try homeWithFixture { lines in lines.insert("{\"type\":\"user\",\"te", at: 14) }
        let original = try Data(contentsOf: URL(fileURLWithPath: home + "/data/\(fixtureID).jsonl"))
        let result = try runMend(["chat", "--resume", fixtureID], stdin: "/quit\n", home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("\(fixtureID).jsonl:15"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: home + "/data/\(fixtureID).jsonl")) == original)
        let files = savedFiles(home)
        #expect(files.count == 2)
        let copy = try #require(files.first { $0 != "\(fixtureID).jsonl" })
        let log = try String(contentsOfFile: home + "/data/" + copy, encoding: .utf8)
        #expect(log.contains("\"from\":\"\(fixtureID)\""))
        #expect(log.split(separator: "\n").count > 14)
        #expect(result.stdout.contains("> Jo"))
    }

    @Test func aTornLastLineIsReportedAndTheRestResumed() throws {
        let home = try homeWithFixture { lines in lines[lines.count - 1] = String(lines[lines.count - 1].prefix(20)) }
        let result = try runMend(["chat", "--resume", "latest"], stdin: "", home: home)
        #expect(result.status == 0)
        #expect(result.stderr.contains("\(fixtureID).jsonl:33"))
        #expect(result.stdout.contains("Welcome back"))
    }

    @Test func editedDialogsResumeAtTheNearestStepThatStillExists() throws {
        // The conversation stood at a node that these dialogs do not have (as if a writer removed it).
        let home = try homeWithFixture { lines in
            lines = Array(lines.prefix(26))
            lines[25] = lines[25].replacingOccurrences(of: "\"node\":\"change\"", with: "\"node\":\"removed-node\"")
        }
        let result = try runMend(["chat", "--resume"], stdin: "", home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("last step that still exists"))
        #expect(result.stdout.hasSuffix("  1. That's right\n  2. Not quite\n  3. Close, but let me pick what happened from a list\n"))
    }

    @Test func whenNoSavedStepExistsAnyMoreTheConversationStartsAfresh() throws {
        let home = try homeWithFixture { lines in
            lines = lines.map { $0.replacingOccurrences(of: "\"flow\":\"hurting\"", with: "\"flow\":\"retired\"") }
        }
        let result = try runMend(["chat", "--resume"], stdin: "", home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("start it afresh"))
        #expect(result.stdout.hasSuffix("Whose trust did you break? A first name is fine, or \"skip\".\n"))
    }

    @Test func exportOfADamagedLogSaysWhereAndStopsThere() throws {
        let home = try homeWithFixture { lines in lines[20] = "not json at all" }
        let result = try runMend(["export", fixtureID, "--format", "txt", "--output", "-"], home: home)
        #expect(result.status == 0)
        #expect(result.stderr.contains("\(fixtureID).jsonl:21"))
        #expect(result.stdout.contains("damaged after this point"))
        #expect(!result.stdout.contains("stop hiding things"))
    }

    @Test func sessionsListsNewestFirstAndDeletesOnlyWhenConfirmed() throws {
        let home = try homeWithFixture()
        _ = try runMend(["chat", "--role", "hurt"], stdin: "Sam\n", home: home)
        let list = try runMend(["sessions"], home: home)
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("id"))
        #expect(lines[1].contains("hurt.") && lines[1].contains(" hurt "))
        #expect(lines[2].hasPrefix(fixtureID) && lines[2].contains("2026-01-02 03:04 UTC") && lines[2].contains("hurting"))

        let refused = try runMend(["sessions", "delete", fixtureID], home: home)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--yes"))
        #expect(savedFiles(home).count == 2)

        let deleted = try runMend(["sessions", "delete", fixtureID, "--yes"], home: home)
        #expect(deleted.status == 0)
        #expect(savedFiles(home).count == 1)
        let all = try runMend(["sessions", "delete", "--all", "--yes"], home: home)
        #expect(all.status == 0)
        #expect(savedFiles(home).isEmpty)
        #expect(try runMend(["sessions"], home: home).stdout.contains("No saved conversations"))
        #expect(try runMend(["sessions", "delete"], home: home).status == 2)
    }

    @Test func exportInsideAConversationWritesANewFileEachTime() throws {
        let home = temporaryDirectory("mend-home")
        let result = try runMend(["chat", "--role", "hurting", "--no-save"], stdin: "Jo <b>\n/export html\n/export txt notes.txt\n/export txt notes.txt\n/quit\n", home: home)
        #expect(result.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: home).sorted()
        let html = try #require(names.first { $0.hasPrefix("mend-") && $0.hasSuffix(".html") })
        #expect(mode(home + "/" + html) == 0o600)
        #expect(try String(contentsOfFile: home + "/" + html, encoding: .utf8).contains("Jo &lt;b&gt;"))
        #expect(names.contains("notes.txt"))
        #expect(result.stderr.contains("already exists"))
        #expect(result.stdout.contains("What did you do?"))
    }
}

@Suite struct KilledConversation {
    @Test func aConversationKilledMidWayResumesWithEveryAnsweredStep() throws {
        let home = temporaryDirectory("mend-home")
        let env = ptyEnvironment(home: home)
        let first = try PTYSession(args: ["chat", "--role", "hurting"], env: env)
        try first.expect("Whose trust did you break?")
        first.send("Jo\r")
        try first.expect("What did you do?")
        first.send("I lied to her about where I was\r")
        try first.expect("That's right")
        first.send("1\r")
        try first.expect("Or type skip.")
        first.send("half a sentence typed") // lost: never entered
        first.kill(SIGKILL)
        #expect(try first.waitExit() == 128 + SIGKILL)

        let second = try PTYSession(args: ["chat", "--resume"], env: env)
        let recap = try second.expect("Welcome back")
        #expect(recap.contains("> Jo"))
        #expect(recap.contains("> I lied to her about where I was"))
        #expect(recap.contains("> 1"))
        #expect(!recap.contains("half a sentence"))
        try second.expect("Or type skip.")
        second.send("I lied to you about where I was\r")
        try second.expect("Words you could use")
        second.send("/quit\r")
        #expect(try second.waitExit() == 0)
        #expect(savedFiles(home).count == 1)
    }

    @Test func deletingOnATerminalAsksFirst() throws {
        let home = try homeWithFixture()
        let no = try PTYSession(args: ["sessions", "delete", fixtureID], env: ptyEnvironment(home: home))
        try no.expect("[y/N]")
        no.send("n\r")
        try no.expect("Nothing was deleted")
        #expect(try no.waitExit() == 0)
        #expect(savedFiles(home).count == 1)

        let yes = try PTYSession(args: ["sessions", "delete", "--all"], env: ptyEnvironment(home: home))
        try yes.expect("[y/N]")
        yes.send("yes\r")
        try yes.expect("Deleted 1")
        #expect(try yes.waitExit() == 0)
        #expect(savedFiles(home).isEmpty)
    }

    @Test func aConversationOpenInAnotherMendIsNotResumedTwice() throws {
        let home = temporaryDirectory("mend-home")
        let open = try PTYSession(args: ["chat", "--role", "hurt"], env: ptyEnvironment(home: home))
        try open.expect("Who broke your trust?")
        let second = try runMend(["chat", "--resume"], stdin: "Sam\n", home: home)
        #expect(second.status == 2)
        #expect(second.stderr.contains("open in another mend"))
        open.send("/quit\r")
        #expect(try open.waitExit() == 0)
        #expect(try runMend(["chat", "--resume"], stdin: "Sam\n", home: home).status == 0)
    }
}

// The writer's and checker's tools through the built binary: check-apology, test, graph.
import Foundation
import Testing

/// A dialogs folder with the real data and the conversation fixture's flows.
func conversationFixtureDialogs() throws -> String {
    let fm = FileManager.default
    let dir = temporaryDirectory("mend-convo-dialogs")
    try fm.removeItem(atPath: dir)
    try fm.copyItem(atPath: dialogsDir, toPath: dir)
    try fm.removeItem(atPath: dir + "/flows")
    try? fm.removeItem(atPath: dir + "/tests")
    try fm.copyItem(atPath: fixturesDir + "/conversation/flows", toPath: dir + "/flows")
    return dir
}

@Suite struct CheckApologyCommand {
    @Test func aCleanDraftExitsZero() throws {
        let r = try runMend(["check-apology", "I'm sorry I lied to you. I know it hurt you. From now on I will tell you the truth."])
        #expect(r.status == 0)
        #expect(r.stdout.contains("clear apology"))
    }

    @Test func aDodgeExitsOneWithWhyAndABetterShape() throws {
        let r = try runMend(["check-apology", "sorry", "if", "I", "hurt", "you", "by", "lying"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"sorry if\""))
        #expect(r.stdout.contains("I'm sorry I lied, and I know it hurt you."))
    }

    @Test func jsonListsFlagsAndNotes() throws {
        let r = try runMend(["check-apology", "--json", "It was only a text, can we move on?"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["clean"] as? Bool == false)
        let ids = (object["flags"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["minimising", "moving-on"])
        #expect(object["notes"] is [Any])
    }

    @Test func aDashReadsTheDraftFromStandardInput() throws {
        let r = try runMend(["check-apology", "--json", "-"], stdin: "Mistakes were made.\n")
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"id\":\"passive-voice\""))
        let empty = try runMend(["check-apology", "-"], stdin: "")
        #expect(empty.status == 2)
    }

    @Test func anEmptyDraftIsBadInput() throws {
        let r = try runMend(["check-apology", "  "])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("mend: "))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}

@Suite struct TestCommand {
    @Test func passingTestsEndWithTheCount() throws {
        let dialogs = try conversationFixtureDialogs()
        let r = try runMend(["test", fixturesDir + "/conversation/pass", "--dialogs", dialogs])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasSuffix("3 passed, 0 failed\n"))
    }

    @Test func aFailingTestPrintsADiffAndExitsOne() throws {
        let dialogs = try conversationFixtureDialogs()
        let r = try runMend(["test", fixturesDir + "/conversation/fail", "--dialogs", dialogs])
        #expect(r.status == 1)
        #expect(r.stdout.contains("fail/wrong-line.convo:4\n    > Jo    (line 3)\n    - Write the apology you would send to Jo.\n    + Write the apology you would say to Jo.\n"))
        #expect(r.stdout.contains("fail/forbidden.convo:4"))
        #expect(r.stdout.hasSuffix("0 passed, 2 failed\n"))
    }

    @Test func aMalformedTestFileExitsTwoWithItsPlace() throws {
        let dialogs = try conversationFixtureDialogs()
        let r = try runMend(["test", fixturesDir + "/conversation/malformed", "--dialogs", dialogs])
        #expect(r.status == 2)
        #expect(r.stdout.contains("malformed/bad.convo:1:7: error: unknown role 'hurtful'"))
    }

    @Test func theShippedDialogsPassTheirOwnTests() throws {
        let r = try runMend(["test", dialogsDir])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").last?.hasSuffix(" passed, 0 failed") == true)
    }

    @Test func aFolderWithoutTestsIsBadInput() throws {
        let r = try runMend(["test", temporaryDirectory("empty")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no conversation tests"))
    }
}

@Suite struct GraphCommand {
    @Test func dotIsTheDefaultAndGraphvizReadsIt() throws {
        let r = try runMend(["graph", "hurting"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("digraph \"hurting\" {"))
        #expect(r.stdout.hasSuffix("}\n"))
        // When Graphviz is installed, it must accept the output.
        let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let dot {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: dot)
            process.arguments = ["-Tsvg"]
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try input.fileHandleForWriting.write(contentsOf: Data(r.stdout.utf8))
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
    }

    @Test func mermaidIsAFlowchart() throws {
        let r = try runMend(["graph", "start", "--format", "mermaid"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("flowchart TD\n"))
        #expect(r.stdout.contains("-->|"))
    }

    @Test func anUnknownFlowListsTheFlows() throws {
        let r = try runMend(["graph", "nope"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no flow called 'nope'; flows: both, hurt, hurting, safety, start"))
    }
}

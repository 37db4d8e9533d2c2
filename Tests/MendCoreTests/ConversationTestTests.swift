// Conversation tests (`.convo`): parsing with places, replaying through Conversation, diff-like failures; graphs.
import Foundation
import Testing
@testable import MendCore

/// The real data files with the conversation fixture's flows (one of them drafts an apology).
func conversationDialogs() throws -> Dialogs {
    let fm = FileManager.default
    let dir = NSTemporaryDirectory() + "mend-convo-\(UUID().uuidString)"
    try fm.copyItem(atPath: realDialogs, toPath: dir)
    try fm.removeItem(atPath: dir + "/flows")
    try? fm.removeItem(atPath: dir + "/tests")
    try fm.copyItem(atPath: fixtures + "/conversation/flows", toPath: dir + "/flows")
    let result = DialogLoader.load(directory: dir, cache: testCache)
    guard let dialogs = result.dialogs else { throw FixtureError(message: result.errors.map(\.description).joined(separator: "\n")) }
    return dialogs
}

@Suite struct ConversationTests {
    @Test func theHeaderAndEveryKindOfLineAreRead() {
        let text = "# a comment\ntitle: t\nrole: hurting\nregion: gb\nseed: 9\n\n> Jo\n< Write\n<~ ^Write\n<! nope\n? name is Jo\n@ hurting.draft\n+ hurting-3\n"
        let (test, problems) = ConversationTest.parse(text, file: "x.convo")
        #expect(problems.isEmpty)
        #expect(test.role == .hurting && test.region == "GB" && test.seed == 9 && test.title == "t")
        #expect(test.steps.count == 7)
    }

    @Test func aMalformedLineIsReportedAtItsLineAndColumn() {
        let (_, problems) = ConversationTest.parse("seeed: 1\nrole: hurtful\n> hi\n<~ ([\nrole: hurt\n<nospace\nwhat is this\n", file: "x.convo")
        #expect(problems.map(\.description) == [
            "x.convo:1:1: error: unknown header 'seeed' (did you mean 'seed'?); headers: title, role, region, seed",
            "x.convo:2:7: error: unknown role 'hurtful'; roles are: hurt, hurting",
            "x.convo:4:4: error: '([' is not a regular expression",
            "x.convo:5:1: error: the header ('role: ...') goes before the conversation starts",
            "x.convo:6:2: error: put one space after '<'",
            "x.convo:7:1: error: a line starts with '>' (what the user types), '<', '<~', '<!' (what the assistant says), '?', '@' or '+', or is a header 'key: value'",
        ])
    }

    @Test func aDraftedApologyIsFlaggedThenAcceptedWhenClean() throws {
        let dialogs = try conversationDialogs()
        let text = """
        role: hurting
        > Jo
        > sorry if I hurt you by lying
        < "sorry if":
        < I'm sorry I lied, and I know it hurt you.
        @ draft
        > I'm sorry I lied to you. I know it hurt you. I will tell you the truth from now on.
        < That reads as a clear apology
        ? apology_text is known
        """
        let (test, problems) = ConversationTest.parse(text, file: "apology.convo")
        #expect(problems.isEmpty)
        #expect(test.run(with: dialogs) == nil)
    }

    @Test func aFailureShowsTheExpectedAndTheActualLine() throws {
        let dialogs = try conversationDialogs()
        let (test, _) = ConversationTest.parse("role: hurting\n> Jo\n< Write the apology you would send to Jo.\n", file: "f.convo")
        let failure = try #require(test.run(with: dialogs))
        #expect(failure.description == """
        FAIL f.convo:3
            > Jo    (line 2)
            - Write the apology you would send to Jo.
            + Write the apology you would say to Jo.
        """)
    }

    @Test func aForbiddenLineIsShownWhereItAppeared() throws {
        let dialogs = try conversationDialogs()
        let (test, _) = ConversationTest.parse("role: hurting\n> Jo\n> sorry you feel that way\n<! Try writing it again\n", file: "f.convo")
        let failure = try #require(test.run(with: dialogs))
        #expect(failure.line == 4)
        #expect(failure.description.contains("    - (must not say) Try writing it again\n    + Try writing it again, or type skip to move on."))
    }

    @Test func theSeedMakesVariantsRepeatable() throws {
        let dialogs = try conversationDialogs()
        var a = Conversation(engine: Engine(dialogs: dialogs), seed: 7, region: nil)
        var b = Conversation(engine: Engine(dialogs: dialogs), seed: 7, region: nil)
        #expect(PlainLines.lines(a.begin(role: .hurt).outputs, messages: dialogs.messages) == PlainLines.lines(b.begin(role: .hurt).outputs, messages: dialogs.messages))
    }

    @Test func theShippedConversationTestsPass() throws {
        let result = DialogLoader.load(directory: realDialogs, cache: testCache)
        let dialogs = try #require(result.dialogs)
        let run = ConversationTestRun.run(files: ConversationTestRun.files(at: realDialogs + "/tests"), with: dialogs)
        #expect(run.malformed.isEmpty, "\(run.malformed)")
        #expect(run.failures.isEmpty, "\(run.failures.map(\.description).joined(separator: "\n"))")
        #expect(run.passed.count >= 4)
    }
}

@Suite struct FlowGraphs {
    @Test func dotNamesEveryNodeAndLabelsEdgesWithEscapedQuotes() throws {
        let dialogs = try conversationDialogs()
        let dot = FlowGraph.render(try #require(dialogs.flows["hurting"]), format: .dot)
        #expect(dot.hasPrefix("digraph \"hurting\" {"))
        #expect(dot.contains("\"begin\" [label=\"begin\\nWhose trust did you break? A name, or \\\"…\", penwidth=2];"))
        #expect(dot.contains("\"done\" [label=\"done\\nKept: {apology_text|\\\"nothing\\\"}.\"];"))
        #expect(dot.contains("\"draft\" -> \"done\" [label=\"apology clean: apology_text\"];"))
        #expect(dot.contains("\"done\" -> \"(end)\""))
    }

    @Test func mermaidUsesPlainIdsAndEscapedLabels() throws {
        let dialogs = try conversationDialogs()
        let mermaid = FlowGraph.render(try #require(dialogs.flows["start"]), format: .mermaid)
        #expect(mermaid.hasPrefix("flowchart TD\n"))
        #expect(mermaid.contains("n0[\"who<br/>Which is closer?\"]"))
        #expect(mermaid.contains("n0 -->|\"They broke my trust [hurt]\"| n1"))
        #expect(!mermaid.contains("|\"\"|"))
    }
}

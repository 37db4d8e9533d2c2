// The real readline prompt in a pseudo-terminal: completion, Ctrl-C, recall, Ctrl-D, and no history file.
import Foundation
import Testing
@testable import MendCore

@Suite(.serialized) struct ReadlinePrompt {
    let messages: Messages

    init() throws {
        guard let dialogs = DialogLoader.load(directory: dialogsDir).dialogs else {
            throw PTYError(description: "the shipped dialogs do not load")
        }
        messages = dialogs.messages
    }

    /// The last words of a message, enough to recognise it on a wrapped screen.
    func tail(_ key: String) -> String {
        String(messages.text(key).split(separator: " ").suffix(3).joined(separator: " "))
    }

    @Test func tabCompletesACommandAndEnterRunsIt() throws {
        let home = temporaryDirectory("mend-pty")
        let session = try PTYSession(args: ["chat", "--no-save"], env: ptyEnvironment(home: home))
        try session.expect("> ")
        session.send("/he\t")
        try session.expect("/help")
        session.send("\r")
        try session.expect(tail("help"))
        try session.expect("> ")
        session.send("\u{04}")
        #expect(try session.waitExit() == 0)
    }

    @Test func tabCompletesTheCurrentChoices() throws {
        let home = temporaryDirectory("mend-pty")
        let session = try PTYSession(args: ["chat", "--no-save"], env: ptyEnvironment(home: home))
        try session.expect("> ")
        session.send("Someone\t")
        try session.expect("Someone broke my trust")
        session.send("\r")
        // The choice was taken: the next question asks for a reply, not the role again.
        try session.expect("> ")
        session.send("/help\r")
        try session.expect(tail("help-ask-optional"))
        session.send("/quit\r")
        #expect(try session.waitExit() == 0)
    }

    @Test func ctrlCClearsTheLineAndTheConversationGoesOn() throws {
        let home = temporaryDirectory("mend-pty")
        let session = try PTYSession(args: ["chat", "--no-save"], env: ptyEnvironment(home: home))
        try session.expect("> ")
        session.send("half a sentence I regret")
        try session.expect("regret")
        session.send("\u{03}")
        try session.expect("> ")
        // Had the half line survived, this would not be read as a command.
        session.send("/help\r")
        try session.expect(tail("help-choices"))
        try session.expect("> ")
        session.send("\u{04}")
        #expect(try session.waitExit() == 0)
    }

    @Test func upRecallsAnEarlierLineOfThisConversation() throws {
        let home = temporaryDirectory("mend-pty")
        let session = try PTYSession(args: ["chat", "--no-save"], env: ptyEnvironment(home: home))
        try session.expect("> ")
        session.send("/resources\r")
        try session.expect(tail("resources"))
        session.send("\u{1B}[A")
        try session.expect("/resources")
        session.send("\r")
        try session.expect(tail("resources"))
        session.send("/quit\r")
        #expect(try session.waitExit() == 0)
    }

    @Test func ctrlDEndsCleanlyAndNoHistoryFileIsWritten() throws {
        let home = temporaryDirectory("mend-pty")
        let session = try PTYSession(args: ["chat"], env: ptyEnvironment(home: home))
        try session.expect("> ")
        session.send("2\r")
        try session.expect("> ")
        session.send("Jo\r")
        try session.expect("> ")
        session.send("\u{04}")
        #expect(try session.waitExit() == 0)
        // Only the saved conversation (in MEND_HOME) exists: no readline history anywhere in HOME.
        let entries = try FileManager.default.contentsOfDirectory(atPath: home).filter { $0 != ".cache" }
        #expect(entries == ["data"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/.cache/mend").allSatisfy { !$0.contains("history") })
        let saved = try FileManager.default.contentsOfDirectory(atPath: home + "/data")
        #expect(saved.allSatisfy { $0.hasSuffix(".jsonl") })
    }

    @Test func colourOnATerminalButNotWithNoColor() throws {
        let home = temporaryDirectory("mend-pty")
        let coloured = try PTYSession(args: ["chat", "--no-save"], env: ptyEnvironment(home: home))
        try coloured.expect("> ")
        coloured.send("\u{04}")
        _ = try coloured.waitExit()
        #expect(String(decoding: coloured.output, as: UTF8.self).contains("\u{1B}[1m"))

        let plain = try PTYSession(args: ["chat", "--no-save"], env: ptyEnvironment(home: home, extra: ["NO_COLOR": "1"]))
        try plain.expect("> ")
        plain.send("\u{04}")
        _ = try plain.waitExit()
        #expect(!String(decoding: plain.output, as: UTF8.self).contains("\u{1B}[1m"))
    }
}

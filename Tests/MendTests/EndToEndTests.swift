// The built binary, end to end: piped conversations, exit codes, one-line errors.
import Foundation
import Testing

/// A copy of the shipped dialogs with hurt.yaml replaced by a broken fixture.
func brokenDialogs(_ fixture: String) throws -> String {
    let dir = temporaryDirectory("mend-broken")
    try FileManager.default.removeItem(atPath: dir)
    try FileManager.default.copyItem(atPath: dialogsDir, toPath: dir)
    try FileManager.default.removeItem(atPath: dir + "/flows/hurt.yaml")
    try FileManager.default.copyItem(atPath: fixturesDir + "/flows-broken/" + fixture, toPath: dir + "/flows/hurt.yaml")
    return dir
}

@Suite struct PipedConversation {
    @Test func hurtRoleReachesAScriptUsingTheName() throws {
        let result = try runMend(["chat", "--role", "hurt", "--no-save"], stdin: "Sam\nhe lied to me about money\n1\n1\nangry\n2\n/quit\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("lied to me"))
        #expect(result.stdout.contains("Sam"))
        #expect(!result.stdout.contains("\u{1B}["))
        #expect(!result.stdout.contains("{"))
    }

    @Test func hurtingRoleChosenInTextReachesAnApology() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "I broke someone's trust\nJo\nI lied to her about where I was\nthat's right\nskip\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("I lied to you"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func colourIsOffWhenPipedEvenWithoutNoColor() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "/help\n/quit\n", environment: ["TERM": "xterm-256color"])
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(result.stdout.contains("/back"))
    }

    @Test func endOfInputEndsTheConversationCleanly() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }
}

@Suite struct BadInput {
    @Test func anUnknownFlagExits2WithOneLine() throws {
        let result = try runMend(["chat", "--colour"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("mend: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("--colour"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aBadRoleValueExits2() throws {
        let result = try runMend(["chat", "--role", "victim"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("victim"))
    }

    @Test func aBadRegionExits2() throws {
        let result = try runMend(["chat", "--region", "Britain"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("two-letter"))
    }

    @Test func anUnknownCommandExits2() throws {
        let result = try runMend(["frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpExits0() throws {
        let result = try runMend(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("chat"))
        let sub = try runMend(["chat", "--help"])
        #expect(sub.status == 0)
        #expect(sub.stdout.contains("--role"))
    }

    @Test func aMissingDialogsFolderExits2() throws {
        let result = try runMend(["chat", "--dialogs", "/nonexistent/place"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/place"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aBrokenDialogRefusesToStartAndNamesTheFile() throws {
        let dir = try brokenDialogs("unknown-key.yaml")
        let result = try runMend(["chat", "--dialogs", dir, "--no-save"], stdin: "1\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("flows/hurt.yaml:7:5"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test func aHugeLineOnStdinIsRefusedCleanly() throws {
        var big = Data(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024)
        big.append(10)
        let result = try runMend(["chat", "--role", "hurt", "--no-save"], stdinData: big)
        #expect(result.status == 2)
        #expect(result.stderr.contains("longer than"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func binaryGarbageOnStdinIsRefusedCleanly() throws {
        let garbage = Data([0x53, 0x61, 0x6d, 0x0a, 0xff, 0xfe, 0x00, 0x01, 0x9c, 0x0a])
        let result = try runMend(["chat", "--role", "hurt", "--no-save"], stdinData: garbage)
        #expect(result.status == 2)
        #expect(result.stderr.contains("not UTF-8 text"))
        #expect(result.stdout.contains("Sam") || result.stdout.contains("what did"))
    }

    @Test func controlSequencesTypedByTheUserAreNotEchoed() throws {
        let result = try runMend(["chat", "--role", "hurt", "--no-save"], stdin: "Sam\u{1B}[31m\u{1B}]0;pwned\u{07}\n")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{07}"))
    }
}

@Suite struct ValidateCommand {
    @Test func theShippedDialogsValidate() throws {
        let result = try runMend(["validate", dialogsDir])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(!result.stdout.contains("error:"))
    }

    @Test func brokenDialogsPrintFileLineColumnAndExit1() throws {
        let dir = try brokenDialogs("missing-node.yaml")
        let result = try runMend(["validate", dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("flows/hurt.yaml:7:11: error: no node called 'dnoe' in flow 'hurt'"))
    }

    @Test func aDuplicateNodeIsReportedAtTheSecondOne() throws {
        let dir = try brokenDialogs("duplicate.yaml")
        let result = try runMend(["validate", dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("flows/hurt.yaml:10:3: error: duplicate key 'done'"))
    }

    @Test func warningsAloneExit0() throws {
        let dir = try brokenDialogs("unreachable.yaml")
        let result = try runMend(["validate", dir])
        #expect(result.stdout.contains("flows/hurt.yaml:8:3: warning:"))
    }
}

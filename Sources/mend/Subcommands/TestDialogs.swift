// `mend test [DIR]`: replays the conversation tests (`*.convo`) beside the dialogs and reports the first difference.
import ArgumentParser
import Foundation
import MendCore

struct TestDialogs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the conversation tests beside the dialogs.",
        discussion: """
        DIR is a dialogs folder (its tests are the *.convo files under DIR/tests), a folder of *.convo files, \
        or one file. The last line is 'N passed, N failed'. Exit status 0 when all pass, 1 when any fails, \
        2 when a test file is malformed. The format is described in dialogs/README.md.
        """
    )

    @Argument(help: ArgumentHelp("A dialogs folder, a folder of tests, or a .convo file (default: the dialogs mend uses).", valueName: "dir"))
    var directory: String?

    @Option(help: ArgumentHelp("The dialogs to test against, when DIR holds only tests.", valueName: "dir"))
    var dialogs: String?

    func run() throws {
        Terminal.setUp(noColor: true)
        let target = try directory ?? Locate.dialogs(flag: dialogs)
        guard FileManager.default.fileExists(atPath: target) else {
            throw Failure(message: "no such file or folder: \(target)")
        }
        let isDialogs = Locate.isDirectory(target + "/flows")
        let dialogsDir = isDialogs ? (dialogs ?? target) : try Locate.dialogs(flag: dialogs)
        let testsPath = isDialogs ? target + "/tests" : target
        let files = ConversationTestRun.files(at: testsPath)
        guard !files.isEmpty else { throw Failure(message: "no conversation tests (*.convo) in \(testsPath)") }
        let loaded = try Locate.loadDialogs(flag: dialogsDir)
        let result = ConversationTestRun.run(files: files, with: loaded)
        for file in result.passed { print("ok   \(file)") }
        for failure in result.failures { print(Terminal.inert(failure.description)) }
        for problem in result.malformed { print(Terminal.inert(problem.description)) }
        print(result.summary)
        if !result.malformed.isEmpty { throw ExitCode(2) }
        if !result.failures.isEmpty { throw ExitCode(1) }
    }
}

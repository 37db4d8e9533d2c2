// `mend validate [DIR]`: every problem in the dialogs as file:line:column.
import ArgumentParser
import Foundation
import MendCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check dialog files; print each problem as file:line:column: error: message.",
        discussion: "Exit status 0 when there is no error (warnings are allowed), 1 when there is one."
    )

    @Argument(help: ArgumentHelp("The dialogs folder (default: the one mend uses).", valueName: "dir"))
    var directory: String?

    func run() throws {
        let dir = try Locate.dialogs(flag: directory)
        let result = DialogLoader.load(directory: dir)
        for diagnostic in result.diagnostics {
            print(Terminal.inert(diagnostic.description))
        }
        let errors = result.errors.count
        let warnings = result.diagnostics.count - errors
        if errors > 0 {
            FileHandle.standardError.write(Data("\(errors) error(s), \(warnings) warning(s) in \(dir)\n".utf8))
            throw ExitCode(1)
        }
        let flows = result.dialogs?.flows.count ?? 0
        FileHandle.standardError.write(Data("\(dir): \(flows) flows, no errors, \(warnings) warning(s)\n".utf8))
    }
}

// `mend eval-safety DIR`: crisis detection measured on labelled lines (recall per category, false alarms).
import ArgumentParser
import Foundation
import MendCore

struct EvalSafety: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-safety",
        abstract: "Measure crisis detection on labelled lines (*.tsv: category or none, a tab, the line).",
        discussion: "Prints recall per category and the false-alarm rate on ordinary lines and idioms, per file. Exit 1 when a crisis line is missed or an idiom is flagged.",
        shouldDisplay: false
    )

    @Argument(help: ArgumentHelp("The folder of labelled .tsv files.", valueName: "dir"))
    var directory: String = "Tests/Evaluation/safety"

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    @Flag(help: "Show how each missed line was read.")
    var explain = false

    func run() throws {
        let loaded = try Locate.loadDialogs(flag: dialogs)
        guard Locate.isDirectory(directory) else { throw Failure(message: "no folder '\(directory)'; give the folder that holds the labelled .tsv files") }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tsv") }.sorted()
        if names.isEmpty { throw Failure(message: "no .tsv files in '\(directory)'") }
        var failed = false
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Failure(message: "cannot read \(path) as UTF-8 text") }
            let (lines, problems) = SafetyEval.parse(text, file: path)
            for p in problems { Terminal.write(Terminal.inert(p.description)) }
            let score = SafetyEval.score(lines, file: path, safety: loaded.safety)
            Terminal.write(Terminal.inert(SafetyEval.report(score, explain: explain ? loaded.safety : nil)))
            if !problems.isEmpty || score.idiomAlarms > 0 || CrisisCategory.allCases.contains(where: { (score.recall($0) ?? 1) < 1 }) { failed = true }
        }
        if failed { throw ExitCode(1) }
    }
}

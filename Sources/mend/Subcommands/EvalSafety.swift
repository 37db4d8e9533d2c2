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

    @Flag(help: "Also time loading frames.yaml and checking one line.")
    var timing = false

    func run() throws {
        let loaded = try Locate.loadDialogs(flag: dialogs)
        guard Locate.isDirectory(directory) else { throw Failure(message: "no folder '\(directory)'; give the folder that holds the labelled .tsv files") }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tsv") }.sorted()
        if names.isEmpty { throw Failure(message: "no .tsv files in '\(directory)'") }
        var failed = false
        var allLines: [String] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Failure(message: "cannot read \(path) as UTF-8 text") }
            let (lines, problems) = SafetyEval.parse(text, file: path)
            for p in problems { Terminal.write(Terminal.inert(p.description)) }
            allLines += lines.map(\.text)
            let score = SafetyEval.score(lines, file: path, safety: loaded.safety)
            Terminal.write(Terminal.inert(SafetyEval.report(score, explain: explain ? loaded.safety : nil)))
            if !problems.isEmpty || score.idiomAlarms > 0 || CrisisCategory.allCases.contains(where: { (score.recall($0) ?? 1) < 1 }) { failed = true }
        }
        if timing {
            let safetyFolder = URL(fileURLWithPath: loaded.directory).appendingPathComponent("safety")
            let load = Safety.framesLoadMilliseconds(directory: safetyFolder)
            let perLine = loaded.safety.checkMicroseconds(allLines)
            Terminal.write(Terminal.inert(String(format: "frames.yaml: %d frames, %d phrases, loaded and compiled in %.2f ms (median)\nchecking one line: %.1f µs (median over %d lines)", load.frames, load.phrases, load.milliseconds, perLine, allLines.count)))
        }
        if failed { throw ExitCode(1) }
    }
}

// `mend eval DIR`: how well free text is understood, on the labelled lines (*.tsv) in a folder.
import ArgumentParser
import Foundation
import MendCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure understanding on labelled lines.",
        discussion: """
        Each *.tsv file in DIR holds lines of three tab-separated cells: the set, the expected label \
        (or - when the assistant should ask instead), and the text. Prints, per file, per set and overall: \
        right, wrong guesses, abstained, accuracy, wrong-guess rate and microseconds per line.
        """
    )

    @Argument(help: ArgumentHelp("The folder of labelled .tsv files (or one .tsv file).", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    @Flag(help: "List the lines that were missed, with what was read.")
    var misses = false

    @Option(help: .hidden)
    var `repeat`: Int = 1

    func validate() throws {
        if `repeat` < 1 { throw ValidationError("--repeat takes a number of rounds, 1 or more") }
    }

    func run() throws {
        var files: [String] = []
        if Locate.isDirectory(directory) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            files = names.filter { $0.hasSuffix(".tsv") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        } else if FileManager.default.fileExists(atPath: directory) {
            files = [directory]
        } else {
            throw Failure(message: "no folder or file at \(directory); give a folder of .tsv files")
        }
        if files.isEmpty { throw Failure(message: "no .tsv files in \(directory)") }
        let understanding = try Locate.loadDialogs(flag: dialogs).understanding

        var total = Tally()
        var totalSets: [String: Tally] = [:]
        var micros: [Double] = []
        for path in files {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Failure(message: "cannot read \(path) as UTF-8 text") }
            let (lines, problems) = Evaluation.parse(text, file: path)
            for p in problems { Terminal.error(p.description) }
            if !problems.isEmpty { throw ExitCode(2) }
            let score = Evaluation.score(lines, file: path, with: understanding, repeat: `repeat`)
            print("\(path): \(lines.count) lines, \(String(format: "%.1f", score.microsecondsPerLine)) µs per line")
            printTable(score.sets, overall: score.overall)
            if misses {
                for miss in score.misses {
                    let got = miss.reading.label ?? "-"
                    print(Terminal.inert("  \(path):\(miss.line.line): \(miss.line.set) want \(miss.line.expected ?? "-") got \(got) (\(String(format: "%.2f", miss.reading.confidence))) [\(miss.reading.evidence.joined(separator: "; "))] \(miss.line.text)"))
                }
            }
            print("")
            total.add(score.overall)
            for (set, tally) in score.sets { totalSets[set, default: Tally()].add(tally) }
            micros.append(score.microsecondsPerLine)
        }
        if files.count > 1 {
            print("all files: \(total.total) lines")
            printTable(totalSets, overall: total)
        }
    }

    func printTable(_ sets: [String: Tally], overall: Tally) {
        print("  set            right  wrong  abstained  accuracy  wrong-guess")
        for set in Catalog.setOrder {
            guard let t = sets[set] else { continue }
            print(row(set, t))
        }
        print(row("overall", overall))
    }

    func row(_ name: String, _ t: Tally) -> String {
        let pad = { (s: String, n: Int) in String(repeating: " ", count: max(0, n - s.count)) + s }
        return "  " + name.padding(toLength: 13, withPad: " ", startingAt: 0)
            + pad("\(t.right)", 6) + pad("\(t.wrong)", 7) + pad("\(t.abstained)", 11)
            + pad(String(format: "%.1f%%", t.accuracy), 10) + pad(String(format: "%.1f%%", t.wrongRate), 13)
    }
}

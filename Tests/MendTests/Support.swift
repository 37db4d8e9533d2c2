// Running the built `mend` binary from tests: arguments, standard input, environment; output and exit status back.
import Foundation

/// The package root, found from this file's place (Tests/MendTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The binary `swift build` made, next to the test bundle.
let mendBinary: String = {
    let candidates = [".build/debug/mend", ".build/release/mend"].map { packageRoot.appendingPathComponent($0).path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
}()

let dialogsDir = packageRoot.appendingPathComponent("dialogs").path
let fixturesDir = packageRoot.appendingPathComponent("Tests/Fixtures").path

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A fresh, private temporary folder.
func temporaryDirectory(_ name: String = "mend-test") -> String {
    let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// One cache folder for the compiled copies of every test run of `mend` that does not bring its own home.
let sharedCache = temporaryDirectory("mend-cache")

/// Runs `mend` with the given arguments and standard input. HOME and MEND_HOME point at a temporary folder
/// unless `environment` says otherwise, so tests never touch the real user's data.
@discardableResult
func runMend(_ arguments: [String], stdin: String = "", stdinData: Data? = nil, environment: [String: String] = [:], home: String? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: mendBinary)
    process.arguments = arguments
    let ownHome = home != nil
    let home = home ?? temporaryDirectory("mend-home")
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = home
    // Compiled copies are shared by the tests that do not look at them (compiling in a debug build is slow).
    if !ownHome { env["XDG_CACHE_HOME"] = sharedCache }
    env["MEND_HOME"] = home + "/data"
    env.removeValue(forKey: "NO_COLOR")
    env.removeValue(forKey: "MEND_DIALOGS")
    env["LANG"] = "C.UTF-8"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    process.currentDirectoryURL = URL(fileURLWithPath: home)
    let input = Pipe(), output = Pipe(), error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes while writing, so a large output never blocks the child.
    nonisolated(unsafe) var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = error.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    // The child may stop reading early (that is what some tests check): write from a thread, ignore SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let bytes = stdinData ?? Data(stdin.utf8)
    let writer = input.fileHandleForWriting
    group.enter()
    DispatchQueue.global().async {
        if !bytes.isEmpty { try? writer.write(contentsOf: bytes) }
        try? writer.close()
        group.leave()
    }
    group.wait()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

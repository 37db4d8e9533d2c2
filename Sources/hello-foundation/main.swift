// The baseline binary for start-up benchmarks: Foundation loaded, nothing else.
import Foundation

print("hello, \(ProcessInfo.processInfo.processName)")

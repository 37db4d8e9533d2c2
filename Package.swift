// swift-tools-version:6.0
// mend: a terminal assistant for rebuilding trust. The executable is a thin shell over MendCore.
import PackageDescription

let package = Package(
    name: "mend",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mend", targets: ["mend"]),
        .library(name: "MendCore", targets: ["MendCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CReadline",
            pkgConfig: "readline",
            providers: [.apt(["libreadline-dev"])]
        ),
        .target(
            name: "MendCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            // Optimised in debug builds too: the tests compile the data (and teach the learned readers)
            // many times, which is many times slower unoptimised.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .executableTarget(
            name: "mend",
            dependencies: [
                "MendCore",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The yardstick for `make bench`: a hello-world that imports Foundation, built the same way.
        .executableTarget(name: "hello-foundation"),
        .testTarget(name: "MendCoreTests", dependencies: ["MendCore"]),
        .testTarget(name: "MendTests", dependencies: ["MendCore"]),
    ]
)

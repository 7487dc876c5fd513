// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "raaid",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "raaid", targets: ["raaid"]),
    ],
    targets: [
        .target(
            name: "Memory", swiftSettings: swiftSettings,
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // libcurl loaded at run time for model requests (see its header for why not URLSession).
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(
            name: "Phases",
            dependencies: ["Memory", .target(name: "CCurlShim", condition: .when(platforms: [.linux]))],
            swiftSettings: swiftSettings),
        // epoll for the reactor: Swift's Glibc module does not export it.
        .target(name: "CLinuxShim"),
        .target(
            name: "Serve",
            dependencies: ["Phases", "Memory", .target(name: "CLinuxShim", condition: .when(platforms: [.linux]))],
            swiftSettings: swiftSettings),
        .executableTarget(name: "raaid", dependencies: ["Serve", "Phases", "Memory"], swiftSettings: swiftSettings),
        .target(name: "TestSupport", dependencies: ["Phases", "Memory"], path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(name: "MemoryTests", dependencies: ["Memory"], swiftSettings: swiftSettings),
        .testTarget(name: "PhasesTests", dependencies: ["Phases", "Memory", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ServeTests", dependencies: ["Serve", "Phases", "Memory", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "raaidTests", dependencies: ["raaid", "Phases", "Memory", "TestSupport"],
            swiftSettings: swiftSettings),
    ]
)

// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for iamsim (issue 6). Build and run them with `Fuzz/run.sh`; see Fuzz/README.md.
//
// The library modules are compiled here from the main package's own source folders, reached through the
// symbolic links in `Sources/Mirror/` (no copy: one source of truth). A `path: ".."` dependency cannot be used:
// the main package exports only IAMPolicy and IAMEvaluation as products, and SwiftPM refuses a graph in which two
// packages declare targets of the same name, so the other modules could not be compiled here beside it. Keep the
// target list in step with the main Package.swift.
let package = Package(
  name: "iamsim-fuzz",
  targets: [
    .target(name: "IAMCompression", path: "Sources/Mirror/IAMCompression"),
    .target(name: "IAMPolicy", path: "Sources/Mirror/IAMPolicy"),
    .target(name: "IAMEvaluation", dependencies: ["IAMPolicy"], path: "Sources/Mirror/IAMEvaluation"),
    .target(name: "IAMFederation", dependencies: ["IAMPolicy", "IAMCompression"], path: "Sources/Mirror/IAMFederation"),
    .target(
      name: "IAMIdentityCenter", dependencies: ["IAMPolicy", "IAMEvaluation", "IAMFederation"],
      path: "Sources/Mirror/IAMIdentityCenter"),
    .target(
      name: "IAMCatalog", dependencies: ["IAMPolicy", "IAMCompression"], path: "Sources/Mirror/IAMCatalog",
      exclude: ["Resources"]),
    .target(
      name: "IAMManagedPolicies", dependencies: ["IAMPolicy", "IAMCompression"], path: "Sources/Mirror/IAMManagedPolicies"),
    .target(
      name: "IAMOrganization",
      dependencies: ["IAMPolicy", "IAMEvaluation", "IAMFederation", "IAMIdentityCenter", "IAMManagedPolicies", "IAMYAML"],
      path: "Sources/Mirror/IAMOrganization"),
    .target(name: "IAMAWS", dependencies: ["IAMPolicy", "IAMCompression"], path: "Sources/Mirror/IAMAWS"),
    .target(name: "IAMCollect", dependencies: ["IAMAWS", "IAMOrganization", "IAMPolicy"], path: "Sources/Mirror/IAMCollect"),
    .target(
      name: "IAMActivity", dependencies: ["IAMPolicy", "IAMCompression", "IAMCatalog", "IAMEvaluation"],
      path: "Sources/Mirror/IAMActivity"),
    .target(
      name: "IAMAudit", dependencies: ["IAMPolicy", "IAMEvaluation", "IAMCatalog", "IAMIdentityCenter", "IAMOrganization"],
      path: "Sources/Mirror/IAMAudit"),
    .target(name: "IAMYAML", dependencies: ["IAMPolicy"], path: "Sources/Mirror/IAMYAML"),
    .target(
      name: "IAMSimCLI",
      dependencies: [
        "IAMPolicy", "IAMEvaluation", "IAMFederation", "IAMIdentityCenter", "IAMCatalog", "IAMActivity", "IAMAudit",
        "IAMManagedPolicies", "IAMOrganization", "IAMAWS", "IAMCollect",
      ],
      path: "Sources/Mirror/IAMSimCLI"),
    .target(name: "FuzzDriver"),
    .executableTarget(name: "policy-parser", dependencies: ["FuzzDriver", "IAMPolicy"]),
    .executableTarget(name: "evaluator", dependencies: ["FuzzDriver", "IAMPolicy", "IAMEvaluation"]),
    .executableTarget(name: "saml-reader", dependencies: ["FuzzDriver", "IAMPolicy", "IAMFederation"]),
    .executableTarget(name: "scim-reader", dependencies: ["FuzzDriver", "IAMPolicy", "IAMFederation"]),
    .executableTarget(name: "case-file", dependencies: ["FuzzDriver", "IAMPolicy", "IAMSimCLI"]),
    .executableTarget(name: "organization", dependencies: ["FuzzDriver", "IAMPolicy", "IAMOrganization"]),
    .executableTarget(name: "yaml-reader", dependencies: ["FuzzDriver", "IAMPolicy", "IAMYAML"]),
  ]
)

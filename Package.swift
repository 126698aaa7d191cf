// swift-tools-version:6.0
import PackageDescription

// iamsim has no package dependencies, by design: only the toolchain, Foundation,
// FoundationXML, Dispatch, Swift Testing and XCTest.
let package = Package(
  name: "iamsim",
  products: [
    .library(name: "IAMPolicy", targets: ["IAMPolicy"]),
    .library(name: "IAMEvaluation", targets: ["IAMEvaluation"]),
    .library(name: "IAMOrganization", targets: ["IAMOrganization"]),
    .executable(name: "iamsim", targets: ["iamsim"]),
  ],
  targets: [
    // Pure-Swift DEFLATE (both ways), gzip, base64 and SHA-256, for the data compiled into iamsim.
    .target(name: "IAMCompression"),
    // Policy language: JSON reading, the policy model, validation. No evaluation.
    .target(name: "IAMPolicy"),
    // Requests, principals, compiled policy sets and the authorizer.
    .target(name: "IAMEvaluation", dependencies: ["IAMPolicy"]),
    // The AWS service authorization catalog: services, actions, access levels, resource types, condition keys.
    // The catalog is compiled in (Shipped/ShippedCatalog.swift), generated from Resources/, which stays as its readable form.
    .target(name: "IAMCatalog", dependencies: ["IAMPolicy", "IAMCompression"], exclude: ["Resources"]),
    // Every AWS managed policy's default version, compiled in and decompressed one block at a time.
    .target(name: "IAMManagedPolicies", dependencies: ["IAMPolicy", "IAMCompression"]),
    // Identity Center federation inputs: SAML assertions, SCIM payloads, session tags.
    .target(name: "IAMFederation", dependencies: ["IAMPolicy", "IAMCompression"]),
    // IAM Identity Center: permission sets, their sessions, organizations and assignments.
    .target(name: "IAMIdentityCenter", dependencies: ["IAMPolicy", "IAMEvaluation", "IAMFederation"]),
    // The organization model: the OU tree with SCPs and RCPs, Identity Center, each account's IAM, account access
    // manager grants; the strict organization directory format, the AWS CLI export importer, session assembly.
    .target(
      name: "IAMOrganization",
      dependencies: ["IAMPolicy", "IAMEvaluation", "IAMFederation", "IAMIdentityCenter", "IAMManagedPolicies", "IAMYAML"]),
    // A read-only AWS client written here: SigV4, credentials as the AWS CLI resolves them, the json, rest-json and
    // query protocols, pagination, retries.
    .target(name: "IAMAWS", dependencies: ["IAMPolicy", "IAMCompression"]),
    // `iamsim collect`: a snapshot of a real organization, through IAMAWS, written as an organization directory.
    .target(name: "IAMCollect", dependencies: ["IAMAWS", "IAMOrganization", "IAMPolicy"]),
    // Observed activity: CloudTrail events attributed to permission sets.
    .target(name: "IAMActivity", dependencies: ["IAMPolicy", "IAMCompression", "IAMCatalog", "IAMEvaluation"]),
    // Least-privilege audits: granted, conditional and cut actions through the engine; risk findings; diffs.
    .target(name: "IAMAudit", dependencies: ["IAMPolicy", "IAMEvaluation", "IAMCatalog", "IAMIdentityCenter", "IAMOrganization"]),
    // A YAML reader for CloudFormation templates (positions, tags, anchors), and their conversion to JSON.
    .target(name: "IAMYAML", dependencies: ["IAMPolicy"]),
    // Everything the command line does, testable in-process.
    .target(
      name: "IAMSimCLI",
      dependencies: [
        "IAMPolicy", "IAMEvaluation", "IAMFederation", "IAMIdentityCenter", "IAMCatalog", "IAMActivity", "IAMAudit",
        "IAMManagedPolicies", "IAMOrganization", "IAMAWS", "IAMCollect",
      ]),
    // The executable: a thin wrapper around IAMSimCLI.
    .executableTarget(name: "iamsim", dependencies: ["IAMSimCLI"]),

    // Helpers shared by the test targets (seeded random generation, a scratch folder removed at exit).
    .target(name: "IAMTestSupport", path: "Tests/IAMTestSupport"),
    .testTarget(name: "IAMPolicyTests", dependencies: ["IAMPolicy", "IAMTestSupport"]),
    .testTarget(name: "IAMEvaluationTests", dependencies: ["IAMPolicy", "IAMEvaluation", "IAMTestSupport"]),
    .testTarget(name: "IAMCatalogTests", dependencies: ["IAMCatalog", "IAMTestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "IAMFederationTests", dependencies: ["IAMFederation", "IAMCompression", "IAMTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "IAMIdentityCenterTests", dependencies: ["IAMIdentityCenter"]),
    .testTarget(
      name: "IAMActivityTests",
      dependencies: ["IAMActivity", "IAMCatalog", "IAMEvaluation", "IAMPolicy", "IAMSimCLI", "IAMTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "IAMOrganizationTests", dependencies: ["IAMOrganization", "IAMPolicy", "IAMEvaluation", "IAMTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "IAMAWSTests", dependencies: ["IAMAWS", "IAMPolicy", "IAMCompression", "IAMTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "IAMCollectTests", dependencies: ["IAMCollect", "IAMAWS", "IAMOrganization", "IAMPolicy", "IAMTestSupport"]),
    .testTarget(name: "IAMAuditTests", dependencies: ["IAMAudit", "IAMOrganization"]),
    .testTarget(name: "IAMYAMLTests", dependencies: ["IAMYAML", "IAMPolicy", "IAMTestSupport"]),
    .testTarget(name: "IAMCompressionTests", dependencies: ["IAMCompression"]),
    .testTarget(name: "IAMManagedPoliciesTests", dependencies: ["IAMManagedPolicies", "IAMPolicy", "IAMTestSupport"]),
    .testTarget(
      name: "IAMSimCLITests", dependencies: ["IAMSimCLI", "IAMPolicy", "IAMEvaluation", "IAMOrganization", "IAMTestSupport"],
      exclude: ["Fixtures"]),
  ]
)

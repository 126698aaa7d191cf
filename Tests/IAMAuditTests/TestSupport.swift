import Foundation
import IAMCatalog
import IAMEvaluation
import IAMPolicy

@testable import IAMAudit

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

/// One auditor over the shipped catalog for every test.
let sharedAuditor: Auditor = {
  guard let catalog = try? Catalog.bundled() else { fatalError("the shipped catalog loads") }
  return Auditor(catalog: catalog)
}()

/// A shipped AWS managed policy, read from `policies/aws-managed/`.
func managedPolicy(_ name: String, kind: PolicyKind = .identity) throws -> PolicyDocument {
  let path = repositoryRoot + "/policies/aws-managed/\(name).json"
  let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  return try PolicyDocument(parsing: bytes, name: name, kind: kind, isAWSManaged: true)
}

/// A policy from JSON text.
func policy(_ json: String, name: String = "inline", kind: PolicyKind = .identity) throws -> PolicyDocument {
  try PolicyDocument(parsing: Array(json.utf8), name: name, kind: kind)
}

/// A policy of Allow statements, one per (actions, resources) pair, without conditions.
func allow(_ actions: [String], on resources: [String] = ["*"], name: String = "inline") throws -> PolicyDocument {
  let quoted = { (list: [String]) in "[" + list.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
  return try policy(
    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":\#(quoted(actions)),"Resource":\#(quoted(resources))}]}"#,
    name: name)
}

/// Audits identity policies (and optionally more) as one subject named `test`.
func audit(
  _ identity: [PolicyDocument], boundary: PolicyDocument? = nil, scps: [[PolicyDocument]] = [], name: String = "test"
) -> AuditReport {
  let policies = PolicySet(identityPolicies: identity, permissionsBoundary: boundary, serviceControlPolicies: scps)
  return try! sharedAuditor.audit(AuditSubject(name: name, policies: policies))
}

extension AuditReport {
  /// The granted action names, as a set.
  var grantedNames: Set<String> { Set(granted.map(\.action)) }
  /// The finding codes, as a set.
  var codes: Set<String> { Set(findings.map(\.code)) }
}

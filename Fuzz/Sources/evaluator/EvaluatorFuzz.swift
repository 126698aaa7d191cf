// Fuzz target `evaluator`: bytes split at the first NUL into a policy and a request description.
//
// The request description is UTF-8 lines: the action, the resource, the caller's ARN (or `anonymous`), then `key=value` context
// entries (`key[]=a,b` for a multivalued key). Missing lines take defaults.
//
// The policy is read as one kind, chosen by the input's length (mutations change it, so every kind is reached
// while each execution parses once); when it parses, it is authorized against the request in every role that
// kind plays. Must hold: no crash,
// no hang; `authorize` and the fast `decision(for:)` agree; and adding a `Deny *` statement never yields `allowed`
// (it must be `explicitDeny`), whether it comes as one more identity policy or as a resource policy denying `*`.
import FuzzDriver
import IAMEvaluation
import IAMPolicy

let allowAll = try! PolicyDocument(
  parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.utf8),
  name: "allow-all", kind: .identity)
let scpAllowAll = try! PolicyDocument(
  parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.utf8),
  name: "FullAWSAccess", kind: .serviceControl)
let denyAll = try! PolicyDocument(
  parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Action":"*","Resource":"*"}]}"#.utf8),
  name: "deny-all", kind: .identity)
let resourceDenyAll = try! PolicyDocument(
  parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#.utf8),
  name: "resource-deny-all", kind: .resource)
let resourceAllowAll = try! PolicyDocument(
  parsing: Array(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#.utf8),
  name: "resource-allow-all", kind: .resource)

/// The request described by the bytes after the NUL.
func request(from bytes: ArraySlice<UInt8>) -> AuthorizationRequest {
  let text = String(decoding: bytes, as: UTF8.self)
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  var request = AuthorizationRequest(action: lines.first.flatMap { $0.isEmpty ? nil : $0 } ?? "s3:GetObject")
  if lines.count > 1, !lines[1].isEmpty { request.resource = lines[1] }
  if lines.count > 2, lines[2] == "anonymous" {
    request.principal = .anonymous
  } else if lines.count > 2, case .success(let principal) = Principal.parse(lines[2]) {
    request.principal = principal
  }
  for line in lines.dropFirst(3) {
    guard let equals = line.firstIndex(of: "=") else { continue }
    let key = String(line[..<equals])
    let value = String(line[line.index(after: equals)...])
    if key.hasSuffix("[]") {
      request.context.set(String(key.dropLast(2)), values: value.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    } else if key == "@resourceAccount" {
      request.resourceAccount = value
    } else if key.hasPrefix("@tag:") {
      request.principal.setTag(String(key.dropFirst(5)), value)
    } else {
      request.context.set(key, value)
    }
  }
  return request
}

/// The policy sets in which a policy of this kind takes part, each with its `Deny *` counterpart.
func policySets(_ document: PolicyDocument) -> [(PolicySet, PolicySet)] {
  var sets: [PolicySet] = []
  switch document.kind {
  case .identity:
    sets.append(PolicySet(identityPolicies: [document]))
    sets.append(PolicySet(identityPolicies: [document], resourcePolicy: resourceAllowAll))
  case .resource:
    sets.append(PolicySet(resourcePolicy: document))
    sets.append(PolicySet(identityPolicies: [allowAll], resourcePolicy: document))
    // The same policy as a VPC endpoint policy, and as a bucket policy under RestrictPublicBuckets.
    var endpoint = PolicySet(identityPolicies: [allowAll])
    endpoint.vpcEndpointPolicy = document
    sets.append(endpoint)
    var restricted = PolicySet(identityPolicies: [allowAll], resourcePolicy: document)
    restricted.blockPublicAccess.restrictPublicBuckets = true
    sets.append(restricted)
  case .permissionsBoundary:
    sets.append(PolicySet(identityPolicies: [allowAll], permissionsBoundary: document))
  case .session:
    sets.append(PolicySet(identityPolicies: [allowAll], sessionPolicy: document))
  case .serviceControl:
    sets.append(PolicySet(identityPolicies: [allowAll], serviceControlPolicies: [[document], [scpAllowAll]]))
  case .resourceControl:
    sets.append(PolicySet(identityPolicies: [allowAll], resourceControlPolicies: [[document]]))
  }
  return sets.map { set in
    var denied = set
    denied.identityPolicies.append(denyAll)
    return (set, denied)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let split = bytes.firstIndex(of: 0) ?? bytes.count
  let policyBytes = Array(bytes[..<split])
  let request = request(from: split < bytes.count ? bytes[(split + 1)...] : [])
  let kind = PolicyKind.allCases[size % PolicyKind.allCases.count]
  guard let document = try? PolicyDocument(parsing: policyBytes, name: "fuzz", kind: kind) else { return 0 }
  for (set, denied) in policySets(document) {
    let authorizer = try! Authorizer(set)
    let response = authorizer.authorize(request, explain: true)
    let again = authorizer.decision(for: PreparedRequest(request))
    if response.decision != again {
      fatalError("\(kind): authorize says \(response.decision), decision(for:) says \(again)")
    }
    _ = response.reason
    let deniedResponse = try! Authorizer(denied).authorize(request, explain: true)
    if deniedResponse.decision != .explicitDeny {
      fatalError("\(kind): with a `Deny *` identity statement the decision is \(deniedResponse.decision)")
    }
    if set.resourcePolicy == nil {
      // A resource policy that denies everyone everything.
      var resourceDenied = set
      resourceDenied.resourcePolicy = resourceDenyAll
      let decision = try! Authorizer(resourceDenied).decision(for: PreparedRequest(request))
      if decision != .explicitDeny {
        fatalError("\(kind): with a `Deny *` resource policy for every principal the decision is \(decision)")
      }
    }
  }
  return 0
}

@_cdecl("evaluator_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzEvaluator)
}

import IAMFederation

/// Validates inline JSON payloads, optionally after the `aws identitystore` fixtures.
func validate(_ json: String, withExistingStore: Bool = false) throws -> SCIMReport {
  var inputs = [SCIMInput(name: "payload.json", bytes: Array(json.utf8))]
  if withExistingStore {
    inputs =
      try ["scim/list-users.json", "scim/list-groups.json"].map { SCIMInput(name: $0, bytes: try Fixtures.bytes($0)) }
      + inputs
  }
  return try SCIMValidator().validate(inputs)
}

/// A valid Entra user with one attribute replaced or added (`nil` removes it).
func entraUser(_ changes: [String: String?] = [:]) -> String {
  var members: [(String, String)] = [
    ("schemas", #"["urn:ietf:params:scim:schemas:core:2.0:User"]"#),
    ("userName", #""dave@example.com""#),
    ("active", "true"),
    ("displayName", #""Dave Example""#),
    ("emails", #"[{"primary": true, "type": "work", "value": "dave@example.com"}]"#),
    ("name", #"{"familyName": "Example", "givenName": "Dave"}"#),
  ]
  for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
    members.removeAll { $0.0 == key }
    if let value { members.append((key, value)) }
  }
  return "{\n" + members.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}"
}

extension SCIMReport {
  /// The findings of the last payload (the one under test).
  var lastFindings: [Finding] { payloads.last?.findings ?? [] }
}

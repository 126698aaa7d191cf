import Testing

@testable import IAMFederation

/// Each S-rule violated once, with the AWS text users would see.
@Suite struct SCIMRuleTests {
  private let unparsable = "Request is unparsable, syntactically incorrect, or violates schema."

  private func only(_ code: FindingCode, in json: String, existing: Bool = false) throws -> Finding {
    let findings = try validate(json, withExistingStore: existing).lastFindings
    #expect(findings.codes == [code], "\(findings.map(\.message))")
    return try #require(findings.first)
  }

  @Test func s1MissingGivenName() throws {
    // The spec's example S-1.
    let json = #"""
      {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob@example.com","name":{"familyName":"Roe"},"displayName":"Bob Roe","emails":[{"value":"bob@example.com","type":"work","primary":true}]}
      """#
    let finding = try only(.scimRequiredAttribute, in: json)
    #expect(finding.rule == "S-1")
    #expect(finding.location?.jsonPointer == "/name/givenName")
    #expect(finding.awsMessage == unparsable)
    #expect(finding.severity == .error)
  }

  @Test func s1EmptyDisplayNameAndMissingName() throws {
    let findings = try validate(entraUser(["displayName": #""  ""#, "name": nil])).lastFindings
    #expect(findings.codes == [.scimRequiredAttribute, .scimRequiredAttribute])
    #expect(findings.map(\.location?.jsonPointer) == ["/name", "/displayName"])
  }

  @Test func s2SeveralPhoneNumbers() throws {
    let finding = try only(
      .scimMultipleValues,
      in: entraUser([
        "phoneNumbers": #"[{"value":"+1 555 0100","type":"work"},{"value":"+1 555 0101","type":"mobile"}]"#
      ]))
    #expect(finding.awsMessage == "Currently list attributes only allow single item")
  }

  @Test func s3EmailNotPrimary() throws {
    let finding = try only(
      .scimEmailNotPrimary, in: entraUser(["emails": #"[{"type": "work", "value": "dave@example.com"}]"#]))
    #expect(finding.location?.jsonPointer == "/emails/0")
    #expect(finding.awsMessage == unparsable)
  }

  @Test(arguments: [
    ("password", #""hunter2""#, "/password"),
    ("groups", #"[{"value": "g"}]"#, "/groups"),
    ("emails", #"[{"primary": true, "value": "dave@example.com", "display": "Dave"}]"#, "/emails/0/display"),
    ("meta", #"{"resourceType": "User", "version": "W/\"1\""}"#, "/meta/version"),
    (
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      #"{"manager": {"value": "m", "displayName": "Boss"}}"#,
      "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/manager/displayName"
    ),
    ("roles", #"[{"value": "admin", "display": "Admin"}]"#, "/roles/0/display"),
    ("favouriteColour", #""blue""#, "/favouriteColour"),
  ])
  func s4UnsupportedAttributes(key: String, value: String, pointer: String) throws {
    let finding = try only(.scimUnsupportedAttribute, in: entraUser([key: value]))
    #expect(finding.rule == "S-4")
    #expect(finding.location?.jsonPointer == pointer)
  }

  @Test func s4WrongTypes() throws {
    let findings = try validate(entraUser(["active": #""True""#, "userName": "42"])).lastFindings
    #expect(findings.codes == [.scimAttributeType, .scimAttributeType])
  }

  @Test func s5CharacterRules() throws {
    #expect(
      try only(.scimCharacters, in: entraUser(["displayName": #""Dave\u0007Example""#])).message.contains("U+0007"))
    #expect(
      try only(.scimLength, in: entraUser(["userName": "\"" + String(repeating: "d", count: 117) + "@example.com\""]))
        .rule == "S-5")
    let long = String(repeating: "x", count: 1025)
    #expect(
      try only(.scimLength, in: entraUser(["name": #"{"familyName": "Example", "givenName": "\#(long)"}"#])).location?
        .jsonPointer == "/name/givenName")
    let reserved = try validate(entraUser(["userName": #""Administrator""#])).lastFindings
    #expect(reserved.codes == [.scimReservedName, .scimUserNameNotEmail])
    let spaced = try validate(entraUser(["userName": #""dave example@example.com""#])).lastFindings
    #expect(spaced.codes == [.scimCharacters, .scimUserNameNotEmail])
    #expect(spaced.first?.severity == .warning)
  }

  @Test func s6PatchOperationRules() throws {
    let json = #"""
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
        {"path": "title", "value": "x"},
        {"op": "Move", "path": "title", "value": "x"},
        {"op": "Remove"},
        {"op": "Replace", "path": "nickName"},
        {"op": "Replace", "path": "password", "value": "x"},
        {"op": "Remove", "path": "userName"},
        {"op": "Replace", "value": {"active": false}},
        {"op": "Replace", "path": "active", "value": true}
      ]}
      """#
    let findings = try validate(json).lastFindings
    #expect(findings.codes == Array(repeating: .scimPatchOperation, count: 7))
    #expect(findings.allSatisfy { $0.rule == "S-6" && $0.awsMessage == unparsable })
    #expect(
      findings.map(\.location?.jsonPointer) == [
        "/Operations/0/op", "/Operations/1/op", "/Operations/2", "/Operations/3", "/Operations/4", "/Operations/5",
        "/Operations",
      ])
    #expect(try validate(json).payloads.last?.kind == .userPatch)
  }

  @Test func s6PatchKeepsListsSingleValued() throws {
    let json = #"""
      {"Operations": [{"op": "add", "value": {"emails": [{"value": "a@example.com", "primary": true}, {"value": "b@example.com"}]}}]}
      """#
    #expect(try only(.scimMultipleValues, in: json).location?.jsonPointer == "/Operations/0/value/emails")
  }

  @Test func s7GroupRules() throws {
    let members = (0..<101).map { #"{"value": "user-\#($0)"}"# }.joined(separator: ",")
    let findings = try validate(
      #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "members": [\#(members)]}"#
    ).lastFindings
    #expect(findings.codes == [.scimGroup, .scimGroup])
    #expect(findings.first?.message == "displayName is required but missing")
    let replaceAll = #"{"Operations": [{"op": "replace", "path": "members", "value": [{"value": "u1"}]}]}"#
    #expect(try only(.scimGroup, in: replaceAll).message.contains("replaces all members"))
    let removeAll = #"{"Operations": [{"op": "remove", "path": "members"}]}"#
    #expect(try only(.scimGroup, in: removeAll).message.contains("removes all members"))
    let many = (0..<101).map { #"{"value": "u\#($0)"}"# }.joined(separator: ",")
    let tooMany = #"{"Operations": [{"op": "add", "path": "members", "value": [\#(many)]}]}"#
    #expect(try only(.scimGroup, in: tooMany).message.contains("101 membership changes"))
    let removeOne = #"{"Operations": [{"op": "remove", "path": "members[value eq \"u1\"]"}]}"#
    #expect(try validate(removeOne).lastFindings.isEmpty)
  }

  @Test func s8DuplicatePrimaryEmailAgainstExistingUsers() throws {
    // The spec's example S-8.
    let json = entraUser([
      "userName": #""richard@example.com""#,
      "emails": #"[{"primary": true, "type": "work", "value": "jane@example.com"}]"#,
    ])
    let finding = try only(.scimDuplicate, in: json, existing: true)
    #expect(finding.awsMessage == "Refused to create a new, duplicate resource")
    #expect(finding.message.contains("jane@example.com (90677c608a-7afcdc23-0bd4-4fb7-b2ff-10ccffdff447)"))
  }

  @Test func s8DuplicatesAmongPayloadsAndGroups() throws {
    let users = "[\(entraUser()), \(entraUser(["userName": #""DAVE@example.com""#, "emails": nil]))]"
    #expect(try only(.scimDuplicate, in: users).location?.jsonPointer == "/userName")
    let group =
      #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "aws-admins", "externalId": "5d4c3b2a-1908-4776-a5b4-c3d2e1f0a9b8"}"#
    let findings = try validate(group, withExistingStore: true).lastFindings
    #expect(findings.codes == [.scimDuplicate, .scimDuplicate])
  }

  @Test func s9FilterOperators() throws {
    let json =
      #"{"Operations": [{"op": "replace", "path": "emails[type co \"work\" or primary eq true].value", "value": "x@example.com"}]}"#
    let findings = try validate(json).lastFindings
    #expect(findings.codes == [.scimFilter, .scimFilter])
    #expect(findings.first?.rule == "S-9")
  }

  @Test func s10GuestUserNamesAndNestedGroups() throws {
    let guest = try only(
      .scimGuestUser, in: entraUser(["userName": #""dave_contoso.com#EXT#@fabrikam.onmicrosoft.com""#]))
    #expect(guest.severity == .warning)
    #expect(guest.awsMessage == "An unexpected error has occurred")
    let nested = #"""
      {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Outer",
       "members": [{"value": "90677c608a-aaaa1111-2222-3333-4444-555566667777"}, {"value": "x", "type": "Group"}, {"value": "90677c608a-7b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"}]}
      """#
    let report = try validate(nested, withExistingStore: true)
    #expect(report.lastFindings.codes == [.scimNestedGroup, .scimNestedGroup])
    #expect(report.payloads.last?.wouldProvision == true)
  }

  @Test func s11UserNameMustBeAnEmailAddress() throws {
    let finding = try only(.scimUserNameNotEmail, in: entraUser(["userName": #""dave""#]))
    #expect(finding.rule == "S-11")
    #expect(finding.severity == .warning)
  }
}

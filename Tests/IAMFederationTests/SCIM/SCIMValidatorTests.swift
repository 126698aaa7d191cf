import IAMPolicy
import Testing

@testable import IAMFederation

@Suite struct SCIMValidatorTests {
  @Test func entraUserProvisionsCleanly() throws {
    let report = try SCIMValidator().validate([
      SCIMInput(name: "user.json", bytes: try Fixtures.bytes("scim/entra-create-user.json"))
    ])
    let result = try #require(report.payloads.first)
    #expect(result.kind == .user)
    #expect(result.subject == "alice@example.com")
    #expect(result.findings == [])
    #expect(result.wouldProvision && report.wouldProvisionAll)
    let user = try #require(report.store.user(named: "ALICE@example.com"))
    #expect(user.value(at: "enterprise.costCenter") == "1234")
    #expect(user.value(at: "enterprise.manager.value") == "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d")
    #expect(user.value(at: "addresses[type eq \"work\"].locality") == "London")
    #expect(user.value(at: "phoneNumbers[type eq \"work\"].value") == "+44 20 7946 0000")
    #expect(user.primaryEmail == "alice@example.com")
    #expect(user.externalIDs == ["6f1c2d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f"])
  }

  @Test func batchFileReportsEachPayloadWithPositions() throws {
    let report = try SCIMValidator().validate([
      SCIMInput(name: "batch.json", bytes: try Fixtures.bytes("scim/entra-batch.json"))
    ])
    #expect(report.payloads.map(\.kind) == [.user, .group, .groupPatch, .userPatch])
    #expect(report.payloads.map(\.wouldProvision) == [false, true, true, true])
    let finding = try #require(report.payloads[0].findings.first)
    #expect(finding.code == .scimMultipleValues)
    #expect(finding.rule == "S-2")
    #expect(finding.subject == "carol@example.com")
    #expect(finding.awsMessage == "Currently list attributes only allow single item")
    #expect(finding.location?.file == "batch.json")
    #expect(finding.location?.jsonPointer == "/phoneNumbers")
    #expect(finding.location?.jsonPath?.description == "$[0].phoneNumbers")
    #expect(finding.location?.position == SourcePosition(line: 10, column: 21))
    #expect(report.payloads[2].jsonPath.description == "$[2]")
    #expect(report.store.group(named: "aws-developers") != nil)
    #expect(report.store.user(named: "carol@example.com") == nil, "a payload that fails does not reach the store")
  }

  @Test func loadsIdentityStoreOutputFirstWhateverTheOrder() throws {
    let names = [
      "scim/list-group-memberships.json", "scim/entra-create-user.json", "scim/list-groups.json",
      "scim/list-users.json",
    ]
    let report = try SCIMValidator().validate(names.map { SCIMInput(name: $0, bytes: try Fixtures.bytes($0)) })
    #expect(
      report.payloads.map(\.kind) == [.identityStoreGroups, .identityStoreUsers, .identityStoreMemberships, .user])
    #expect(report.payloads.map(\.subject) == ["1 groups", "2 users", "1 memberships", "alice@example.com"])
    #expect(report.store.users.map(\.userName) == ["jane@example.com", "bob@example.com", "alice@example.com"])
    #expect(report.store.group(named: "AWS-Admins")?.memberIDs == ["90677c608a-7afcdc23-0bd4-4fb7-b2ff-10ccffdff447"])
    let jane = try #require(report.store.user(named: "jane@example.com"))
    #expect(jane.value(at: "enterprise.department") == "Finance")
    #expect(jane.value(at: "addresses[type eq \"work\"].locality") == "Seattle")
    #expect(jane.externalIDs == ["3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"])
  }

  @Test func readsListResponses() throws {
    let list = """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 2,
       "Resources": [\(entraUser()), \(entraUser(["userName": #""erin@example.com""#, "emails": #"[{"primary": true, "value": "erin@example.com"}]"#]))]}
      """
    let report = try validate(list)
    #expect(report.payloads.map(\.jsonPath.description) == ["$.Resources[0]", "$.Resources[1]"])
    #expect(report.wouldProvisionAll)
  }

  @Test func invalidJSONIsAnInputError() {
    #expect {
      try SCIMValidator().validate([SCIMInput(name: "bad.json", bytes: Array("{\"userName\": }".utf8))])
    } throws: { error in
      guard let error = error as? JSONInputError else { return false }
      return error.file == "bad.json" && error.position == SourcePosition(line: 1, column: 14)
        && error.description.hasPrefix("bad.json:1:14: ")
    }
  }

  @Test func unrecognizedPayloads() throws {
    let report = try validate(#"[42, {"hello": "world"}]"#)
    #expect(report.payloads.map(\.kind) == [.unrecognized, .unrecognized])
    #expect(report.payloads.allSatisfy { $0.findings.first?.code == .scimUnrecognizedPayload })
  }
}

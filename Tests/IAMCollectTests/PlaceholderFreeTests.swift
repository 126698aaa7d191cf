import IAMAWS
import Testing

@Suite struct CollectOperationTests {
  @Test func anOperationKeepsItsServiceAndName() {
    let service = AWSService(signingName: "organizations", endpointPrefix: "organizations", wire: .json(targetPrefix: "AWSOrganizationsV20161128"), isGlobal: true)
    let operation = AWSOperation(service: service, name: "ListAccounts")
    #expect(operation.name == "ListAccounts" && operation.service.isGlobal)
  }
}

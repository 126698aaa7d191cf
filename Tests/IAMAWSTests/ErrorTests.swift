import IAMAWS
import Testing

@Suite struct AWSErrorTests {
  @Test func anErrorNamesTheOperationCodeAndStatus() {
    let error = AWSError(code: "ThrottlingException", message: "Rate exceeded", status: 400, operation: "ListAccounts")
    #expect(error.description == "ListAccounts: ThrottlingException (HTTP 400): Rate exceeded")
  }
}

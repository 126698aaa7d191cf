import Foundation
import IAMAWS
import IAMPolicy
import Testing

/// Signature Version 4 against AWS's test suite (Fixtures/sigv4-test-suite.json names where the vectors come
/// from): for each request, the canonical request, the string to sign and the `Authorization` header.
@Suite struct SigV4Tests {
  struct Vector: Sendable, CustomStringConvertible {
    var name: String
    var request: SigV4Request
    var canonicalRequest: String
    var stringToSign: String
    var authorization: String
    var description: String { name }
  }

  static let suite: (credentials: AWSCredentials, region: String, service: String, vectors: [Vector]) = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sigv4-test-suite.json")
    let json = try! JSONReader().read(Array(try! Data(contentsOf: url)))
    let config = json["config"]!
    let credentials = AWSCredentials(accessKeyId: config["accessKeyId"]!.stringValue!, secretAccessKey: config["secretAccessKey"]!.stringValue!)
    let vectors = json["tests"]!.elements!.map { test -> Vector in
      let request = test["request"]!
      let headers = request["headers"]!.elements!.map { SigV4Request.Header($0.elements![0].stringValue!, $0.elements![1].stringValue!) }
      return Vector(
        name: test["name"]!.stringValue!,
        request: SigV4Request(method: request["method"]!.stringValue!, path: request["path"]!.stringValue!,
                              query: request["query"]!.stringValue!, headers: headers, body: Array(request["body"]!.stringValue!.utf8)),
        canonicalRequest: test["creq"]!.stringValue!, stringToSign: test["sts"]!.stringValue!, authorization: test["authz"]!.stringValue!)
    }
    return (credentials, config["region"]!.stringValue!, config["service"]!.stringValue!, vectors)
  }()

  static let date = UTCTime(iso8601: "2015-08-30T12:36:00Z")!

  @Test func theSuiteIsThere() {
    #expect(Self.suite.vectors.count == 20)
    #expect(Self.date.amzDate == "20150830T123600Z")
  }

  @Test(arguments: suite.vectors)
  func canonicalRequestStringToSignAndAuthorization(_ vector: Vector) {
    let (credentials, region, service, _) = Self.suite
    #expect(SigV4.canonicalRequest(vector.request) == vector.canonicalRequest)
    let scope = SigV4.scope(date: Self.date, region: region, service: service)
    #expect(SigV4.stringToSign(vector.canonicalRequest, date: Self.date, scope: scope) == vector.stringToSign)
    #expect(SigV4.authorization(vector.request, credentials: credentials, region: region, service: service, date: Self.date)
      == vector.authorization)
  }

  /// `sign` adds `X-Amz-Date`, then the token, then `Authorization`, as post-sts-header-before signs them.
  @Test func signAddsTheDateTheTokenAndTheAuthorization() {
    let vector = Self.suite.vectors.first { $0.name == "post-sts-header-before" }!
    let token = vector.request.header("X-Amz-Security-Token")!
    var credentials = Self.suite.credentials
    credentials.sessionToken = token
    let unsigned = SigV4Request(method: "POST", path: "/", headers: [.init("Host", "example.amazonaws.com")])
    let headers = SigV4.sign(unsigned, credentials: credentials, region: "us-east-1", service: "service", date: Self.date)
    #expect(headers.map(\.name) == ["Host", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
    #expect(headers[1].value == "20150830T123600Z")
    #expect(headers[2].value == token)
    #expect(headers[3].value == vector.authorization)
  }

  /// The signing key of AWS's documentation example (secret of the suite, 2012-02-15, us-east-1, iam).
  @Test func signingKeyOfTheDocumentedExample() {
    let key = SigV4.signingKey(secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: UTCTime(iso8601: "2012-02-15T00:00:00Z")!,
                               region: "us-east-1", service: "iam")
    #expect(HMACTests.hex(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
  }

  /// An already encoded path (a rest-json ARN member) is encoded again in the canonical URI.
  @Test func anEncodedPathIsEncodedTwice() {
    let request = SigV4Request(method: "GET", path: "/applications/arn%3Aaws%3Ax", headers: [.init("Host", "h")])
    #expect(SigV4.canonicalRequest(request).split(separator: "\n")[1] == "/applications/arn%253Aaws%253Ax")
  }
}

import { strict as assert } from "node:assert";
import { isCredentialBearingUrl, redact, redactUrl } from "../../../../provider/core/redact";

describe("core redact", () => {
  describe("redact", () => {
    const table: Array<[string, string, string]> = [
      [
        "a SigV4 presigned URL",
        "https://b.s3.us-east-1.amazonaws.com/errors.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef",
        "https://b.s3.us-east-1.amazonaws.com/errors.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=REDACTED&X-Amz-SignedHeaders=host&X-Amz-Signature=REDACTED",
      ],
      [
        "a SigV2 presigned URL, Expires included because it pairs with the signature",
        "see https://b.s3.amazonaws.com/k.csv?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1767225600&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D for details",
        "see https://b.s3.amazonaws.com/k.csv?AWSAccessKeyId=REDACTED&Expires=REDACTED&Signature=REDACTED for details",
      ],
      [
        "Expires without a signature is left alone",
        "https://example.com/page?Expires=1767225600&x=1",
        "https://example.com/page?Expires=1767225600&x=1",
      ],
      [
        "userinfo in a URL",
        "cloning https://deploy:s3cr3t@git.example.com/repo.git failed",
        "cloning https://REDACTED@git.example.com/repo.git failed",
      ],
      [
        "a secret key after aws_secret_access_key",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "aws_secret_access_key = REDACTED",
      ],
      [
        "secretAccessKey and sessionToken in JSON",
        '{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","sessionToken":"IQoJb3JpZ2luX2Vj+/=="}',
        '{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","secretAccessKey":"REDACTED","sessionToken":"REDACTED"}',
      ],
      [
        "SecretAccessKey and SessionToken as written by STS",
        "SecretAccessKey: abc/def+ghi SessionToken: 'FwoGZXIvYXdzE'",
        "SecretAccessKey: REDACTED SessionToken: 'REDACTED'",
      ],
      [
        "a bare 40-character secret right after an access key ID",
        "creds AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end",
        "creds AKIAIOSFODNN7EXAMPLE:REDACTED end",
      ],
      [
        "a bare 40-character secret right before an access key ID",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AKIAIOSFODNN7EXAMPLE",
        "REDACTED AKIAIOSFODNN7EXAMPLE",
      ],
      [
        "a 40-character string with no access key ID nearby is left alone",
        "commit 0123456789abcdef0123456789abcdef01234567",
        "commit 0123456789abcdef0123456789abcdef01234567",
      ],
      [
        "plain text is unchanged",
        "import ended in IMPORT_FAILED after 4 polls",
        "import ended in IMPORT_FAILED after 4 polls",
      ],
    ];
    for (const [label, input, expected] of table) {
      it(`redacts ${label}`, () => {
        assert.equal(redact(input), expected);
        assert.equal(redact(redact(input)), expected, "redaction is idempotent");
      });
    }
  });

  describe("redactUrl", () => {
    it("redacts signature parameters and userinfo and keeps the rest of the URL", () => {
      assert.equal(
        redactUrl("https://u:p@h.example/a?Signature=x&keep=1#frag"),
        "https://REDACTED@h.example/a?Signature=REDACTED&keep=1#frag",
      );
    });
  });

  describe("isCredentialBearingUrl", () => {
    const table: Array<[string, boolean]> = [
      ["https://b.s3.amazonaws.com/k?X-Amz-Signature=abc", true],
      ["https://b.s3.amazonaws.com/k?x-amz-credential=abc", true],
      ["https://b.s3.amazonaws.com/k?AWSAccessKeyId=A&Signature=s&Expires=1", true],
      ["https://user:pw@example.com/", true],
      ["https://token@example.com/", true],
      ["https://b.s3.amazonaws.com/k.csv", false],
      ["s3://bucket/key.csv", false],
      ["not a url", false],
    ];
    for (const [url, expected] of table) {
      it(`says ${expected} for ${url}`, () => assert.equal(isCredentialBearingUrl(url), expected));
    }
  });
});

import { strict as assert } from "node:assert";
import { frontDoorErrors, iamAction } from "../../../emulator/core/protocols";
import { allServices } from "../../../emulator/services";

/** The descriptor table: what each service's front door answers, from its protocol and its own entry. */
describe("emulator core", () => {
  describe("front-door errors and IAM actions per service", () => {
    const shape = (e: { code: string; status: number; fields: object; headers: object }) => [
      e.code,
      e.status,
      e.fields,
      e.headers,
    ];
    const cases: [string, string, string, unknown[][]][] = [
      [
        "ads",
        "StartImportTask",
        "discovery:StartImportTask",
        [
          ["ThrottlingException", 400, {}, {}],
          ["ServerInternalErrorException", 500, {}, {}],
          ["AuthorizationErrorException", 400, {}, {}],
          ["AuthorizationErrorException", 400, {}, {}],
        ],
      ],
      [
        "mgn",
        "StartImport",
        "mgn:StartImport",
        [
          ["ThrottlingException", 429, { serviceCode: "mgn" }, { "retry-after": "1" }],
          ["InternalServerException", 500, {}, {}],
          ["AccessDeniedException", 403, { code: "AccessDeniedException" }, {}],
          ["AccessDeniedException", 403, { code: "AccessDeniedException" }, {}],
        ],
      ],
      ...(["migrationhub", "migrationhub-config"] as const).map(
        (key): [string, string, string, unknown[][]] => [
          key,
          "GetHomeRegion",
          "mgh:GetHomeRegion",
          [
            ["ThrottlingException", 400, { RetryAfterSeconds: 1 }, {}],
            ["ServiceUnavailableException", 500, {}, {}],
            ["AccessDeniedException", 400, {}, {}],
            ["UnauthorizedOperation", 400, {}, {}],
          ],
        ],
      ),
      [
        "ec2",
        "ImportImage",
        "ec2:ImportImage",
        [
          ["RequestLimitExceeded", 503, {}, {}],
          ["Unavailable", 503, {}, {}],
          ["UnauthorizedOperation", 403, {}, {}],
          ["UnauthorizedOperation", 403, {}, {}],
        ],
      ],
      [
        "s3",
        "HeadObject",
        "s3:GetObject",
        [
          ["SlowDown", 503, {}, {}],
          ["InternalError", 500, {}, {}],
          ["AccessDenied", 403, {}, {}],
          ["AccessDenied", 403, {}, {}],
        ],
      ],
    ];

    it("covers every service the emulator answers", () => {
      assert.deepEqual(
        allServices().map((s) => s.key),
        cases.map(([key]) => key),
      );
    });

    for (const [key, operation, action, errors] of cases) {
      it(`${key}: throttling, internal, access denied (plain and DryRun), and ${action}`, () => {
        const svc = allServices().find((s) => s.key === key)!;
        const e = frontDoorErrors(svc);
        assert.deepEqual(
          [e.throttling(), e.internal(), e.accessDenied("m", false), e.accessDenied("m", true)].map(
            shape,
          ),
          errors,
        );
        assert.equal(iamAction(svc, operation), action);
      });
    }
  });
});

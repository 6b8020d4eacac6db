import { strict as assert } from "node:assert";
import fc from "fast-check";
import { UNKNOWN } from "../../../../provider/core/unknown";
import { image, instance } from "./specAdapters";

const { checkInputs: checkImage, INPUT_KEYS: IMAGE_KEYS } = image;
const { checkInputs: checkInstance, INPUT_KEYS: INSTANCE_KEYS } = instance;

/** Values shaped like each input's documented type, with anything in every slot. */
const any = fc.oneof(fc.anything(), fc.constant(UNKNOWN), fc.string(), fc.integer());
const disk = fc.record(
  {
    format: any,
    url: fc.oneof(any, fc.constant("s3://vm-imports/web.vmdk"), fc.webUrl()),
    userBucket: fc.oneof(any, fc.record({ s3Bucket: any, s3Key: any })),
    snapshotId: any,
    description: any,
    deviceName: any,
  },
  { requiredKeys: [] },
);
const imageValue = fc.oneof(
  any,
  fc.array(fc.oneof(disk, any), { maxLength: 3 }),
  fc.record(
    { comment: any, uploadStart: any, uploadEnd: any, uploadSize: any },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string(), any, { maxKeys: 3 }),
  fc.array(fc.record({ licenseConfigurationArn: any }), { maxLength: 2 }),
);
const diskImage = fc.record(
  {
    description: any,
    image: fc.oneof(
      any,
      fc.record({ format: any, bytes: any, importManifestUrl: any }, { requiredKeys: [] }),
    ),
    volume: fc.oneof(any, fc.record({ size: any })),
  },
  { requiredKeys: [] },
);
const spec = fc.record(
  {
    architecture: any,
    groupNames: fc.oneof(any, fc.array(any, { maxLength: 2 })),
    groupIds: fc.oneof(any, fc.array(any, { maxLength: 2 })),
    additionalInfo: any,
    userData: any,
    instanceType: any,
    placement: fc.oneof(
      any,
      fc.record(
        { availabilityZone: any, groupName: any, tenancy: any, hostId: any },
        { requiredKeys: [] },
      ),
    ),
    monitoring: any,
    subnetId: any,
    instanceInitiatedShutdownBehavior: any,
    privateIpAddress: any,
  },
  { requiredKeys: [] },
);
const instanceValue = fc.oneof(any, fc.array(fc.oneof(diskImage, any), { maxLength: 2 }), spec);

function property(
  keys: readonly string[],
  value: fc.Arbitrary<unknown>,
  check: (inputs: Record<string, unknown>) => { property: string; reason: string }[],
): void {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...keys), value), (inputs) => {
      for (const f of check(inputs)) {
        assert.ok([...keys, "aws:region"].includes(f.property.split(/[.[]/)[0]!), f.property);
        assert.match(f.reason, /Fix: /, `${f.property}: ${f.reason}`);
      }
    }),
    { numRuns: 1000, seed: 42 },
  );
}

describe("ec2 checkInputs (property)", () => {
  it("ec2.ImportImageTask: never throws; every failure names an input and says how to fix it", () => {
    property(IMAGE_KEYS, imageValue, (inputs) => checkImage(inputs));
  });

  it("ec2.ImportInstanceTask: never throws; every failure names an input and says how to fix it", () => {
    property(INSTANCE_KEYS, instanceValue, (inputs) =>
      checkInstance(inputs, { region: "eu-west-3" }),
    );
  });

  it("reports nothing for inputs that are wholly unknown", () => {
    fc.assert(
      fc.property(fc.subarray([...IMAGE_KEYS], { minLength: 1 }), (unknownKeys) => {
        const inputs = Object.fromEntries(unknownKeys.map((k) => [k, UNKNOWN]));
        assert.deepEqual(
          checkImage({ diskContainers: [{ format: "VMDK", url: "s3://b-1/k" }], ...inputs }),
          [],
        );
      }),
      { numRuns: 200, seed: 7 },
    );
    fc.assert(
      fc.property(fc.subarray([...INSTANCE_KEYS], { minLength: 1 }), (unknownKeys) => {
        const inputs = Object.fromEntries(unknownKeys.map((k) => [k, UNKNOWN]));
        assert.deepEqual(
          checkInstance({ platform: "Windows", diskImages: UNKNOWN, ...inputs }),
          [],
        );
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

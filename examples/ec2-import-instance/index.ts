// The legacy EC2 VM Import path: ImportInstance turns one Windows disk into a (stopped) instance.
// AWS recommends ImportImageTask instead (see ../ec2-import-image); check() says so too. The
// disk's import manifest is read through a presigned URL, kept secret in config and state.
import * as pulumi from "@pulumi/pulumi";
import { ec2 } from "pulumi-aws-migration";

const config = new pulumi.Config();

const instance = new ec2.ImportInstanceTask("dc-01", {
  description: "dc-01 from datacenter-1",
  platform: "Windows",
  launchSpecification: { architecture: "x86_64", instanceType: "m5.large" },
  diskImages: [
    {
      image: {
        format: "RAW",
        bytes: config.requireNumber("diskBytes"),
        importManifestUrl: config.requireSecret("importManifestUrl"),
      },
      volume: { size: 8 },
    },
  ],
});

export const conversionTaskId = instance.conversionTaskId;
export const state = instance.state;
export const instanceId = instance.instanceId;
export const volumeIds = instance.volumeIds;

/**
 * What the tables and targets need to know about each benchmarked service, without the SDK clients
 * (bench/lib/services.ts adds those): the emulator's service key, the start and describe operations
 * (whose rate limits every verdict assumes) and a title.
 */

export type ServiceName = "ads" | "mgn" | "ec2-instance" | "ec2-image";

/** Every benchmarked service, in table order. */
export const SERVICE_NAMES: readonly ServiceName[] = ["ads", "mgn", "ec2-instance", "ec2-image"];

export interface ServiceInfo {
  readonly name: ServiceName;
  /** Emulator service key (counters and rate limits). */
  readonly key: "ads" | "mgn" | "ec2";
  /** The AWS job and our resource class, for tables. */
  readonly title: string;
  readonly startOperation: string;
  /** The describe every strategy polls with (ours batches IDs into it). */
  readonly describeOperation: string;
}

export const SERVICE_INFO: Readonly<Record<ServiceName, ServiceInfo>> = {
  ads: {
    name: "ads",
    key: "ads",
    title: "ADS import (`ads.ImportTask`)",
    startOperation: "StartImportTask",
    describeOperation: "DescribeImportTasks",
  },
  mgn: {
    name: "mgn",
    key: "mgn",
    title: "MGN import (`mgn.ImportTask`)",
    startOperation: "StartImport",
    describeOperation: "ListImports",
  },
  "ec2-instance": {
    name: "ec2-instance",
    key: "ec2",
    title: "EC2 ImportInstance (`ec2.ImportInstanceTask`)",
    startOperation: "ImportInstance",
    describeOperation: "DescribeConversionTasks",
  },
  "ec2-image": {
    name: "ec2-image",
    key: "ec2",
    title: "EC2 ImportImage (`ec2.ImportImageTask`)",
    startOperation: "ImportImage",
    describeOperation: "DescribeImportImageTasks",
  },
};

/** Part 1 task durations are drawn from this range (emulated ms). */
export const MIN_DURATION_MS = 60_000;
export const MAX_DURATION_MS = 3_600_000;

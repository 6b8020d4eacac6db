export {
  ImportImageTask,
  type ImageDiskContainerArgs,
  type ImportImageTaskArgs,
} from "./importImageTask";
export {
  ImportInstanceTask,
  type DiskImageArgs,
  type ImportInstanceLaunchSpecificationArgs,
  type ImportInstanceTaskArgs,
} from "./importInstanceTask";
export {
  ImportSnapshotTask,
  type ImportSnapshotTaskArgs,
  type SnapshotDiskContainerArgs,
} from "./importSnapshotTask";

export {
  type ImportCounts,
  type ImportError,
  ImportTask,
  type ImportTaskArgs,
  type InventorySelectorArgs,
  type S3BucketSourceArgs,
} from "./importTask";

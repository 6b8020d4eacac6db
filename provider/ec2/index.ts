export {
  ImportImageTask,
  type ImageDiskContainerArgs,
  type ImportImageTaskArgs,
} from "./importImageTask";

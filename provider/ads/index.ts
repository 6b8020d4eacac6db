export { ImportTask, type ImportTaskArgs } from "./importTask";

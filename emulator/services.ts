import type { ServiceDefinition } from "./core/service";
import { s3Service } from "./s3/routes";

/** Every service the emulator answers. */
export function allServices(): ServiceDefinition[] {
  return [s3Service];
}

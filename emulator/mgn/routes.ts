import type { RestJsonService } from "../core/service";

/** Application Migration Service (restJson1). */
export const mgnService: RestJsonService = {
  key: "mgn",
  protocol: "restJson1",
  signingNames: ["mgn"],
  operations: {},
};

import type { Ec2QueryService } from "../core/service";

/** EC2 VM Import/Export (ec2 Query protocol, 2016-11-15). */
export const ec2Service: Ec2QueryService = {
  key: "ec2",
  protocol: "ec2Query",
  signingNames: ["ec2"],
  version: "2016-11-15",
  operations: {},
};

import { adsService } from "./ads/routes";
import type { ServiceDefinition } from "./core/service";
import { ec2Service } from "./ec2/routes";
import { mgnService } from "./mgn/routes";
import { migrationHubConfigService, migrationHubService } from "./migrationhub/routes";
import { s3Service } from "./s3/routes";
import { stsService } from "./sts/routes";

/** Every service the emulator answers. */
export function allServices(): ServiceDefinition[] {
  return [
    adsService,
    mgnService,
    migrationHubService,
    migrationHubConfigService,
    ec2Service,
    s3Service,
    stsService,
  ];
}

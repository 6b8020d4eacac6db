#!/usr/bin/env node
"use strict";
// usage: node scripts/language-server.js <program.js>
//
// Serves one compiled Pulumi program through @pulumi/pulumi's in-process language runtime (the one
// the Automation API uses for inline programs), so `pulumi preview/up --client=127.0.0.1:<port>`
// runs it when no pulumi-language-nodejs binary exists (the Go module proxy serves none). Prints
// the port as the first line of stdout, then serves runs until killed. @pulumi/pulumi is loaded
// from the program's own node_modules: the runtime's settings are module state that the server and
// the program must share.
const path = require("node:path");

const programPath = path.resolve(process.argv[2] || "");
if (!process.argv[2]) {
  console.error("usage: node scripts/language-server.js <program.js>");
  process.exit(2);
}
const fromProgram = (id) => require.resolve(id, { paths: [path.dirname(programPath)] });
const sdkDir = path.dirname(fromProgram("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const { LanguageServer } = require(fromProgram("@pulumi/pulumi/automation/server"));
const { grpcChannelOptions } = require(fromProgram("@pulumi/pulumi/runtime/settings"));
const langrpc = require(fromProgram("@pulumi/pulumi/proto/language_grpc_pb"));

// Each run loads the program afresh inside the run, so both styles work: a module exporting a
// function (its result is the stack outputs) and one with top-level resources and named exports.
const program = () => {
  delete require.cache[programPath];
  const loaded = require(programPath);
  const main =
    typeof loaded === "function"
      ? loaded
      : loaded && typeof loaded.default === "function"
        ? loaded.default
        : undefined;
  return main ? main() : loaded;
};

const server = new grpc.Server({ ...grpcChannelOptions });
server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`language server: cannot listen: ${err.message}`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});

/**
 * Whether a file is a plausible disk image of the declared format. VM Import inspects the disk
 * during its `validating` stage; the emulator applies these rules (pure, on the object bytes):
 *
 * | Format | Rule |
 * |---|---|
 * | RAW  | size a positive multiple of 512, and the boot-sector signature 0x55 0xAA at bytes 510–511 (an MBR, or GPT's protective MBR) |
 * | VMDK | starts with the sparse-extent magic `KDMV` (monolithic sparse and stream-optimized disks) |
 * | VHD  | a 512-byte footer starting with `conectix` at the end (fixed) or at the start (dynamic copy) |
 * | VHDX | starts with the file-type identifier `vhdxfile` |
 * | OVA  | a tar archive (`ustar` at offset 257) whose first member is the `.ovf` descriptor |
 *
 * Failures map to the `ClientError: …` status messages VM Import reports.
 */
export type DiskFormat = "OVA" | "VHD" | "VHDX" | "VMDK" | "RAW";

export const NO_ACCESS =
  "ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]";
export const UNSUPPORTED_FORMAT =
  "ClientError: Disk validation failed [Unsupported specified file format]";
export const NO_PARTITIONS = "ClientError: No valid partitions. Not a valid volume.";

/** undefined when the image passes; otherwise the task's failure StatusMessage. */
export function diskImageProblem(format: DiskFormat, body: Buffer): string | undefined {
  switch (format) {
    case "RAW":
      if (body.length === 0 || body.length % 512 !== 0) return UNSUPPORTED_FORMAT;
      return body[510] === 0x55 && body[511] === 0xaa ? undefined : NO_PARTITIONS;
    case "VMDK":
      return ascii(body, 0, 4) === "KDMV" ? undefined : UNSUPPORTED_FORMAT;
    case "VHD":
      return body.length >= 512 &&
        (ascii(body, body.length - 512, 8) === "conectix" || ascii(body, 0, 8) === "conectix")
        ? undefined
        : UNSUPPORTED_FORMAT;
    case "VHDX":
      return ascii(body, 0, 8) === "vhdxfile" ? undefined : UNSUPPORTED_FORMAT;
    case "OVA": {
      if (body.length < 512 || ascii(body, 257, 5) !== "ustar") return UNSUPPORTED_FORMAT;
      const first = ascii(body, 0, 100).replace(/\0.*$/s, "");
      return first.toLowerCase().endsWith(".ovf") ? undefined : UNSUPPORTED_FORMAT;
    }
  }
}

function ascii(body: Buffer, start: number, length: number): string {
  return body.subarray(start, start + length).toString("latin1");
}

import type { Emulator } from "../../emulator";
import type { World } from "./world";

type Build = (emulator: Emulator) => Promise<World>;
const todo: Build = () => Promise.reject(new Error("todo"));
export const emulatorWorlds: Record<
  "ads" | "mgn" | "image" | "instance" | "migrationTask" | "stream",
  Build
> = { ads: todo, mgn: todo, image: todo, instance: todo, migrationTask: todo, stream: todo };

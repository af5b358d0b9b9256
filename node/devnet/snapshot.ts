/**
 * JSON for the chain double's state: maps, sets, bigints and byte arrays are written as tagged
 * objects ({"$map": [[k, v], …]}, {"$set": […]}, {"$bigint": "…"}, {"$bytes": "base64"}) so the
 * state file round-trips exactly, and a write is atomic (temporary file, then rename).
 *
 * @module
 */
import { fromBase64, toBase64 } from "@cosmjs/encoding";

/** Serializes a value made of plain objects, arrays, maps, sets, bigints and Uint8Arrays. */
export function toTaggedJson(value: unknown, space?: number): string {
  return JSON.stringify(value, function replace(this: unknown, key: string, item: unknown) {
    // JSON.stringify has already called toJSON on Dates; read the raw value from the holder.
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Map) return { $map: [...raw.entries()] };
    if (raw instanceof Set) return { $set: [...raw.values()] };
    if (typeof raw === "bigint") return { $bigint: raw.toString() };
    if (raw instanceof Uint8Array) return { $bytes: toBase64(raw) };
    return item;
  }, space);
}

/** Parses what {@link toTaggedJson} wrote. */
export function fromTaggedJson<T>(text: string): T {
  return JSON.parse(text, (_key, item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const keys = Object.keys(item);
    if (keys.length !== 1) return item;
    if (keys[0] === "$map") return new Map(item.$map);
    if (keys[0] === "$set") return new Set(item.$set);
    if (keys[0] === "$bigint") return BigInt(item.$bigint);
    if (keys[0] === "$bytes") return fromBase64(item.$bytes);
    return item;
  }) as T;
}

/** Writes `text` to `path` through a temporary file and a rename, so readers never see half. */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  Deno.writeTextFileSync(temporary, text);
  Deno.renameSync(temporary, path);
}

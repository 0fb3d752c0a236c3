// A GraphQL result object as a REST mapper reads it: absent or null reads as an empty object, so
// each API's `xxxJson` mapper can pick fields without null checks.
export type Json = Record<string, unknown>;

export function jsonObject(value: unknown): Json {
  return (value ?? {}) as Json;
}

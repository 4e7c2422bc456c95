/** Outward form of a stored document: `id` as a string instead of `_id`, and no password hash. */
export function present<T extends { _id: { toString(): string } }>(doc: T) {
  const { _id, ...rest } = doc as T & { passwordHash?: unknown };
  delete rest.passwordHash;
  return { id: _id.toString(), ...rest };
}

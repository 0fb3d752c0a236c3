// Recognises MongoDB's duplicate-key error (11000) so a race past the pre-check still answers 409.
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

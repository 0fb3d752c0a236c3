// The post-image of an update, rebuilt from its pre-image and update description (the oplog
// keeps the pre-image when a collection has changeStreamPreAndPostImages enabled; applying the
// recorded diff to it gives exactly the document as the update left it).
import type { Document } from 'bson';
import { deepCopy, isPlainObject } from '../bson/values.js';
import type { UpdateDescription } from '../oplog.js';

export function postImage(before: Document, ud: UpdateDescription): Document {
  const doc = deepCopy(before);
  for (const { field, newSize } of ud.truncatedArrays) {
    const arr = walk(doc, field.split('.'));
    if (Array.isArray(arr)) arr.length = newSize;
  }
  for (const path of ud.removedFields) {
    const parts = path.split('.');
    const parent = walk(doc, parts.slice(0, -1));
    if (parent && typeof parent === 'object') delete (parent as Document)[parts[parts.length - 1]!];
  }
  for (const [path, value] of Object.entries(ud.updatedFields)) {
    const parts = path.split('.');
    let cur: Document = doc;
    for (const p of parts.slice(0, -1)) {
      if (!isPlainObject(cur[p]) && !Array.isArray(cur[p])) cur[p] = {};
      cur = cur[p] as Document;
    }
    cur[parts[parts.length - 1]!] = deepCopy(value);
  }
  return doc;
}

function walk(doc: unknown, parts: string[]): unknown {
  let cur = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[p];
  }
  return cur;
}

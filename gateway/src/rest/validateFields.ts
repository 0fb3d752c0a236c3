// Validates a JSON body or a query string against a route's BodySpec. Every refusal is a
// JunctionError naming the field in `param` (dotted path for nested fields: `items[0].quantity`).
import { JunctionError } from '../../../platform/src/errors.js';
import type { BodySpec, FieldSpec } from './RestRoute.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function invalid(param: string, message: string): JunctionError {
  return new JunctionError('INVALID_REQUEST', message, { param });
}

function checkBounds(spec: FieldSpec, size: number, param: string, what: string): void {
  if (spec.min !== undefined && size < spec.min) throw invalid(param, `${param} ${what} must be at least ${spec.min}`);
  if (spec.max !== undefined && size > spec.max) throw invalid(param, `${param} ${what} must be at most ${spec.max}`);
}

export function validateValue(spec: FieldSpec, value: unknown, param: string): unknown {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(param, `${param} must be a string, got ${typeName(value)}`);
      checkBounds(spec, value.length, param, 'length');
      if (spec.enum && !spec.enum.includes(value)) throw invalid(param, `${param} must be one of ${spec.enum.join(', ')}`);
      if (spec.pattern && !spec.pattern.test(value)) throw invalid(param, `${param} has an invalid format`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(param, `${param} must be an integer, got ${typeName(value)}`);
      checkBounds(spec, value, param, 'value');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(param, `${param} must be a number, got ${typeName(value)}`);
      checkBounds(spec, value, param, 'value');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(param, `${param} must be a boolean, got ${typeName(value)}`);
      return value;
    case 'array': {
      if (!Array.isArray(value)) throw invalid(param, `${param} must be an array, got ${typeName(value)}`);
      checkBounds(spec, value.length, param, 'length');
      return spec.items ? value.map((item, i) => validateValue(spec.items!, item, `${param}[${i}]`)) : value;
    }
    case 'object': {
      if (typeName(value) !== 'object') throw invalid(param, `${param} must be an object, got ${typeName(value)}`);
      const obj = value as Record<string, unknown>;
      checkBounds(spec, Object.keys(obj).length, param, 'number of keys');
      return spec.fields ? validateObject(spec.fields, obj, `${param}.`) : obj;
    }
  }
}

/** Validates a parsed JSON object: unknown fields, missing required fields and wrong types are 400. */
export function validateObject(spec: BodySpec, value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) throw invalid(prefix + key, `Unknown field ${prefix + key}`);
  }
  for (const [key, fieldSpec] of Object.entries(spec)) {
    const fieldValue = value[key];
    if (fieldValue === undefined) {
      if (fieldSpec.required) throw new JunctionError('MISSING_REQUIRED_FIELD', `${prefix + key} is required`, { param: prefix + key });
      continue;
    }
    out[key] = validateValue(fieldSpec, fieldValue, prefix + key);
  }
  return out;
}

function coerceQueryValue(spec: FieldSpec, raw: string, param: string): unknown {
  switch (spec.type) {
    case 'integer':
      if (!/^-?\d+$/.test(raw)) throw invalid(param, `${param} must be an integer`);
      return validateValue(spec, Number(raw), param);
    case 'number':
      if (raw.trim() === '' || !Number.isFinite(Number(raw))) throw invalid(param, `${param} must be a number`);
      return validateValue(spec, Number(raw), param);
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw invalid(param, `${param} must be true or false`);
    case 'string':
      return validateValue(spec, raw, param);
    default:
      throw invalid(param, `${param} cannot be given in the query string`);
  }
}

/** Validates and coerces a query string. Unknown parameters are refused when the route declares any. */
export function validateQuery(spec: BodySpec | undefined, params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!spec) return out;
  for (const key of new Set(params.keys())) {
    const fieldSpec = spec[key];
    if (!fieldSpec) throw invalid(key, `Unknown query parameter ${key}`);
    const values = params.getAll(key);
    if (fieldSpec.type === 'array') {
      const items = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
      out[key] = fieldSpec.items ? items.map((v, i) => coerceQueryValue(fieldSpec.items!, v, `${key}[${i}]`)) : items;
    } else {
      if (values.length > 1) throw invalid(key, `${key} given more than once`);
      out[key] = coerceQueryValue(fieldSpec, values[0]!, key);
    }
  }
  for (const [key, fieldSpec] of Object.entries(spec)) {
    if (fieldSpec.required && out[key] === undefined) throw new JunctionError('MISSING_REQUIRED_FIELD', `${key} is required`, { param: key });
  }
  return out;
}

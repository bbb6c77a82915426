// Column builders: each carries its TypeScript value type and flags as type parameters, so row and
// argument types are inferred from the definitions with no codegen (the drizzle-orm trick).

export type Identity = string;

export type NumericKind = 'u8' | 'u16' | 'u32' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';
export type ColumnKind = NumericKind | 'bool' | 'enum' | 'string' | 'identity' | 'bytes';
export type IndexKind = 'hash' | 'btree';

export interface ColumnConfig {
  readonly kind: ColumnKind;
  primaryKey: boolean;
  autoInc: boolean;
  unique: boolean;
  index: IndexKind | null;
  quantize: number | null;
  enumValues: readonly string[] | null;
  hasDefault: boolean;
  defaultValue: unknown;
  optional: boolean;
}

export interface ColumnFlags {
  pk?: true;
  autoInc?: true;
  unique?: true;
  indexed?: true;
  hasDefault?: true;
  optional?: true;
}

export class ColumnBuilder<T, F extends ColumnFlags = {}> {
  /** Type-only carriers; never set at runtime. */
  declare readonly _type: T;
  declare readonly _flags: F;
  readonly config: ColumnConfig;

  constructor(kind: ColumnKind, enumValues: readonly string[] | null = null) {
    this.config = {
      kind, primaryKey: false, autoInc: false, unique: false, index: null, quantize: null,
      enumValues, hasDefault: false, defaultValue: undefined, optional: false,
    };
  }

  private with<G extends ColumnFlags>(patch: Partial<ColumnConfig>): ColumnBuilder<T, F & G> {
    const next = new ColumnBuilder<T, F & G>(this.config.kind, this.config.enumValues);
    Object.assign(next.config, this.config, patch);
    return next;
  }

  primaryKey(): ColumnBuilder<T, F & { pk: true; unique: true }> {
    return this.with({ primaryKey: true, unique: true });
  }
  /** Inserts may omit this column; the table assigns the next integer. Integer primary keys only. */
  autoInc(): ColumnBuilder<T, F & { autoInc: true }> {
    return this.with({ autoInc: true });
  }
  unique(): ColumnBuilder<T, F & { unique: true }> {
    return this.with({ unique: true });
  }
  /** A secondary index: 'hash' for equality lookups, 'btree' for ordered range scans. */
  index(kind: IndexKind = 'hash'): ColumnBuilder<T, F & { indexed: true }> {
    return this.with({ index: kind });
  }
  /** Send this float column to clients rounded to multiples of `step` (e.g. 0.01). */
  quantize(step: number): ColumnBuilder<T, F> {
    if (!(step > 0)) throw new Error(`quantize(step) needs a positive step, got ${step}`);
    return this.with({ quantize: step });
  }
  default(value: T): ColumnBuilder<T, F & { hasDefault: true }> {
    return this.with({ hasDefault: true, defaultValue: value });
  }
  /** Reducer arguments only: the argument may be omitted (undefined). */
  optional(): ColumnBuilder<T | undefined, F & { optional: true }> {
    return this.with({ optional: true }) as unknown as ColumnBuilder<T | undefined, F & { optional: true }>;
  }
}

export type AnyColumn = ColumnBuilder<unknown, ColumnFlags>;
export type ColumnsShape = Record<string, AnyColumn>;

export const t = {
  u8: () => new ColumnBuilder<number>('u8'),
  u16: () => new ColumnBuilder<number>('u16'),
  u32: () => new ColumnBuilder<number>('u32'),
  i8: () => new ColumnBuilder<number>('i8'),
  i16: () => new ColumnBuilder<number>('i16'),
  i32: () => new ColumnBuilder<number>('i32'),
  f32: () => new ColumnBuilder<number>('f32'),
  f64: () => new ColumnBuilder<number>('f64'),
  bool: () => new ColumnBuilder<boolean>('bool'),
  string: () => new ColumnBuilder<string>('string'),
  identity: () => new ColumnBuilder<Identity>('identity'),
  bytes: () => new ColumnBuilder<Uint8Array>('bytes'),
  enum: <const V extends readonly [string, ...string[]]>(values: V) =>
    new ColumnBuilder<V[number]>('enum', values),
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type OptionalKeys<C extends ColumnsShape> = {
  [K in keyof C]: C[K]['_flags'] extends { autoInc: true } | { hasDefault: true } | { optional: true } ? K : never;
}[keyof C];

/** The row type of a table: every column, with its value type. */
export type RowOf<C extends ColumnsShape> = Simplify<{ -readonly [K in keyof C]: C[K]['_type'] }>;
/** What insert() accepts: autoInc and defaulted columns may be omitted. */
export type InsertOf<C extends ColumnsShape> = Simplify<
  { [K in Exclude<keyof C, OptionalKeys<C>>]: C[K]['_type'] } & { [K in OptionalKeys<C>]?: C[K]['_type'] }
>;
/** Reducer arguments: optional() arguments may be omitted. */
export type ArgsOf<C extends ColumnsShape> = InsertOf<C>;
export type UniqueKeys<C extends ColumnsShape> = {
  [K in keyof C]: C[K]['_flags'] extends { unique: true } ? K : never;
}[keyof C] & string;
export type IndexedKeys<C extends ColumnsShape> = {
  [K in keyof C]: C[K]['_flags'] extends { indexed: true } | { unique: true } ? K : never;
}[keyof C] & string;
export type PkKey<C extends ColumnsShape> = {
  [K in keyof C]: C[K]['_flags'] extends { pk: true } ? K : never;
}[keyof C] & string;
export type NumericKeys<C extends ColumnsShape> = {
  [K in keyof C]: C[K]['_type'] extends number ? K : never;
}[keyof C] & string;

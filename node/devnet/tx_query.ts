/**
 * The subset of CometBFT's event query language that `tx_search` needs: conditions joined by
 * AND, each `key op value` with op one of =, <, <=, >, >=, CONTAINS, or `key EXISTS`. Keys are
 * `tx.hash`, `tx.height` or `<event type>.<attribute key>`; values are 'quoted strings' or
 * numbers.
 *
 * @module
 */
import type { TxRecord } from "./chain.ts";

/** One condition of a query. */
export interface Condition {
  key: string;
  op: "=" | "<" | "<=" | ">" | ">=" | "CONTAINS" | "EXISTS";
  value: string | number;
}

/** A query string that does not parse. */
export class TxQueryError extends Error {
  override name = "TxQueryError";
}

const CONDITION_REGEXP =
  /^\s*([\w.\-/]+)\s*(?:(EXISTS)|(<=|>=|=|<|>|CONTAINS)\s*(?:'([^']*)'|(-?\d+(?:\.\d+)?)))\s*/;

/**
 * Parses a query such as `tx.hash='AB12' AND message.sender='allo1…'`.
 *
 * @throws {TxQueryError} naming the unparsed rest of the query
 */
export function parseTxQuery(query: string): Condition[] {
  const conditions: Condition[] = [];
  let rest = query.trim();
  while (rest.length > 0) {
    const match = CONDITION_REGEXP.exec(rest);
    if (match === null) throw new TxQueryError(`invalid query near '${rest.slice(0, 40)}'`);
    const [whole, key, exists, op, text, number] = match;
    conditions.push(
      exists
        ? { key, op: "EXISTS", value: "" }
        : { key, op: op as Condition["op"], value: normalize(key, text ?? Number(number)) },
    );
    rest = rest.slice(whole.length);
    if (rest.length === 0) break;
    const and = /^AND\s+/i.exec(rest);
    if (and === null) throw new TxQueryError(`expected AND near '${rest.slice(0, 40)}'`);
    rest = rest.slice(and[0].length);
  }
  if (conditions.length === 0) throw new TxQueryError("empty query");
  return conditions;
}

// CometBFT stores transaction hashes in uppercase hex.
function normalize(key: string, value: string | number): string | number {
  return key === "tx.hash" && typeof value === "string" ? value.toUpperCase() : value;
}

/** Returns whether a delivered transaction satisfies every condition. */
export function matchesTx(record: TxRecord, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) =>
    valuesOf(record, condition.key).some((value) => compare(value, condition))
  );
}

function valuesOf(record: TxRecord, key: string): string[] {
  if (key === "tx.hash") return [record.hash];
  if (key === "tx.height") return [String(record.height)];
  const dot = key.lastIndexOf(".");
  const type = key.slice(0, dot);
  const attribute = key.slice(dot + 1);
  return record.result.events
    .filter((event) => event.type === type)
    .flatMap((event) => event.attributes.filter((item) => item.key === attribute))
    .map((item) => item.value);
}

function compare(actual: string, { op, value }: Condition): boolean {
  switch (op) {
    case "EXISTS":
      return true;
    case "CONTAINS":
      return actual.includes(String(value));
    case "=":
      return typeof value === "number" ? Number(actual) === value : actual === value;
    default: {
      const left = Number(actual);
      const right = Number(value);
      if (Number.isNaN(left) || Number.isNaN(right)) return false;
      if (op === "<") return left < right;
      if (op === "<=") return left <= right;
      if (op === ">") return left > right;
      return left >= right;
    }
  }
}

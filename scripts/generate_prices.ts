/**
 * Generates `templates/project/data/prices.csv`, the sample data that a new project's main.py
 * fits: 240 daily closes each for ETH, BTC and SOL.
 *
 * The series is synthetic but shaped like real prices: log returns with a small positive
 * autocorrelation and volatility that moves in regimes (a GARCH(1,1) recursion), from a
 * seeded generator, so every run writes the same bytes.
 *
 * Usage: deno run --allow-write scripts/generate_prices.ts [--check]
 * With --check it writes nothing and exits 1 when the committed file differs.
 *
 * @module
 */

/** Days of data per token. */
export const DAYS = 240;
/** First date of the series. */
export const START_DATE = "2025-01-01";

interface TokenModel {
  token: string;
  start: number;
  /** Long-run daily volatility of log returns. */
  volatility: number;
  /** Mean daily log return. */
  drift: number;
  seed: number;
}

const TOKENS: TokenModel[] = [
  { token: "ETH", start: 3350, volatility: 0.034, drift: 0.0004, seed: 0x5eed_e7 },
  { token: "BTC", start: 94200, volatility: 0.026, drift: 0.0006, seed: 0x5eed_b7 },
  { token: "SOL", start: 189, volatility: 0.047, drift: 0.0002, seed: 0x5eed_50 },
];
// Autocorrelation of consecutive returns, and the GARCH(1,1) weights of the last shock and
// of the last variance.
const AUTOCORRELATION = 0.06;
const GARCH_SHOCK = 0.09;
const GARCH_PERSISTENCE = 0.88;

/** Returns a seeded uniform generator on [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns standard normal draws from a uniform generator (Box-Muller). */
function normal(next: () => number): () => number {
  return () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

function closes(model: TokenModel): number[] {
  const draw = normal(uniform(model.seed));
  const longRunVariance = model.volatility ** 2;
  const base = longRunVariance * (1 - GARCH_SHOCK - GARCH_PERSISTENCE);
  let variance = longRunVariance;
  let previous = 0;
  let price = model.start;
  const series = [price];
  for (let day = 1; day < DAYS; day++) {
    const shock = Math.sqrt(variance) * draw();
    const change = model.drift + AUTOCORRELATION * previous + shock;
    variance = base + GARCH_SHOCK * shock ** 2 + GARCH_PERSISTENCE * variance;
    previous = change - model.drift;
    price *= Math.exp(change);
    series.push(price);
  }
  return series;
}

/** Renders the CSV text: header `date,token,close`, rows by date, then token. */
export function generatePrices(): string {
  const series = TOKENS.map((model) => closes(model));
  const start = Date.parse(`${START_DATE}T00:00:00Z`);
  const lines = ["date,token,close"];
  for (let day = 0; day < DAYS; day++) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    TOKENS.forEach((model, index) => {
      lines.push(`${date},${model.token},${series[index][day].toFixed(2)}`);
    });
  }
  return lines.join("\n") + "\n";
}

/** Path of the committed file. */
export const PRICES_URL = new URL("../templates/project/data/prices.csv", import.meta.url);

if (import.meta.main) {
  const text = generatePrices();
  if (Deno.args.includes("--check")) {
    const committed = await Deno.readTextFile(PRICES_URL);
    if (committed !== text) {
      console.error("templates/project/data/prices.csv differs from the generator's output");
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(PRICES_URL, text);
  }
}

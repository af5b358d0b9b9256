import assert from "node:assert/strict";
import { DAYS, generatePrices, PRICES_URL } from "./generate_prices.ts";

Deno.test("generatePrices() matches the committed prices.csv", async () => {
  assert.equal(generatePrices(), await Deno.readTextFile(PRICES_URL));
});

Deno.test("generatePrices() writes positive closes for three tokens", () => {
  const rows = generatePrices().trim().split("\n").slice(1).map((line) => line.split(","));
  assert.equal(rows.length, DAYS * 3);
  assert.deepEqual([...new Set(rows.map((row) => row[1]))], ["ETH", "BTC", "SOL"]);
  for (const [date, , close] of rows) {
    assert.match(date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(Number(close) > 0, `${date} close ${close}`);
  }
});

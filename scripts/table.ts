import Table from "cli-table3";

/**
 * Prints rows as a table with the keys of the first row as its header: no index column and no quotes
 * around strings (what `console.table` adds), columns of numbers (or shares like "12.3%", "-" for none) right-aligned,
 * no colours off a terminal.
 */
export function printTable(rows: readonly Record<string, string | number>[]): void {
  const head = Object.keys(rows[0] ?? {});
  const table = new Table({
    head,
    style: { head: process.stdout.isTTY ? ["bold"] : [], border: [], compact: true },
    colAligns: head.map((key) => (rows.every((row) => numeric(row[key])) ? "right" : "left")),
  });
  for (const row of rows) table.push(head.map((key) => row[key] ?? ""));
  console.log(table.toString());
}

function numeric(value: string | number | undefined): boolean {
  // "-" marks a missing value in a column of numbers.
  return typeof value === "number" || /^(-?[\d.,]+%?|-)$/.test(value ?? "");
}

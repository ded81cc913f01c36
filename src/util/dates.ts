import { InputError } from "./errors.js";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a logical date (YYYY-MM-DD, a real calendar day). */
export function parseLogicalDate(value: string): string {
  if (!isoDate.test(value)) throw new InputError(`--date must be YYYY-MM-DD, got "${value}"`);
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new InputError(`--date is not a calendar day: "${value}"`);
  }
  return value;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The days of [date - days, date): the window a run for `date` may read (never `date` itself or later). */
export function daysBefore(date: string, days: number): string[] {
  const out: string[] = [];
  for (let i = days; i >= 1; i--) out.push(addDays(date, -i));
  return out;
}

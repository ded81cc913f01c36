import { InputError } from "./errors.js";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** How far past today a logical date may lie: a run reads the data before its date, which must exist. */
const maxDaysAhead = 366;

/** Validates a logical date (YYYY-MM-DD, a real calendar day, at most a year after today). */
export function parseLogicalDate(value: string, today = new Date()): string {
  if (!isoDate.test(value)) throw new InputError(`--date must be YYYY-MM-DD, got "${value}"`);
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new InputError(`--date is not a calendar day: "${value}"`);
  }
  const latest = addDays(today.toISOString().slice(0, 10), maxDaysAhead);
  if (value > latest) {
    throw new InputError(
      `--date ${value} is more than ${maxDaysAhead} days after today (${today.toISOString().slice(0, 10)}): a run reads the data before its logical date; check the date`,
    );
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
